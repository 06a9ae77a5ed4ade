/**
 * Turns a generated {@link GraphPlan} into the model values the resolver reads (pool specs and one
 * {@link PipelineGraph}), using only lib/model: the resolver can then be timed without constructs.
 * Pods are sized and placed the way the constructs do it (Spark sizing rules, pool placement).
 */
import { PipelineGraph } from '../lib/model/job-graph';
import { createNodePoolSpec, NodePoolSpec, poolPlacement } from '../lib/model/node-pool';
import { resourcesFromList } from '../lib/model/quantity';
import { sparkPodResources, SparkType } from '../lib/model/spark-sizing';
import { JobDemand, PodGroup } from '../lib/model/workload';
import { ContainerJobPlan, DRIVER_POOL, EXECUTOR_POOL, GraphPlan, JobPlan, PoolPlan, SparkJobPlan } from './generate';

/** The resolver's input for one generated graph. */
export interface ModelGraph {
  readonly pools: readonly NodePoolSpec[];
  readonly pipeline: PipelineGraph;
}

function poolSpec(plan: PoolPlan): NodePoolSpec {
  return createNodePoolSpec({
    name: plan.name,
    instanceTypes: plan.instanceTypes,
    capacityType: plan.capacityType,
    minNodes: plan.minNodes,
    maxNodes: plan.maxNodes,
    taints: plan.dedicated === undefined ? [] : [{ key: 'dedicated', value: plan.dedicated, effect: 'NoSchedule' }],
    ...(plan.fallback === undefined ? {} : { fallback: plan.fallback }),
  });
}

/** Builds a PodGroup placed on `pool` (and its fallback). */
type Placer = (pool: string) => Pick<PodGroup, 'placement' | 'pool'>;

function placer(pools: readonly NodePoolSpec[]): Placer {
  const byName = new Map(pools.map((p) => [p.name, p]));
  const spec = (name: string): NodePoolSpec => {
    const pool = byName.get(name);
    if (pool === undefined) throw new Error(`the plan names an undeclared pool ${name}`);
    return pool;
  };
  return (name) => {
    const pool = spec(name);
    return { placement: poolPlacement(pool, pool.fallback === undefined ? undefined : spec(pool.fallback)), pool: name };
  };
}

function sparkDemand(job: SparkJobPlan, place: Placer): JobDemand['pods'] {
  const type = job.language === 'Python' ? SparkType.PYTHON : SparkType.SCALA;
  const driver = sparkPodResources({ role: 'driver', type, memory: job.driverMemory, cores: 1 });
  const executor = sparkPodResources({ role: 'executor', type, memory: job.executorMemory, cores: job.executorCores });
  const counts = 'instances' in job.executors
    ? { count: job.executors.instances }
    : { count: job.executors.minExecutors, maxCount: job.executors.maxExecutors };
  return [
    { role: 'driver', count: 1, requests: driver.requests, ...place(DRIVER_POOL) },
    { role: 'executor', ...counts, requests: executor.requests, ...place(EXECUTOR_POOL) },
  ];
}

function containerDemand(job: ContainerJobPlan, place: Placer): JobDemand['pods'] {
  const requests = { ...resourcesFromList({ cpu: job.cpu, memory: job.memory, 'ephemeral-storage': '1Gi' }), pods: 1 };
  return [{ role: 'main', count: 1, requests, ...place(job.pool) }];
}

function jobDemand(job: JobPlan, place: Placer): JobDemand {
  const pods = job.kind === 'spark' ? sparkDemand(job, place) : containerDemand(job, place);
  return { name: job.name, path: `bench/graph/${job.name}`, pods, estimatedDurationSeconds: job.estimatedSeconds };
}

/** The pool specs and the pipeline graph of `plan`. */
export function modelGraph(plan: GraphPlan): ModelGraph {
  const pools = plan.pools.map(poolSpec);
  const place = placer(pools);
  const jobs = plan.jobs.map((job) => jobDemand(job, place));
  const edges = plan.edges.map(([from, to]): [string, string] => [jobs[from].name, jobs[to].name]);
  return { pools, pipeline: { name: 'graph', path: 'bench/graph', jobs, edges } };
}
