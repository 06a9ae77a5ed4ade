import fc from 'fast-check';
import { BatchplaneError } from '../../lib/model/errors';
import { COUNTED_CYCLES, JobGraph, LISTED_CYCLES, editDistance, formatCycle, suggest } from '../../lib/model/job-graph';

/** A graph of bare job names and `[dependency, dependent]` edges. */
function graphOf(jobs: string[], edges: [string, string][]): JobGraph {
  const graph = new JobGraph();
  jobs.forEach((job) => graph.addJob(job));
  edges.forEach(([from, to]) => graph.addEdge(from, to));
  return graph;
}

/** Every ordered pair of distinct jobs as an edge. */
function completeEdges(jobs: readonly string[]): [string, string][] {
  return jobs.flatMap((from) => jobs.filter((to) => to !== from).map((to): [string, string] => [from, to]));
}

/**
 * Every elementary cycle by exhaustive search, each from its smallest job by name, sorted by length
 * then job names: the reference the cycle listing is checked against.
 */
function bruteForceCycles(jobs: readonly string[], edges: ReadonlySet<string>): string[][] {
  const sorted = [...jobs].sort();
  const cycles: string[][] = [];
  const extend = (path: string[]): void => {
    const last = path[path.length - 1];
    if (edges.has(`${last}>${path[0]}`)) cycles.push([...path]);
    for (const next of sorted) {
      if (next > path[0] && !path.includes(next) && edges.has(`${last}>${next}`)) extend([...path, next]);
    }
  };
  sorted.forEach((start) => extend([start]));
  const byName = (a: string[], b: string[]): number => a.join('\u0000') < b.join('\u0000') ? -1 : 1;
  return cycles.sort((a, b) => a.length - b.length || byName(a, b));
}

/** The seed pipeline: A → B; C; D after A, B, C; E and F after D. */
const SEED_EDGES: [string, string][] = [
  ['job-a', 'job-b'], ['job-a', 'job-d'], ['job-b', 'job-d'], ['job-c', 'job-d'], ['job-d', 'job-e'], ['job-d', 'job-f'],
];
const SEED_JOBS = ['job-a', 'job-b', 'job-c', 'job-d', 'job-e', 'job-f'];

