/**
 * Where pods, containers, volumes and configuration values sit inside plain manifest JSON, for the
 * kinds batchplane emits or users commonly add: core workloads, Argo Workflows kinds and Spark
 * applications. The policy checks walk these sites instead of knowing every kind's layout.
 *
 * Field paths are written the way a user reads them: `spec.template.spec.containers[0].image`.
 */
import { isRecord } from '../model/input';

/** A JSON object read from a manifest. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Which of the four resource amounts a {@link ResourceSlot} stands for. */
export type ResourceSlotName = 'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory';

/** One resource amount of a container: whether it is set, and the field that sets it. */
export interface ResourceSlot {
  /** Which amount. */
  readonly name: ResourceSlotName;
  /** Whether the manifest sets it. */
  readonly set: boolean;
  /** The field that sets it (or would). */
  readonly field: string;
}

/** A container, or the Spark container of a driver or executor pod. */
export interface ContainerSite {
  /** `container` for a core/v1 Container; `spark` for a SparkApplication driver or executor. */
  readonly flavour: 'container' | 'spark';
  /** The field of the container. */
  readonly field: string;
  /** The image reference, as written (may be absent). */
  readonly image: unknown;
  /** The field the image comes from. */
  readonly imageField: string;
  /** The container security context (empty when unset). */
  readonly securityContext: JsonObject;
  /** The field of the container security context. */
  readonly securityContextField: string;
  /** The `env` entries. */
  readonly env: readonly unknown[];
  /** The field of the `env` list. */
  readonly envField: string;
  /** CPU and memory requests and limits. */
  readonly resources: readonly ResourceSlot[];
}

/** Facts about the service account token of a core pod. */
export interface ServiceAccountSite {
  /** The pod's `automountServiceAccountToken` value, as written. */
  readonly automount: unknown;
  /** The field of `automountServiceAccountToken`. */
  readonly field: string;
  /** The service account the pod runs as. */
  readonly name: string;
}

/** A pod, with its pod-level security context and containers. */
export interface PodSite {
  /** The field of the pod spec. */
  readonly field: string;
  /** The pod security context that applies (empty when unset). */
  readonly securityContext: JsonObject;
  /** The field of that pod security context. */
  readonly securityContextField: string;
  /** Every container the pod runs (init containers and sidecars included). */
  readonly containers: readonly ContainerSite[];
  /**
   * The service account token facts, for core pods only: Argo pods need the token for their executor,
   * Spark drivers need it to create executors.
   */
  readonly serviceAccount?: ServiceAccountSite;
}

/** A volume declaration. */
export interface VolumeSite {
  /** The field of the volume. */
  readonly field: string;
  /** The volume. */
  readonly volume: JsonObject;
}

/** A named configuration value: a Spark or Hadoop conf entry, a ConfigMap key, a deprecated Spark env var. */
export interface SettingSite {
  /** The field of the value. */
  readonly field: string;
  /** The setting's name. */
  readonly key: string;
  /** The value, as written. */
  readonly value: unknown;
}

/** A manifest embedded as text inside another one (an Argo resource template). */
export interface EmbeddedSite {
  /** The field of the text. */
  readonly field: string;
  /** The text, as written. */
  readonly text: unknown;
}

/** Everything the policy inspects in one manifest. */
export interface ManifestSites {
  readonly pods: readonly PodSite[];
  readonly volumes: readonly VolumeSite[];
  readonly settings: readonly SettingSite[];
  readonly embedded: readonly EmbeddedSite[];
}

const NO_SITES: ManifestSites = { pods: [], volumes: [], settings: [], embedded: [] };

