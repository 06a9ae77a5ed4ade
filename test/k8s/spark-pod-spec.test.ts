import { ApiObject, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Platform } from '../../lib/k8s/platform';
import { checkPolicy } from '../../lib/k8s/policy';
import { PriorityTier } from '../../lib/k8s/priority-tiers';
import { ScheduledSparkApplication } from '../../lib/k8s/scheduled-spark-application';
import { SparkApplication } from '../../lib/k8s/spark-application';
import { SPARK_CONTAINER_NAMES } from '../../lib/k8s/spark-pod-spec';
import { add, resources } from '../../lib/model/resources';
import { describeConformance, validateManifests } from '../support/conformance';
import { platformWithPools, SCALA_APP } from '../support/fixtures';

type Json = Record<string, any>;

const q = (value: string) => k8s.Quantity.fromString(value);
const MiB = 2 ** 20;

/** A sidecar that passes the policy: restricted context, requests and limits. */
function sidecar(name: string, cpu: string, memory: string): k8s.Container {
  return {
    name,
    image: 'fluent/fluent-bit:3.1.4',
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    resources: { requests: { cpu: q(cpu), memory: q(memory) }, limits: { cpu: q(cpu), memory: q(memory) } },
  };
}

function setup() {
  const { platform, general, spot } = platformWithPools({ platformProps: { namespace: 'data' }, spot: { maxNodes: 40 } });
  return { platform, general, spot };
}

function synthApp(platform: Platform): Json {
  const found = (Testing.synth(platform) as Json[]).find((m) => m.kind === 'SparkApplication');
  if (found === undefined) throw new Error('no SparkApplication');
  return found;
}

