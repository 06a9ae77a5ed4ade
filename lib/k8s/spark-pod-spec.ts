/**
 * The driver and executor sections of a SparkApplication: typed props, validation and rendering.
 *
 * Placement (tolerations, node affinity), security contexts, env, volume mounts and priority are applied
 * by the operator's mutating webhook only; batchplane emits them explicitly on every pod section so the
 * manifest states what the pods should get, and the capacity planner sees the same placement.
 */
import { k8s } from 'cdk8s-plus-27';
import { check, underField } from '../model/errors';
import {
  annotationMap, INT64_SAFE_MAX, integerInRange, isRecord, labelMap, list, nonEmpty, optional, optionalBoolean, optionalInteger, optionalString,
} from '../model/input';
import { checkLabelKey } from '../model/names';
import { PodPlacement } from '../model/scheduling-types';
import { SparkConf, sizingFromSparkConf } from '../model/spark-conf';
import { SparkPodResources, sparkPodResources, SparkRole, SparkType } from '../model/spark-sizing';
import { NodePool, placementManifest } from './node-pool';
import { PriorityTier } from './priority-tiers';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security';

/** The user and group of the official `apache/spark` images. */
export const SPARK_IMAGE_USER = 185;

/** The annotation that stops cluster-autoscaler from draining a node to evict the pod. */
export const SAFE_TO_EVICT_ANNOTATION = 'cluster-autoscaler.kubernetes.io/safe-to-evict';

/** A GPU (or other device) request of a Spark pod. */
export interface SparkGpu {
  /**
   * The extended resource name.
   * @default 'nvidia.com/gpu'
   */
  readonly name?: string;
  /** Devices per pod, an integer >= 1. */
  readonly quantity: number;
}

/** Props shared by the driver and the executors. */
export interface SparkPodProps {
  /**
   * Spark cores, an integer >= 1 (`spark.{driver,executor}.cores`); also the CPU request unless `coreRequest` is set.
   * For a fraction of a CPU keep `cores: 1` and set `coreRequest`.
   * @default 1
   */
  readonly cores?: number;
  /**
   * The CPU request, a Kubernetes CPU quantity (`'500m'`).
   * @default - `cores`
   */
  readonly coreRequest?: string;
  /**
   * The CPU limit, a Kubernetes CPU quantity.
   * @default - no CPU limit (Spark sets one only when asked)
   */
  readonly coreLimit?: string;
  /**
   * The JVM heap, a Spark memory string (`'512m'`, `'4g'`; integers only, binary units).
   * @default '1g'
   */
  readonly memory?: string;
  /**
   * Memory added to the heap for the container, a Spark memory string.
   * @default - max(factor × memory, 384 MiB), factor 0.1 for Java/Scala and 0.4 for Python/R
   */
  readonly memoryOverhead?: string;
  /**
   * This role's overhead factor (`spark.{driver,executor}.memoryOverheadFactor`, Spark 3.3+).
   * @default - the application's `memoryOverheadFactor`
   */
  readonly memoryOverheadFactor?: number;
  /**
   * GPUs per pod.
   * @default - none
   */
  readonly gpu?: SparkGpu;
  /**
   * An image for this role only.
   * @default - the application's image
   */
  readonly image?: string;
  /**
   * The node pool the pods run on: its tolerations and node affinity are written on the pods.
   * @default - no placement constraints
   */
  readonly pool?: NodePool;
  /**
   * The priority tier of the pods.
   * @default PriorityTier.DEFAULT
   */
  readonly priorityTier?: PriorityTier;
  /**
   * Pod labels.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Pod annotations.
   * @default - none (the driver gets `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"`)
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Environment variables of the Spark container.
   * @default - none
   */
  readonly env?: readonly k8s.EnvVar[];
  /**
   * Environment sources of the Spark container.
   * @default - none
   */
  readonly envFrom?: readonly k8s.EnvFromSource[];
  /**
   * Extra volume mounts; the volumes go in the application's `volumes`.
   * @default - only the scratch mounts
   */
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  /**
   * Replaces the container security context.
   * @default - restricted: non-root user 185, no privilege escalation, all capabilities dropped,
   * read-only root filesystem, RuntimeDefault seccomp
   */
  readonly securityContext?: k8s.SecurityContext;
  /**
   * Replaces the pod security context.
   * @default - non-root user and group 185, fsGroup 185, RuntimeDefault seccomp
   */
  readonly podSecurityContext?: k8s.PodSecurityContext;
  /**
   * JVM options (`spark.{driver,executor}.extraJavaOptions`).
   * @default - none
   */
  readonly javaOptions?: string;
  /**
   * Seconds the pod gets to stop. For executors with decommissioning, cover the block migration time.
   * @default - Kubernetes' default (30)
   */
  readonly terminationGracePeriodSeconds?: number;
}

