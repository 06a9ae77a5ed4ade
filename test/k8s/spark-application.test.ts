import { Testing } from 'cdk8s';
import { NodePool, TaintEffect } from '../../lib/k8s/node-pool';
import { Platform } from '../../lib/k8s/platform';
import { PriorityTier } from '../../lib/k8s/priority-tiers';
import {
  SparkApplication,
  SparkApplicationProps,
  SparkRestartPolicyType,
  sparkVersionAtLeast,
} from '../../lib/k8s/spark-application';
import { SparkEventLogStorage } from '../../lib/k8s/spark-history-server';
import { SparkServiceAccount } from '../../lib/k8s/spark-rbac';
import { POOL_LABEL } from '../../lib/model/node-pool';
import { SparkType } from '../../lib/model/spark-sizing';
import { describeConformance, validateManifests } from '../support/conformance';
import { platformWithPools, PYTHON_APP, SCALA_APP } from '../support/fixtures';

type Json = Record<string, any>;

function ofKind(objects: Json[], kind: string): Json {
  const found = objects.find((m) => m.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} in the manifests`);
  return found;
}

function setup() {
  const { platform, general, spot } = platformWithPools({ platformProps: { namespace: 'data' }, spot: { maxNodes: 40 } });
  const gpu = new NodePool(platform, 'gpu', {
    instanceTypes: ['g5.2xlarge'],
    maxNodes: 4,
    taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
  });
  return { platform, general, spot, gpu };
}

const SCALA: SparkApplicationProps = {
  ...SCALA_APP,
  mainClass: 'org.apache.spark.examples.SparkPi',
  arguments: ['1000'],
};

const PYTHON: SparkApplicationProps = { ...PYTHON_APP, image: 'apache/spark-py:3.5.3' };

function manifests(platform: Platform): Json[] {
  return Testing.synth(platform) as Json[];
}

function sparkApps(platform: Platform): Json[] {
  return manifests(platform).filter((m) => m.kind === 'SparkApplication');
}

describe('a Scala application with defaults', () => {
  const { platform } = setup();
  const app = new SparkApplication(platform, 'pi', SCALA);
  const [manifest] = sparkApps(platform);
  const spec = manifest.spec;

  test('names and metadata', () => {
    expect(app.name).toBe('pi');
    expect(app.namespace).toBe('data');
    expect(app.serviceAccountName).toBe('pi-driver');
    expect(manifest.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
    expect(manifest.metadata).toMatchObject({ name: 'pi', namespace: 'data' });
    expect(manifest.metadata.labels['app.kubernetes.io/managed-by']).toBe('batchplane');
  });

  test('defaults are explicit', () => {
    expect(spec).toMatchObject({
      type: 'Scala',
      mode: 'cluster',
      sparkVersion: '3.5.3',
      mainClass: 'org.apache.spark.examples.SparkPi',
      arguments: ['1000'],
      restartPolicy: { type: 'Never' },
    });
    expect(spec.driver).toMatchObject({ cores: 1, memory: '1g', serviceAccount: 'pi-driver', priorityClassName: 'batch-default' });
    expect(spec.executor).toMatchObject({ cores: 1, memory: '1g', instances: 1, serviceAccount: 'pi-driver', priorityClassName: 'batch-default' });
  });

  test('driver is not safe to evict; executors are not annotated', () => {
    expect(spec.driver.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' });
    expect(spec.executor.annotations).toBeUndefined();
  });

  test('scratch space: size-limited emptyDirs mounted on both roles', () => {
    expect(spec.volumes).toEqual([
      { name: 'spark-local-dir-1', emptyDir: { sizeLimit: '20Gi' } },
      { name: 'spark-tmp', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'spark-work-dir', emptyDir: { sizeLimit: '2Gi' } },
    ]);
    for (const role of ['driver', 'executor']) {
      expect(spec[role].volumeMounts).toEqual([
        { name: 'spark-local-dir-1', mountPath: '/var/data/spark-local-dir-1' },
        { name: 'spark-tmp', mountPath: '/tmp' },
        { name: 'spark-work-dir', mountPath: '/opt/spark/work-dir' },
      ]);
    }
  });

  test('scratch space of default size is shared between applications, frozen; given sizes get their own volumes', () => {
    const { platform } = platformWithPools({ platformProps: { namespace: 'data' } });
    const sized = (id: string, extra: Partial<SparkApplicationProps> = {}) => new SparkApplication(platform, id, { ...SCALA_APP, ...extra }).toManifest().spec as Json;
    const [first, second, nulled] = [sized('first'), sized('second'), sized('nulled', { scratch: null as unknown as undefined })];
    const custom = sized('custom', { scratch: { tmpSizeLimit: '3Gi' } });
    for (const i of [0, 1, 2]) {
      expect(second.volumes[i]).toBe(first.volumes[i]);
      expect(nulled.volumes[i]).toBe(first.volumes[i]);
      expect(Object.isFrozen(first.volumes[i].emptyDir)).toBe(true);
      expect(custom.driver.volumeMounts[i]).toBe(first.executor.volumeMounts[i]);
      expect(Object.isFrozen(first.driver.volumeMounts[i])).toBe(true);
    }
    expect(custom.volumes[1]).toEqual({ name: 'spark-tmp', emptyDir: { sizeLimit: '3Gi' } });
    expect(Object.isFrozen(custom.volumes[1])).toBe(false);
    // The list itself is the application's own: the user's volumes are appended to it.
    expect(second.volumes).not.toBe(first.volumes);
  });

  test('restricted security contexts as the spark user', () => {
    expect(spec.driver.podSecurityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 185,
      runAsGroup: 185,
      fsGroup: 185,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.executor.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 185,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    });
  });

  test('one service account with a least-privilege role', () => {
    const all = manifests(platform);
    const sa = ofKind(all, 'ServiceAccount');
    const role = ofKind(all, 'Role');
    const binding = ofKind(all, 'RoleBinding');
    expect(sa.metadata).toMatchObject({ name: 'pi-driver', namespace: 'data' });
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
      },
    ]);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'pi-driver', namespace: 'data' }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pi-driver' });
  });

  test('toManifest is the synthesized object', () => {
    expect(app.toManifest()).toEqual(manifest);
  });

  test('demand: a driver and one executor of 1 core and 1408Mi', () => {
    const demand = app.demand();
    expect(demand.name).toBe('pi');
    expect(demand.path).toBe('data/pi');
    expect(demand.pods.map((p) => [p.role, p.count, p.maxCount, p.requests.cpuMillis, p.requests.memoryBytes / 2 ** 20, p.requests.pods])).toEqual([
      ['driver', 1, undefined, 1000, 1408, 1],
      ['executor', 1, undefined, 1000, 1408, 1],
    ]);
  });
});

describe('placement on pools', () => {
  test('driver and executors carry their pool tolerations and affinity explicitly', () => {
    const { platform, general, spot } = setup();
    const app = new SparkApplication(platform, 'job', {
      ...SCALA,
      driver: { pool: general, priorityTier: PriorityTier.CRITICAL },
      executor: { pool: spot, instances: 4, cores: 4, memory: '12g', priorityTier: PriorityTier.PREEMPTIBLE },
    });
    const spec = sparkApps(platform)[0].spec;
    expect(spec.executor.tolerations).toEqual([...spot.tolerations]);
    expect(spec.executor.tolerations).toContainEqual({ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' });
    expect(spec.executor.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot', 'general'] }] },
    ]);
    expect(spec.executor.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(2);
    expect(spec.driver.tolerations).toBeUndefined();
    expect(spec.driver.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['general']);
    expect(spec.driver.priorityClassName).toBe('batch-critical');
    expect(spec.executor.priorityClassName).toBe('batch-preemptible');

    const [driver, executor] = app.demand().pods;
    expect(driver.pool).toBe('general');
    expect(executor).toMatchObject({ role: 'executor', count: 4, pool: 'spark-spot', placement: spot.placement() });
    expect(executor.requests).toMatchObject({ cpuMillis: 4000, memoryBytes: (12288 + 1228) * 2 ** 20 });
  });
});

describe('a Python application', () => {
  const { platform, gpu } = setup();
  const app = new SparkApplication(platform, 'etl', {
    ...PYTHON,
    driver: { memory: '4g', coreRequest: '500m', coreLimit: '1' },
    executor: { memory: '4g', instances: 3, gpu: { quantity: 1 }, env: [{ name: 'MODE', value: 'full' }], pool: gpu },
    deps: { pyFiles: ['s3a://bucket/lib.zip'], packages: ['org.apache.hadoop:hadoop-aws:3.3.4'] },
    hadoopConf: { 'fs.s3a.fast.upload': 'true' },
    sparkConf: { 'spark.executor.pyspark.memory': '1g' },
    labels: { team: 'analytics' },
    estimatedDuration: '45m',
  });
  const spec = sparkApps(platform)[0].spec;

  test('renders the typed fields', () => {
    expect(spec.type).toBe('Python');
    expect(spec.driver).toMatchObject({ cores: 1, coreRequest: '500m', coreLimit: '1', memory: '4g' });
    expect(spec.executor).toMatchObject({ instances: 3, gpu: { name: 'nvidia.com/gpu', quantity: 1 }, env: [{ name: 'MODE', value: 'full' }] });
    expect(spec.deps).toEqual({ pyFiles: ['s3a://bucket/lib.zip'], packages: ['org.apache.hadoop:hadoop-aws:3.3.4'] });
    expect(spec.hadoopConf).toEqual({ 'fs.s3a.fast.upload': 'true' });
  });

  test('Ivy writes under /tmp when packages are resolved', () => {
    expect(spec.sparkConf).toEqual({ 'spark.executor.pyspark.memory': '1g', 'spark.jars.ivy': '/tmp/.ivy2' });
  });

  test('demand uses the 0.4 factor and PySpark memory', () => {
    const [driver, executor] = app.demand().pods;
    expect(driver.requests).toMatchObject({ cpuMillis: 500, memoryBytes: 5734 * 2 ** 20 });
    expect(executor.requests).toMatchObject({ cpuMillis: 1000, memoryBytes: (5734 + 1024) * 2 ** 20, gpus: 1 });
    expect(app.demand().estimatedDurationSeconds).toBe(2700);
  });

  test('object labels', () => {
    expect(sparkApps(platform)[0].metadata.labels.team).toBe('analytics');
  });
});

describe('dynamic allocation', () => {
  const { platform, spot } = setup();
  const app = new SparkApplication(platform, 'da', {
    ...SCALA,
    executor: { pool: spot, cores: 2, memory: '8g', terminationGracePeriodSeconds: 120 },
    dynamicAllocation: {
      minExecutors: 2,
      maxExecutors: 20,
      initialExecutors: 4,
      shuffleTrackingTimeout: '30min',
      decommission: { fallbackStoragePath: 's3a://bucket/fallback/' },
    },
  });
  const spec = sparkApps(platform)[0].spec;

  test('spec.dynamicAllocation with shuffle tracking', () => {
    expect(spec.dynamicAllocation).toEqual({
      enabled: true,
      initialExecutors: 4,
      minExecutors: 2,
      maxExecutors: 20,
      shuffleTrackingEnabled: true,
      shuffleTrackingTimeout: 1_800_000,
    });
    expect(spec.executor.instances).toBeUndefined();
    expect(spec.executor.terminationGracePeriodSeconds).toBe(120);
  });

  test('sparkConf for idle timeouts and decommissioning', () => {
    expect(spec.sparkConf).toEqual({
      'spark.decommission.enabled': 'true',
      'spark.dynamicAllocation.cachedExecutorIdleTimeout': '600s',
      'spark.dynamicAllocation.executorIdleTimeout': '120s',
      'spark.storage.decommission.enabled': 'true',
      'spark.storage.decommission.fallbackStorage.path': 's3a://bucket/fallback/',
      'spark.storage.decommission.rddBlocks.enabled': 'true',
      'spark.storage.decommission.shuffleBlocks.enabled': 'true',
    });
  });

  test('demand: minExecutors at once, maxExecutors at most', () => {
    expect(app.demand().pods[1]).toMatchObject({ role: 'executor', count: 2, maxCount: 20 });
  });
});

describe('service accounts, event log, monitoring, restart policy', () => {
  test('a shared service account with IRSA', () => {
    const { platform } = setup();
    const shared = new SparkServiceAccount(platform, 'spark', { name: 'spark', awsRoleArn: 'arn:aws:iam::123456789012:role/spark' });
    const a = new SparkApplication(platform, 'a', { ...SCALA, serviceAccount: shared });
    const b = new SparkApplication(platform, 'b', { ...SCALA, serviceAccount: shared });
    expect([a.serviceAccountName, b.serviceAccountName]).toEqual(['spark', 'spark']);
    const all = manifests(platform);
    expect(all.filter((m) => m.kind === 'ServiceAccount')).toHaveLength(1);
    expect(ofKind(all, 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark' });
  });

  test('an own service account with IRSA', () => {
    const { platform } = setup();
    new SparkApplication(platform, 'a', { ...SCALA, awsRoleArn: 'arn:aws:iam::123456789012:role/a' });
    expect(ofKind(manifests(platform), 'ServiceAccount').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/a');
  });

  test('withEventLog on S3 sets the event log conf', () => {
    const { platform } = setup();
    const app = new SparkApplication(platform, 'a', SCALA).withEventLog(SparkEventLogStorage.s3('s3a://logs/spark'));
    expect(app.toManifest().spec.sparkConf).toEqual({ 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': 's3a://logs/spark/' });
  });

  test('the demand and the manifest reuse one rendering until withEventLog changes it', () => {
    const { platform } = setup();
    const app = new SparkApplication(platform, 'a', SCALA);
    const { spec } = app.toManifest();
    expect(app.toManifest().spec).toBe(spec);
    expect(app.demand().pods[1].requests).toBe(app.demand().pods[1].requests);
    app.withEventLog(SparkEventLogStorage.s3('s3a://logs/spark'));
    expect(app.toManifest().spec).not.toBe(spec);
    expect(app.toManifest().spec.sparkConf).toEqual({ 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': 's3a://logs/spark/' });
  });

  test('a PVC event log is mounted on the driver only', () => {
    const { platform } = setup();
    const app = new SparkApplication(platform, 'a', { ...SCALA, eventLog: SparkEventLogStorage.persistentVolumeClaim('spark-events') });
    const spec = app.toManifest().spec as Json;
    expect(spec.volumes).toContainEqual({ name: 'spark-events', persistentVolumeClaim: { claimName: 'spark-events' } });
    expect(spec.driver.volumeMounts).toContainEqual({ name: 'spark-events', mountPath: '/mnt/spark-events' });
    expect(spec.executor.volumeMounts.map((m: Json) => m.name)).not.toContain('spark-events');
    expect(spec.sparkConf['spark.eventLog.dir']).toBe('file:///mnt/spark-events');
  });

  test('monitoring and retries', () => {
    const { platform } = setup();
    const app = new SparkApplication(platform, 'a', {
      ...SCALA,
      monitoring: { prometheus: { jmxExporterJar: '/prometheus/jmx_prometheus_javaagent.jar' } },
      restartPolicy: { type: SparkRestartPolicyType.ON_FAILURE, onFailureRetries: 2 },
      timeToLiveSeconds: 86400,
    });
    expect(app.toManifest().spec).toMatchObject({
      monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/prometheus/jmx_prometheus_javaagent.jar', port: 8090, portName: 'jmx-exporter' } },
      restartPolicy: { type: 'OnFailure', onFailureRetries: 2, onFailureRetryInterval: 5, onSubmissionFailureRetryInterval: 5 },
      timeToLiveSeconds: 86400,
    });
  });
});

describe('adopt', () => {
  test('removes the standalone object but keeps RBAC', () => {
    const { platform } = setup();
    const app = new SparkApplication(platform, 'a', SCALA);
    app.adopt('data/nightly');
    expect(app.owner).toBe('data/nightly');
    const kinds = manifests(platform).map((m) => m.kind);
    expect(kinds).not.toContain('SparkApplication');
    expect(kinds).toEqual(expect.arrayContaining(['ServiceAccount', 'Role', 'RoleBinding']));
    expect(app.toManifest().kind).toBe('SparkApplication');
  });

  test('refuses a second owner and restartPolicy Always', () => {
    const { platform } = setup();
    const app = new SparkApplication(platform, 'a', SCALA);
    app.adopt('data/one');
    expect(() => app.adopt('data/two')).toThrow('[data/a] adopt: got "data/two", expected a single pipeline: already run by data/one');
    const always = new SparkApplication(platform, 'b', { ...SCALA, restartPolicy: { type: SparkRestartPolicyType.ALWAYS } });
    expect(() => always.adopt('data/one')).toThrow(/\[data\/b\] restartPolicy.type: got "Always", expected Never or OnFailure/);
  });
});

describe('validation', () => {
  const cases: [string, Partial<SparkApplicationProps>, string | RegExp][] = [
    ['fractional memory', { executor: { memory: '1.5g' } }, /\[data\/bad\] executor.memory: got "1.5g", expected .*fractional/],
    ['Kubernetes memory', { driver: { memory: '512Mi' } }, /\[data\/bad\] driver.memory: got "512Mi"/],
    ['fractional cores', { executor: { cores: 0.5 } }, '[data/bad] executor.cores: got 0.5, expected an integer >= 1 (for a fraction of a CPU keep cores: 1 and set coreRequest'],
    ['zero cores', { driver: { cores: 0 } }, '[data/bad] driver.cores: got 0'],
    ['request above limit', { driver: { coreRequest: '2', coreLimit: '1' } }, '[data/bad] driver.coreRequest: got "2", expected a CPU request <= coreLimit (1)'],
    ['zero instances', { executor: { instances: 0 } }, '[data/bad] executor.instances: got 0, expected an integer >= 1'],
    ['min > max', { dynamicAllocation: { minExecutors: 4, maxExecutors: 2 } }, '[data/bad] dynamicAllocation.maxExecutors: got 2, expected an integer >= minExecutors (4)'],
    ['instances with DA', { executor: { instances: 2 }, dynamicAllocation: { minExecutors: 0, maxExecutors: 2 } }, /\[data\/bad\] executor.instances: got 2, expected no value with dynamicAllocation/],
    ['fallback without slash', { dynamicAllocation: { minExecutors: 0, maxExecutors: 2, decommission: { fallbackStoragePath: 's3a://b/f' } } }, '[data/bad] dynamicAllocation.decommission.fallbackStoragePath: got "s3a://b/f", expected a path ending with "/"'],
    ['spark.master', { sparkConf: { 'spark.master': 'local' } }, '[data/bad] sparkConf["spark.master"]: got "local", expected no value: the Spark operator sets this key itself'],
    ['image conf', { sparkConf: { 'spark.kubernetes.container.image': 'x' } }, /sparkConf\["spark.kubernetes.container.image"\]/],
    ['oauth token', { sparkConf: { 'spark.kubernetes.authenticate.driver.oauthToken': 'x' } }, /sparkConf\["spark.kubernetes.authenticate.driver.oauthToken"\]/],
    ['service account conf', { sparkConf: { 'spark.kubernetes.authenticate.driver.serviceAccountName': 'x' } }, /serviceAccountName"\]: got "x", expected no value/],
    ['other namespace', { sparkConf: { 'spark.kubernetes.namespace': 'other' } }, '[data/bad] sparkConf["spark.kubernetes.namespace"]: got "other", expected the application\'s namespace "data"'],
    ['managed key', { sparkConf: { 'spark.executor.instances': '4' } }, 'set it through the typed prop `executor.instances`'],
    ['name with capitals', { name: 'Bad' }, '[data/bad] name: got "Bad"'],
    ['name starting with a digit', { name: '1job' }, '[data/bad] name: got "1job"'],
    ['name too long', { name: 'a'.repeat(64) }, /\[data\/bad\] name: got "a{64}"/],
    ['unknown type', { type: 'Go' as SparkType }, '[data/bad] type: got "Go", expected one of Scala, Java, Python, R'],
    ['bad version', { sparkVersion: 'latest' }, '[data/bad] sparkVersion: got "latest"'],
    ['old Spark with coreRequest', { sparkVersion: '2.4.8', driver: { coreRequest: '500m' } }, '[data/bad] sparkVersion: got "2.4.8", expected >= 3.0.0 when driver.coreRequest is set'],
    ['unmounted volume', { driver: { volumeMounts: [{ name: 'data', mountPath: '/data' }] } }, /\[data\/bad\] driver.volumeMounts: got "data", expected the name of a volume/],
    ['old Spark with a pod template', { sparkVersion: '2.4.8', executor: { template: { metadata: { labels: { a: 'b' } } } } },
      '[data/bad] sparkVersion: got "2.4.8", expected >= 3.0.0 when executor.template is set (the operator\'s validating webhook refuses a pod template for older Spark)'],
    ['a template volume named like an application volume', { driver: { template: { spec: { containers: [], volumes: [{ name: 'spark-tmp', emptyDir: {} }] } } } },
      /\[data\/bad\] driver.template.spec.volumes: got "spark-tmp", expected a name other than those of volumes \(spark-local-dir-1, spark-tmp, spark-work-dir\)/],
    ['scratch size', { scratch: { localDirSizeLimit: 'big' } }, '[data/bad] scratch.localDirSizeLimit: got "big"'],
    ['missing image', { image: '' }, '[data/bad] image: got "", expected a non-empty string'],
    ['prometheus port', { monitoring: { prometheus: { jmxExporterJar: '/j.jar', port: 80 } } }, '[data/bad] monitoring.prometheus.port: got 80'],
    ['label value', { labels: { team: 'a b' } }, /\[data\/bad\] labels\["team"\]: got "a b"/],
    ['gpu quantity', { executor: { gpu: { quantity: 0 } } }, '[data/bad] executor.gpu.quantity: got 0, expected an integer >= 1'],
  ];
  test.each(cases)('%s', (_, props, message) => {
    const { platform } = setup();
    expect(() => new SparkApplication(platform, 'bad', { ...SCALA, ...props })).toThrow(message);
  });

  test('awsRoleArn with a shared service account', () => {
    const { platform } = setup();
    const shared = new SparkServiceAccount(platform, 'spark', { name: 'spark' });
    expect(() => new SparkApplication(platform, 'bad', { ...SCALA, serviceAccount: shared, awsRoleArn: 'arn:aws:iam::123456789012:role/x' })).toThrow(
      /\[data\/bad\] awsRoleArn: got .*expected no value with serviceAccount/,
    );
  });

  test('an event log conflicting with sparkConf', () => {
    const { platform } = setup();
    const app = new SparkApplication(platform, 'bad', { ...SCALA, sparkConf: { 'spark.eventLog.dir': 's3a://other/' } });
    expect(() => app.withEventLog(SparkEventLogStorage.s3('s3a://logs/'))).toThrow(
      '[data/bad] eventLog["spark.eventLog.dir"]: got "s3a://logs/", expected the same value as sparkConf sets ("s3a://other/"), or no value',
    );
    expect(app.toManifest().spec.sparkConf).toEqual({ 'spark.eventLog.dir': 's3a://other/' });
  });
});

test('sparkVersionAtLeast', () => {
  expect(sparkVersionAtLeast('3.5.3', '3.0.0')).toBe(true);
  expect(sparkVersionAtLeast('3.0.0', '3.0.0')).toBe(true);
  expect(sparkVersionAtLeast('2.4.8', '3.0.0')).toBe(false);
  expect(sparkVersionAtLeast('3.10.0', '3.3.0')).toBe(true);
});

describeConformance('SparkApplication manifests', () => {
  test('every manifest conforms strictly', () => {
    const { platform, general, spot, gpu } = setup();
    new SparkApplication(platform, 'scala', { ...SCALA, driver: { pool: general }, executor: { pool: spot, instances: 2 } });
    new SparkApplication(platform, 'python', {
      ...PYTHON,
      executor: { pool: gpu, gpu: { quantity: 1 }, env: [{ name: 'A', value: 'b' }], coreRequest: '1500m', coreLimit: '2', cores: 1 },
      deps: { packages: ['a:b:1'] },
      monitoring: { prometheus: { jmxExporterJar: '/j.jar' } },
      restartPolicy: { type: SparkRestartPolicyType.ON_FAILURE, onFailureRetries: 1 },
      eventLog: SparkEventLogStorage.persistentVolumeClaim('events'),
    });
    new SparkApplication(platform, 'da', { ...SCALA, executor: { pool: spot }, dynamicAllocation: { minExecutors: 0, maxExecutors: 10, shuffleTrackingTimeout: '10min' } });
    expect(validateManifests(manifests(platform))).toEqual([]);
  });
});
