/**
 * The driver and executor sections of a SparkApplication: typed props, validation and rendering.
 *
 * Placement (tolerations, node affinity), security contexts, env, volume mounts and priority are applied
 * by the operator's mutating webhook only; batchplane emits them explicitly on every pod section so the
 * manifest states what the pods should get, and the capacity planner sees the same placement.
 */
import { k8s } from 'cdk8s-plus-27';
import { BatchplaneError, check } from '../model/errors';
import { checkLabelKey, checkLabelValue } from '../model/names';
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
  check(typeof props === 'object', 'props', props, 'an object');
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
  checkTerminationGrace(props.terminationGracePeriodSeconds);
  // The operator stores cores in an int32; sparkPodResources checks the lower bound.
  check(typeof cores !== 'number' || cores <= 2 ** 31 - 1, 'cores', cores, 'an integer <= 2147483647 (an int32 field)');
  check(props.pool === undefined || props.pool instanceof NodePool, 'pool', props.pool, 'a NodePool');
  check(props.priorityTier === undefined || props.priorityTier instanceof PriorityTier, 'priorityTier', props.priorityTier, 'a PriorityTier');
  const placement = props.pool?.placement() ?? { tolerations: [] };
  const spec: Record<string, unknown> = {
    cores,
    // Validated as CPU quantities above; a JavaScript caller may pass numbers, the schema wants strings.
    ...optional('coreRequest', props.coreRequest === undefined ? undefined : String(props.coreRequest)),
    ...optional('coreLimit', props.coreLimit === undefined ? undefined : String(props.coreLimit)),
    memory,
    ...optional('memoryOverhead', props.memoryOverhead),
    ...optional('gpu', gpu),
    ...optional('image', optionalString('image', props.image)),
    ...optional('labels', stringMap('labels', props.labels, true)),
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
    ...optional('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds),
    ...(context.role === 'executor' ? executorFields(props) : {}),
  };
  const factor = props.memoryOverheadFactor;
  const conf: SparkConf = factor === undefined ? {} : { [`spark.${context.role}.memoryOverheadFactor`]: String(factor) };
  return { spec, resources, placement, pool: props.pool?.name, conf };
}

function executorFields(props: SparkExecutorProps): Record<string, unknown> {
  const del = props.deleteOnTermination;
  check(del === undefined || typeof del === 'boolean', 'deleteOnTermination', del, 'a boolean');
  return optional('deleteOnTermination', del);
}

function defaultPodSecurityContext(): k8s.PodSecurityContext {
  return restrictedPodSecurityContext({ runAsUser: SPARK_IMAGE_USER, runAsGroup: SPARK_IMAGE_USER, fsGroup: SPARK_IMAGE_USER });
}

function defaultContainerSecurityContext(): k8s.SecurityContext {
  return restrictedContainerSecurityContext({ runAsUser: SPARK_IMAGE_USER, runAsGroup: SPARK_IMAGE_USER });
}

function gpuOf(gpu: SparkGpu | undefined): { name: string; quantity: number } | undefined {
  if (gpu === undefined) return undefined;
  check(typeof gpu === 'object' && gpu !== null, 'gpu', gpu, 'an object { name?, quantity }');
  check(Number.isInteger(gpu.quantity) && gpu.quantity >= 1, 'gpu.quantity', gpu.quantity, 'an integer >= 1');
  const name = gpu.name ?? 'nvidia.com/gpu';
  checkLabelKey('gpu.name', name);
  return { name, quantity: gpu.quantity };
}

function annotationsOf(annotations: Readonly<Record<string, string>> | undefined, role: SparkRole): Record<string, string> | undefined {
  // A driver pod holds the whole application: evicting it to scale a node down restarts the job.
  const defaults: Record<string, string> = role === 'driver' ? { [SAFE_TO_EVICT_ANNOTATION]: 'false' } : {};
  const merged = { ...defaults, ...stringMap('annotations', annotations, false) };
  return Object.keys(merged).length === 0 ? undefined : merged;
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

function checkTerminationGrace(value: number | undefined): void {
  check(value === undefined || (Number.isInteger(value) && value >= 0), 'terminationGracePeriodSeconds', value, 'an integer >= 0');
}

// ---------------------------------------------------------------------------------------------
// Small shared helpers (also used by the application renderer)

/** Runs `fn`, prefixing the field of a {@link BatchplaneError} that has no path yet with `prefix.`. */
export function underField<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BatchplaneError && error.path === undefined) {
      throw new BatchplaneError(`${prefix}.${error.field}`, error.value, error.expected);
    }
    throw error;
  }
}

/** Runs `fn`, renaming the field of a {@link BatchplaneError} that has no path yet to `field`. */
export function renameField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BatchplaneError && error.path === undefined) throw new BatchplaneError(field, error.value, error.expected);
    throw error;
  }
}

/** `{ [key]: value }`, or `{}` when value is undefined. */
export function optional<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [key]: value };
}

/** The array, or undefined when it is absent or empty. */
export function nonEmpty<T>(items: readonly T[] | undefined): readonly T[] | undefined {
  return items === undefined || items.length === 0 ? undefined : items;
}

/**
 * Converts typed L1 values to manifest JSON; undefined when absent or empty. `field` names the prop
 * when it is not an array of objects (JavaScript callers).
 */
export function list<T>(field: string, items: readonly T[] | undefined, toJson: (item: T) => Record<string, unknown> | undefined): unknown[] | undefined {
  if (items === undefined) return undefined;
  check(Array.isArray(items) && items.every((item) => typeof item === 'object' && item !== null), field, items, 'an array of objects');
  return nonEmpty(items)?.map((item) => toJson(item));
}

/** Checks an optional non-empty string. */
export function optionalString(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  check(typeof value === 'string' && value.length > 0, field, value, 'a non-empty string');
  return value;
}

/** Checks an optional string list. */
export function optionalStringList(field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  check(Array.isArray(value) && value.every((v) => typeof v === 'string'), field, value, 'an array of strings');
  return nonEmpty(value as string[]) as string[] | undefined;
}

/**
 * Checks a string map (label keys as qualified names; label values too when `labelValues`), returning it
 * sorted, or undefined when absent or empty.
 */
export function stringMap(field: string, value: unknown, labelValues: boolean): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BatchplaneError(field, value, 'an object of string keys to string values');
  }
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, v] of entries) {
    checkLabelKey(`${field}[${JSON.stringify(key)}]`, key);
    check(typeof v === 'string', `${field}[${JSON.stringify(key)}]`, v, 'a string');
    if (labelValues) checkLabelValue(`${field}[${JSON.stringify(key)}]`, v);
  }
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
