import { dagEdges, EDGES_PER_JOB, generateGraph, generatePlatform, MAX_DAG_TASKS, pipelineSizes, PlatformPlan } from '../../bench/generate';
import { Random } from '../../bench/random';

const SEED = 20240601;

function jobNames(plan: PlatformPlan): string[] {
  return plan.pipelines.flatMap((p) => p.jobs.map((j) => j.name));
}

describe('Random', () => {
  test('the same seed gives the same sequence, pinned for seed 42', () => {
    const values = (seed: number): number[] => {
      const random = new Random(seed);
      return Array.from({ length: 3 }, () => random.next());
    };
    expect(values(42)).toEqual(values(42));
    expect(values(42)).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(values(43)).not.toEqual(values(42));
  });

  test('int stays within its inclusive bounds and reaches both', () => {
    const random = new Random(1);
    const seen = new Set(Array.from({ length: 500 }, () => random.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  test('sample returns k distinct sorted values below n, sparse and dense', () => {
    const random = new Random(2);
    for (const [n, k] of [[100, 5], [10, 9], [7, 7], [3, 0]]) {
      const sample = random.sample(n, k);
      expect(sample).toHaveLength(k);
      expect(new Set(sample).size).toBe(k);
      expect(sample).toEqual([...sample].sort((a, b) => a - b));
      expect(sample.every((v) => Number.isInteger(v) && v >= 0 && v < n)).toBe(true);
    }
    expect(() => random.sample(3, 4)).toThrow(RangeError);
  });

  test('rejects a seed that is not an integer', () => {
    expect(() => new Random(0.5)).toThrow(RangeError);
  });
});

describe('dagEdges', () => {
  test('edges go from an earlier job to a later one, without duplicates', () => {
    const edges = dagEdges(new Random(3), 200);
    expect(edges.every(([from, to]) => from < to)).toBe(true);
    expect(new Set(edges.map(([from, to]) => `${from}>${to}`)).size).toBe(edges.length);
  });

  test('early jobs depend on every earlier job; the total is exactly 5 per job from 21 jobs on', () => {
    const edges = dagEdges(new Random(4), 10_000);
    const indegree = (job: number): number => edges.filter(([, to]) => to === job).length;
    expect([0, 1, 2, 3, 4, 5].map(indegree)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(edges).toHaveLength(EDGES_PER_JOB * 10_000);
    expect(dagEdges(new Random(4), 21)).toHaveLength(EDGES_PER_JOB * 21);
    expect(dagEdges(new Random(4), 4)).toHaveLength(6);
  });
});

describe('pipelineSizes', () => {
  test.each([
    [100, [100]],
    [1000, [200, 200, 200, 200, 200]],
    [401, [134, 134, 133]],
  ])('%d jobs split into %j', (total, sizes) => {
    expect(pipelineSizes(total)).toEqual(sizes);
  });

  test('10,000 jobs make 50 pipelines of at most 200', () => {
    const sizes = pipelineSizes(10_000);
    expect(sizes).toHaveLength(50);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_DAG_TASKS);
  });
});

describe('generatePlatform', () => {
  test('is deterministic for a seed and differs across seeds', () => {
    expect(generatePlatform(SEED, 1000)).toEqual(generatePlatform(SEED, 1000));
    expect(generatePlatform(SEED + 1, 1000)).not.toEqual(generatePlatform(SEED, 1000));
  });

  test('has the requested jobs, unique DNS-1035 names, and mixes Spark and container jobs', () => {
    const plan = generatePlatform(SEED, 1000);
    const names = jobNames(plan);
    expect(names).toHaveLength(1000);
    expect(new Set(names).size).toBe(1000);
    expect(names.every((n) => /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(n) && n.length <= 63)).toBe(true);
    const spark = plan.pipelines.flatMap((p) => p.jobs).filter((j) => j.kind === 'spark').length;
    expect(spark / 1000).toBeGreaterThan(0.3);
    expect(spark / 1000).toBeLessThan(0.5);
  });

  test('every pool a job, the headroom or a fallback names is declared before use', () => {
    const plan = generatePlatform(SEED, 100);
    const declared = new Set<string>();
    for (const pool of plan.pools) {
      if (pool.fallback !== undefined) expect(declared.has(pool.fallback)).toBe(true);
      declared.add(pool.name);
    }
    expect(declared.has(plan.headroom.pool)).toBe(true);
    for (const job of plan.pipelines.flatMap((p) => p.jobs)) {
      if (job.kind === 'container') expect(declared.has(job.pool)).toBe(true);
    }
  });

  test('pipeline edges index jobs of the pipeline and point forward', () => {
    const plan = generatePlatform(SEED, 450);
    for (const pipeline of plan.pipelines) {
      expect(pipeline.jobs.length).toBeLessThanOrEqual(MAX_DAG_TASKS);
      expect(pipeline.edges.every(([from, to]) => from < to && to < pipeline.jobs.length)).toBe(true);
      expect(pipeline.kind === 'CronWorkflow').toBe(pipeline.schedule !== undefined);
    }
  });

  test('rejects a job count that is not a positive integer', () => {
    expect(() => generatePlatform(SEED, 0)).toThrow(RangeError);
    expect(() => generatePlatform(SEED, 2.5)).toThrow(RangeError);
  });
});

describe('generateGraph', () => {
  test('is deterministic and has 10,000 uniquely named jobs and 50,000 forward edges', () => {
    const graph = generateGraph(SEED, 10_000);
    expect(generateGraph(SEED, 10_000)).toEqual(graph);
    expect(new Set(graph.jobs.map((j) => j.name)).size).toBe(10_000);
    expect(graph.edges).toHaveLength(50_000);
    expect(graph.edges.every(([from, to]) => from < to)).toBe(true);
  });
});
