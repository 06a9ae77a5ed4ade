import {
  describePod, describeRequests, fitGroup, fitProblem, formatTaint, humanBytes, memoizedPlacementMatch, placementMatch, poolProfile, rejection,
} from '../../lib/model/fit';
import { poolPlacement } from '../../lib/model/node-pool';
import { GENERAL, POOLS, SPARK_SPOT, freeGroup, group, pod, sparkJob } from './support/capacity-fixtures';

const profiles = POOLS.map((pool) => poolProfile(pool, `data/${pool.name}`));
const [general, spot, gpu] = profiles;
const job = sparkJob('job-b', 8);
const SPARK_TOLERATION = { key: 'dedicated', operator: 'Equal' as const, value: 'spark', effect: 'NoSchedule' as const };

describe('poolProfile', () => {
  test('takes the node template from the first instance type and labels nodes per zone', () => {
    expect(general.node).toMatchObject({ cpuMillis: 7710, memoryBytes: 31519 * 2 ** 20, pods: 54 });
    expect(spot.nodeTypes[0].labelSets).toEqual([expect.objectContaining({ 'topology.kubernetes.io/zone': 'eu-west-1a', 'batchplane.io/pool': 'spark-spot' })]);
  });
});

describe('rejection', () => {
  test('a pod placed on its pool fits it', () => {
    expect(rejection(group('executor', 1, pod(4, 12), SPARK_SPOT), spot)).toBeUndefined();
  });

  test('taints the pod does not tolerate', () => {
    expect(rejection(freeGroup('executor', pod(4, 12), { tolerations: [] }), gpu)).toEqual({
      kind: 'taints',
      reason: 'tolerates no taint of pool gpu (nvidia.com/gpu=true:NoSchedule)',
      fix: 'add a toleration for nvidia.com/gpu=true:NoSchedule',
    });
  });

  test('a required pool term that names another pool', () => {
    expect(rejection(group('executor', 1, pod(4, 12), SPARK_SPOT), general)).toEqual({
      kind: 'labels',
      reason: 'required affinity batchplane.io/pool In [spark-spot] matches no node of pool general',
      fix: "match the pool's labels (batchplane.io/pool=general), e.g. place the executor with pool: general",
    });
  });

  test('well-known labels: zone and architecture', () => {
    const zone = (z: string) => freeGroup('main', pod(1, 1), { tolerations: [SPARK_TOLERATION], nodeSelector: { 'topology.kubernetes.io/zone': z } });
    expect(rejection(zone('eu-west-1a'), spot)).toBeUndefined();
    expect(rejection(zone('eu-west-1b'), spot)?.reason).toBe('node selector topology.kubernetes.io/zone=eu-west-1b matches no node of pool spark-spot');
    const arm = freeGroup('main', pod(1, 1), { tolerations: [], nodeSelector: { 'kubernetes.io/arch': 'arm64' } });
    expect(rejection(arm, general)?.kind).toBe('labels');
    const spotOnly = freeGroup('main', pod(1, 1), {
      tolerations: [SPARK_TOLERATION],
      requiredTerms: [{ matchExpressions: [{ key: 'eks.amazonaws.com/capacityType', operator: 'In', values: ['SPOT'] }] }],
    });
    expect(fitGroup(spotOnly, profiles).candidates).toEqual(['spark-spot']);
  });

  test('requests larger than a node after reservations and DaemonSets', () => {
    expect(rejection(group('executor', 1, pod(8, 12), GENERAL), general)).toEqual({
      kind: 'size',
      reason: 'needs more cpu than a m6i.2xlarge node of pool general offers (7.71 cpu, 30.8Gi, 17Gi disk allocatable)',
      fix: 'lower the executor\'s requests or give pool general a larger instance type',
    });
    expect(rejection(group('main', 1, pod(1, 31), GENERAL), general)?.reason).toMatch(/^needs more memory than/);
  });

  test('GPUs count', () => {
    const trainer = freeGroup('trainer', pod(2, 8, { gpus: 2 }), { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] });
    expect(rejection(trainer, gpu)?.reason).toMatch(/^needs more gpu than a g5.xlarge node of pool gpu/);
  });
});

