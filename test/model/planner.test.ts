import { createNodePoolSpec } from '../../lib/model/node-pool';
import { CapacityPlan, PlanInput, hasErrors, planCapacity } from '../../lib/model/planner';
import { GENERAL, GI, GPU, POOLS, SEED_MINUTES, SPARK_SPOT, containerJob, pod, seedPipeline, sparkJob } from './support/capacity-fixtures';

function plan(partial: Partial<PlanInput>): CapacityPlan {
  return planCapacity({ pools: POOLS, pipelines: [], jobs: [], overProvisioning: [], ...partial });
}

const messages = (result: CapacityPlan) => result.findings.map((f) => `${f.severity} ${f.code} [${f.path}] ${f.message}`);

describe('a healthy platform', () => {
  const result = plan({ pipelines: [seedPipeline(SEED_MINUTES)] });

  test('has no findings', () => {
    expect(result.findings).toEqual([]);
    expect(hasErrors(result)).toBe(false);
  });

  test('pool plans: peak concurrent demand, peak nodes, utilisation', () => {
    const [general, spot, gpu] = result.pools;
    expect(general).toMatchObject({ name: 'general', instanceTypes: ['m6i.2xlarge'], capacityType: 'ON_DEMAND', minNodes: 1, maxNodes: 10, peakNodes: 1 });
    // job-c (2 cpu, 4Gi) runs beside job-a or job-b's driver (1 cpu, 2Gi each).
    expect(general.peak.cpu.amount).toBe(3000);
    expect(general.peak.memory.amount).toBe(6 * GI);
    expect(spot).toMatchObject({
      name: 'spark-spot', fallback: 'general', peakNodes: 2,
      peak: { cpu: { amount: 8000, jobs: ['nightly/job-b'] }, memory: { amount: 24 * GI, jobs: ['nightly/job-b'] } },
      capacity: expect.objectContaining({ cpuMillis: 4 * 7710 }),
      utilisation: { cpu: 0.259, memory: 0.096 },
      placeholders: { pods: 0, nodes: 0 },
    });
    expect(gpu).toMatchObject({ peakNodes: 0, peak: { cpu: { amount: 0, jobs: [] } } });
  });

  test('pipeline plan: critical path and simulated schedule', () => {
    const [nightly] = result.pipelines;
    expect(nightly.criticalPath).toEqual({ jobs: ['job-a', 'job-b', 'job-d', 'job-f'], seconds: 65 * 60 });
    expect(nightly.schedule?.makespanSeconds).toBe(65 * 60);
    expect(nightly.jobPools).toMatchObject({ 'job-a': ['general'], 'job-b': ['general', 'spark-spot'] });
    expect(nightly.edges).toContainEqual(['job-a', 'job-b']);
  });
});

describe('pools', () => {
  test('a spot pool without fallback is a warning', () => {
    const spot = createNodePoolSpec({ name: 'spot', instanceTypes: ['m6i.xlarge'], capacityType: 'SPOT', maxNodes: 3 });
    expect(messages(plan({ pools: [{ ...spot, path: 'data/spot' }] }))).toEqual([
      'warning spot-without-fallback [data/spot] spot pool spot has no fallback: when spot capacity is reclaimed or unavailable its pods stay pending — fix: set fallback to an on-demand pool',
    ]);
  });

  test('fallbacks that loop are reported once; unknown fallbacks get a suggestion', () => {
    const pools = [{ ...GENERAL, fallback: 'gpu' }, { ...GPU, fallback: 'general' }, { ...SPARK_SPOT, fallback: 'genral' }];
    expect(messages(plan({ pools }))).toEqual([
      'error fallback-cycle [general] pool fallbacks loop: general → gpu → general — fix: make one of them fall back to none',
      'error unknown-fallback [spark-spot] pool spark-spot falls back to unknown pool genral; did you mean general?',
    ]);
  });

  test('a pool falling back to itself', () => {
    expect(messages(plan({ pools: [{ ...GENERAL, fallback: 'general' }] }))).toEqual([
      'error fallback-cycle [general] pool fallbacks loop: general → general — fix: make one of them fall back to none',
    ]);
  });

  test('duplicate pool names', () => {
    expect(plan({ pools: [GENERAL, { ...GENERAL, path: 'x/general' }] }).findings.map((f) => f.code)).toEqual(['duplicate-pool']);
  });
});

