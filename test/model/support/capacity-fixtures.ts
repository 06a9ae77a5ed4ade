/**
 * Small hand-built pools and jobs shared by the resolver's model tests (fit, planner, schedule, CLI
 * renderers). Numbers: an m6i.2xlarge or r6i.2xlarge node offers 7710m CPU after kube-reserved and the
 * default DaemonSet overhead; m6i.2xlarge 31519Mi memory, r6i.2xlarge 64287Mi.
 */
import { NodePoolSpec, createNodePoolSpec, poolPlacement } from '../../../lib/model/node-pool';
import { ResourceVector, resources } from '../../../lib/model/resources';
import { PodPlacement } from '../../../lib/model/scheduling-types';
import { JobDemand, PodGroup } from '../../../lib/model/workload';
import { PipelineGraph } from '../../../lib/model/job-graph';

export const GI = 2 ** 30;
export const MI = 2 ** 20;

/** An on-demand pool of m6i.2xlarge, 1 to 10 nodes. */
export const GENERAL: NodePoolSpec = createNodePoolSpec({ name: 'general', instanceTypes: ['m6i.2xlarge'], minNodes: 1, maxNodes: 10 });

/** A tainted spot pool of r6i.2xlarge, up to 4 nodes, falling back to general. */
export const SPARK_SPOT: NodePoolSpec = createNodePoolSpec({
  name: 'spark-spot', instanceTypes: ['r6i.2xlarge'], capacityType: 'SPOT', maxNodes: 4, zones: ['eu-west-1a'],
  taints: [{ key: 'dedicated', value: 'spark', effect: 'NoSchedule' }], fallback: 'general',
});

/** A GPU pool of g5.xlarge, tainted for GPU pods. */
export const GPU: NodePoolSpec = createNodePoolSpec({
  name: 'gpu', instanceTypes: ['g5.xlarge'], maxNodes: 2, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
});

export const POOLS = [GENERAL, SPARK_SPOT, GPU];

/** Requests of one pod: cores and GiB. */
export function pod(cpu: number, memoryGi: number, extra: Partial<ResourceVector> = {}): ResourceVector {
  return resources({ cpuMillis: Math.round(cpu * 1000), memoryBytes: Math.round(memoryGi * GI), pods: 1, ...extra });
}

/** A pod group placed on a pool the way the constructs place it. */
export function group(role: string, count: number, requests: ResourceVector, pool: NodePoolSpec, extra: Partial<PodGroup> = {}): PodGroup {
  return { role, count, requests, placement: poolPlacement(pool), pool: pool.name, ...extra };
}

/** A pod group with a hand-written placement and no pool. */
export function freeGroup(role: string, requests: ResourceVector, placement: PodPlacement): PodGroup {
  return { role, count: 1, requests, placement };
}

/** A Spark job: a driver on general and executors on spark-spot. */
export function sparkJob(name: string, executors: number, minutes?: number, path = `data/${name}`): JobDemand {
  return {
    name, path,
    pods: [group('driver', 1, pod(1, 2), GENERAL), group('executor', executors, pod(4, 12), SPARK_SPOT)],
    ...(minutes === undefined ? {} : { estimatedDurationSeconds: minutes * 60 }),
  };
}

/** A one-pod container job on general. */
export function containerJob(name: string, cpu: number, memoryGi: number, minutes?: number, path = `data/nightly/${name}`): JobDemand {
  return { name, path, pods: [group('main', 1, pod(cpu, memoryGi), GENERAL)], ...(minutes === undefined ? {} : { estimatedDurationSeconds: minutes * 60 }) };
}

/** The seed pipeline: A → B; C; D after A, B, C; E and F after D. Durations in minutes when given. */
export function seedPipeline(minutes?: Record<string, number>, deadlineSeconds?: number): PipelineGraph {
  const m = (name: string): number | undefined => minutes?.[name];
  return {
    name: 'nightly', path: 'data/nightly',
    jobs: [
      containerJob('job-a', 1, 2, m('job-a')),
      { ...sparkJob('job-b', 2, m('job-b'), 'data/nightly/job-b') },
      containerJob('job-c', 2, 4, m('job-c')),
      containerJob('job-d', 2, 4, m('job-d')),
      containerJob('job-e', 1, 2, m('job-e')),
      containerJob('job-f', 1, 2, m('job-f')),
    ],
    edges: [['job-a', 'job-b'], ['job-a', 'job-d'], ['job-b', 'job-d'], ['job-c', 'job-d'], ['job-d', 'job-e'], ['job-d', 'job-f']],
    ...(deadlineSeconds === undefined ? {} : { deadlineSeconds }),
  };
}

export const SEED_MINUTES = { 'job-a': 10, 'job-b': 30, 'job-c': 20, 'job-d': 15, 'job-e': 5, 'job-f': 10 };