describe('placementMatch', () => {
  test('memoized matches equal fresh ones, are frozen, and are computed once per placement object and pool', () => {
    const matchOf = memoizedPlacementMatch();
    const onSpot = poolPlacement(SPARK_SPOT);
    const placements = [onSpot, poolPlacement(GENERAL), { tolerations: [] }, { tolerations: [SPARK_TOLERATION], nodeSelector: { 'kubernetes.io/arch': 'arm64' } }];
    for (const placement of placements) {
      for (const pool of profiles) {
        const match = matchOf(placement, pool);
        expect(match).toEqual(placementMatch(placement, pool));
        expect(Object.isFrozen(match) && Object.isFrozen(match.blocking) && Object.isFrozen(match.matching)).toBe(true);
        expect(matchOf(placement, pool)).toBe(match);
      }
    }
    // A copy of a placement is another key: the memo never answers for an object it has not seen.
    expect(matchOf({ ...onSpot }, spot)).not.toBe(matchOf(onSpot, spot));
  });

  test('rejection and fitGroup answer the same with a memo', () => {
    const matchOf = memoizedPlacementMatch();
    const groups = [group('executor', 1, pod(4, 12), SPARK_SPOT), group('main', 1, pod(8, 12), GENERAL), freeGroup('executor', pod(4, 12), { tolerations: [] })];
    for (const g of groups) {
      for (const pool of profiles) expect(rejection(g, pool, matchOf)).toEqual(rejection(g, pool));
      expect(fitGroup(g, profiles, matchOf)).toEqual(fitGroup(g, profiles));
    }
  });
});

describe('fitGroup and fitProblem', () => {
  test('the user\'s pool is the target when it fits', () => {
    const fit = fitGroup(job.pods[1], profiles);
    expect(fit.candidates).toEqual(['spark-spot']);
    expect(fit.target).toBe('spark-spot');
    expect(fitProblem(job, job.pods[1], fit)).toBeUndefined();
  });

  test('a pod placed on a pool that rejects it names the pool, why, where it fits and the fix', () => {
    const onGpu = { ...freeGroup('executor', pod(4, 13.2), { tolerations: [SPARK_TOLERATION] }), pool: 'gpu' };
    const fit = fitGroup(onGpu, profiles);
    expect(fit.target).toBeUndefined();
    expect(fitProblem(job, onGpu, fit)).toBe(
      'executor of job-b (4 cpu, 13.2Gi) tolerates no taint of pool gpu (nvidia.com/gpu=true:NoSchedule); fits pools general, spark-spot — fix: add a toleration for nvidia.com/gpu=true:NoSchedule or place it on pool general',
    );
  });

  test('a pod that fits no pool lists every pool\'s reason', () => {
    const huge = group('executor', 1, pod(16, 12), SPARK_SPOT);
    const fit = fitGroup({ ...huge, pool: undefined }, profiles);
    expect(fitProblem(job, { ...huge, pool: undefined }, fit)).toBe(
      'executor of job-b (16 cpu, 12Gi) fits no pool: required affinity batchplane.io/pool In [spark-spot] matches no node of pool general; '
      + 'needs more cpu than a r6i.2xlarge node of pool spark-spot offers (7.71 cpu, 62.8Gi, 17Gi disk allocatable); '
      + 'tolerates no taint of pool gpu (nvidia.com/gpu=true:NoSchedule) — fix: place it on a pool (pool: ...) whose taints it tolerates and whose nodes are large enough',
    );
  });

  test('a pool that does not exist', () => {
    const ghost = { ...group('main', 1, pod(1, 1), GENERAL), pool: 'genral' };
    expect(fitProblem(job, ghost, fitGroup(ghost, profiles))).toBe('main of job-b (1 cpu, 1Gi) is placed on pool genral, which does not exist; fits pool general');
  });

  test('preferred affinity orders the candidates', () => {
    const anywhere = freeGroup('main', pod(1, 1), {
      tolerations: [SPARK_TOLERATION],
      preferredTerms: [{ weight: 10, preference: { matchExpressions: [{ key: 'batchplane.io/pool', operator: 'In', values: ['spark-spot'] }] } }],
    });
    expect(fitGroup(anywhere, profiles)).toMatchObject({ candidates: ['spark-spot', 'general'], target: 'spark-spot' });
  });
});

describe('formatting', () => {
  test('describePod, describeRequests, humanBytes, formatTaint', () => {
    expect(describePod(job, job.pods[0])).toBe('driver of job-b (1 cpu, 2Gi)');
    expect(describeRequests(pod(0.5, 0.875, { gpus: 1 }))).toBe('0.5 cpu, 896Mi, 1 gpu');
    expect(humanBytes(1536 * 2 ** 30)).toBe('1.5Ti');
    expect(humanBytes(100)).toBe('100');
    expect(formatTaint({ key: 'spot', effect: 'NoExecute' })).toBe('spot:NoExecute');
  });
});