/** Driver props. */
export interface SparkDriverProps extends SparkPodProps {}

/** Executor props. */
export interface SparkExecutorProps extends SparkPodProps {
  /**
   * The number of executors, an integer >= 1. Not allowed with dynamic allocation (use `initialExecutors`).
   * @default 1 (without dynamic allocation)
   */
  readonly instances?: number;
  /**
   * Delete executor pods when they terminate (`spark.kubernetes.executor.deleteOnTermination`).
   * @default - Spark's default (true)
   */
  readonly deleteOnTermination?: boolean;
}

/** Application-wide inputs for rendering one pod section. */
export interface SparkPodContext {
  readonly role: SparkRole;
  readonly type: SparkType;
  /** The application's memoryOverheadFactor. */
  readonly appMemoryOverheadFactor?: number;
  /** The user's sparkConf, for sizing keys Spark reads from it. */
  readonly sparkConf: SparkConf;
  /** The service account the pods run as. */
  readonly serviceAccountName: string;
  /** Mounts added before the user's (scratch space). */
  readonly scratchMounts: readonly k8s.VolumeMount[];
}

/** A rendered pod section and what the planner needs to know about it. */
export interface RenderedSparkPod {
  /** The `driver` / `executor` object of the SparkApplication spec. */
  readonly spec: Record<string, unknown>;
  /** The pod's requests and limits. */
  readonly resources: SparkPodResources;
  /** Where the pod may land. */
  readonly placement: PodPlacement;
  /** The pool name, when placed by pool. */
  readonly pool?: string;
  /** sparkConf entries this section needs (the role's overhead factor). */
  readonly conf: SparkConf;
}

/** The default heap of a Spark pod, as the operator's defaulter would set it. */
export const DEFAULT_SPARK_MEMORY = '1g';

/**
 * Validates and renders a driver or executor section. Errors name fields under the role (`executor.memory`).
 */
export function renderSparkPod(props: SparkDriverProps | SparkExecutorProps, context: SparkPodContext): RenderedSparkPod {
  return underField(context.role, () => renderPod(props ?? {}, context));
}

