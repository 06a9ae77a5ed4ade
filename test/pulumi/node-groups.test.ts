import { BatchplaneError } from '../../lib/model/errors';
import {
  amiType,
  autoscalerTags,
  checkPool,
  eksTaintEffect,
  nodeGroupArgs,
  poolSpecs,
  poolSubnets,
  resourceTags,
} from '../../lib/pulumi/node-groups';
import { POOL_LABEL, poolPlacement } from '../../lib/model/node-pool';
import { designPools, instance, poolSpec, SUBNETS } from './fixtures';

const context = { clusterName: 'data', nodeRoleArn: 'arn:aws:iam::123456789012:role/node', subnetIds: SUBNETS };

describe('eksTaintEffect', () => {
  test('maps every Kubernetes effect to the EKS API spelling', () => {
    expect(eksTaintEffect('NoSchedule')).toBe('NO_SCHEDULE');
    expect(eksTaintEffect('NoExecute')).toBe('NO_EXECUTE');
    expect(eksTaintEffect('PreferNoSchedule')).toBe('PREFER_NO_SCHEDULE');
  });

  test('rejects an EKS spelling given where the Kubernetes one is expected', () => {
    expect(() => eksTaintEffect('NO_SCHEDULE' as never)).toThrow(BatchplaneError);
  });
});

describe('amiType', () => {
  test('picks the AL2023 family by architecture and GPU', () => {
    expect(amiType(poolSpec('a'))).toBe('AL2023_x86_64_STANDARD');
    expect(amiType(poolSpec('b', { instanceTypes: [instance('m7g.2xlarge', 8, 32768, { arch: 'arm64' })] }))).toBe('AL2023_ARM_64_STANDARD');
    expect(amiType(poolSpec('c', { instanceTypes: [instance('g5.2xlarge', 8, 32768, { gpus: 1 })] }))).toBe('AL2023_x86_64_NVIDIA');
  });

  test('rejects pools that mix architectures, naming the pool', () => {
    const mixed = poolSpec('mixed', { instanceTypes: [instance('m6i.2xlarge', 8, 32768), instance('m7g.2xlarge', 8, 32768, { arch: 'arm64' })] });
    expect(() => amiType(mixed)).toThrow(/^\[mixed\] instanceTypes: .*single CPU architecture/);
  });
});

describe('poolSubnets', () => {
  test('a single-zone pool gets exactly the subnet of its zone', () => {
    expect(poolSubnets(designPools().spot, SUBNETS)).toEqual(['subnet-aaa']);
  });

  test('a pool without zones spans every subnet, in zone order', () => {
    expect(poolSubnets(designPools().general, SUBNETS)).toEqual(['subnet-aaa', 'subnet-bbb', 'subnet-ccc']);
  });

  test('a zone without a subnet is an error naming the pool, the field and the known zones', () => {
    const pool = poolSpec('spark-spot', { zones: ['eu-west-1d'] });
    expect(() => poolSubnets(pool, SUBNETS)).toThrow(
      '[spark-spot] zones: got "eu-west-1d", expected a zone with a subnet in subnetIds (eu-west-1a, eu-west-1b, eu-west-1c)',
    );
  });
});

describe('autoscalerTags', () => {
  test('describe labels and taints in Kubernetes spelling, plus discovery and resources', () => {
    expect(autoscalerTags(designPools().spot, 'data')).toEqual({
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/data': 'owned',
      'k8s.io/cluster-autoscaler/node-template/label/batchplane.io/pool': 'spark-spot',
      'k8s.io/cluster-autoscaler/node-template/taint/dedicated': 'spark:NoSchedule',
      'k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage': '100Gi',
    });
  });

  test('a taint without value is written as ":<Effect>"; GPU pools advertise nvidia.com/gpu', () => {
    const gpu = poolSpec('gpu', {
      instanceTypes: [instance('g5.2xlarge', 8, 32768, { gpus: 1 })],
      taints: [{ key: 'nvidia.com/gpu', effect: 'NoExecute' }],
    });
    const tags = autoscalerTags(gpu, 'data');
    expect(tags['k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu']).toBe(':NoExecute');
    expect(tags['k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu']).toBe('1');
  });

  test('keys are sorted', () => {
    const keys = Object.keys(autoscalerTags(designPools().spot, 'data'));
    expect(keys).toEqual([...keys].sort());
  });

  test('a label key too long for an Auto Scaling tag is an error naming the pool', () => {
    const pool = poolSpec('long', { labels: { [`example.com/${'x'.repeat(80)}`]: 'v' } });
    expect(() => autoscalerTags(pool, 'data')).toThrow(/^\[long\] labels: .*128 characters/);
  });
});

