import * as fc from 'fast-check';
import { allocatableEphemeralStorageBytes } from '../../lib/model/allocatable';
import { defineInstanceType, instanceType } from '../../lib/model/instance-types';
import {
  NodePoolSpec, NodePoolSpecInput, POOL_LABEL, createNodePoolSpec, nodeLabels, poolAllocatable, poolPlacement, tolerationsFor,
} from '../../lib/model/node-pool';
import { Taint, TaintEffectName } from '../../lib/model/scheduling-types';
import { matchesNodeSelector, podToleratesNode } from '../../lib/model/scheduling';

const MI = 1024 * 1024;

function pool(overrides: Partial<NodePoolSpecInput> = {}): NodePoolSpec {
  return createNodePoolSpec({ name: 'spark-spot', instanceTypes: ['r6i.2xlarge'], maxNodes: 10, ...overrides });
}

describe('createNodePoolSpec', () => {
  test('resolves defaults', () => {
    const spec = pool();
    expect(spec).toEqual({
      name: 'spark-spot',
      instanceTypes: [instanceType('r6i.2xlarge')],
      capacityType: 'ON_DEMAND',
      minNodes: 0,
      maxNodes: 10,
      zones: [],
      labels: { [POOL_LABEL]: 'spark-spot' },
      taints: [],
      daemonSetOverhead: { cpuMillis: 200, memoryBytes: 256 * MI, ephemeralStorageBytes: 0, gpus: 0, pods: 4 },
      diskSizeGiB: 20,
    });
    expect(spec.fallback).toBeUndefined();
  });

  test('keeps given values, sorts zones and labels, and adds the pool label', () => {
    const spec = pool({
      capacityType: 'SPOT',
      instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'],
      minNodes: 2,
      maxNodes: 2,
      zones: ['eu-west-1b', 'eu-west-1a'],
      labels: { team: 'data', 'example.com/tier': 'batch' },
      taints: [{ key: 'dedicated', value: 'spark', effect: 'NoSchedule' }, { key: 'spot', effect: 'NoExecute' }],
      fallback: 'general',
      daemonSetOverhead: { cpu: '0.5', memory: '1Gi', pods: 6 },
      diskSizeGiB: 100,
    });
    expect(spec.instanceTypes.map((t) => t.name)).toEqual(['r6i.2xlarge', 'r5.2xlarge']);
    expect(spec.zones).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(Object.keys(spec.labels)).toEqual([POOL_LABEL, 'example.com/tier', 'team']);
    expect(spec.labels[POOL_LABEL]).toBe('spark-spot');
    expect(spec.taints).toEqual([{ key: 'dedicated', value: 'spark', effect: 'NoSchedule' }, { key: 'spot', effect: 'NoExecute' }]);
    expect(spec.fallback).toBe('general');
    expect(spec.daemonSetOverhead).toEqual({ cpuMillis: 500, memoryBytes: 1024 * MI, ephemeralStorageBytes: 0, gpus: 0, pods: 6 });
    expect([spec.capacityType, spec.minNodes, spec.maxNodes, spec.diskSizeGiB]).toEqual(['SPOT', 2, 2, 100]);
  });

  test('accepts custom instance types', () => {
    const custom = defineInstanceType({ name: 'x9.huge', vcpu: 8, memoryMiB: 65536, gpus: 0, enis: 4, ipv4PerEni: 15, arch: 'arm64' });
    expect(pool({ instanceTypes: [custom] }).instanceTypes).toEqual([custom]);
  });

  test('an empty taint value is dropped', () => {
    expect(pool({ taints: [{ key: 'gpu', value: '', effect: 'NoSchedule' }] }).taints).toEqual([{ key: 'gpu', effect: 'NoSchedule' }]);
  });

  test.each<[string, Partial<NodePoolSpecInput>, string]>([
    ['bad name', { name: 'Spark_Spot' }, 'name: got "Spark_Spot"'],
    ['no instance types', { instanceTypes: [] }, 'instanceTypes: got [], expected a non-empty list'],
    ['unknown instance type', { instanceTypes: ['m99.mega'] }, 'm99.mega'],
    ['repeated instance type', { instanceTypes: ['r5.2xlarge', 'r5.2xlarge'] }, 'each instance type once (r5.2xlarge is repeated)'],
    ['mixed shapes', { instanceTypes: ['r6i.2xlarge', 'm6i.2xlarge'] },
      'r6i.2xlarge is 8 vCPU, 65536 MiB, 0 GPU, amd64 but m6i.2xlarge is 8 vCPU, 32768 MiB, 0 GPU, amd64'],
    ['bad capacity type', { capacityType: 'spot' as 'SPOT' }, 'capacityType: got "spot", expected one of ON_DEMAND, SPOT'],
    ['negative minNodes', { minNodes: -1 }, 'minNodes: got -1, expected an integer >= 0'],
    ['fractional minNodes', { minNodes: 0.5 }, 'minNodes: got 0.5'],
    ['zero maxNodes', { maxNodes: 0 }, 'maxNodes: got 0, expected an integer >= 1 and >= minNodes (0)'],
    ['maxNodes below minNodes', { minNodes: 5, maxNodes: 3 }, 'maxNodes: got 3, expected an integer >= 1 and >= minNodes (5)'],
    ['string maxNodes', { maxNodes: '3' as unknown as number }, 'maxNodes: got "3"'],
    ['repeated zone', { zones: ['eu-west-1a', 'eu-west-1a'] }, 'zones: got ["eu-west-1a","eu-west-1a"], expected each zone once'],
    ['empty zone', { zones: [''] }, 'zones[0]: got ""'],
    ['reserved label domain', { labels: { 'kubernetes.io/role': 'x' } }, 'labels["kubernetes.io/role"]: got "kubernetes.io/role"'],
    ['reserved label subdomain', { labels: { 'node.k8s.io/x': 'y' } }, 'a key outside the kubernetes.io and k8s.io domains'],
    ['the pool label', { labels: { [POOL_LABEL]: 'other' } }, `other than ${POOL_LABEL}`],
    ['bad label value', { labels: { team: 'a b' } }, 'labels["team"]: got "a b"'],
    ['non-string label value', { labels: { team: 3 as unknown as string } }, 'labels["team"]: got 3, expected a label value'],
    ['bad taint effect', { taints: [{ key: 'a', effect: 'NO_SCHEDULE' as TaintEffectName }] },
      'taints[0].effect: got "NO_SCHEDULE", expected one of NoSchedule, PreferNoSchedule, NoExecute'],
    ['bad taint key', { taints: [{ key: 'a b', effect: 'NoSchedule' }] }, 'taints[0].key: got "a b"'],
    ['bad taint value', { taints: [{ key: 'a', value: 'x y', effect: 'NoSchedule' }] }, 'taints[0].value: got "x y"'],
    ['repeated taint', { taints: [{ key: 'a', value: '1', effect: 'NoSchedule' }, { key: 'a', value: '2', effect: 'NoSchedule' }] },
      'at most one taint per key and effect (a:NoSchedule is repeated)'],
    ['self fallback', { fallback: 'spark-spot' }, 'fallback: got "spark-spot", expected another pool than the pool itself'],
    ['bad DaemonSet cpu', { daemonSetOverhead: { cpu: 'lots' } }, 'daemonSetOverhead.cpu: got "lots"'],
    ['negative DaemonSet memory', { daemonSetOverhead: { memory: '-1Gi' } }, 'daemonSetOverhead.memory: got "-1Gi", expected a Kubernetes quantity >= 0'],
    ['fractional DaemonSet pods', { daemonSetOverhead: { pods: 1.5 } }, 'daemonSetOverhead.pods: got 1.5, expected an integer >= 0'],
    ['zero disk', { diskSizeGiB: 0 }, 'diskSizeGiB: got 0, expected an integer between 1 and 16384'],
  ])('rejects %s', (_, overrides, message) => {
    expect(() => pool(overrides)).toThrow(message);
  });
});