describe('pod templates', () => {
  const { platform, general, spot } = setup();
  const app = new SparkApplication(platform, 'job', {
    ...SCALA_APP,
    driver: { pool: general },
    executor: {
      pool: spot,
      instances: 3,
      cores: 2,
      memory: '4g',
      priorityTier: PriorityTier.PREEMPTIBLE,
      template: {
        metadata: { labels: { 'example.com/team': 'data' }, annotations: { 'example.com/owner': 'etl' } },
        spec: {
          containers: [sidecar('log-shipper', '100m', '128Mi'), { name: SPARK_CONTAINER_NAMES.executor, ports: [{ name: 'metrics', containerPort: 9090 }] }],
          initContainers: [sidecar('fetch', '1', '8Gi')],
          volumes: [{ name: 'shipper-buffer', emptyDir: { sizeLimit: q('256Mi') } }],
          hostAliases: [{ ip: '10.0.0.5', hostnames: ['metastore'] }],
        },
      },
    },
  });
  const spec = synthApp(platform).spec;
  const template = spec.executor.template;

  test('the template goes under executor.template; the driver has none', () => {
    expect(spec.driver.template).toBeUndefined();
    expect(template.metadata).toEqual({ labels: { 'example.com/team': 'data' }, annotations: { 'example.com/owner': 'etl' } });
    expect(template.spec.hostAliases).toEqual([{ ip: '10.0.0.5', hostnames: ['metastore'] }]);
    expect(template.spec.volumes).toEqual([{ name: 'shipper-buffer', emptyDir: { sizeLimit: '256Mi' } }]);
  });

  test('the Spark container comes first, keeps what the user gave it, and gets the container security context', () => {
    expect(template.spec.containers.map((c: Json) => c.name)).toEqual(['spark-kubernetes-executor', 'log-shipper']);
    expect(template.spec.containers[0]).toEqual({
      name: 'spark-kubernetes-executor',
      ports: [{ name: 'metrics', containerPort: 9090 }],
      securityContext: spec.executor.securityContext,
    });
    expect(template.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 185, readOnlyRootFilesystem: true });
    expect(template.spec.containers[1].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
  });

  test('placement, pod security context and priority class are written into the template as on the section', () => {
    expect(template.spec.tolerations).toEqual(spec.executor.tolerations);
    expect(template.spec.tolerations).toContainEqual({ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' });
    expect(template.spec.affinity).toEqual(spec.executor.affinity);
    expect(template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([
      'spark-spot',
      'general',
    ]);
    expect(template.spec.securityContext).toEqual(spec.executor.podSecurityContext);
    expect(template.spec.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' } });
    expect(template.spec.priorityClassName).toBe('batch-preemptible');
    expect(template.spec.nodeSelector).toBeUndefined();
  });

  test('the capacity plan counts the other containers: sidecars add, init containers run alone', () => {
    const [driver, executor] = app.demand().pods;
    expect(driver.requests).toEqual(resources({ cpuMillis: 1000, memoryBytes: 1408 * MiB, pods: 1 }));
    // Spark container: 2 cores, 4g + 409Mi overhead; the log shipper adds 100m and 128Mi; the 1 cpu / 8Gi init container is larger in memory only.
    const running = add(resources({ cpuMillis: 2000, memoryBytes: (4096 + 409) * MiB, pods: 1 }), resources({ cpuMillis: 100, memoryBytes: 128 * MiB }));
    expect(running.memoryBytes).toBeLessThan(8192 * MiB);
    expect(executor.requests).toEqual({ ...running, memoryBytes: 8192 * MiB });
    expect(executor.count).toBe(3);
  });

  test('the policy checks the template containers and volumes, and finds nothing here', () => {
    const objects = platform.node.findAll().filter(ApiObject.isApiObject);
    expect(checkPolicy(objects.map((o) => ({ path: o.node.path, manifest: o.toJson() })))).toEqual([]);
  });

  test('without a Spark container in the template, batchplane adds it', () => {
    const other = setup();
    new SparkApplication(other.platform, 'job', { ...SCALA_APP, driver: { pool: other.general, template: { spec: { containers: [] } } }, executor: { pool: other.general } });
    const driver = synthApp(other.platform).spec.driver;
    expect(driver.template.spec.containers).toEqual([{ name: 'spark-kubernetes-driver', securityContext: driver.securityContext }]);
    expect(driver.template.metadata).toBeUndefined();
  });

  test('a ScheduledSparkApplication carries the template in its application template', () => {
    const other = setup();
    new ScheduledSparkApplication(other.platform, 'nightly', {
      ...SCALA_APP,
      schedule: '0 1 * * *',
      driver: { pool: other.general, template: { metadata: { labels: { tier: 'batch' } } } },
      executor: { pool: other.general },
    });
    const scheduled = (Testing.synth(other.platform) as Json[]).find((m) => m.kind === 'ScheduledSparkApplication');
    expect(scheduled?.spec.template.driver.template.metadata).toEqual({ labels: { tier: 'batch' } });
    expect(scheduled?.spec.template.driver.template.spec.priorityClassName).toBe('batch-default');
  });
});

describe('template validation', () => {
  const spark = (extra: k8s.Container) => ({ containers: [extra] });
  const cases: [string, unknown, string | RegExp][] = [
    ['tolerations', { spec: { containers: [], tolerations: [{ operator: 'Exists' }] } },
      '[data/bad] driver.template.spec.tolerations: got [{"operator":"Exists"}], expected no value: batchplane writes it into the template from pool'],
    ['affinity', { spec: { containers: [], affinity: {} } }, '[data/bad] driver.template.spec.affinity: got {}, expected no value: batchplane writes it into the template from pool'],
    ['nodeSelector', { spec: { containers: [], nodeSelector: { a: 'b' } } }, /driver\.template\.spec\.nodeSelector: got .*from pool$/],
    ['pod security context', { spec: { containers: [], securityContext: { runAsUser: 0 } } }, /driver\.template\.spec\.securityContext: got .*from podSecurityContext$/],
    ['priority class', { spec: { containers: [], priorityClassName: 'x' } }, '[data/bad] driver.template.spec.priorityClassName: got "x", expected no value: batchplane writes it into the template from priorityTier'],
    ['Spark container security context', { spec: spark({ name: 'spark-kubernetes-driver', securityContext: { privileged: true } }) },
      '[data/bad] driver.template.spec.containers[0].securityContext: got {"privileged":true}, expected no value: batchplane writes the Spark container security context from securityContext'],
    ['Spark container memory', { spec: spark({ name: 'spark-kubernetes-driver', resources: { limits: { memory: q('8Gi') } } }) },
      /\[data\/bad\] driver\.template\.spec\.containers\[0\]\.resources\.limits\.memory: got "8Gi", expected no value: Spark sets the cpu and memory of its container from cores/],
    ['Spark container cpu', { spec: spark({ name: 'spark-kubernetes-driver', resources: { requests: { cpu: q('2') } } }) }, /driver\.template\.spec\.containers\[0\]\.resources\.requests\.cpu: got "2"/],
    ['metadata name', { metadata: { name: 'pod' } }, '[data/bad] driver.template.metadata: got "name", expected labels and annotations only (Spark names the pod and sets its namespace)'],
    ['metadata label', { metadata: { labels: { 'bad key!': 'x' } } }, /\[data\/bad\] driver\.template\.metadata\.labels\["bad key!"\]: got "bad key!"/],
    ['container without name', { spec: { containers: [{ image: 'busybox:1' }] } }, '[data/bad] driver.template.spec.containers[0].name: got undefined, expected a container name'],
    ['duplicate names', { spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'a' }] } },
      '[data/bad] driver.template.spec.containers: got "a", expected unique container names, init containers included'],
    ['a quantity as a plain string', { spec: { containers: [{ name: 'x', resources: { requests: { cpu: '100m' } } }] } },
      '[data/bad] driver.template.spec.containers[0].resources.requests.cpu: got "100m", expected a k8s.Quantity such as k8s.Quantity.fromString(\'500m\')'],
    ['containers not a list', { spec: { containers: 'x' } }, '[data/bad] driver.template.spec.containers: got "x", expected an array of containers'],
    ['not an object', 'template', '[data/bad] driver.template: got "template", expected a pod template { metadata?, spec? }'],
    ['a stray null deep inside', { spec: { containers: [], volumes: [null] } }, /^\[data\/bad\] driver\.template: got .*, expected a pod template made of Kubernetes objects/],
    ['an unknown resource on a sidecar', { spec: { containers: [{ name: 'x', resources: { requests: { 'example.com/fpga': q('1') } } }] } },
      /\[data\/bad\] driver\.template\.spec\.containers\[0\]\.resources\.requests\.example\.com\/fpga: got "1", expected a resource named one of/],
  ];
  test.each(cases)('%s', (_, template, message) => {
    const { platform, general } = setup();
    expect(() => new SparkApplication(platform, 'bad', { ...SCALA_APP, driver: { pool: general, template: template as k8s.PodTemplateSpec } })).toThrow(message);
    // Nothing of the refused application is left to synthesize.
    expect(platform.node.tryFindChild('bad')?.node.children ?? []).toEqual([]);
  });
});

describeConformance('pod template manifests', () => {
  test('the application conforms strictly, and each template is a valid core PodTemplateSpec', () => {
    const { platform, general, spot } = setup();
    new SparkApplication(platform, 'job', {
      ...SCALA_APP,
      driver: { pool: general, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [sidecar('proxy', '50m', '32Mi')] } } },
      executor: { pool: spot, template: { spec: { containers: [{ name: SPARK_CONTAINER_NAMES.executor, volumeMounts: [{ name: 'x', mountPath: '/x' }] }], volumes: [{ name: 'x', emptyDir: { sizeLimit: q('1Gi') } }] } } },
    });
    const manifest = synthApp(platform);
    const asPodTemplates = ['driver', 'executor'].map((role) => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: role }, template: manifest.spec[role].template }));
    expect(validateManifests([manifest, ...asPodTemplates])).toEqual([]);
  });
});

