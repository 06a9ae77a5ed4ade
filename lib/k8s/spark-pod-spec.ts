/**
 * The driver and executor sections of a SparkApplication: typed props, validation and rendering.
 *
 * Placement (tolerations, node affinity), security contexts, env, volume mounts and priority are applied
 * by the operator's mutating webhook only; batchplane emits them explicitly on every pod section so the
 * manifest states what the pods should get, and the capacity planner sees the same placement.
 */
import { k8s } from 'cdk8s-plus-27';
import { BatchplaneError, check, underField } from '../model/errors';
import { deepFreeze } from '../model/freeze';
import {
  annotationMap, INT64_SAFE_MAX, integerInRange, isRecord, labelMap, list, nonEmpty, optional, optionalBoolean, optionalInteger, optionalString,
} from '../model/input';
import { checkLabelKey } from '../model/names';
import { resourcesFromList } from '../model/quantity';
import { add, max, ResourceVector, ZERO } from '../model/resources';
import { PodPlacement } from '../model/scheduling-types';
import { SparkConf, sizingFromSparkConf } from '../model/spark-conf';
import { SparkPodResources, sparkPodResources, SparkRole, SparkType } from '../model/spark-sizing';
import { NodePool, placementManifest } from './node-pool';
import { asList, asObject, JsonObject } from './pod-sites';
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
  /**
   * A pod template (`spark.kubernetes.{driver,executor}.podTemplateFile`, Spark >= 3.0.0) for what the
   * other props do not cover: sidecar and init containers, extra volumes, host aliases, topology
   * spread constraints, a runtime class...
   *
   * How the operator and Spark treat it:
   * - Spark starts from the template and then writes its own values: the image, cpu and memory of the
   *   Spark container always come from the other props, whatever the template says.
   * - The Spark container is the one named `spark-kubernetes-driver` (driver) or
   *   `spark-kubernetes-executor` (executor); list a container of that name only to add to it (ports,
   *   mounts, probes). Other containers run beside it, add their requests to the pod in the capacity
   *   plan and must pass the security policy like any container (restricted security context,
   *   requests and limits as `k8s.Quantity`). The type requires `spec.containers`: `[]` is fine.
   * - The operator flags only pods without a template for its mutating webhook (the
   *   `sparkoperator.k8s.io/mutated-by-spark-operator` label), so depending on the webhook's
   *   configuration a templated pod may not get the pod fields of the SparkApplication. batchplane
   *   therefore also writes the pool's tolerations and node affinity, both security contexts and the
   *   priority class into the template. The template must leave them to `pool`, `podSecurityContext`,
   *   `securityContext` and `priorityTier`: its own `tolerations`, `affinity`, `nodeSelector`,
   *   `securityContext` and `priorityClassName`, and a security context or cpu/memory resources on the
   *   Spark container, are refused. Volumes, mounts and env of the SparkApplication are not copied
   *   (the webhook appends them, and a volume listed twice fails the pod).
   * - `metadata` may hold `labels` and `annotations` only.
   * - The operator does not check the template's content; a malformed one can stall the application.
   * @default - no template
   */
  readonly template?: k8s.PodTemplateSpec;
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
  /** Mounts added before the user's (scratch space), already in manifest form. */
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
    // Spread last: named fields after a spread make V8 build the object slowly, and this runs per pod.
    ...sizingFromSparkConf(context.sparkConf, context.role),
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
    // The library's own mounts and security contexts are already JSON; only the user's need converting.
    volumeMounts: [...context.scratchMounts, ...(props.volumeMounts ?? []).map((m) => k8s.toJson_VolumeMount(m))],
    ...placementManifest(placement),
    podSecurityContext: props.podSecurityContext === undefined ? DEFAULT_POD_SECURITY_CONTEXT : k8s.toJson_PodSecurityContext(props.podSecurityContext),
    securityContext: props.securityContext === undefined ? DEFAULT_CONTAINER_SECURITY_CONTEXT : k8s.toJson_SecurityContext(props.securityContext),
    priorityClassName: (props.priorityTier ?? PriorityTier.DEFAULT).className,
    serviceAccount: context.serviceAccountName,
    ...optional('javaOptions', optionalString('javaOptions', props.javaOptions)),
    ...optional('terminationGracePeriodSeconds', terminationGrace),
    ...(context.role === 'executor' ? executorFields(props) : {}),
  };
  const factor = props.memoryOverheadFactor;
  const conf: SparkConf = factor === undefined ? {} : { [`spark.${context.role}.memoryOverheadFactor`]: String(factor) };
  if (props.template === undefined) return { spec, resources, placement, pool: pool?.name, conf };
  const template = renderTemplate(props.template, context.role, spec, resources.requests);
  return { spec: { ...spec, template: template.template }, resources: { ...resources, requests: template.requests }, placement, pool: pool?.name, conf };
}