describe('graphs and fit', () => {
  test('graph problems are errors on the pipeline, and the pipeline gets no schedule', () => {
    const seed = seedPipeline(SEED_MINUTES);
    const cyclic = { ...seed, edges: [...seed.edges, ['job-f', 'job-a'] as [string, string], ['job-x', 'job-e'] as [string, string]] };
    const result = plan({ pipelines: [cyclic] });
    expect(messages(result)).toEqual([
      'error cycle [data/nightly] pipeline nightly: dependency cycle job-a → job-d → job-f → job-a; remove one of these dependencies',
      'error cycle [data/nightly] pipeline nightly: dependency cycle job-a → job-b → job-d → job-f → job-a; remove one of these dependencies',
      'error unknown-job [data/nightly] pipeline nightly: job-e depends on unknown job job-x; did you mean job-a?',
    ]);
    expect(result.pipelines[0].schedule).toBeUndefined();
  });

  test('cycle findings keep the graph order: shortest first, the count of unlisted cycles last', () => {
    const seed = seedPipeline();
    const names = seed.jobs.map((job) => job.name).filter((name) => name !== 'job-c');
    // Every job but job-c depends on every other: 5 jobs, 84 cycles.
    const everyWay = names.flatMap((from) => names.filter((to) => to !== from).map((to): [string, string] => [from, to]));
    const cycles = plan({ pipelines: [{ ...seed, edges: everyWay }] }).findings.filter((f) => f.code === 'cycle').map((f) => f.message);
    expect(cycles).toHaveLength(11);
    expect(cycles[0]).toBe('pipeline nightly: dependency cycle job-a → job-b → job-a; remove one of these dependencies');
    expect(cycles[4]).toBe('pipeline nightly: dependency cycle job-b → job-d → job-b; remove one of these dependencies');
    expect(cycles[10]).toBe('pipeline nightly: and 74 more dependency cycles among job-a, job-b, job-d, job-e, job-f; break the listed ones first, then check again');
    const reversed = plan({ pipelines: [{ ...seed, jobs: [...seed.jobs].reverse(), edges: [...everyWay].reverse() }] });
    expect(reversed.findings.filter((f) => f.code === 'cycle').map((f) => f.message)).toEqual(cycles);
  });

  test('a pod that fits no pool is an error on its job', () => {
    const job = { ...containerJob('job-z', 1, 1), pods: [{ role: 'main', count: 1, requests: pod(1, 1), placement: { tolerations: [], nodeSelector: { disk: 'nvme' } } }] };
    expect(plan({ jobs: [job] }).findings).toEqual([expect.objectContaining({
      severity: 'error', path: 'data/nightly/job-z', code: 'pod-fits-no-pool',
      message: expect.stringMatching(/^main of job-z \(1 cpu, 1Gi\) fits no pool: node selector disk=nvme matches no node of pool general;/),
    })]);
  });
});

describe('job fit', () => {
  test('a job whose pods need more nodes than the pool may have is an error', () => {
    // 4-cpu executors: one per 7.71-cpu node, so 8 executors need 8 nodes of at most 4.
    expect(messages(plan({ jobs: [sparkJob('job-big', 8)] }))).toEqual([
      'error job-exceeds-pool [data/job-big] job-big needs 8 r6i.2xlarge nodes of pool spark-spot to run 8 executor pods at once, but the pool has at most 4 — fix: raise maxNodes of spark-spot to 8 or shrink the job',
    ]);
  });

  test('dynamic allocation beyond the pool is a warning', () => {
    const job = sparkJob('job-dyn', 2);
    const scaled = { ...job, pods: [job.pods[0], { ...job.pods[1], maxCount: 6 }] };
    expect(messages(plan({ jobs: [scaled] }))).toEqual([
      'warning job-max-exceeds-pool [data/job-dyn] job-dyn may scale to 6 executor pods, which needs 6 r6i.2xlarge nodes of pool spark-spot, more than its maxNodes 4; the extra pods will stay pending',
    ]);
  });
});

