import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { CapacityType, NodePool } from '../../lib/k8s/node-pool';
import { OverProvisioning } from '../../lib/k8s/over-provisioning';
import { Pipeline } from '../../lib/k8s/pipeline';
import { Platform } from '../../lib/k8s/platform';
import { collectPlanInput, registerResolver, resolvePlatform } from '../../lib/k8s/resolver';
import { SparkApplication, SparkApplicationProps } from '../../lib/k8s/spark-application';
import { PLAN_FILE_ENV, parsePlanFile } from '../../lib/model/planner';
import { platformWithPools, PlatformWithPools, PYTHON_APP, pythonStep } from '../support/fixtures';

type Fixture = PlatformWithPools;

function sparkApp(f: Fixture, id: string, instances: number, extra: Partial<SparkApplicationProps> = {}): SparkApplication {
  return new SparkApplication(f.platform, id, {
    ...PYTHON_APP, mainApplicationFile: 's3a://bucket/b.py',
    driver: { cores: 1, memory: '2g', pool: f.general },
    executor: { cores: 4, memory: '12g', instances, pool: f.spot },
    ...extra,
  });
}

const step = (f: Fixture, minutes: string) => ({ ...pythonStep(f.general, 'x.py'), estimatedDuration: minutes });

/** The seed pipeline with durations, a standalone application and headroom. */
function seeded(): Fixture {
  const f = platformWithPools();
  const pipeline = new Pipeline(f.platform, 'nightly', { schedule: '0 23 * * *' });
  const a = pipeline.container('job-a', step(f, '10m'));
  const b = pipeline.spark('job-b', sparkApp(f, 'job-b-app', 4), { dependsOn: [a], estimatedDuration: '30m' });
  const c = pipeline.container('job-c', step(f, '20m'));
  const d = pipeline.container('job-d', { ...step(f, '15m'), dependsOn: [a, b, c] });
  pipeline.container('job-e', { ...step(f, '5m'), dependsOn: [d] });
  pipeline.container('job-f', { ...step(f, '10m'), dependsOn: [d] });
  sparkApp(f, 'adhoc', 2);
  new OverProvisioning(f.platform, 'headroom', { pool: f.spot, replicas: 2, cpu: '4', memory: '16Gi' });
  return f;
}

describe('collectPlanInput', () => {
  test('reads pools, pipelines, standalone applications and over-provisioning, sorted by path', () => {
    const { input, findings } = collectPlanInput(seeded().platform);
    expect(findings).toEqual([]);
    expect(input.pools.map((p) => [p.name, p.path])).toEqual([['general', 'data/general'], ['spark-spot', 'data/spark-spot']]);
    expect(input.pipelines.map((p) => p.name)).toEqual(['nightly']);
    // job-b-app runs in the pipeline, so only adhoc is standalone.
    expect(input.jobs.map((j) => j.name)).toEqual(['adhoc']);
    expect(input.overProvisioning).toEqual([expect.objectContaining({ pool: 'spark-spot', replicas: 2, path: 'data/headroom' })]);
    expect(input.strict).toBe(false);
  });
});

describe('resolvePlatform', () => {
  test('plans the seed platform', () => {
    const plan = resolvePlatform(seeded().platform);
    expect(plan.findings).toEqual([]);
    expect(plan.standaloneJobs).toEqual(['adhoc']);
    const [nightly] = plan.pipelines;
    expect(nightly.criticalPath).toEqual({ jobs: ['job-a', 'job-b', 'job-d', 'job-f'], seconds: 65 * 60 });
    expect(nightly.schedule?.makespanSeconds).toBe(65 * 60);
    // job-b's 4 executors and adhoc's 2 may overlap: 6 nodes (one 4-cpu executor per r6i.2xlarge), plus 2 placeholders.
    expect(plan.pools[1]).toMatchObject({ name: 'spark-spot', peakNodes: 8, placeholders: { pods: 2, nodes: 2 } });
    expect(plan.pools[1].peak.cpu.jobs).toEqual(['nightly/job-b', 'adhoc']);
  });

  test('does not depend on declaration order', () => {
    const strip = (f: Fixture) => JSON.stringify(resolvePlatform(f.platform));
    const f = platformWithPools();
    sparkApp(f, 'zeta', 1);
    sparkApp(f, 'alpha', 1);
    const g = platformWithPools();
    sparkApp(g, 'alpha', 1);
    sparkApp(g, 'zeta', 1);
    expect(strip(f)).toBe(strip(g));
  });
});

describe('registerResolver', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'batchplane-resolver-'));
  afterEach(() => {
    delete process.env[PLAN_FILE_ENV];
    jest.restoreAllMocks();
  });

  test('errors fail synthesis, naming the construct path', () => {
    const f = platformWithPools();
    sparkApp(f, 'huge', 30);
    registerResolver(f.platform);
    registerResolver(f.platform); // idempotent
    expect(() => f.app.synth()).toThrow(/\[data\/huge\] job-exceeds-pool: huge needs 30 r6i.2xlarge nodes of pool spark-spot to run 30 executor pods at once, but the pool has at most 20/);
  });

  test('warnings print once to stderr and do not fail', () => {
    const f = platformWithPools();
    sparkApp(f, 'one', 12);
    sparkApp(f, 'two', 12);
    registerResolver(f.platform);
    const writes: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
    f.platform.node.validate();
    f.platform.node.validate();
    const warnings = writes.filter((w) => w.startsWith('batchplane warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^batchplane warning \[data\/spark-spot\] jobs-will-queue: pool spark-spot: jobs that may run at the same time \(one, two\)/);
  });

  test('spot pools without an on-demand fallback warn, naming the pool', () => {
    const app = Testing.app();
    const platform = new Platform(app, 'data', { namespace: 'data', priorityTiers: false, createNamespace: false });
    const alone = new NodePool(platform, 'spot-a', { instanceTypes: ['m5.large'], capacityType: CapacityType.SPOT, maxNodes: 3 });
    new NodePool(platform, 'spot-b', { instanceTypes: ['m5.large'], capacityType: CapacityType.SPOT, maxNodes: 3, fallback: alone });
    const warnings = resolvePlatform(platform).findings.map((f) => `${f.severity} ${f.code} [${f.path}] ${f.message}`);
    expect(warnings).toEqual([
      expect.stringMatching(/^warning spot-without-fallback \[data\/spot-a\] spot pool spot-a has no fallback/),
      expect.stringMatching(/^warning spot-fallback-is-spot \[data\/spot-b\] .*spot-b.*spot-a/),
    ]);
  });

  test('writes the plan file when BATCHPLANE_PLAN_FILE is set', () => {
    const file = path.join(tmp, 'plan.json');
    process.env[PLAN_FILE_ENV] = file;
    const f = seeded();
    registerResolver(f.platform);
    f.app.synth();
    const written = parsePlanFile(fs.readFileSync(file, 'utf8'));
    expect(written?.plans.map((p) => p.platform)).toEqual(['data']);
    expect(written?.plans[0].plan.pipelines[0].name).toBe('nightly');
  });
});
