import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { CapacityType, NodePool, NodePoolProps, TaintEffect, placementManifest } from '../../lib/k8s/node-pool';
import { Platform } from '../../lib/k8s/platform';
import { defineInstanceType } from '../../lib/model/instance-types';
import { POOL_LABEL, poolAllocatable } from '../../lib/model/node-pool';

function platform(id = 'data'): Platform {
  return new Platform(Testing.app(), id, { namespace: 'batch' });
}

function pools(scope: Platform = platform()): { general: NodePool; spot: NodePool } {
  const general = new NodePool(scope, 'general', { instanceTypes: ['m6i.2xlarge'], minNodes: 1, maxNodes: 10 });
  const spot = new NodePool(scope, 'spark-spot', {
    instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'],
    capacityType: CapacityType.SPOT,
    maxNodes: 40,
    zones: ['eu-west-1a'],
    taints: [{ key: 'dedicated', value: 'spark', effect: TaintEffect.NO_SCHEDULE }],
    fallback: general,
  });
  return { general, spot };
}

describe('NodePool', () => {
  test('exposes its validated spec, named after the construct id', () => {
    const { general, spot } = pools();
    expect(spot.name).toBe('spark-spot');
    expect(spot.fallback).toBe(general);
    expect(spot.spec).toMatchObject({
      name: 'spark-spot',
      capacityType: 'SPOT',
      minNodes: 0,
      maxNodes: 40,
      zones: ['eu-west-1a'],
      labels: { [POOL_LABEL]: 'spark-spot' },
      taints: [{ key: 'dedicated', value: 'spark', effect: 'NoSchedule' }],
      fallback: 'general',
      diskSizeGiB: 20,
    });
    expect(general.spec.fallback).toBeUndefined();
  });

  test('props.name overrides the id', () => {
    const pool = new NodePool(platform(), 'Gpu', { name: 'gpu', instanceTypes: ['g5.xlarge'], maxNodes: 2 });
    expect([pool.name, pool.spec.name, pool.spec.labels[POOL_LABEL]]).toEqual(['gpu', 'gpu', 'gpu']);
  });

  test('accepts custom instance types', () => {
    const custom = defineInstanceType({ name: 'z1.big', vcpu: 4, memoryMiB: 16384, gpus: 0, enis: 4, ipv4PerEni: 15, arch: 'amd64' });
    expect(new NodePool(platform(), 'custom', { instanceTypes: [custom], maxNodes: 1 }).spec.instanceTypes).toEqual([custom]);
  });

  test('synthesizes nothing', () => {
    const scope = new Platform(Testing.app(), 'data', { namespace: 'batch', createNamespace: false, priorityTiers: false });
    pools(scope);
    expect(Testing.synth(scope)).toEqual([]);
  });

  describe('placement', () => {
    test('on a pool with a fallback: both pools, own preferred, both tolerated', () => {
      const { spot } = pools();
      expect(spot.placement()).toEqual({
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }],
        requiredTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot', 'general'] }] }],
        preferredTerms: [
          { weight: 100, preference: { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot'] }] } },
          { weight: 10, preference: { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['general'] }] } },
        ],
      });
      expect(spot.tolerations).toEqual(spot.placement().tolerations);
    });

    test('useFallback: false keeps the pod on the pool', () => {
      const { spot } = pools();
      expect(spot.placement({ useFallback: false }).requiredTerms)
        .toEqual([{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot'] }] }]);
      expect(spot.placement({ useFallback: false }).preferredTerms).toBeUndefined();
    });

    test('renders into pod spec fields, leaving out empty sections', () => {
      const { general, spot } = pools();
      expect(placementManifest(spot.placement())).toEqual({
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot', 'general'] }] }],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, preference: { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['spark-spot'] }] } },
              { weight: 10, preference: { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['general'] }] } },
            ],
          },
        },
      });
      expect(placementManifest(general.placement())).toEqual({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: ['general'] }] }],
            },
          },
        },
      });
      expect(placementManifest({ tolerations: [], nodeSelector: { a: 'b' } })).toEqual({ nodeSelector: { a: 'b' } });
    });

    test('renders a pool placement once: every pod shares one deeply frozen manifest', () => {
      const { spot } = pools();
      const manifest = placementManifest(spot.placement());
      expect(placementManifest(spot.placement())).toBe(manifest);
      expect(manifest).toEqual(placementManifest({ ...spot.placement() }));
      expect(Object.isFrozen(manifest)).toBe(true);
      expect(Object.isFrozen(manifest.tolerations?.[0])).toBe(true);
      expect(Object.isFrozen(manifest.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0].preference)).toBe(true);
      expect(placementManifest(spot.placement({ useFallback: false }))).not.toBe(manifest);
    });

    test('renders a placement that is not frozen afresh each time, and does not freeze it', () => {
      const placement = { tolerations: [{ key: 'a', operator: 'Exists' as const }] };
      const manifest = placementManifest(placement);
      expect(placementManifest(placement)).not.toBe(manifest);
      expect(Object.isFrozen(manifest)).toBe(false);
      expect(Object.isFrozen(placement)).toBe(false);
    });

    test('renders a placement frozen by the caller afresh: only the placements pools hand out are shared', () => {
      const placement = Object.freeze({ tolerations: [{ key: 'a', operator: 'Exists' as const }] });
      const manifest = placementManifest(placement);
      expect(placementManifest(placement)).not.toBe(manifest);
      expect(manifest).toEqual({ tolerations: [{ key: 'a', operator: 'Exists' }] });
    });

    test('lists the keys of every rendered object in alphabetical order, the order manifests are written in', () => {
      const { spot } = pools();
      const sorted = (value: unknown): boolean => typeof value !== 'object' || value === null
        || (Object.keys(value).every((key, i, keys) => i === 0 || keys[i - 1] < key) && Object.values(value).every(sorted));
      const { tolerations, affinity } = placementManifest(spot.placement());
      expect(sorted(tolerations)).toBe(true);
      expect(sorted(affinity)).toBe(true);
    });
  });

  test('allocatable is the model\'s pool allocatable', () => {
    const { spot } = pools();
    expect(spot.allocatable()).toEqual(poolAllocatable(spot.spec));
    expect(spot.allocatable().map((a) => a.instanceType.name)).toEqual(['r6i.2xlarge', 'r5.2xlarge']);
  });

  describe('validation', () => {
    test.each<[string, Partial<NodePoolProps>, string]>([
      ['maxNodes below minNodes', { minNodes: 3, maxNodes: 2 }, '[data/pool] maxNodes: got 2, expected an integer >= 1 and >= minNodes (3)'],
      ['unknown instance type', { instanceTypes: ['m99.mega'] }, '[data/pool] instanceTypes'],
      ['bad taint effect', { taints: [{ key: 'a', effect: 'NO_SCHEDULE' as TaintEffect }] }, '[data/pool] taints[0].effect: got "NO_SCHEDULE"'],
      ['bad name', { name: 'Pool' }, '[data/pool] name: got "Pool"'],
      ['a fallback that is not a pool', { fallback: {} as NodePool }, '[data/pool] fallback: got {}, expected a NodePool'],
    ])('rejects %s with the construct path', (_, overrides, message) => {
      expect(() => new NodePool(platform(), 'pool', { instanceTypes: ['m5.large'], maxNodes: 3, ...overrides })).toThrow(message);
    });

    test('an id that is not a DNS label, when no name is given', () => {
      expect(() => new NodePool(platform(), 'SparkSpot', { instanceTypes: ['m5.large'], maxNodes: 1 })).toThrow('[data/SparkSpot] id: got "SparkSpot"');
    });

    test('missing props', () => {
      expect(() => new NodePool(platform(), 'pool', undefined as unknown as NodePoolProps)).toThrow('[data/pool] ');
    });

    test('outside a platform', () => {
      expect(() => new NodePool(Testing.chart(), 'pool', { instanceTypes: ['m5.large'], maxNodes: 1 }))
        .toThrow('[test/pool] scope: got "test/pool", expected a construct created inside a Platform');
    });

    test('a fallback from another platform', () => {
      const other = new NodePool(platform('other'), 'general', { instanceTypes: ['m5.large'], maxNodes: 1 });
      expect(() => new NodePool(platform(), 'spot', { instanceTypes: ['m5.large'], maxNodes: 1, fallback: other }))
        .toThrow('[data/spot] fallback: got "other/general", expected a NodePool of the same platform (data)');
    });

    test('two pools with one name in a platform', () => {
      const scope = platform();
      new NodePool(new Construct(scope, 'team-a'), 'pool', { instanceTypes: ['m5.large'], maxNodes: 1 });
      expect(() => new NodePool(new Construct(scope, 'team-b'), 'pool', { instanceTypes: ['m5.large'], maxNodes: 1 }))
        .toThrow('[data/team-b/pool] name: got "pool", expected a pool name not already used in the platform (by data/team-a/pool)');
    });
  });
});