describe('nodeLabels', () => {
  const r6i = instanceType('r6i.2xlarge');

  test('adds the well-known labels, and the zone of a single-zone pool', () => {
    const spec = pool({ capacityType: 'SPOT', zones: ['eu-west-1a'], labels: { team: 'data' } });
    expect(nodeLabels(spec, r6i)).toEqual({
      [POOL_LABEL]: 'spark-spot',
      'eks.amazonaws.com/capacityType': 'SPOT',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': 'r6i.2xlarge',
      team: 'data',
      'topology.kubernetes.io/zone': 'eu-west-1a',
    });
  });

  test('leaves the zone out when a multi-zone pool is asked without one', () => {
    const spec = pool({ zones: ['eu-west-1a', 'eu-west-1b'] });
    expect(nodeLabels(spec, r6i)['topology.kubernetes.io/zone']).toBeUndefined();
    expect(nodeLabels(spec, r6i, 'eu-west-1b')['topology.kubernetes.io/zone']).toBe('eu-west-1b');
  });

  test('rejects a type or zone that is not the pool\'s', () => {
    expect(() => nodeLabels(pool(), instanceType('m5.large'))).toThrow('instanceType: got "m5.large", expected one of the pool\'s instance types (r6i.2xlarge)');
    expect(() => nodeLabels(pool({ zones: ['eu-west-1a'] }), r6i, 'eu-west-1c')).toThrow('zone: got "eu-west-1c"');
  });
});