describe('cycles', () => {
  test('a self-loop is reported as a self-edge', () => {
    const graph = graphOf(['job-a', 'job-b'], [['job-a', 'job-a'], ['job-a', 'job-b']]);
    expect(graph.findCycles()).toEqual([['job-a']]);
    expect(graph.problems()).toEqual([
      { code: 'self-edge', message: 'job-a depends on itself (job-a → job-a)', jobs: ['job-a'] },
    ]);
  });

  test('a self-loop inside a larger loop is a self-edge, and the loop is listed too', () => {
    const graph = graphOf(['b', 'a'], [['b', 'b'], ['a', 'b'], ['b', 'a']]);
    expect(graph.findCycles()).toEqual([['b'], ['a', 'b']]);
    expect(graph.problems().map((p) => [p.code, p.message])).toEqual([
      ['self-edge', 'b depends on itself (b → b)'],
      ['cycle', 'dependency cycle a → b → a; remove one of these dependencies'],
    ]);
  });

  test('a two-job cycle', () => {
    const graph = graphOf(['job-b', 'job-a'], [['job-a', 'job-b'], ['job-b', 'job-a']]);
    expect(graph.problems().map((p) => p.message)).toEqual([
      'dependency cycle job-a → job-b → job-a; remove one of these dependencies',
    ]);
  });

  test('a long cycle with a shortcut: both loops are listed, the shorter first', () => {
    // job-d → job-a → job-b → job-c → job-d, plus the shortcut job-b → job-d.
    const graph = graphOf(
      ['job-d', 'job-c', 'job-b', 'job-a', 'job-e'],
      [['job-d', 'job-a'], ['job-a', 'job-b'], ['job-b', 'job-c'], ['job-c', 'job-d'], ['job-b', 'job-d'], ['job-d', 'job-e']],
    );
    expect(graph.findCycles()).toEqual([['job-a', 'job-b', 'job-d'], ['job-a', 'job-b', 'job-c', 'job-d']]);
    expect(graph.problems()).toEqual([
      {
        code: 'cycle',
        message: 'dependency cycle job-a → job-b → job-d → job-a; remove one of these dependencies',
        jobs: ['job-a', 'job-b', 'job-d'],
      },
      {
        code: 'cycle',
        message: 'dependency cycle job-a → job-b → job-c → job-d → job-a; remove one of these dependencies',
        jobs: ['job-a', 'job-b', 'job-c', 'job-d'],
      },
    ]);
    expect(graph.cyclesByComponent()).toEqual([{
      jobs: ['job-a', 'job-b', 'job-c', 'job-d'],
      cycles: [['job-a', 'job-b', 'job-d'], ['job-a', 'job-b', 'job-c', 'job-d']],
      unlisted: 0,
      unlistedExact: true,
    }]);
  });

  test('two separate cycles are both reported, in name order', () => {
    const graph = graphOf(
      ['x-1', 'x-2', 'x-3', 'a-1', 'a-2', 'free'],
      [['x-1', 'x-2'], ['x-2', 'x-3'], ['x-3', 'x-1'], ['a-2', 'a-1'], ['a-1', 'a-2'], ['free', 'x-1']],
    );
    expect(graph.problems().map((p) => p.message)).toEqual([
      'dependency cycle a-1 → a-2 → a-1; remove one of these dependencies',
      'dependency cycle x-1 → x-2 → x-3 → x-1; remove one of these dependencies',
    ]);
    expect(graph.findCycle()).toEqual(['a-1', 'a-2']);
  });

  test('overlapping cycles of one component are each listed once, shortest first', () => {
    // a ⇄ b, b ⇄ c, a ⇄ c: three two-job loops and both directions around the triangle.
    const edges: [string, string][] = [['a', 'b'], ['b', 'a'], ['b', 'c'], ['c', 'b'], ['a', 'c'], ['c', 'a']];
    const graph = graphOf(['c', 'a', 'b'], edges);
    expect(graph.findCycles()).toEqual([['a', 'b'], ['a', 'c'], ['b', 'c'], ['a', 'b', 'c'], ['a', 'c', 'b']]);
    expect(graph.problems().map((p) => p.message)).toEqual([
      'dependency cycle a → b → a; remove one of these dependencies',
      'dependency cycle a → c → a; remove one of these dependencies',
      'dependency cycle b → c → b; remove one of these dependencies',
      'dependency cycle a → b → c → a; remove one of these dependencies',
      'dependency cycle a → c → b → a; remove one of these dependencies',
    ]);
    const reversed = graphOf(['b', 'c', 'a'], [...edges].reverse());
    expect(reversed.problems()).toEqual(graph.problems());
  });

  test('the reported cycles do not depend on declaration order', () => {
    const edges: [string, string][] = [['a', 'b'], ['b', 'c'], ['c', 'a'], ['b', 'a']];
    const forward = graphOf(['a', 'b', 'c'], edges).findCycles();
    const backward = graphOf(['c', 'b', 'a'], [...edges].reverse()).findCycles();
    expect(forward).toEqual([['a', 'b'], ['a', 'b', 'c']]);
    expect(backward).toEqual(forward);
  });

  test(`past ${LISTED_CYCLES} cycles a component gets one more entry counting the rest`, () => {
    const jobs = ['j-0', 'j-1', 'j-2', 'j-3', 'j-4'];
    const graph = graphOf(jobs, completeEdges(jobs)); // 84 cycles
    const problems = graph.problems();
    expect(problems).toHaveLength(LISTED_CYCLES + 1);
    expect(problems.slice(0, 4).map((p) => p.message)).toEqual([
      'dependency cycle j-0 → j-1 → j-0; remove one of these dependencies',
      'dependency cycle j-0 → j-2 → j-0; remove one of these dependencies',
      'dependency cycle j-0 → j-3 → j-0; remove one of these dependencies',
      'dependency cycle j-0 → j-4 → j-0; remove one of these dependencies',
    ]);
    expect(problems[LISTED_CYCLES]).toEqual({
      code: 'cycle',
      message: 'and 74 more dependency cycles among j-0, j-1, j-2, j-3, j-4; break the listed ones first, then check again',
      jobs,
    });
  });

  test(`past ${COUNTED_CYCLES} cycles the rest is a lower bound`, () => {
    const jobs = Array.from({ length: 7 }, (_, i) => `j-${i}`);
    const [component] = graphOf(jobs, completeEdges(jobs)).cyclesByComponent(); // 2365 cycles
    expect(component).toMatchObject({ unlisted: COUNTED_CYCLES + 1 - LISTED_CYCLES, unlistedExact: false });
    expect(graphOf(jobs, completeEdges(jobs)).problems()[LISTED_CYCLES].message)
      .toBe('and at least 991 more dependency cycles among j-0, j-1, j-2, j-3, j-4, j-5, j-6; break the listed ones first, then check again');
  });

  test('a long list of jobs in a component is abbreviated', () => {
    // 25 jobs in a ring, every dependency both ways: 25 two-job loops and the ring in both directions.
    const jobs = Array.from({ length: 25 }, (_, i) => `j-${String(i).padStart(2, '0')}`);
    const edges = jobs.flatMap((job, i): [string, string][] => [[job, jobs[(i + 1) % 25]], [jobs[(i + 1) % 25], job]]);
    const problems = graphOf(jobs, edges).problems();
    expect(problems[LISTED_CYCLES].message).toBe(
      `and 17 more dependency cycles among ${jobs.slice(0, 20).join(', ')}, … (25 jobs); break the listed ones first, then check again`,
    );
  });

  test('analyses that need a DAG refuse a cycle with its path', () => {
    const graph = graphOf(['job-a', 'job-d'], [['job-a', 'job-d'], ['job-d', 'job-a']]);
    expect(() => graph.topologicalOrder()).toThrow(BatchplaneError);
    expect(() => graph.topologicalOrder()).toThrow('dependencies: got "job-a → job-d → job-a", expected an acyclic graph of jobs');
    expect(() => graph.heaviestAntichain(() => 1)).toThrow(BatchplaneError);
  });

  test('a chain of ten thousand jobs does not overflow the stack', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `job-${i}`);
    const edges = names.slice(1).map((name, i): [string, string] => [names[i], name]);
    const graph = graphOf(names, [...edges, ['job-9999', 'job-0']]);
    expect(graph.findCycles()).toHaveLength(1);
    expect(graph.findCycles()[0]).toHaveLength(10_000);
  });

  test('cycles are recomputed after a change', () => {
    const graph = graphOf(['a', 'b'], [['a', 'b']]);
    expect(graph.findCycles()).toEqual([]);
    graph.addEdge('b', 'a');
    expect(graph.findCycles()).toEqual([['a', 'b']]);
  });

  test('formatCycle closes the loop', () => {
    expect(formatCycle(['job-a', 'job-d'])).toBe('job-a → job-d → job-a');
  });
});

