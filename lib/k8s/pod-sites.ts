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

/** Shared empty values for absent fields: frozen, so no caller can change what the others see. */
const EMPTY_OBJECT: JsonObject = Object.freeze({});
const EMPTY_LIST: readonly never[] = Object.freeze([]);

const NO_SITES: ManifestSites = Object.freeze({ pods: EMPTY_LIST, volumes: EMPTY_LIST, settings: EMPTY_LIST, embedded: EMPTY_LIST });

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

/** The value as an object, or a (shared, frozen) empty object when it is not one. */
export function asObject(value: unknown): JsonObject {
  return isRecord(value) ? value : EMPTY_OBJECT;
}

/** The value as a list, or a (shared, frozen) empty list when it is not one. */
export function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY_LIST;
}

/** `base.key`, quoting keys that are not plain identifiers (`sparkConf["spark.a.b"]`). */
export function fieldOf(base: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!base) return part;
  return part.startsWith('[') ? `${base}${part}` : `${base}.${part}`;
}

/** The object found by following a dotted path of plain keys. */
function objectAt(root: JsonObject, dotted: string): JsonObject {
  let node = root;
  for (const key of dotted.split('.')) node = asObject(node[key]);
  return node;
}

/** Calls `visit` with each item of a list field (as an object) and its field path. */
function forEachItem(parent: JsonObject, base: string, key: string, visit: (item: JsonObject, field: string) => void): void {
  const list = asList(parent[key]);
  if (list.length === 0) return;
  const listField = fieldOf(base, key);
  for (let i = 0; i < list.length; i++) visit(asObject(list[i]), `${listField}[${i}]`);
}

/** Appends the volumes declared by `parent` to `volumes`. */
function addVolumes(volumes: VolumeSite[], parent: JsonObject, base: string): void {
  forEachItem(parent, base, 'volumes', (volume, field) => volumes.push({ field, volume }));
}

/** Appends the entries of a map field, by name, to `settings`. */
function addMapSettings(settings: SettingSite[], parent: JsonObject, base: string, key: string): void {
  const map = asObject(parent[key]);
  const names = Object.keys(map);
  if (names.length === 0) return;
  const mapField = fieldOf(base, key);
  for (const name of names.sort()) settings.push({ field: fieldOf(mapField, name), key: name, value: map[name] });
}

/** The four amounts of a core container: slot name, group and resource. */
const CORE_SLOTS: readonly (readonly [ResourceSlotName, 'requests' | 'limits', string])[] = [
  ['requests.cpu', 'requests', 'cpu'],
  ['requests.memory', 'requests', 'memory'],
  ['limits.cpu', 'limits', 'cpu'],
  ['limits.memory', 'limits', 'memory'],
];

/** A core/v1 Container. */
function containerSite(container: JsonObject, field: string): ContainerSite {
  const resources = asObject(container.resources);
  return {
    flavour: 'container',
    field,
    image: container.image,
    imageField: `${field}.image`,
    securityContext: asObject(container.securityContext),
    securityContextField: `${field}.securityContext`,
    env: asList(container.env),
    envField: `${field}.env`,
    resources: CORE_SLOTS.map(([name, group, resource]) => ({
      name,
      set: asObject(resources[group])[resource] !== undefined,
      field: `${field}.resources.${name}`,
    })),
  };
}

/** Appends the containers of a list field to `containers`. */
function addContainers(containers: ContainerSite[], parent: JsonObject, base: string, key: string): void {
  forEachItem(parent, base, key, (item, field) => containers.push(containerSite(item, field)));
}

/** Where a core pod lists its containers, in the order they are checked. */
const CORE_CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

/** A core/v1 PodSpec. */
function corePod(spec: JsonObject, field: string): PodSite {
  const account = spec.serviceAccountName ?? spec.serviceAccount;
  const containers: ContainerSite[] = [];
  for (const key of CORE_CONTAINER_LISTS) addContainers(containers, spec, field, key);
  return {
    field,
    securityContext: asObject(spec.securityContext),
    securityContextField: `${field}.securityContext`,
    containers,
    serviceAccount: {
      automount: spec.automountServiceAccountToken,
      field: `${field}.automountServiceAccountToken`,
      name: typeof account === 'string' && account ? account : 'default',
    },
  };
}

function corePodSites(manifest: JsonObject, field: string): ManifestSites {
  const spec = objectAt(manifest, field);
  const volumes: VolumeSite[] = [];
  addVolumes(volumes, spec, field);
  return { ...NO_SITES, pods: [corePod(spec, field)], volumes };
}

/** The keys of an Argo template that run its main container. */
const ARGO_MAIN_CONTAINERS = ['container', 'script'];

/** An Argo template that runs a pod (container, script or container set); undefined otherwise. */
function argoTemplatePod(template: JsonObject, field: string, workflowSpec: JsonObject, specField: string): PodSite | undefined {
  const containers: ContainerSite[] = [];
  addContainers(containers, template, field, 'initContainers');
  const before = containers.length;
  for (const key of ARGO_MAIN_CONTAINERS) {
    if (template[key] !== undefined) containers.push(containerSite(asObject(template[key]), `${field}.${key}`));
  }
  addContainers(containers, asObject(template.containerSet), `${field}.containerSet`, 'containers');
  if (containers.length === before) return undefined;
  addContainers(containers, template, field, 'sidecars');
  const own = template.securityContext !== undefined;
  return {
    field,
    securityContext: asObject(own ? template.securityContext : workflowSpec.securityContext),
    securityContextField: `${own ? field : specField}.securityContext`,
    containers,
  };
}

