/**
 * batchplane: typed constructs for batch platforms on Kubernetes (node pools, over-provisioning,
 * Spark, Argo Workflows), checked for cycles and capacity when `cdk8s synth` runs. The Pulumi side is
 * `batchplane/pulumi`.
 */
export * from './model';
export { Platform, type PlatformProps } from './k8s/platform';
export { NodePool, type NodePoolProps, CapacityType, TaintEffect, type NodeTaint, type PoolPlacementOptions } from './k8s/node-pool';
export { OverProvisioning, type OverProvisioningProps } from './k8s/over-provisioning';
export { PriorityTier, type PriorityTierOptions, PreemptionPolicy, type PriorityClassSpec } from './k8s/priority-tiers';
export {
  SparkApplication,
  SparkApplicationBase,
  type SparkApplicationProps,
  type SparkBatchSchedulerOptions,
  type SparkDependencies,
  SparkDeployMode,
  type SparkMonitoring,
  type SparkPrometheus,
  type SparkRestartPolicy,
  SparkRestartPolicyType,
  type SparkScratchSpace,
} from './k8s/spark-application';
export { type SparkDriverProps, type SparkExecutorProps, type SparkGpu, type SparkPodProps } from './k8s/spark-pod-spec';
export { SparkServiceAccount, type SparkServiceAccountProps } from './k8s/spark-rbac';
export { ScheduledSparkApplication, type ScheduledSparkApplicationProps, SparkConcurrencyPolicy } from './k8s/scheduled-spark-application';
export { SparkHistoryServer, type SparkHistoryServerProps, SparkEventLogStorage, type SparkEventLogLocation, type ISparkEventLog } from './k8s/spark-history-server';
export { Pipeline, type PipelineProps, type PipelineKind, type ConcurrencyPolicy, type PodGcStrategy, type TtlStrategy, type ExitHandlerOptions } from './k8s/pipeline';
export {
  ContainerTask,
  type ContainerTaskOptions,
  PipelineTask,
  type PipelineTaskOptions,
  type PodTaskOptions,
  type RetryPolicy,
  type RetryStrategy,
  type ScriptTaskOptions,
  SparkTask,
  type SparkTaskOptions,
  TemplateRefTask,
  type TemplateRefTaskOptions,
  type TemplateReference,
} from './k8s/pipeline-task';
export { EnvValue, type EnvFromSource } from './k8s/env-value';
export { WorkflowRbac, type WorkflowRbacProps, type WorkflowServiceAccountOptions, type WorkflowPermission } from './k8s/workflow-rbac';
export { POLICY_RULES, type PolicyRuleId, type PolicyViolation, type PolicyOptions, checkPolicy, registerPolicyValidation } from './k8s/policy';
export { exemptFromPolicy } from './k8s/policy-exemption';
export { resolvePlatform, registerResolver } from './k8s/resolver';
