import { Testing } from 'cdk8s';
import { NodePool, TaintEffect } from '../../lib/k8s/node-pool';
import { OverProvisioning, OverProvisioningProps, PAUSE_IMAGE } from '../../lib/k8s/over-provisioning';
import { Platform } from '../../lib/k8s/platform';
import { POOL_LABEL } from '../../lib/model/node-pool';
import { describeConformance, validateManifests } from '../support/conformance';
import { platformWithPools, PlatformWithPools } from '../support/fixtures';

const GI = 1024 ** 3;

/** The usual pools in namespace `batch`: no minimum on `general`; the spot pool also evicts (`spot:NoExecute`). */
function fixture(platformId = 'data'): PlatformWithPools {
  return platformWithPools({
    platformId,
    platformProps: { namespace: 'batch', createNamespace: false, priorityTiers: false },
    general: { minNodes: undefined },
    spot: {
      maxNodes: 40,
      taints: [{ key: 'dedicated', value: 'spark', effect: TaintEffect.NO_SCHEDULE }, { key: 'spot', effect: TaintEffect.NO_EXECUTE }],
    },
  });
}

// Manifests are plain JSON read field by field.
type Json = any;

function manifests(platform: Platform): Json[] {
  return Testing.synth(platform);
}

describe('OverProvisioning', () => {
  test('emits the placeholder PriorityClass, then the Deployment of pause pods', () => {
    const { platform, spot } = fixture();
    new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 2, cpu: '4', memory: '16Gi' });
    const [priorityClass, deployment] = manifests(platform);
    expect(priorityClass).toEqual({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'data-overprovisioning', labels: { 'app.kubernetes.io/managed-by': 'batchplane', 'app.kubernetes.io/part-of': 'data' } },
      value: -1,
      globalDefault: false,
      preemptionPolicy: 'Never',
      description: 'Capacity placeholders of batchplane over-provisioning at priority -1; any real work preempts them.',
    });
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'headroom', namespace: 'batch' });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/instance': 'headroom', 'app.kubernetes.io/name': 'overprovisioning' } });
  });

  test('the pod: pause at low priority, gone at once, on the pool only, with secure defaults', () => {
    const { platform, spot } = fixture();
    new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 2, cpu: '4', memory: '16Gi' });
    const template = manifests(platform)[1].spec.template;
    expect(template.metadata).toEqual({
      labels: { 'app.kubernetes.io/instance': 'headroom', 'app.kubernetes.io/name': 'overprovisioning' },
      annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' },
    });
    const pod = template.spec;
    expect(pod.priorityClassName).toBe('data-overprovisioning');
    expect(pod.terminationGracePeriodSeconds).toBe(0);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65535, runAsGroup: 65535, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists', effect: 'NoExecute' },
    ]);
    expect(pod.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot'] }] }],
        },
      },
    });
    expect(pod.containers).toEqual([{
      name: 'pause',
      image: PAUSE_IMAGE,
      resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { cpu: '4', memory: '16Gi' } },
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
    }]);
  });

  test('exposes its values for the resolver', () => {
    const { platform, spot } = fixture();
    const headroom = new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 3, cpu: '3500m', memory: '1.5Gi' });
    expect(headroom.pool).toBe(spot);
    expect(headroom.replicas).toBe(3);
    expect(headroom.priority).toBe(-1);
    expect(headroom.requests).toEqual({ cpuMillis: 3500, memoryBytes: 1.5 * GI, ephemeralStorageBytes: 0, gpus: 0, pods: 1 });
    expect(manifests(platform)[1].spec.template.spec.containers[0].resources.requests.memory).toBe('1536Mi');
  });

  test('custom name, priority, class and image', () => {
    const { platform, spot } = fixture();
    new OverProvisioning(platform, 'headroom', {
      pool: spot, replicas: 1, cpu: '1', memory: '1Gi', name: 'spot-buffer', priority: -10, priorityClassName: 'buffer', image: 'registry.example.com/pause:3.10',
    });
    const [priorityClass, deployment] = manifests(platform);
    expect([priorityClass.metadata.name, priorityClass.value]).toEqual(['buffer', -10]);
    expect(deployment.metadata.name).toBe('spot-buffer');
    expect(deployment.spec.template.spec.priorityClassName).toBe('buffer');
    expect(deployment.spec.template.spec.containers[0].image).toBe('registry.example.com/pause:3.10');
  });

  test('several placeholders share one PriorityClass, written before them; placeholders are ordered by name', () => {
    const { platform, spot, general } = fixture();
    new OverProvisioning(platform, 'spot-headroom', { pool: spot, replicas: 1, cpu: '1', memory: '1Gi' });
    new OverProvisioning(platform, 'general-headroom', { pool: general, replicas: 1, cpu: '1', memory: '1Gi' });
    expect(manifests(platform).map((m: Json) => `${m.kind}/${m.metadata.name}`))
      .toEqual(['PriorityClass/data-overprovisioning', 'Deployment/general-headroom', 'Deployment/spot-headroom']);
  });

  test('a second priority under the same class name is an error', () => {
    const { platform, spot } = fixture();
    new OverProvisioning(platform, 'a', { pool: spot, replicas: 1, cpu: '1', memory: '1Gi' });
    expect(() => new OverProvisioning(platform, 'b', { pool: spot, replicas: 1, cpu: '1', memory: '1Gi', priority: -5 }))
      .toThrow('[data/b] priorityClassName: got "data-overprovisioning", expected a PriorityClass name not already used with other settings (it has value -1');
  });

  describe('validation', () => {
    test.each<[string, Partial<OverProvisioningProps>, string]>([
      ['a priority below the expendable cutoff', { priority: -1000 },
        '[data/headroom] priority: got -1000, expected an integer from -10 to -1: cluster-autoscaler treats pods below its expendable cutoff (-10) as expendable, so evicted placeholders would never trigger a scale-up'],
      ['priority 0', { priority: 0 }, '[data/headroom] priority: got 0, expected an integer from -10 to -1: real work runs at priority 0 or above and could not preempt'],
      ['a fractional priority', { priority: -1.5 }, '[data/headroom] priority: got -1.5'],
      ['zero replicas', { replicas: 0 }, '[data/headroom] replicas: got 0, expected an integer >= 1'],
      ['fractional replicas', { replicas: 1.5 }, '[data/headroom] replicas: got 1.5'],
      ['a malformed cpu', { cpu: '4 cores' }, '[data/headroom] cpu: got "4 cores", expected a positive Kubernetes quantity'],
      ['a zero memory', { memory: '0' }, '[data/headroom] memory: got "0", expected a positive Kubernetes quantity'],
      ['a missing memory', { memory: undefined }, '[data/headroom] memory: got undefined'],
      ['a bad class name', { priorityClassName: 'Buffer!' }, '[data/headroom] priorityClassName: got "Buffer!"'],
      ['an image with spaces', { image: 'pause 3.10' }, '[data/headroom] image: got "pause 3.10"'],
      ['a pool that is not a NodePool', { pool: {} as NodePool }, '[data/headroom] pool: got {}, expected a NodePool'],
    ])('rejects %s', (_, overrides, message) => {
      const { platform, spot } = fixture();
      expect(() => new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 1, cpu: '1', memory: '1Gi', ...overrides })).toThrow(message);
    });

    test('rejects a pool of another platform', () => {
      const { spot } = fixture('other');
      const { platform } = fixture();
      expect(() => new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 1, cpu: '1', memory: '1Gi' }))
        .toThrow('[data/headroom] pool: got "other/spark-spot", expected a NodePool of the same platform (data)');
    });
  });
});

describeConformance('over-provisioning manifests', () => {
  test('pass strict schema validation', () => {
    const { platform, spot } = fixture();
    new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 2, cpu: '4', memory: '16Gi' });
    expect(validateManifests(manifests(platform))).toEqual([]);
  });
});