function argoSites(manifest: JsonObject, specField: string): ManifestSites {
  const spec = objectAt(manifest, specField);
  const pods: PodSite[] = [];
  const volumes: VolumeSite[] = [];
  const embedded: EmbeddedSite[] = [];
  addVolumes(volumes, spec, specField);
  forEachItem(spec, specField, 'templates', (template, field) => {
    const pod = argoTemplatePod(template, field, spec, specField);
    if (pod) pods.push(pod);
    addVolumes(volumes, template, field);
    const text = asObject(template.resource).manifest;
    if (text !== undefined) embedded.push({ field: `${field}.resource.manifest`, text });
  });
  return { pods, volumes, settings: EMPTY_LIST, embedded };
}

/**
 * The Spark container of a driver or executor. Spark derives its requests and limits from `cores`
 * (or `coreRequest`), `coreLimit`, `memory` and `memoryLimit`.
 */
function sparkContainer(role: JsonObject, field: string, [image, imageField]: ImageSource, template: SparkTemplate): ContainerSite {
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
  const containers: ContainerSite[] = [];
  addContainers(containers, spec, field, 'initContainers');
  let spark: SparkTemplate['spark'];
  forEachItem(spec, field, 'containers', (item, at) => {
    if (item.name !== sparkName) containers.push(containerSite(item, at));
    else spark ??= { item, field: at };
  });
  return { spec, field, spark, containers };
}

/**
 * The image of a driver or executor and the field it comes from: the role's, else the application's,
 * else the one the Spark conf names (the role's field when none is set).
 */
function sparkImage(app: JsonObject, appField: string, role: JsonObject, field: string, roleName: 'driver' | 'executor'): ImageSource {
  if (role.image !== undefined) return [role.image, `${field}.image`];
  if (app.image !== undefined) return [app.image, `${appField}.image`];
  const conf = asObject(app.sparkConf);
  for (const key of [`spark.kubernetes.${roleName}.container.image`, 'spark.kubernetes.container.image']) {
    if (conf[key] !== undefined) return [conf[key], fieldOf(fieldOf(appField, 'sparkConf'), key)];
  }
  return [undefined, `${field}.image`];
}

function sparkPod(app: JsonObject, appField: string, roleName: 'driver' | 'executor', template: SparkTemplate): PodSite {
  const field = `${appField}.${roleName}`;
  const role = asObject(app[roleName]);
  const [securityContext, securityContextField] = firstSet([
    [role.podSecurityContext, `${field}.podSecurityContext`],
    [template.spec.securityContext, `${template.field}.securityContext`],
  ]);
  const containers: ContainerSite[] = [];
  addContainers(containers, role, field, 'initContainers');
  containers.push(sparkContainer(role, field, sparkImage(app, appField, role, field, roleName), template));
  addContainers(containers, role, field, 'sidecars');
  containers.push(...template.containers);
  return { field, securityContext: asObject(securityContext), securityContextField, containers };
}

/** Appends the variables of a template's Spark container, checked like any setting (they join the role's `env`). */
function addTemplateSparkEnv(settings: SettingSite[], template: SparkTemplate): void {
  const spark = template.spark;
  if (!spark) return;
  forEachItem(spark.item, spark.field, 'env', (item, field) => settings.push({ field: `${field}.value`, key: String(item.name ?? ''), value: item.value }));
}

const SPARK_ROLES = ['driver', 'executor'] as const;

function sparkSites(manifest: JsonObject, appField: string): ManifestSites {
  const app = objectAt(manifest, appField);
  const templates = SPARK_ROLES.map((role) => sparkTemplate(asObject(app[role]), `${appField}.${role}`, role));
  const volumes: VolumeSite[] = [];
  addVolumes(volumes, app, appField);
  for (const template of templates) addVolumes(volumes, template.spec, template.field);
  const settings: SettingSite[] = [];
  addMapSettings(settings, app, appField, 'sparkConf');
  addMapSettings(settings, app, appField, 'hadoopConf');
  for (const role of SPARK_ROLES) addMapSettings(settings, asObject(app[role]), `${appField}.${role}`, 'envVars');
  for (const template of templates) addTemplateSparkEnv(settings, template);
  return {
    pods: SPARK_ROLES.map((role, i) => sparkPod(app, appField, role, templates[i])),
    volumes,
    settings,
    embedded: EMPTY_LIST,
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
  if (kind === 'ConfigMap' && apiVersion === 'v1') {
    const settings: SettingSite[] = [];
    addMapSettings(settings, manifest, '', 'data');
    return { ...NO_SITES, settings };
  }
  const core = apiVersion === 'v1' || apiVersion.startsWith('apps/') || apiVersion.startsWith('batch/');
  const podField = core ? corePodField(kind) : undefined;
  return podField ? corePodSites(manifest, podField) : NO_SITES;
}
