/**
 * The example platform end to end: the NodePool objects of examples/platform.ts feed both the cdk8s
 * manifests and BatchCluster (under Pulumi mocks), so a pool's taint is the node group's taint, the
 * cluster-autoscaler template tag of its Auto Scaling group, and the toleration of the pods placed on it.
 */
import { App } from 'cdk8s';
import type * as batchplane from '../../lib/pulumi';
import type { ExamplePlatform } from '../../examples/platform';
import type { RecordedResource } from './fixtures';
import { recordResources, SUBNETS, valueOf } from './fixtures';

let recorded: RecordedResource[];
let lib: typeof batchplane;
let example: ExamplePlatform;
let manifests: Record<string, unknown>[];

beforeAll(async () => {
  recorded = await recordResources();
  lib = await import('../../lib/pulumi');
  const { buildPlatform } = await import('../../examples/platform');
  example = buildPlatform(new App());
  manifests = example.platform.toJson();
  const cluster = new lib.BatchCluster('example', {
    pools: example.pools,
    subnetIds: SUBNETS,
    jobNamespaces: [example.platform.namespace],
  });
  const deployments = cluster.deploy(example.app);
  await valueOf(cluster.urn);
  await Promise.all(deployments.map((deployment) => valueOf(deployment.configGroup.urn)));
});

function resource(type: string, name: string): RecordedResource {
  const found = recorded.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} ${name} among ${recorded.map((r) => `${r.type} ${r.name}`).join(', ')}`);
  return found;
}

test('the spot pool taint is a node group taint, an autoscaler template tag and the executors\' toleration', () => {
  const nodeGroup = resource('aws:eks/nodeGroup:NodeGroup', 'example-spark-spot');
  expect(nodeGroup.inputs.taints).toEqual([{ key: 'dedicated', value: 'spark', effect: 'NO_SCHEDULE' }]);
  expect(nodeGroup.inputs.capacityType).toBe('SPOT');
  expect(nodeGroup.inputs.labels).toMatchObject({ 'batchplane.io/pool': 'spark-spot' });
  const taintTag = recorded.find((r) => r.type === 'aws:autoscaling/tag:Tag' &&
    (r.inputs.tag as { key: string }).key === 'k8s.io/cluster-autoscaler/node-template/taint/dedicated');
  expect((taintTag?.inputs.tag as { value: string }).value).toBe('spark:NoSchedule');

  const scheduled = manifests.find((m) => m.kind === 'ScheduledSparkApplication') as {
    spec: { template: { executor: { tolerations: unknown[] } } };
  };
  expect(scheduled.spec.template.executor.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }]);
});

test('one node group per pool of the example, and the platform charts deployed', () => {
  const groups = recorded.filter((r) => r.type === 'aws:eks/nodeGroup:NodeGroup').map((r) => r.name).sort();
  expect(groups).toEqual(example.pools.map((pool) => `example-${pool.name}`).sort());
  expect(recorded.some((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup')).toBe(true);
});