function executorFields(props: SparkExecutorProps): Record<string, unknown> {
  return optional('deleteOnTermination', optionalBoolean('deleteOnTermination', props.deleteOnTermination));
}

/** The pod security context of a Spark pod that sets none: the image's user. Shared by every such pod, so frozen. */
const DEFAULT_POD_SECURITY_CONTEXT: k8s.PodSecurityContext = deepFreeze(
  restrictedPodSecurityContext({ runAsUser: SPARK_IMAGE_USER, runAsGroup: SPARK_IMAGE_USER, fsGroup: SPARK_IMAGE_USER }),
);

/** The container security context of a Spark pod that sets none: the image's user. Shared by every such pod, so frozen. */
const DEFAULT_CONTAINER_SECURITY_CONTEXT: k8s.SecurityContext = deepFreeze(
  restrictedContainerSecurityContext({ runAsUser: SPARK_IMAGE_USER, runAsGroup: SPARK_IMAGE_USER }),
);

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

// ---------------------------------------------------------------------------------------------
// Pod template

/** The container Spark runs in, by role: a pod template extends the container of this name. */
export const SPARK_CONTAINER_NAMES: Readonly<Record<SparkRole, string>> = {
  driver: 'spark-kubernetes-driver',
  executor: 'spark-kubernetes-executor',
};

/** Pod fields batchplane writes into a template itself, each with the prop that sets it. */
const TEMPLATE_OWNED_FIELDS: readonly (readonly [field: string, prop: string])[] = [
  ['tolerations', 'pool'],
  ['affinity', 'pool'],
  ['nodeSelector', 'pool'],
  ['securityContext', 'podSecurityContext'],
  ['priorityClassName', 'priorityTier'],
];

/** A rendered pod template and the requests of the whole pod. */
interface RenderedTemplate {
  /** The `template` of the role section. */
  readonly template: Record<string, unknown>;
  /** The Spark container's requests plus the other containers' (init containers run first, one at a time). */
  readonly requests: ResourceVector;
}

/**
 * Checks a role's pod template and renders it with the placement, security contexts and priority class
 * of the rendered role `section` written in.
 */
function renderTemplate(template: unknown, role: SparkRole, section: Readonly<Record<string, unknown>>, sparkRequests: ResourceVector): RenderedTemplate {
  check(isRecord(template), 'template', template, 'a pod template { metadata?, spec? }');
  checkTemplateMetadata(template.metadata);
  const spec: unknown = template.spec;
  check(spec === undefined || isRecord(spec), 'template.spec', spec, 'a pod spec');
  for (const [field, prop] of TEMPLATE_OWNED_FIELDS) {
    const value = spec?.[field];
    check(value === undefined, `template.spec.${field}`, value, `no value: batchplane writes it into the template from ${prop}`);
  }
  const containerNames = [...containerNamesOf('template.spec.containers', spec?.containers), ...containerNamesOf('template.spec.initContainers', spec?.initContainers)];
  const duplicate = containerNames.find((name, i) => containerNames.indexOf(name) !== i);
  check(duplicate === undefined, 'template.spec.containers', duplicate, 'unique container names, init containers included');

  const json = templateJson(template as k8s.PodTemplateSpec);
  const jsonSpec = asObject(json.spec);
  const containers = asList(jsonSpec.containers).map(asObject);
  const sparkName = SPARK_CONTAINER_NAMES[role];
  const sparkIndex = containers.findIndex((c) => c.name === sparkName);
  const userSpark = sparkIndex < 0 ? {} : checkSparkContainer(containers[sparkIndex], `template.spec.containers[${sparkIndex}]`);
  const others = containers.filter((_, i) => i !== sparkIndex);
  const initContainers = asList(jsonSpec.initContainers).map(asObject);

  const running = containers.reduce((sum, c, i) => (i === sparkIndex ? sum : add(sum, containerRequests(c, `template.spec.containers[${i}]`))), sparkRequests);
  const requests = initContainers.reduce((peak, c, i) => max(peak, containerRequests(c, `template.spec.initContainers[${i}]`)), running);
  const placement = Object.fromEntries(['tolerations', 'affinity', 'nodeSelector'].flatMap((key) => (section[key] === undefined ? [] : [[key, section[key]]])));
  return {
    template: {
      ...json,
      spec: {
        ...jsonSpec,
        // First: Spark takes the first container when it is not told the name of its own.
        containers: [{ ...userSpark, name: sparkName, securityContext: section.securityContext }, ...others],
        securityContext: section.podSecurityContext,
        priorityClassName: section.priorityClassName,
        ...placement,
      },
    },
    requests,
  };
}