/** Kinds whose pod spec sits at `spec.template.spec`. */
const TEMPLATED_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);
/** Argo kinds and where their workflow spec sits. */
const ARGO_WORKFLOW_SPECS: Readonly<Record<string, string>> = {
  Workflow: 'spec',
  WorkflowTemplate: 'spec',
  ClusterWorkflowTemplate: 'spec',
  CronWorkflow: 'spec.workflowSpec',
};
/** Spark kinds and where their SparkApplicationSpec sits. */
const SPARK_SPECS: Readonly<Record<string, string>> = {
  SparkApplication: 'spec',
  ScheduledSparkApplication: 'spec.template',
};
/** An image value and the field it comes from. */
type ImageSource = readonly [unknown, string];

const ARGO_GROUP = 'argoproj.io/';
const SPARK_GROUP = 'sparkoperator.k8s.io/';

/** The value as an object, or an empty object when it is not one. */
export function asObject(value: unknown): JsonObject {
  return isRecord(value) ? value : {};
}

/** The value as a list, or an empty list when it is not one. */
export function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `base.key`, quoting keys that are not plain identifiers (`sparkConf["spark.a.b"]`). */
export function fieldOf(base: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!base) return part;
  return part.startsWith('[') ? `${base}${part}` : `${base}.${part}`;
}

/** The object found by following a dotted path of plain keys. */
function objectAt(root: JsonObject, dotted: string): JsonObject {
  return dotted.split('.').reduce<JsonObject>((node, key) => asObject(node[key]), root);
}

/** The items of a list field, each with its field path. */
function itemsOf(parent: JsonObject, base: string, key: string): { field: string; item: JsonObject }[] {
  return asList(parent[key]).map((item, i) => ({ field: `${fieldOf(base, key)}[${i}]`, item: asObject(item) }));
}

function volumesOf(parent: JsonObject, base: string): VolumeSite[] {
  return itemsOf(parent, base, 'volumes').map(({ field, item }) => ({ field, volume: item }));
}

function mapSettings(parent: JsonObject, base: string, key: string): SettingSite[] {
  const map = asObject(parent[key]);
  return Object.keys(map)
    .sort()
    .map((name) => ({ field: fieldOf(fieldOf(base, key), name), key: name, value: map[name] }));
}

/** A core/v1 Container. */
function containerSite(container: JsonObject, field: string): ContainerSite {
  const resources = asObject(container.resources);
  const slot = (name: ResourceSlotName): ResourceSlot => {
    const [group, resource] = name.split('.') as ['requests' | 'limits', string];
    return { name, set: asObject(resources[group])[resource] !== undefined, field: `${field}.resources.${name}` };
  };
  return {
    flavour: 'container',
    field,
    image: container.image,
    imageField: `${field}.image`,
    securityContext: asObject(container.securityContext),
    securityContextField: `${field}.securityContext`,
    env: asList(container.env),
    envField: `${field}.env`,
    resources: [slot('requests.cpu'), slot('requests.memory'), slot('limits.cpu'), slot('limits.memory')],
  };
}

function containerList(parent: JsonObject, base: string, key: string): ContainerSite[] {
  return itemsOf(parent, base, key).map(({ field, item }) => containerSite(item, field));
}

/** A core/v1 PodSpec. */
function corePod(spec: JsonObject, field: string): PodSite {
  const account = spec.serviceAccountName ?? spec.serviceAccount;
  return {
    field,
    securityContext: asObject(spec.securityContext),
    securityContextField: `${field}.securityContext`,
    containers: ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) => containerList(spec, field, key)),
    serviceAccount: {
      automount: spec.automountServiceAccountToken,
      field: `${field}.automountServiceAccountToken`,
      name: typeof account === 'string' && account ? account : 'default',
    },
  };
}

function corePodSites(manifest: JsonObject, field: string): ManifestSites {
  const spec = objectAt(manifest, field);
  return { ...NO_SITES, pods: [corePod(spec, field)], volumes: volumesOf(spec, field) };
}

