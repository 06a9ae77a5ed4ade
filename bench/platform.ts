/**
 * Builds the constructs of a generated {@link PlatformPlan} the way a user would write them: node pools,
 * over-provisioning, Spark applications and pipelines whose steps depend on each other.
 */
import { App } from 'cdk8s';
import { CapacityType, NodePool, TaintEffect } from '../lib/k8s/node-pool';
import { OverProvisioning } from '../lib/k8s/over-provisioning';
import { Pipeline, PipelineProps } from '../lib/k8s/pipeline';
import { ContainerTaskOptions, PipelineTask } from '../lib/k8s/pipeline-task';
import { Platform } from '../lib/k8s/platform';
import { SparkApplication } from '../lib/k8s/spark-application';
import { SparkType } from '../lib/model/spark-sizing';
import { ContainerJobPlan, DRIVER_POOL, EXECUTOR_POOL, PipelinePlan, PlatformPlan, PoolPlan, SparkJobPlan } from './generate';

const PLATFORM_ID = 'bench';
const NAMESPACE = 'batch';
const SPARK_IMAGE = 'apache/spark:3.5.3';
const PYTHON_IMAGE = 'python:3.12-slim';

/**
 * Creates the platform of `plan` in `app`. Every validation is on: the constructs' own, and the
 * resolver and the security policy, which the Platform registers itself.
 */
export function buildPlatform(app: App, plan: PlatformPlan): Platform {
  const platform = new Platform(app, PLATFORM_ID, { namespace: NAMESPACE });
  const pools = new Map<string, NodePool>();
  for (const pool of plan.pools) pools.set(pool.name, createPool(platform, pool, pools));
  const { headroom } = plan;
  new OverProvisioning(platform, 'headroom', { pool: poolNamed(pools, headroom.pool), replicas: headroom.replicas, cpu: headroom.cpu, memory: headroom.memory });
  for (const pipeline of plan.pipelines) createPipeline(platform, pipeline, pools);
  return platform;
}

function poolNamed(pools: ReadonlyMap<string, NodePool>, name: string): NodePool {
  const pool = pools.get(name);
  if (pool === undefined) throw new Error(`the plan names an undeclared pool ${name}`);
  return pool;
}

function createPool(platform: Platform, plan: PoolPlan, pools: ReadonlyMap<string, NodePool>): NodePool {
  return new NodePool(platform, plan.name, {
    instanceTypes: plan.instanceTypes,
    capacityType: plan.capacityType === 'SPOT' ? CapacityType.SPOT : CapacityType.ON_DEMAND,
    minNodes: plan.minNodes,
    maxNodes: plan.maxNodes,
    ...(plan.dedicated === undefined ? {} : { taints: [{ key: 'dedicated', value: plan.dedicated, effect: TaintEffect.NO_SCHEDULE }] }),
    ...(plan.fallback === undefined ? {} : { fallback: poolNamed(pools, plan.fallback) }),
  });
}

function pipelineProps(plan: PipelinePlan): PipelineProps {
  switch (plan.kind) {
    case 'CronWorkflow': return { schedule: plan.schedule };
    case 'WorkflowTemplate': return { template: true };
    case 'Workflow': return {};
  }
}

function createPipeline(platform: Platform, plan: PipelinePlan, pools: ReadonlyMap<string, NodePool>): Pipeline {
  const pipeline = new Pipeline(platform, plan.name, pipelineProps(plan));
  const dependencies = plan.jobs.map((): number[] => []);
  for (const [from, to] of plan.edges) dependencies[to].push(from);
  const tasks: PipelineTask[] = [];
  plan.jobs.forEach((job, index) => {
    const options = { dependsOn: dependencies[index].map((d) => tasks[d]), estimatedDuration: job.estimatedSeconds };
    tasks.push(job.kind === 'spark'
      ? pipeline.spark(job.name, createSparkApplication(platform, job, pools), options)
      : pipeline.container(job.name, { ...containerOptions(job, pools), ...options }));
  });
  return pipeline;
}

function containerOptions(job: ContainerJobPlan, pools: ReadonlyMap<string, NodePool>): ContainerTaskOptions {
  return {
    image: PYTHON_IMAGE,
    command: ['python', '-m', 'etl.steps', job.name],
    pool: poolNamed(pools, job.pool),
    cpu: job.cpu,
    memory: job.memory,
  };
}

function createSparkApplication(platform: Platform, job: SparkJobPlan, pools: ReadonlyMap<string, NodePool>): SparkApplication {
  const python = job.language === 'Python';
  const dynamic = 'minExecutors' in job.executors ? job.executors : undefined;
  return new SparkApplication(platform, job.name, {
    type: python ? SparkType.PYTHON : SparkType.SCALA,
    sparkVersion: '3.5.3',
    image: SPARK_IMAGE,
    mainApplicationFile: python ? `s3a://bench-jobs/${job.name}.py` : 's3a://bench-jobs/etl-assembly-1.0.jar',
    ...(python ? {} : { mainClass: 'com.example.etl.Main' }),
    arguments: ['--job', job.name],
    driver: { cores: 1, memory: job.driverMemory, pool: poolNamed(pools, DRIVER_POOL) },
    executor: {
      cores: job.executorCores,
      memory: job.executorMemory,
      pool: poolNamed(pools, EXECUTOR_POOL),
      ...('instances' in job.executors ? { instances: job.executors.instances } : {}),
    },
    ...(dynamic === undefined ? {} : { dynamicAllocation: { minExecutors: dynamic.minExecutors, maxExecutors: dynamic.maxExecutors } }),
  });
}
