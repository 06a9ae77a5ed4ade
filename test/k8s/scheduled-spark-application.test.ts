import { Testing } from 'cdk8s';
import { Platform } from '../../lib/k8s/platform';
import { ScheduledSparkApplication, ScheduledSparkApplicationProps, SparkConcurrencyPolicy } from '../../lib/k8s/scheduled-spark-application';
import { SparkApplication } from '../../lib/k8s/spark-application';
import { SparkType } from '../../lib/model/spark-sizing';
import { describeConformance, validateManifests } from '../support/conformance';

type Json = Record<string, any>;

const PROPS: ScheduledSparkApplicationProps = {
  type: SparkType.PYTHON,
  sparkVersion: '3.5.3',
  image: 'apache/spark-py:3.5.3',
  mainApplicationFile: 's3a://bucket/nightly.py',
  executor: { instances: 2, memory: '4g' },
  schedule: '0 23 * * *',
};

function platform(): Platform {
  return new Platform(Testing.app(), 'data', { namespace: 'data' });
}

function scheduled(chart: Platform): Json {
  return (Testing.synth(chart) as Json[]).find((m) => m.kind === 'ScheduledSparkApplication')!;
}

test('schedule fields with explicit defaults', () => {
  const chart = platform();
  const app = new ScheduledSparkApplication(chart, 'nightly', { ...PROPS, timeZone: 'Europe/Paris' });
  const manifest = scheduled(chart);
  expect(manifest.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
  expect(manifest.metadata).toMatchObject({ name: 'nightly', namespace: 'data' });
  expect(manifest.spec).toMatchObject({
    schedule: '0 23 * * *',
    timeZone: 'Europe/Paris',
    concurrencyPolicy: 'Forbid',
    successfulRunHistoryLimit: 1,
    failedRunHistoryLimit: 3,
    suspend: false,
  });
  expect(app.serviceAccountName).toBe('nightly-driver');
  expect(app.demand().pods[1]).toMatchObject({ role: 'executor', count: 2 });
});

test('the template is the SparkApplication spec', () => {
  const chart = platform();
  new ScheduledSparkApplication(chart, 'nightly', { ...PROPS, concurrencyPolicy: SparkConcurrencyPolicy.REPLACE, suspend: true });
  const other = new SparkApplication(platform(), 'nightly', PROPS);
  const manifest = scheduled(chart);
  expect(manifest.spec.template).toEqual(other.toManifest().spec);
  expect(manifest.spec).toMatchObject({ concurrencyPolicy: 'Replace', suspend: true });
  expect(manifest.spec.template.executor.instances).toBe(2);
});

test.each<[string, Partial<ScheduledSparkApplicationProps>, string | RegExp]>([
  ['bad cron', { schedule: '61 * * * *' }, /^\[data\/bad\] schedule: got "61 \* \* \* \*"/],
  ['CRON_TZ prefix', { schedule: 'CRON_TZ=UTC 0 1 * * *' }, '[data/bad] schedule: got "CRON_TZ=UTC 0 1 * * *", expected a schedule without a CRON_TZ= or TZ= prefix (set timeZone instead)'],
  ['bad time zone', { timeZone: 'Mars/Olympus' }, /^\[data\/bad\] timeZone: got "Mars\/Olympus"/],
  ['bad policy', { concurrencyPolicy: 'Sometimes' as SparkConcurrencyPolicy }, '[data/bad] concurrencyPolicy: got "Sometimes", expected one of Allow, Forbid, Replace'],
  ['negative history', { failedRunHistoryLimit: -1 }, '[data/bad] failedRunHistoryLimit: got -1, expected an integer >= 0'],
  ['name longer than 43', { name: 'a'.repeat(44) }, /^\[data\/bad\] name: got "a{44}"/],
  ['template validation', { executor: { memory: '4Gi' } }, /^\[data\/bad\] executor.memory: got "4Gi"/],
])('rejects %s', (_, props, message) => {
  expect(() => new ScheduledSparkApplication(platform(), 'bad', { ...PROPS, ...props })).toThrow(message);
});

test('a 43-character name is accepted', () => {
  expect(() => new ScheduledSparkApplication(platform(), 'ok', { ...PROPS, name: 'a'.repeat(43) })).not.toThrow();
});

describeConformance('ScheduledSparkApplication manifests', () => {
  test('conform strictly', () => {
    const chart = platform();
    new ScheduledSparkApplication(chart, 'nightly', { ...PROPS, timeZone: 'UTC', dynamicAllocation: { minExecutors: 1, maxExecutors: 4 }, executor: { memory: '4g' } });
    expect(validateManifests(Testing.synth(chart))).toEqual([]);
  });
});