describe('cycles of random graphs', () => {
  /** A random graph on up to `maxJobs` jobs named `j0`, `j1`, … (self-loops and repeated edges included). */
  const randomGraph = (maxJobs: number): fc.Arbitrary<{ jobs: string[]; edges: [string, string][] }> =>
    fc.integer({ min: 1, max: maxJobs }).chain((n) => {
      const jobs = Array.from({ length: n }, (_, i) => `j${i}`);
      const job = fc.constantFrom(...jobs);
      return fc.record({ jobs: fc.constant(jobs), edges: fc.array(fc.tuple(job, job), { maxLength: n * 4 }) });
    });

  test('shuffling the order jobs and edges are added changes nothing', () => {
    const input = randomGraph(8).chain(({ jobs, edges }) => fc.record({
      jobs: fc.constant(jobs),
      edges: fc.constant(edges),
      shuffledJobs: fc.shuffledSubarray(jobs, { minLength: jobs.length }),
      shuffledEdges: fc.shuffledSubarray(edges, { minLength: edges.length }),
    }));
    fc.assert(fc.property(input, ({ jobs, edges, shuffledJobs, shuffledEdges }) => {
      const original = graphOf(jobs, edges);
      const shuffled = graphOf(shuffledJobs, shuffledEdges);
      expect(shuffled.findCycles()).toEqual(original.findCycles());
      expect(shuffled.cyclesByComponent()).toEqual(original.cyclesByComponent());
      expect(shuffled.problems().filter((p) => p.code === 'cycle')).toEqual(original.problems().filter((p) => p.code === 'cycle'));
    }), { numRuns: 300 });
  });

  test('every listed cycle is a real elementary cycle, and the listing matches a brute-force enumeration', () => {
    fc.assert(fc.property(randomGraph(7), ({ jobs, edges }) => {
      const graph = graphOf(jobs, edges);
      const edgeSet = new Set(edges.map(([from, to]) => `${from}>${to}`));
      const expected = bruteForceCycles(jobs, edgeSet);
      let total = 0;
      for (const component of graph.cyclesByComponent()) {
        const longer = component.cycles.filter((cycle) => cycle.length > 1);
        for (const cycle of component.cycles) {
          expect(new Set(cycle).size).toBe(cycle.length);
          expect(cycle.every((job) => component.jobs.includes(job))).toBe(true);
          expect([...cycle].sort()[0]).toBe(cycle[0]);
          cycle.forEach((job, i) => expect(edgeSet.has(`${job}>${cycle[(i + 1) % cycle.length]}`)).toBe(true));
        }
        expect(longer.length).toBeLessThanOrEqual(LISTED_CYCLES);
        const own = expected.filter((cycle) => cycle.length > 1 && component.jobs.includes(cycle[0]));
        if (component.unlistedExact) {
          expect(longer.length + component.unlisted).toBe(own.length);
          expect(longer).toEqual(own.slice(0, LISTED_CYCLES));
        } else {
          expect(own.length).toBeGreaterThan(COUNTED_CYCLES);
          expect(longer.length + component.unlisted).toBe(COUNTED_CYCLES + 1);
        }
        total += own.length;
      }
      expect(total).toBe(expected.filter((cycle) => cycle.length > 1).length);
      const selfLoops = graph.findCycles().filter((cycle) => cycle.length === 1); // in component order
      expect(selfLoops.sort()).toEqual(expected.filter((cycle) => cycle.length === 1));
    }), { numRuns: 300 });
  });
});

