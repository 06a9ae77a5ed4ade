/**
 * The pure model: quantities, resources, scheduling predicates, the instance catalogue, pools, Spark
 * sizing, `depends` expressions, the job graph and the capacity planner. No cdk8s, no Pulumi.
 */
export { BatchplaneError } from './errors';
export { Quantity, type QuantityFormat, type ResourceListOptions, NVIDIA_GPU, formatBytes, formatCpu, resourcesFromList, resourcesToList } from './quantity';
export { parseJvmMemory, formatJvmMemory } from './jvm-memory';
export * as ResourceVectors from './resources';
export type { ResourceVector } from './resources';
export * from './scheduling-types';
export * from './scheduling';
export { type CronSchedule, type CronFields, type CronSpecSchedule, type CronEverySchedule, parseCron, nextRuns } from './cron';
export { parseDuration, formatDuration } from './duration';
export * from './instance-types';
export { type AllocatableOptions, allocatable, kubeReservedCpuMillis, kubeReservedMemoryMiB } from './allocatable';
export {
  type CapacityTypeName,
  type DaemonSetOverheadInput,
  type NodePoolSpec,
  type NodePoolSpecInput,
  POOL_LABEL,
  createNodePoolSpec,
  nodeLabels,
  poolAllocatable,
  poolPlacement,
} from './node-pool';
export * from './workload';
export { SparkType, type SparkRole, type SparkPodSizingSpec, type SparkPodResources, sparkPodResources } from './spark-sizing';
export { type SparkDecommissionOptions, type SparkDynamicAllocationOptions } from './spark-conf';
export {
  Depends,
  DependsExpression,
  type DependsOperand,
  type DependsResult,
  type DependsTarget,
  type TaskOutcome,
  type TaskPhase,
  evaluateDepends,
  parseDepends,
  referencedTasks,
  renderDepends,
} from './depends';
export { JobGraph, type PipelineGraph, type GraphProblem, type GraphProblemCode, type CriticalPath, type Antichain } from './job-graph';
export { binPack, type PodBatch, type PackingResult, type UnplacedPods } from './bin-packing';
export {
  planCapacity,
  hasErrors,
  PLAN_FILE_ENV,
  type CapacityPlan,
  type Finding,
  type Severity,
  type PlanInput,
  type PoolInput,
  type OverProvisioningInput,
  type PoolPlan,
  type PipelinePlan,
  type PeakDemand,
  type PlanFile,
  type PlatformPlan,
} from './planner';
export { simulateSchedule, type Schedule, type ScheduleInput, type ScheduledJob, type SimulatedPool, type PoolDemand } from './schedule';