/** An Argo template that runs a pod (container, script or container set); undefined otherwise. */
function argoTemplatePod(template: JsonObject, field: string, workflowSpec: JsonObject, specField: string): PodSite | undefined {
  const main = ['container', 'script']
    .filter((key) => template[key] !== undefined)
    .map((key) => containerSite(asObject(template[key]), `${field}.${key}`));
  const set = containerList(asObject(template.containerSet), `${field}.containerSet`, 'containers');
  if (main.length === 0 && set.length === 0) return undefined;
  const own = template.securityContext !== undefined;
  return {
    field,
    securityContext: asObject(own ? template.securityContext : workflowSpec.securityContext),
    securityContextField: `${own ? field : specField}.securityContext`,
    containers: [
      ...containerList(template, field, 'initContainers'),
      ...main,
      ...set,
      ...containerList(template, field, 'sidecars'),
    ],
  };
}

function argoSites(manifest: JsonObject, specField: string): ManifestSites {
  const spec = objectAt(manifest, specField);
  const templates = itemsOf(spec, specField, 'templates');
  return {
    pods: templates.flatMap(({ field, item }) => argoTemplatePod(item, field, spec, specField) ?? []),
    volumes: [...volumesOf(spec, specField), ...templates.flatMap(({ field, item }) => volumesOf(item, field))],
    settings: [],
    embedded: templates
      .filter(({ item }) => asObject(item.resource).manifest !== undefined)
      .map(({ field, item }) => ({ field: `${field}.resource.manifest`, text: asObject(item.resource).manifest })),
  };
}

/**
 * The Spark container of a driver or executor. Spark derives its requests and limits from `cores`
 * (or `coreRequest`), `coreLimit`, `memory` and `memoryLimit`; the image falls back from the role to
 * the application and to the Spark conf.
 */
function sparkContainer(role: JsonObject, field: string, images: readonly ImageSource[], template: SparkTemplate): ContainerSite {
  const [image, imageField] = firstSet(images);
  const [securityContext, securityContextField] = firstSet([
    [role.securityContext, `${field}.securityContext`],
    ...(template.spark ? [[template.spark.item.securityContext, `${template.spark.field}.securityContext`] as const] : []),
  ]);
  const slot = (name: ResourceSlotName, keys: readonly string[]): ResourceSlot => ({
    name,
    set: keys.some((key) => role[key] !== undefined),
    field: `${field}.${keys[keys.length - 1]}`,
  });
  return {
    flavour: 'spark',
    field,
    image,
    imageField,
    securityContext: asObject(securityContext),
    securityContextField,
    env: asList(role.env),
    envField: `${field}.env`,
    resources: [
      slot('requests.cpu', ['coreRequest', 'cores']),
      // Spark sets the memory limit equal to the request unless memoryLimit overrides it.
      slot('requests.memory', ['memory']),
      slot('limits.cpu', ['coreLimit']),
      slot('limits.memory', ['memoryLimit', 'memory']),
    ],
  };
}

/** The value that applies among sources in order of precedence: the first one set (the first field when none is). */
function firstSet(sources: readonly (readonly [unknown, string])[]): readonly [unknown, string] {
  return sources.find(([value]) => value !== undefined) ?? [undefined, sources[0][1]];
}

/**
 * The pod template of a driver or executor. Spark merges the container named `spark-kubernetes-<role>`
 * into its own; the other containers run beside it.
 */
interface SparkTemplate {
  /** The template's pod spec (empty without a template). */
  readonly spec: JsonObject;
  /** The field of that pod spec. */
  readonly field: string;
  /** The container Spark merges into its own, when the template lists one. */
  readonly spark?: { readonly item: JsonObject; readonly field: string };
  /** The template's other containers, init containers included. */
  readonly containers: readonly ContainerSite[];
}

function sparkTemplate(role: JsonObject, roleField: string, roleName: 'driver' | 'executor'): SparkTemplate {
  const field = `${roleField}.template.spec`;
  const spec = asObject(asObject(role.template).spec);
  const sparkName = `spark-kubernetes-${roleName}`;
  const containers = itemsOf(spec, field, 'containers');
  return {
    spec,
    field,
    spark: containers.find(({ item }) => item.name === sparkName),
    containers: [
      ...containerList(spec, field, 'initContainers'),
      ...containers.filter(({ item }) => item.name !== sparkName).map(({ field: at, item }) => containerSite(item, at)),
    ],
  };
}