describe('tolerationsFor', () => {
  test('tolerates blocking taints only, deduplicated and sorted', () => {
    const taints: Taint[] = [
      { key: 'spot', effect: 'NoExecute' },
      { key: 'dedicated', value: 'spark', effect: 'NoSchedule' },
      { key: 'soft', value: 'x', effect: 'PreferNoSchedule' },
      { key: 'dedicated', value: 'spark', effect: 'NoSchedule' },
    ];
    expect(tolerationsFor(taints)).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists', effect: 'NoExecute' },
    ]);
  });
});

describe('poolPlacement', () => {
  const general = createNodePoolSpec({
    name: 'general', instanceTypes: ['m6i.2xlarge'], maxNodes: 5, taints: [{ key: 'tier', value: 'general', effect: 'NoSchedule' }],
  });
  const spot = pool({ capacityType: 'SPOT', fallback: 'general', taints: [{ key: 'dedicated', value: 'spark', effect: 'NoSchedule' }] });

  test('without a fallback: required pool term and the pool\'s tolerations', () => {
    expect(poolPlacement(spot)).toEqual({
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }],
      requiredTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot'] }] }],
    });
  });

  test('with the fallback: both pools required, own pool preferred 100 to 10, both pools\' taints tolerated', () => {
    expect(poolPlacement(spot, general)).toEqual({
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' },
        { key: 'tier', operator: 'Equal', value: 'general', effect: 'NoSchedule' },
      ],
      requiredTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot', 'general'] }] }],
      preferredTerms: [
        { weight: 100, preference: { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot'] }] } },
        { weight: 10, preference: { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['general'] }] } },
      ],
    });
  });

  test('rejects a fallback the pool does not name', () => {
    expect(() => poolPlacement(general, spot)).toThrow('fallback: got "spark-spot", expected no fallback: pool general has none');
    const other = createNodePoolSpec({ name: 'other', instanceTypes: ['m5.large'], maxNodes: 1 });
    expect(() => poolPlacement(spot, other)).toThrow("fallback: got \"other\", expected the pool's fallback general");
  });

  test('property: a pod placed on a pool may land on every node of the pool and of its fallback', () => {
    const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
    const taint = fc.record({
      key: fc.oneof(label, fc.tuple(label, label).map(([d, n]) => `${d}.example.com/${n}`)),
      value: fc.option(label, { nil: undefined }),
      effect: fc.constantFrom<TaintEffectName>('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
    }).map((t): Taint => (t.value === undefined ? { key: t.key, effect: t.effect } : t));
    const uniqueTaints = fc.uniqueArray(taint, { maxLength: 4, selector: (t) => `${t.key}:${t.effect}` });
    const shapes = fc.constantFrom(['r6i.2xlarge', 'r5.2xlarge'], ['m6i.large'], ['c5.xlarge', 'c6i.xlarge'], ['g5.xlarge']);
    const poolInput = fc.record({
      instanceTypes: shapes,
      taints: uniqueTaints,
      zones: fc.uniqueArray(fc.constantFrom('eu-west-1a', 'eu-west-1b', 'eu-west-1c'), { maxLength: 3 }),
      labels: fc.dictionary(label, label, { maxKeys: 3 }),
      capacityType: fc.constantFrom<'ON_DEMAND' | 'SPOT'>('ON_DEMAND', 'SPOT'),
    });
    fc.assert(fc.property(poolInput, poolInput, fc.boolean(), (own, other, withFallback) => {
      const fallback = createNodePoolSpec({ ...other, name: 'fallback', maxNodes: 3 });
      const main = createNodePoolSpec({ ...own, name: 'main', maxNodes: 3, ...(withFallback ? { fallback: 'fallback' } : {}) });
      const placement = poolPlacement(main, withFallback ? fallback : undefined);
      const targets = withFallback ? [main, fallback] : [main];
      for (const target of targets) {
        expect(podToleratesNode(placement.tolerations, target.taints)).toBe(true);
        for (const type of target.instanceTypes) {
          for (const zone of target.zones.length > 0 ? target.zones : [undefined]) {
            expect(matchesNodeSelector(nodeLabels(target, type, zone), placement.nodeSelector, placement.requiredTerms)).toBe(true);
          }
        }
      }
      if (!withFallback) {
        expect(matchesNodeSelector(nodeLabels(fallback, fallback.instanceTypes[0]), placement.nodeSelector, placement.requiredTerms)).toBe(false);
      }
    }), { numRuns: 200 });
  });
});