describe('names', () => {
  test('an unknown dependency comes with a suggestion', () => {
    const graph = graphOf(['extract', 'transform'], [['extrct', 'transform']]);
    expect(graph.problems()).toEqual([
      { code: 'unknown-job', message: 'transform depends on unknown job extrct; did you mean extract?', jobs: ['transform', 'extrct'] },
    ]);
  });

  test('an unknown dependent, and no suggestion when nothing is close', () => {
    const graph = graphOf(['extract', 'load'], [['extract', 'zzzzzzzz']]);
    expect(graph.problems().map((p) => p.message)).toEqual(['unknown job zzzzzzzz depends on extract; known jobs: extract, load']);
  });

  test('duplicate names are reported once and the first job is kept', () => {
    const graph = new JobGraph().addJob({ name: 'a', path: 'p/a', pods: [] }).addJob({ name: 'a', path: 'p/a2', pods: [] }).addJob({ name: 'a', path: 'p/a3', pods: [] });
    expect(graph.size).toBe(1);
    expect(graph.job('a')?.path).toBe('p/a');
    expect(graph.problems()).toEqual([
      { code: 'duplicate-job', message: 'more than one job is named a; job names must be unique within a pipeline', jobs: ['a'] },
    ]);
  });

  test('edges may name jobs added later; duplicate edges count once', () => {
    const graph = new JobGraph().addEdge('a', 'b').addEdge('a', 'b').addJob('b').addJob('a');
    expect(graph.problems()).toEqual([]);
    expect(graph.topologicalOrder()).toEqual(['a', 'b']);
    expect(graph.structure().targets).toHaveLength(1);
  });

  test('structure keeps each job\'s first edge to a dependent, in the order edges were added', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: 40 }), (pairs) => {
        const names = ['a', 'b', 'c', 'd', 'e', 'f'];
        const dag = graphOf(names, pairs.map(([u, v]): [string, string] => [names[u], names[v]])).structure();
        const expected = names.map((_, u) => [...new Set(pairs.filter(([from, to]) => from === u && to !== u).map(([, to]) => to))]);
        expect(names.map((_, u) => Array.from(dag.targets.subarray(dag.offsets[u], dag.offsets[u + 1])))).toEqual(expected);
        expect(dag.offsets[names.length]).toBe(dag.targets.length);
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });

  test('editDistance and suggest', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(suggest('job-x', ['job-b', 'job-a'])).toBe('job-a');
    expect(suggest('nightly-load', ['x', 'nightly-lod'])).toBe('nightly-lod');
    expect(suggest('abc', ['xyzw'])).toBeUndefined();
  });
});