function sparkPod(app: JsonObject, appField: string, roleName: 'driver' | 'executor', template: SparkTemplate): PodSite {
  const field = `${appField}.${roleName}`;
  const role = asObject(app[roleName]);
  const conf = asObject(app.sparkConf);
  const confField = fieldOf(appField, 'sparkConf');
  const images: ImageSource[] = [
    [role.image, `${field}.image`],
    [app.image, `${appField}.image`],
    ...[`spark.kubernetes.${roleName}.container.image`, 'spark.kubernetes.container.image'].map(
      (key): ImageSource => [conf[key], fieldOf(confField, key)],
    ),
  ];
  const [securityContext, securityContextField] = firstSet([
    [role.podSecurityContext, `${field}.podSecurityContext`],
    [template.spec.securityContext, `${template.field}.securityContext`],
  ]);
  return {
    field,
    securityContext: asObject(securityContext),
    securityContextField,
    containers: [
      ...containerList(role, field, 'initContainers'),
      sparkContainer(role, field, images, template),
      ...containerList(role, field, 'sidecars'),
      ...template.containers,
    ],
  };
}

/** The variables of a template's Spark container, checked like any setting (they join the role's `env`). */
function templateSparkEnv(template: SparkTemplate): SettingSite[] {
  const spark = template.spark;
  if (!spark) return [];
  return itemsOf(spark.item, spark.field, 'env').map(({ field, item }) => ({ field: `${field}.value`, key: String(item.name ?? ''), value: item.value }));
}

function sparkSites(manifest: JsonObject, appField: string): ManifestSites {
  const app = objectAt(manifest, appField);
  const roles = ['driver', 'executor'] as const;
  const templates = roles.map((role) => sparkTemplate(asObject(app[role]), `${appField}.${role}`, role));
  return {
    pods: roles.map((role, i) => sparkPod(app, appField, role, templates[i])),
    volumes: [...volumesOf(app, appField), ...templates.flatMap((template) => volumesOf(template.spec, template.field))],
    settings: [
      ...mapSettings(app, appField, 'sparkConf'),
      ...mapSettings(app, appField, 'hadoopConf'),
      ...roles.flatMap((role) => mapSettings(asObject(app[role]), `${appField}.${role}`, 'envVars')),
      ...templates.flatMap(templateSparkEnv),
    ],
    embedded: [],
  };
}

/** Where a core kind keeps its pod spec, or undefined for kinds without one. */
function corePodField(kind: string): string | undefined {
  if (kind === 'Pod') return 'spec';
  if (kind === 'PodTemplate') return 'template.spec';
  if (kind === 'CronJob') return 'spec.jobTemplate.spec.template.spec';
  return TEMPLATED_WORKLOADS.has(kind) ? 'spec.template.spec' : undefined;
}

/** The pods, volumes, settings and embedded manifests of one manifest. Unknown kinds have none. */
export function manifestSites(manifest: JsonObject): ManifestSites {
  const kind = String(manifest.kind);
  const apiVersion = String(manifest.apiVersion);
  if (apiVersion.startsWith(ARGO_GROUP) && ARGO_WORKFLOW_SPECS[kind]) return argoSites(manifest, ARGO_WORKFLOW_SPECS[kind]);
  if (apiVersion.startsWith(SPARK_GROUP) && SPARK_SPECS[kind]) return sparkSites(manifest, SPARK_SPECS[kind]);
  if (kind === 'ConfigMap' && apiVersion === 'v1') return { ...NO_SITES, settings: mapSettings(manifest, '', 'data') };
  const core = apiVersion === 'v1' || apiVersion.startsWith('apps/') || apiVersion.startsWith('batch/');
  const podField = core ? corePodField(kind) : undefined;
  return podField ? corePodSites(manifest, podField) : NO_SITES;
}