describe('concurrency', () => {
  const queueMessage = 'pool spark-spot: jobs that may run at the same time (job-x, job-y) request 24 cpu, 72Gi and need 6 r6i.2xlarge nodes, '
    + "more than the pool's 4 (30.84 cpu, 251.1Gi); jobs will queue — fix: raise maxNodes of spark-spot to 6 or add dependencies between these jobs";

  test('independent jobs over the pool will queue: a warning', () => {
    const result = plan({ jobs: [sparkJob('job-x', 3), sparkJob('job-y', 3)] });
    expect(messages(result)).toEqual([`warning jobs-will-queue [spark-spot] ${queueMessage}`]);
    expect(result.pools[1].peakNodes).toBe(6);
  });

  test('an error on a strict platform', () => {
    const result = plan({ jobs: [sparkJob('job-x', 3), sparkJob('job-y', 3)], strict: true });
    expect(messages(result)).toEqual([`error jobs-will-queue [spark-spot] ${queueMessage}`]);
    expect(result.strict).toBe(true);
  });

  test('a dependency between them removes the warning', () => {
    const pipeline = { name: 'p', path: 'data/p', jobs: [sparkJob('job-x', 3), sparkJob('job-y', 3)], edges: [['job-x', 'job-y'] as [string, string]] };
    const result = plan({ pipelines: [pipeline] });
    expect(result.findings).toEqual([]);
    expect(result.pools[1].peak.cpu.amount).toBe(12000); // one job at a time
  });

  test('standalone jobs compete with pipeline jobs', () => {
    const result = plan({ pipelines: [seedPipeline()], jobs: [sparkJob('job-s', 3)] });
    expect(result.pools[1].peak.cpu).toEqual({ amount: 20000, jobs: ['nightly/job-b', 'job-s'] });
    expect(result.findings.map((f) => f.code)).toEqual(['jobs-will-queue']);
  });

  test('placeholders add nodes at the peak and are noted as preempted', () => {
    const headroom = { pool: 'spark-spot', replicas: 2, requests: pod(4, 16), path: 'data/headroom' };
    const result = plan({ pipelines: [seedPipeline()], overProvisioning: [headroom] });
    expect(result.pools[1]).toMatchObject({ peakNodes: 4, placeholders: { pods: 2, nodes: 2 } });
    const crowded = plan({ jobs: [sparkJob('job-x', 3), sparkJob('job-y', 3)], overProvisioning: [{ ...headroom, replicas: 5 }] });
    expect(crowded.findings.map((f) => f.code)).toEqual(['jobs-will-queue', 'placeholders-exceed-pool']);
    expect(crowded.findings[0].message).toContain('(over-provisioning placeholders are preempted first and do not count)');
  });
});

describe('time', () => {
  const twoBigJobs = (deadlineSeconds?: number) => ({
    name: 'pair', path: 'data/pair', deadlineSeconds,
    jobs: [containerJob('one', 5, 8, 30, 'data/pair/one'), containerJob('two', 5, 8, 30, 'data/pair/two')], edges: [],
  });
  const oneNode = [{ ...GENERAL, maxNodes: 1 }];

  test('a deadline shorter than the critical path is an error', () => {
    expect(messages(plan({ pipelines: [seedPipeline(SEED_MINUTES, 3600)] }))).toEqual([
      'error deadline-impossible [data/nightly] pipeline nightly: its critical path job-a → job-b → job-d → job-f takes 1h5m, longer than the deadline 1h, whatever the capacity — fix: shorten these jobs or extend the deadline',
    ]);
  });

  test('queueing past the deadline is a warning (an error when strict)', () => {
    const result = plan({ pools: oneNode, pipelines: [twoBigJobs(45 * 60)] });
    expect(result.pipelines[0].schedule?.makespanSeconds).toBe(3600);
    expect(messages(result)).toEqual([
      'warning deadline-missed [data/pair] pipeline pair: the simulated run takes 1h because jobs queue for capacity, longer than the deadline 45m — fix: raise maxNodes of the pools it uses or extend the deadline',
      expect.stringMatching(/^warning jobs-will-queue \[general\] pool general: jobs that may run at the same time \(pair\/one, pair\/two\)/),
    ]);
    expect(plan({ pools: oneNode, pipelines: [twoBigJobs(45 * 60)], strict: true }).findings.every((f) => f.severity === 'error')).toBe(true);
  });

  test('missing duration estimates are a warning when some jobs have one', () => {
    const seed = seedPipeline({ 'job-a': 10 });
    expect(messages(plan({ pipelines: [seed] }))).toEqual([
      'warning missing-duration [data/nightly] pipeline nightly: job-b, job-c, job-d, job-e, job-f have no duration estimate, so no schedule is simulated — fix: set estimatedDuration on every job',
    ]);
    expect(plan({ pipelines: [seedPipeline()] }).pipelines[0]).toMatchObject({ criticalPath: { jobs: ['job-a', 'job-b', 'job-d', 'job-e'] } });
  });
});

test('the plan is plain, deterministic JSON', () => {
  const input = { pipelines: [seedPipeline(SEED_MINUTES)], jobs: [sparkJob('job-x', 3), sparkJob('job-y', 3)] };
  const text = JSON.stringify(plan(input));
  expect(JSON.parse(text)).toEqual(plan(input));
  expect(JSON.stringify(plan(input))).toBe(text);
});
