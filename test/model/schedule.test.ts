import fc from 'fast-check';
import { JobGraph } from '../../lib/model/job-graph';
import { PoolDemand, simulateSchedule } from '../../lib/model/schedule';
import { SEED_MINUTES, pod, seedPipeline } from './support/capacity-fixtures';

const graph = JobGraph.fromPipeline(seedPipeline(SEED_MINUTES));
const durations = graph.jobs.map((job) => job.estimatedDurationSeconds!);
const NODE = pod(4, 16, { pods: 110 });

/** Every job needs `cpu` cores on pool `p`. */
function uniformDemand(cpu: number): PoolDemand[][] {
  return graph.jobs.map(() => [{ pool: 'p', batches: [{ label: 'main', requests: pod(cpu, 1), count: 1 }] }]);
}

function run(maxNodes: number, cpu = 3) {
  return simulateSchedule({ graph, durations, demands: uniformDemand(cpu), pools: new Map([['p', { node: NODE, maxNodes }]]) });
}

const minutes = (schedule: ReturnType<typeof run>) =>
  Object.fromEntries(schedule.jobs.map((job) => [job.name, [job.start / 60, job.end / 60, job.queued / 60, job.lane]]));

describe('simulateSchedule', () => {
  test('the seed pipeline with ample capacity finishes with its critical path, 65 minutes', () => {
    // A 0-10, C 0-20, B 10-40, D 40-55 (after A, B, C), E 55-60, F 55-65.
    const schedule = run(10);
    expect(schedule.makespanSeconds).toBe(65 * 60);
    expect(minutes(schedule)).toEqual({
      'job-a': [0, 10, 0, 0], 'job-c': [0, 20, 0, 1], 'job-b': [10, 40, 0, 0],
      'job-d': [40, 55, 0, 0], 'job-e': [55, 60, 0, 0], 'job-f': [55, 65, 0, 1],
    });
    expect(schedule.jobs.map((job) => job.name)).toEqual(['job-a', 'job-c', 'job-b', 'job-d', 'job-e', 'job-f']);
    expect(schedule.peakNodes).toEqual({ p: 2 });
    expect(schedule.nodeHours).toEqual({ p: 1.5 }); // one node per running job: 90 job-minutes
  });

  test('one node at a time forces the jobs to queue, in topological order', () => {
    // A 0-10, C 10-30 (queued 10), B 30-60 (queued 20), D 60-75, E 75-80, F 80-90 (queued 5).
    const schedule = run(1);
    expect(schedule.makespanSeconds).toBe(90 * 60);
    expect(minutes(schedule)).toEqual({
      'job-a': [0, 10, 0, 0], 'job-c': [10, 30, 10, 0], 'job-b': [30, 60, 20, 0],
      'job-d': [60, 75, 0, 0], 'job-e': [75, 80, 0, 0], 'job-f': [80, 90, 5, 0],
    });
    expect(schedule.nodeHours).toEqual({ p: 1.5 });
    expect(schedule.peakNodes).toEqual({ p: 1 });
  });

  test('small jobs share a node when they fit', () => {
    // 1.5 cpu each: two per 4-cpu node, so A and C run together on the one node.
    const schedule = run(1, 1.5);
    expect(schedule.makespanSeconds).toBe(65 * 60);
    expect(schedule.nodeHours.p).toBeCloseTo(65 / 60);
  });

  test('a job that could never fit runs without capacity instead of stalling', () => {
    const demands = uniformDemand(3);
    demands[1] = [{ pool: 'p', batches: [{ label: 'main', requests: pod(5, 1), count: 1 }] }];
    const schedule = simulateSchedule({ graph, durations, demands, pools: new Map([['p', { node: NODE, maxNodes: 1 }]]) });
    expect(schedule.jobs.find((job) => job.name === 'job-b')).toMatchObject({ start: 10 * 60, queued: 0 });
  });

  test('jobs without pods take no capacity', () => {
    const schedule = simulateSchedule({ graph, durations, demands: graph.jobs.map(() => []), pools: new Map() });
    expect(schedule.makespanSeconds).toBe(65 * 60);
    expect(schedule.nodeHours).toEqual({});
  });
});

describe('lanes', () => {
  test('every job takes the lowest lane free by its start, as a scan over the lanes would give', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 30 }), (jobs) => {
        // Job i depends on job i - 1 - back (when there is one) and runs `minutes`; zero-length jobs included.
        const chain = new JobGraph();
        jobs.forEach((_, i) => chain.addJob(`job-${String(i).padStart(2, '0')}`));
        jobs.forEach(([, back], i) => (i - 1 - back >= 0 ? chain.addEdge(`job-${String(i - 1 - back).padStart(2, '0')}`, `job-${String(i).padStart(2, '0')}`) : chain));
        const schedule = simulateSchedule({
          graph: chain, durations: jobs.map(([minutes]) => minutes * 60), demands: jobs.map(() => []), pools: new Map(),
        });
        const laneEnds: number[] = [];
        for (const job of schedule.jobs) {
          let lane = laneEnds.findIndex((end) => end <= job.start);
          if (lane === -1) lane = laneEnds.length;
          laneEnds[lane] = job.end;
          expect(job.lane).toBe(lane);
        }
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });
});