function checkTemplateMetadata(metadata: unknown): void {
  if (metadata === undefined) return;
  check(isRecord(metadata), 'template.metadata', metadata, 'an object { labels?, annotations? }');
  const other = Object.keys(metadata).find((key) => key !== 'labels' && key !== 'annotations');
  check(other === undefined, 'template.metadata', other, 'labels and annotations only (Spark names the pod and sets its namespace)');
  labelMap('template.metadata.labels', metadata.labels);
  annotationMap('template.metadata.annotations', metadata.annotations);
}

/**
 * The names of a list of containers, each an object with a non-empty name and, when it sets resources,
 * `k8s.Quantity` amounts (the L1 converter would silently drop a plain string).
 */
function containerNamesOf(field: string, containers: unknown): string[] {
  if (containers === undefined) return [];
  check(Array.isArray(containers), field, containers, 'an array of containers');
  return containers.map((container: unknown, i) => {
    const name: unknown = isRecord(container) ? container.name : undefined;
    check(typeof name === 'string' && name.trim() !== '', `${field}[${i}].name`, name, 'a container name');
    const resources: unknown = isRecord(container) ? container.resources : undefined;
    for (const group of ['requests', 'limits']) {
      const amounts: unknown = isRecord(resources) ? resources[group] : undefined;
      for (const [resource, amount] of Object.entries(isRecord(amounts) ? amounts : {})) {
        check(amount instanceof k8s.Quantity, `${field}[${i}].resources.${group}.${resource}`, amount, "a k8s.Quantity such as k8s.Quantity.fromString('500m')");
      }
    }
    return name;
  });
}

/** The template as manifest JSON. The L1 converter reads typed input; a JavaScript caller's stray value fails it. */
function templateJson(template: k8s.PodTemplateSpec): JsonObject {
  try {
    return asObject(k8s.toJson_PodTemplateSpec(template));
  } catch (error) {
    throw new BatchplaneError('template', template, `a pod template made of Kubernetes objects (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The template's Spark container, refused when it sets what batchplane or Spark owns. */
function checkSparkContainer(container: JsonObject, field: string): JsonObject {
  check(container.securityContext === undefined, `${field}.securityContext`, container.securityContext,
    'no value: batchplane writes the Spark container security context from securityContext');
  const resources = asObject(container.resources);
  for (const group of ['requests', 'limits']) {
    for (const resource of ['cpu', 'memory']) {
      const value = asObject(resources[group])[resource];
      check(value === undefined, `${field}.resources.${group}.${resource}`, value,
        'no value: Spark sets the cpu and memory of its container from cores, coreRequest, coreLimit, memory and memoryOverhead');
    }
  }
  return container;
}

/** A container's requests; Kubernetes takes the limit for a resource given a limit only. */
function containerRequests(container: JsonObject, field: string): ResourceVector {
  const resources = asObject(container.resources);
  const list = { ...asObject(resources.limits), ...asObject(resources.requests) } as Record<string, string>;
  return underField(`${field}.resources.requests`, () => (Object.keys(list).length === 0 ? ZERO : resourcesFromList(list)));
}