describe('poolAllocatable', () => {
  test('subtracts the DaemonSet overhead from each type\'s allocatable', () => {
    const spec = pool({ instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'] });
    const result = poolAllocatable(spec);
    expect(result.map((r) => r.instanceType.name)).toEqual(['r6i.2xlarge', 'r5.2xlarge']);
    // r6i.2xlarge: 8000m - 90m kube-reserved - 200m DaemonSets; 58 ENI pods - 4 DaemonSet pods.
    expect(result[0].allocatable.cpuMillis).toBe(7710);
    expect(result[0].allocatable.pods).toBe(54);
    // 65536 MiB - (11 MiB x 58 + 255 MiB) kube-reserved - 100 MiB eviction - 256 MiB DaemonSets.
    expect(result[0].allocatable.memoryBytes).toBe(64287 * MI);
    expect(result[0].allocatable.gpus).toBe(0);
  });

  test('uses the pool\'s disk size and DaemonSet overhead', () => {
    const [small] = poolAllocatable(pool({ diskSizeGiB: 50, daemonSetOverhead: { cpu: 0, memory: 0, pods: 0 } }));
    const [large] = poolAllocatable(pool({ diskSizeGiB: 100, daemonSetOverhead: { cpu: 0, memory: 0, pods: 0 } }));
    expect([small.allocatable.cpuMillis, small.allocatable.pods, small.allocatable.memoryBytes]).toEqual([7910, 58, 64543 * MI]);
    expect(small.allocatable.ephemeralStorageBytes).toBe(allocatableEphemeralStorageBytes(50));
    expect(large.allocatable.ephemeralStorageBytes).toBe(allocatableEphemeralStorageBytes(100));
  });
});
