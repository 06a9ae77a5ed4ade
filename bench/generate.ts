/**
 * Seeded random platforms for the benchmark, as plain data (no constructs): node pools shared by all
 * pipelines, and pipelines of at most {@link MAX_DAG_TASKS} jobs whose dependencies form a random DAG
 * with about {@link EDGES_PER_JOB} edges per job. `bench/platform.ts` turns a plan into constructs.
 */
import { Random } from './random';

/** Argo's limit on the tasks of one DAG template, and the size of every generated pipeline but the last. */
export const MAX_DAG_TASKS = 200;

/** The average number of dependencies per job. */
export const EDGES_PER_JOB = 5;

/** The share of jobs that are Spark applications; the others are container steps. */
export const SPARK_SHARE = 0.4;

/** A node pool of the plan. */
export interface PoolPlan {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly capacityType: 'ON_DEMAND' | 'SPOT';
  readonly minNodes: number;
  readonly maxNodes: number;
  /** The value of a `dedicated=<value>:NoSchedule` taint, when the pool is reserved. */
  readonly dedicated?: string;
  /** The name of the fallback pool. */
  readonly fallback?: string;
}

/** Placeholder pods that keep spare capacity warm on a pool. */
export interface HeadroomPlan {
  readonly pool: string;
  readonly replicas: number;
  readonly cpu: string;
  readonly memory: string;
}

/** How many executors a Spark job runs. */
export type ExecutorPlan =
  | { readonly instances: number }
  | { readonly minExecutors: number; readonly maxExecutors: number };

/** A Spark application run by a pipeline step (driver on the general pool, executors on spark pools). */
export interface SparkJobPlan {
  readonly kind: 'spark';
  readonly name: string;
  readonly language: 'Python' | 'Scala';
  readonly driverMemory: string;
  readonly executorCores: number;
  readonly executorMemory: string;
  readonly executors: ExecutorPlan;
  readonly estimatedSeconds: number;
}

/** A container step. */
export interface ContainerJobPlan {
  readonly kind: 'container';
  readonly name: string;
  readonly pool: string;
  readonly cpu: string;
  readonly memory: string;
  readonly estimatedSeconds: number;
}

/** A job of a pipeline. */
export type JobPlan = SparkJobPlan | ContainerJobPlan;

/** A pipeline: its jobs and its dependencies as `[earlier, later]` indexes into `jobs`. */
export interface PipelinePlan {
  readonly name: string;
  readonly kind: 'Workflow' | 'WorkflowTemplate' | 'CronWorkflow';
  /** The cron schedule of a CronWorkflow. */
  readonly schedule?: string;
  readonly jobs: readonly JobPlan[];
  readonly edges: readonly (readonly [number, number])[];
}

/** A whole platform. */
export interface PlatformPlan {
  readonly seed: number;
  readonly pools: readonly PoolPlan[];
  readonly headroom: HeadroomPlan;
  readonly pipelines: readonly PipelinePlan[];
}

/** The pool Spark drivers run on. */
export const DRIVER_POOL = 'general';
/** The pool Spark executors run on (falling back to an on-demand pool). */
export const EXECUTOR_POOL = 'spark-spot';
const CONTAINER_POOLS = ['general', 'compute'] as const;

/**
 * Dependency edges of a random DAG on jobs `0 … n-1`: job `i` depends on jobs chosen uniformly among
 * `0 … i-1`. Each job takes {@link EDGES_PER_JOB} (`perJob`) dependencies; a job with fewer earlier jobs
 * takes all of them, and the shortfall is made up one extra dependency per job by the next jobs, so a
 * graph of at least `perJob·(perJob+3)/2 + 1` jobs (21 for 5 per job) has exactly `perJob · n` edges.
 * Edges are sorted by dependent, then dependency.
 */
export function dagEdges(random: Random, n: number, perJob = EDGES_PER_JOB): [number, number][] {
  const edges: [number, number][] = [];
  let carry = 0;
  for (let job = 0; job < n; job++) {
    const wanted = perJob + (carry > 0 ? 1 : 0);
    const taken = Math.min(job, wanted);
    carry += perJob - taken;
    for (const dependency of random.sample(job, taken)) edges.push([dependency, job]);
  }
  return edges;
}

/** Splits `total` jobs into pipelines of at most {@link MAX_DAG_TASKS}, as even as possible. */
export function pipelineSizes(total: number): number[] {
  const count = Math.ceil(total / MAX_DAG_TASKS);
  const base = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => base + (i < total % count ? 1 : 0));
}