describe('default security contexts', () => {
  const { platform, general } = setup();
  const sized = { cores: 1, memory: '1g', pool: general };
  const first = new SparkApplication(platform, 'first', { ...SCALA_APP, driver: sized, executor: sized }).toManifest().spec as Json;
  const second = new SparkApplication(platform, 'second', { ...SCALA_APP, driver: sized, executor: sized }).toManifest().spec as Json;

  test('every pod that sets none shares one frozen pod and one frozen container security context', () => {
    expect(second.driver.securityContext).toBe(first.driver.securityContext);
    expect(first.executor.securityContext).toBe(first.driver.securityContext);
    expect(second.executor.podSecurityContext).toBe(first.driver.podSecurityContext);
    expect(Object.isFrozen(first.driver.securityContext)).toBe(true);
    expect(Object.isFrozen(first.driver.securityContext.capabilities.drop)).toBe(true);
    expect(Object.isFrozen(first.driver.podSecurityContext.seccompProfile)).toBe(true);
    expect(first.driver.securityContext).toMatchObject({ runAsUser: 185, runAsGroup: 185, readOnlyRootFilesystem: true });
    expect(first.driver.podSecurityContext).toMatchObject({ runAsUser: 185, runAsGroup: 185, fsGroup: 185 });
  });

  test('a pod that sets its own gets its own', () => {
    const own = new SparkApplication(platform, 'own', {
      ...SCALA_APP,
      driver: { ...sized, securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } },
      executor: sized,
    }).toManifest().spec as Json;
    expect(own.driver.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(own.executor.securityContext).toBe(first.executor.securityContext);
  });
});
