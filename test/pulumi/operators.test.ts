import {
  clusterAutoscalerPolicy,
  escapeRegExp,
  expanderPriorities,
  mergeValues,
  poolPriorities,
} from '../../lib/pulumi/operators';
import { designPools, poolSpec } from './fixtures';

describe('poolPriorities', () => {
  test('a pool with a fallback ranks above its fallback', () => {
    const { general, spot } = designPools();
    expect(poolPriorities([general, spot])).toEqual({ 'spark-spot': 21, general: 11 });
  });

  test('chains rank by depth; unrelated pools rank at the top', () => {
    const pools = [
      poolSpec('spot', { fallback: 'on-demand' }),
      poolSpec('on-demand', { fallback: 'reserve' }),
      poolSpec('reserve'),
      poolSpec('gpu'),
    ];
    expect(poolPriorities(pools)).toEqual({ spot: 31, 'on-demand': 21, reserve: 11, gpu: 31 });
  });

  test('a fallback that names no pool is an error naming the pool', () => {
    expect(() => poolPriorities([poolSpec('spot', { fallback: 'general' })])).toThrow(
      '[spot] fallback: got "general", expected the name of a pool given to the cluster (spot)',
    );
  });

  test('a fallback cycle is an error listing the cycle', () => {
    const pools = [poolSpec('a', { fallback: 'b' }), poolSpec('b', { fallback: 'a' })];
    expect(() => poolPriorities(pools)).toThrow(/fallback: got "a → b → a", expected fallback chains without cycles/);
  });
});

describe('expanderPriorities', () => {
  test('maps priorities to exact Auto Scaling group names, with a catch-all at the bottom', () => {
    const { general, spot } = designPools();
    expect(expanderPriorities([general, spot], { general: 'eks-general-1234', 'spark-spot': 'eks-spark-spot-5678' })).toEqual({
      1: ['.*'],
      11: ['^eks-general-1234$'],
      21: ['^eks-spark-spot-5678$'],
    });
  });

  test('escapes regular-expression metacharacters', () => {
    expect(escapeRegExp('a.b*c')).toBe('a\\.b\\*c');
    expect(new RegExp(`^${escapeRegExp('x.(y)')}$`).test('x.(y)')).toBe(true);
  });
});

describe('clusterAutoscalerPolicy', () => {
  const policy = clusterAutoscalerPolicy('data');

  test('mutating calls only on groups owned by this cluster', () => {
    const scale = policy.Statement.find((s) => s.Sid === 'ScaleOwnGroups');
    expect(scale?.Action).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    expect(scale?.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/data': 'owned' } });
  });

  test('DescribeNodegroup only on this cluster; no wildcard actions', () => {
    expect(policy.Statement.find((s) => s.Sid === 'DescribeNodegroups')?.Resource).toBe('arn:aws:eks:*:*:nodegroup/data/*');
    expect(policy.Statement.flatMap((s) => s.Action).some((action) => action.includes('*'))).toBe(false);
  });
});

describe('mergeValues', () => {
  test('merges objects key by key; arrays and scalars replace', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    expect(mergeValues(base, { a: { c: [3] }, e: true })).toEqual({ a: { b: 1, c: [3] }, d: 'x', e: true });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
  });
});