describe('analyses of the seed pipeline', () => {
  const graph = graphOf(SEED_JOBS, SEED_EDGES);

  test('topological order keeps dependencies first', () => {
    const order = graph.topologicalOrder();
    expect(order).toEqual(['job-a', 'job-c', 'job-b', 'job-d', 'job-e', 'job-f']);
    for (const [from, to] of SEED_EDGES) expect(order.indexOf(from)).toBeLessThan(order.indexOf(to));
  });

  test('critical path under durations', () => {
    const minutes: Record<string, number> = { 'job-a': 10, 'job-b': 30, 'job-c': 20, 'job-d': 15, 'job-e': 5, 'job-f': 10 };
    expect(graph.criticalPath((job) => minutes[job.name] * 60)).toEqual({ jobs: ['job-a', 'job-b', 'job-d', 'job-f'], length: 65 * 60 });
  });

  test('critical path counting jobs', () => {
    expect(graph.criticalPath(() => 1)).toEqual({ jobs: ['job-a', 'job-b', 'job-d', 'job-e'], length: 4 });
  });

  test('heaviest antichain', () => {
    const cpu: Record<string, number> = { 'job-a': 1000, 'job-b': 9000, 'job-c': 2000, 'job-d': 4000, 'job-e': 3000, 'job-f': 3000 };
    expect(graph.heaviestAntichain((job) => cpu[job.name])).toEqual({ jobs: ['job-b', 'job-c'], weight: 11000 });
    expect(graph.heaviestAntichain(() => 1).weight).toBe(2); // {a, c}, {b, c} and {e, f} tie
  });

  test('weights must be non-negative integers', () => {
    expect(() => graph.heaviestAntichain(() => -1)).toThrow('weight of job-a: got -1, expected a non-negative integer');
  });

  test('an empty graph', () => {
    const empty = new JobGraph();
    expect(empty.topologicalOrder()).toEqual([]);
    expect(empty.criticalPath(() => 1)).toEqual({ jobs: [], length: 0 });
    expect(empty.heaviestAntichain(() => 1)).toEqual({ jobs: [], weight: 0 });
  });

  test('fromPipeline', () => {
    const pipeline = JobGraph.fromPipeline({
      name: 'nightly', path: 'data/nightly',
      jobs: SEED_JOBS.map((name) => ({ name, path: `data/nightly/${name}`, pods: [] })),
      edges: SEED_EDGES,
    });
    expect(pipeline.size).toBe(6);
    expect(pipeline.problems()).toEqual([]);
  });
});