describe('resourceTags', () => {
  test('only ephemeral storage for a CPU pool', () => {
    expect(resourceTags(designPools().general)).toEqual({ 'k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage': '20Gi' });
  });
});

describe('nodeGroupArgs', () => {
  test('translates the spot pool into node group arguments', () => {
    const args = nodeGroupArgs(designPools().spot, { ...context, tags: { env: 'test' } });
    expect(args).toEqual({
      clusterName: 'data',
      nodeRoleArn: 'arn:aws:iam::123456789012:role/node',
      subnetIds: ['subnet-aaa'],
      instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'],
      capacityType: 'SPOT',
      amiType: 'AL2023_x86_64_STANDARD',
      diskSize: 100,
      scalingConfig: { minSize: 0, maxSize: 40, desiredSize: 0 },
      labels: { 'batchplane.io/pool': 'spark-spot' },
      taints: [{ key: 'dedicated', value: 'spark', effect: 'NO_SCHEDULE' }],
      tags: { env: 'test', 'k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage': '100Gi' },
    });
  });

  test('passes the Kubernetes version when given', () => {
    expect(nodeGroupArgs(designPools().general, { ...context, kubernetesVersion: '1.31' }).version).toBe('1.31');
  });

  test.each([
    [{ maxNodes: 0 }, /^\[p\] maxNodes: got 0, expected an integer >= 1/],
    [{ minNodes: 5, maxNodes: 3 }, /^\[p\] maxNodes: got 3, expected an integer >= 5/],
    [{ minNodes: -1 }, /^\[p\] minNodes: got -1/],
    [{ instanceTypes: [] }, /^\[p\] instanceTypes: got \[\], expected at least one instance type/],
    [{ capacityType: 'RESERVED' as never }, /^\[p\] capacityType: got "RESERVED"/],
    [{ diskSizeGiB: 0.5 }, /^\[p\] diskSizeGiB: got 0.5/],
  ])('rejects %j with a message naming pool and field', (overrides, message) => {
    expect(() => nodeGroupArgs(poolSpec('p', overrides), context)).toThrow(message);
  });

  test('rejects a pool name EKS cannot use', () => {
    expect(() => nodeGroupArgs(poolSpec('bad name'), context)).toThrow(/^name: got "bad name"/);
  });
});

describe('checkPool and poolSpecs', () => {
  test('checkPool accepts the design pools', () => {
    const { general, spot } = designPools();
    expect(() => [general, spot].forEach((pool) => checkPool(pool, SUBNETS, 'data'))).not.toThrow();
  });

  test('poolSpecs rejects duplicate names and non-pools', () => {
    const { general } = designPools();
    expect(() => poolSpecs([{ spec: general }, { spec: general }])).toThrow('pools: got "general", expected unique pool names');
    expect(() => poolSpecs([{} as never])).toThrow(/^pools\[0\]: got \{\}, expected a NodePool/);
    expect(() => poolSpecs([])).toThrow(/^pools: got \[\], expected at least one node pool/);
  });
});

describe('the same pool on both sides', () => {
  test("a pool's taint is a NO_SCHEDULE node group taint and a toleration of the pods that target the pool", () => {
    const { general, spot } = designPools();
    const args = nodeGroupArgs(spot, context);
    expect(args.taints).toEqual([{ key: 'dedicated', value: 'spark', effect: 'NO_SCHEDULE' }]);
    const placement = poolPlacement(spot, general);
    expect(placement.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }]);
    // The node group labels carry the pool label the pods' required affinity selects on.
    expect(args.labels).toMatchObject({ [POOL_LABEL]: 'spark-spot' });
    expect(placement.requiredTerms?.[0].matchExpressions?.[0]).toEqual({ key: POOL_LABEL, operator: 'In', values: ['spark-spot', 'general'] });
    // And the autoscaler's template node for the empty group carries the same taint and label.
    const tags = autoscalerTags(spot, 'data');
    expect(tags['k8s.io/cluster-autoscaler/node-template/taint/dedicated']).toBe('spark:NoSchedule');
    expect(tags[`k8s.io/cluster-autoscaler/node-template/label/${POOL_LABEL}`]).toBe('spark-spot');
  });
});
