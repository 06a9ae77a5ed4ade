import { BatchplaneError } from '../../lib/model/errors';
import { JobGraph, editDistance, formatCycle, suggest } from '../../lib/model/job-graph';

/** A graph of bare job names and `[dependency, dependent]` edges. */
function graphOf(jobs: string[], edges: [string, string][]): JobGraph {
  const graph = new JobGraph();
  jobs.forEach((job) => graph.addJob(job));
  edges.forEach(([from, to]) => graph.addEdge(from, to));
  return graph;
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

  test('a two-job cycle', () => {
    const graph = graphOf(['job-b', 'job-a'], [['job-a', 'job-b'], ['job-b', 'job-a']]);
    expect(graph.problems().map((p) => p.message)).toEqual([
      'dependency cycle job-a → job-b → job-a; remove one of these dependencies',
    ]);
  });

  test('a long cycle starts at its first job by name and takes the shortest way back', () => {
    // job-d → job-a → job-b → job-c → job-d, plus the shortcut job-b → job-d.
    const graph = graphOf(
      ['job-d', 'job-c', 'job-b', 'job-a', 'job-e'],
      [['job-d', 'job-a'], ['job-a', 'job-b'], ['job-b', 'job-c'], ['job-c', 'job-d'], ['job-b', 'job-d'], ['job-d', 'job-e']],
    );
    expect(graph.findCycles()).toEqual([['job-a', 'job-b', 'job-d']]);
    expect(graph.problems()).toEqual([
      {
        code: 'cycle',
        message: 'dependency cycle job-a → job-b → job-d → job-a; also caught in this loop: job-c; remove one of these dependencies',
        jobs: ['job-a', 'job-b', 'job-d', 'job-c'],
      },
    ]);
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

  test('the reported cycle does not depend on declaration order', () => {
    const edges: [string, string][] = [['a', 'b'], ['b', 'c'], ['c', 'a'], ['b', 'a']];
    const forward = graphOf(['a', 'b', 'c'], edges).findCycles();
    const backward = graphOf(['c', 'b', 'a'], [...edges].reverse()).findCycles();
    expect(forward).toEqual([['a', 'b']]);
    expect(backward).toEqual(forward);
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
    expect(graph.findCycles()[0]).toHaveLength(10_000);
  });

  test('formatCycle closes the loop', () => {
    expect(formatCycle(['job-a', 'job-d'])).toBe('job-a → job-d → job-a');
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