function renderPod(props: SparkExecutorProps, context: SparkPodContext): RenderedSparkPod {
  check(isRecord(props), 'props', props, 'an object');
  const memory = props.memory ?? DEFAULT_SPARK_MEMORY;
  const cores = props.cores ?? 1;
  const gpu = gpuOf(props.gpu);
  const resources = sparkPodResources({
    ...sizingFromSparkConf(context.sparkConf, context.role),
    role: context.role,
    type: context.type,
    memory,
    memoryOverhead: props.memoryOverhead,
    memoryOverheadFactor: props.memoryOverheadFactor,
    appMemoryOverheadFactor: context.appMemoryOverheadFactor,
    cores,
    coreRequest: props.coreRequest,
    coreLimit: props.coreLimit,
    gpus: gpu?.quantity,
  });
  // sparkPodResources checked that cores is an integer >= 1; the operator stores it in an int32.
  integerInRange('cores', cores, 1);
  const terminationGrace = optionalInteger('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 0, INT64_SAFE_MAX);
  const pool = props.pool === undefined ? undefined : NodePool.check('pool', props.pool);
  check(props.priorityTier === undefined || props.priorityTier instanceof PriorityTier, 'priorityTier', props.priorityTier, 'a PriorityTier');
  const placement = pool?.placement() ?? { tolerations: [] };
  const spec: Record<string, unknown> = {
    cores,
    // Validated as CPU quantities above; a JavaScript caller may pass numbers, the schema wants strings.
    ...optional('coreRequest', props.coreRequest === undefined ? undefined : String(props.coreRequest)),
    ...optional('coreLimit', props.coreLimit === undefined ? undefined : String(props.coreLimit)),
    memory,
    ...optional('memoryOverhead', props.memoryOverhead),
    ...optional('gpu', gpu),
    ...optional('image', optionalString('image', props.image)),
    ...optional('labels', nonEmpty(labelMap('labels', props.labels))),
    ...optional('annotations', annotationsOf(props.annotations, context.role)),
    ...optional('env', list('env', checkEnvNames(props.env), k8s.toJson_EnvVar)),
    ...optional('envFrom', list('envFrom', props.envFrom, k8s.toJson_EnvFromSource)),
    volumeMounts: [...context.scratchMounts, ...(props.volumeMounts ?? [])].map((m) => k8s.toJson_VolumeMount(m)),
    ...placementManifest(placement),
    podSecurityContext: k8s.toJson_PodSecurityContext(props.podSecurityContext ?? defaultPodSecurityContext()),
    securityContext: k8s.toJson_SecurityContext(props.securityContext ?? defaultContainerSecurityContext()),
    priorityClassName: (props.priorityTier ?? PriorityTier.DEFAULT).className,
    serviceAccount: context.serviceAccountName,
    ...optional('javaOptions', optionalString('javaOptions', props.javaOptions)),
    ...optional('terminationGracePeriodSeconds', terminationGrace),
    ...(context.role === 'executor' ? executorFields(props) : {}),
  };
  const factor = props.memoryOverheadFactor;
  const conf: SparkConf = factor === undefined ? {} : { [`spark.${context.role}.memoryOverheadFactor`]: String(factor) };
  return { spec, resources, placement, pool: pool?.name, conf };
}

function executorFields(props: SparkExecutorProps): Record<string, unknown> {
  return optional('deleteOnTermination', optionalBoolean('deleteOnTermination', props.deleteOnTermination));
}

function defaultPodSecurityContext(): k8s.PodSecurityContext {
  return restrictedPodSecurityContext({ runAsUser: SPARK_IMAGE_USER, runAsGroup: SPARK_IMAGE_USER, fsGroup: SPARK_IMAGE_USER });
}

function defaultContainerSecurityContext(): k8s.SecurityContext {
  return restrictedContainerSecurityContext({ runAsUser: SPARK_IMAGE_USER, runAsGroup: SPARK_IMAGE_USER });
}

function gpuOf(gpu: SparkGpu | undefined): { name: string; quantity: number } | undefined {
  if (gpu === undefined) return undefined;
  check(isRecord(gpu), 'gpu', gpu, 'an object { name?, quantity }');
  const quantity = integerInRange('gpu.quantity', gpu.quantity, 1, INT64_SAFE_MAX);
  const name = checkLabelKey('gpu.name', gpu.name ?? 'nvidia.com/gpu');
  return { name, quantity };
}

function annotationsOf(annotations: Readonly<Record<string, string>> | undefined, role: SparkRole): Readonly<Record<string, string>> | undefined {
  // A driver pod holds the whole application: evicting it to scale a node down restarts the job.
  const defaults: Record<string, string> = role === 'driver' ? { [SAFE_TO_EVICT_ANNOTATION]: 'false' } : {};
  return nonEmpty({ ...defaults, ...annotationMap('annotations', annotations) });
}

/** Environment variables, each with a name (the one field Kubernetes requires). */
function checkEnvNames(env: readonly k8s.EnvVar[] | undefined): readonly k8s.EnvVar[] | undefined {
  if (!Array.isArray(env)) return env;
  env.forEach((e: unknown, i) => {
    const name: unknown = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
    check(typeof name === 'string' && name.length > 0, `env[${i}].name`, name, 'a non-empty environment variable name');
  });
  return env;
}
