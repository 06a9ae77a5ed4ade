import { Testing } from 'cdk8s';
import { NodePool, TaintEffect } from '../../lib/k8s/node-pool';
import { Platform } from '../../lib/k8s/platform';
import { SparkApplication } from '../../lib/k8s/spark-application';
import { SparkEventLogStorage, SparkHistoryServer } from '../../lib/k8s/spark-history-server';
import { SparkType } from '../../lib/model/spark-sizing';
import { describeConformance, validateManifests } from '../support/conformance';

type Json = Record<string, any>;

function platform(): Platform {
  return new Platform(Testing.app(), 'data', { namespace: 'data' });
}

function byKind(chart: Platform): Record<string, Json> {
  return Object.fromEntries((Testing.synth(chart) as Json[]).map((m) => [m.kind, m]));
}

describe('on S3', () => {
  const chart = platform();
  const server = new SparkHistoryServer(chart, 'history', {
    storage: SparkEventLogStorage.s3('s3a://logs/spark-events/'),
    awsRoleArn: 'arn:aws:iam::123456789012:role/history',
    options: { 'spark.history.fs.cleaner.enabled': 'true' },
  });
  const objects = byKind(chart);
  const pod = objects.Deployment.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(container.env.map((e: Json) => [e.name, e.value]));

  test('runs the history server in the foreground with the log directory', () => {
    expect(server.eventLog.dir).toBe('s3a://logs/spark-events/');
    expect(container.image).toBe('apache/spark:3.5.3');
    expect(container.command).toEqual(['/opt/spark/sbin/start-history-server.sh']);
    expect(env.SPARK_NO_DAEMONIZE).toBe('true');
    expect(env.SPARK_HISTORY_OPTS).toBe(
      '-Dspark.history.fs.cleaner.enabled=true -Dspark.history.fs.logDirectory=s3a://logs/spark-events/ -Dspark.history.ui.port=18080',
    );
    expect(env.SPARK_DAEMON_MEMORY).toBe('1536m');
  });

  test('accepts Spark property names longer than annotation keys', () => {
    const long = 'spark.history.custom.executor.log.url.applyIncompleteApplication';
    const other = platform();
    new SparkHistoryServer(other, 'history', { storage: SparkEventLogStorage.s3('s3a://logs/'), options: { [long]: 'false' } });
    const opts = byKind(other).Deployment.spec.template.spec.containers[0].env.find((e: Json) => e.name === 'SPARK_HISTORY_OPTS').value;
    expect(opts).toContain(`-D${long}=false`);
  });

  test('secure, sized, read-only root with /tmp scratch', () => {
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 185, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container.resources).toEqual({
      requests: { 'cpu': '500m', 'memory': '2Gi', 'ephemeral-storage': '2Gi' },
      limits: { cpu: '1', memory: '2Gi' },
    });
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '2Gi' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('history');
    expect(pod.priorityClassName).toBe('batch-default');
  });

  test('service account with IRSA and no token', () => {
    expect(objects.ServiceAccount).toMatchObject({
      automountServiceAccountToken: false,
      metadata: { name: 'history', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/history' } },
    });
  });

  test('service on 18080 and a disruption budget that never blocks drains', () => {
    expect(objects.Service.spec.ports).toEqual([{ name: 'http', port: 18080, targetPort: 'http' }]);
    expect(server.url).toBe('http://history:18080');
    expect(objects.PodDisruptionBudget.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: objects.Deployment.spec.selector.matchLabels },
    });
  });

  test('applications write where it reads', () => {
    const app = new SparkApplication(chart, 'job', {
      type: SparkType.SCALA,
      sparkVersion: '3.5.3',
      image: 'apache/spark:3.5.3',
      mainApplicationFile: 'local:///app.jar',
      eventLog: server,
    });
    expect(app.toManifest().spec.sparkConf).toEqual({ 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': 's3a://logs/spark-events/' });
  });
});

test('on a PVC: mounted read-only', () => {
  const chart = platform();
  const pool = new NodePool(chart, 'general', { instanceTypes: ['m6i.large'], maxNodes: 3, taints: [{ key: 'd', value: 'x', effect: TaintEffect.NO_SCHEDULE }] });
  new SparkHistoryServer(chart, 'history', { storage: SparkEventLogStorage.persistentVolumeClaim('spark-events'), pool, replicas: 2 });
  const deployment = byKind(chart).Deployment;
  const pod = deployment.spec.template.spec;
  expect(deployment.spec.replicas).toBe(2);
  expect(pod.volumes).toContainEqual({ name: 'spark-events', persistentVolumeClaim: { claimName: 'spark-events', readOnly: true } });
  expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'spark-events', mountPath: '/mnt/spark-events', readOnly: true });
  expect(pod.containers[0].env.find((e: Json) => e.name === 'SPARK_HISTORY_OPTS').value).toContain('-Dspark.history.fs.logDirectory=file:///mnt/spark-events');
  expect(pod.tolerations).toEqual([...pool.tolerations]);
});

test.each([
  [() => SparkEventLogStorage.s3('s3://bucket/x'), 'eventLog: got "s3://bucket/x", expected an S3A URI'],
  [() => SparkEventLogStorage.persistentVolumeClaim('Bad'), 'eventLog.claimName: got "Bad"'],
  [() => new SparkHistoryServer(platform(), 'h', { storage: SparkEventLogStorage.s3('s3a://bucket/'), replicas: 0 }), '[data/h] replicas: got 0'],
  [() => new SparkHistoryServer(platform(), 'h', { storage: SparkEventLogStorage.s3('s3a://bucket/'), memory: '256Mi' }), '[data/h] memory: got "256Mi"'],
  [() => new SparkHistoryServer(platform(), 'h', { storage: SparkEventLogStorage.s3('s3a://bucket/'), cpu: '2', cpuLimit: '1' }), '[data/h] cpuLimit: got "1", expected a CPU quantity >= cpu (2)'],
  [
    () => new SparkHistoryServer(platform(), 'h', { storage: SparkEventLogStorage.s3('s3a://bucket/'), options: { 'spark.history.fs.logDirectory': 's3a://x/' } }),
    '[data/h] options["spark.history.fs.logDirectory"]: got "s3a://x/", expected no value',
  ],
  [() => new SparkHistoryServer(platform(), 'h', { storage: SparkEventLogStorage.s3('s3a://bucket/'), options: { 'spark.x': 'a b' } }), 'without whitespace'],
  [() => new SparkHistoryServer(platform(), 'h', { storage: 's3a://bucket/' as unknown as SparkEventLogStorage }), '[data/h] storage: got "s3a://bucket/"'],
])('rejects bad input %#', (fn, message) => {
  expect(fn).toThrow(message);
});

describeConformance('SparkHistoryServer manifests', () => {
  test('conform strictly', () => {
    const chart = platform();
    new SparkHistoryServer(chart, 's3', { storage: SparkEventLogStorage.s3('s3a://logs/'), awsRoleArn: 'arn:aws:iam::123456789012:role/h' });
    new SparkHistoryServer(chart, 'pvc', { storage: SparkEventLogStorage.persistentVolumeClaim('events') });
    expect(validateManifests(Testing.synth(chart))).toEqual([]);
  });
});