/** A random platform with `jobCount` jobs. The same seed and count always give the same plan. */
export function generatePlatform(seed: number, jobCount: number): PlatformPlan {
  checkJobCount(jobCount);
  const random = new Random(seed);
  const pools = generatePools(random, jobCount);
  const pipelines = pipelineSizes(jobCount).map((size, index) => generatePipeline(random, index, size));
  return { seed, pools, headroom: { pool: EXECUTOR_POOL, replicas: random.int(1, 4), cpu: '2', memory: '8Gi' }, pipelines };
}

/** One DAG of `jobCount` jobs on the standard pools, for benchmarking the resolver without constructs. */
export interface GraphPlan {
  readonly seed: number;
  readonly pools: readonly PoolPlan[];
  readonly jobs: readonly JobPlan[];
  readonly edges: readonly (readonly [number, number])[];
}

/** A random single graph of `jobCount` jobs and {@link EDGES_PER_JOB} edges per job. */
export function generateGraph(seed: number, jobCount: number): GraphPlan {
  checkJobCount(jobCount);
  const random = new Random(seed);
  const pools = generatePools(random, jobCount);
  const jobs = Array.from({ length: jobCount }, (_, i) => generateJob(random, `job-${String(i).padStart(5, '0')}`));
  return { seed, pools, jobs, edges: dagEdges(random, jobCount) };
}

function checkJobCount(jobCount: number): void {
  if (!Number.isInteger(jobCount) || jobCount < 1) throw new RangeError(`jobCount must be a positive integer, got ${jobCount}`);
}

/** Pools sized so that every generated job fits and concurrency stays within capacity. */
function generatePools(random: Random, jobCount: number): PoolPlan[] {
  const scale = Math.max(1, Math.ceil(jobCount / MAX_DAG_TASKS));
  const max = (base: number): number => base * scale + random.int(0, base);
  return [
    { name: 'general', instanceTypes: ['m6i.2xlarge'], capacityType: 'ON_DEMAND', minNodes: 1, maxNodes: max(60) },
    { name: 'compute', instanceTypes: ['c6i.4xlarge'], capacityType: 'ON_DEMAND', minNodes: 0, maxNodes: max(30) },
    { name: 'spark-on-demand', instanceTypes: ['r6i.2xlarge'], capacityType: 'ON_DEMAND', minNodes: 0, maxNodes: max(60), dedicated: 'spark' },
    {
      name: EXECUTOR_POOL, instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'], capacityType: 'SPOT', minNodes: 0, maxNodes: max(120),
      dedicated: 'spark', fallback: 'spark-on-demand',
    },
  ];
}

function generatePipeline(random: Random, index: number, size: number): PipelinePlan {
  const name = `pipeline-${String(index + 1).padStart(3, '0')}`;
  const kind = random.pick(['Workflow', 'WorkflowTemplate', 'CronWorkflow'] as const);
  const jobs = Array.from({ length: size }, (_, i) => generateJob(random, `${name.replace('pipeline', 'p')}-j${String(i).padStart(3, '0')}`));
  const edges = dagEdges(random, size);
  return kind === 'CronWorkflow'
    ? { name, kind, schedule: `${random.int(0, 59)} ${random.int(0, 23)} * * *`, jobs, edges }
    : { name, kind, jobs, edges };
}

function generateJob(random: Random, name: string): JobPlan {
  const estimatedSeconds = 60 * random.int(1, 90);
  if (!random.chance(SPARK_SHARE)) {
    return {
      kind: 'container', name, estimatedSeconds,
      pool: random.pick(CONTAINER_POOLS),
      cpu: random.pick(['250m', '500m', '1', '2']),
      memory: random.pick(['512Mi', '1Gi', '2Gi', '4Gi']),
    };
  }
  const executors: ExecutorPlan = random.chance(0.3)
    ? { minExecutors: random.int(1, 2), maxExecutors: random.int(4, 16) }
    : { instances: random.int(1, 8) };
  return {
    kind: 'spark', name, estimatedSeconds,
    language: random.pick(['Python', 'Scala'] as const),
    driverMemory: random.pick(['1g', '2g', '4g']),
    executorCores: random.pick([1, 2, 4]),
    executorMemory: random.pick(['2g', '4g', '8g', '12g']),
    executors,
  };
}
