/**
 * The order in which a Platform writes its manifests. cdk8s writes objects in construct order, so
 * declaring the same jobs and pools in another order would reorder the file; here the order depends only
 * on what the objects are: setup first (Namespace, PriorityClasses, identities and RBAC), then services
 * and workloads, each kind sorted by namespace and name. Explicit dependencies between objects
 * (`node.addDependency`) still come first.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Kinds in the order they are applied; kinds not listed follow, by kind name. */
const KIND_ORDER: readonly string[] = [
  'Namespace',
  'PriorityClass',
  'ServiceAccount',
  'ClusterRole',
  'Role',
  'ClusterRoleBinding',
  'RoleBinding',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'PodDisruptionBudget',
  'Deployment',
  'SparkApplication',
  'ScheduledSparkApplication',
  'WorkflowTemplate',
  'CronWorkflow',
  'Workflow',
];
const KIND_RANK = new Map(KIND_ORDER.map((kind, index) => [kind, index]));

interface Entry {
  readonly object: ApiObject;
  readonly manifest: Record<string, unknown>;
  readonly key: readonly (string | number)[];
  /** The object's explicit dependencies (`node.dependencies`). */
  readonly dependencies: readonly IConstruct[];
}

/**
 * The manifests of the ApiObjects of `chart` (not of nested charts), in the order that does not depend
 * on declaration order; `manifestOf` gives each object's manifest.
 */
export function orderManifests(chart: Chart, manifestOf: (object: ApiObject) => Record<string, unknown>): Record<string, unknown>[] {
  const entries: Entry[] = [];
  let dependent = false;
  for (const object of chartObjects(chart)) {
    const manifest = manifestOf(object);
    const dependencies = object.node.dependencies;
    entries.push({ object, manifest, key: sortKey(manifest), dependencies });
    dependent ||= dependencies.length > 0;
  }
  entries.sort(compareEntries);
  // Without explicit dependencies (the usual case) the sorted order is the order.
  const ordered = dependent ? placeDependenciesFirst(entries) : entries;
  return ordered.map((entry) => entry.manifest);
}

/** The sorted entries with each entry's dependencies (in sorted order, recursively) moved before it. */
function placeDependenciesFirst(sorted: readonly Entry[]): Entry[] {
  const byObject = new Map<IConstruct, Entry>();
  for (const entry of sorted) byObject.set(entry.object, entry);
  const ordered: Entry[] = [];
  const placed = new Set<Entry>();
  const place = (entry: Entry): void => {
    if (placed.has(entry)) return;
    placed.add(entry);
    if (entry.dependencies.length > 0) dependenciesOf(entry, byObject).forEach(place);
    ordered.push(entry);
  };
  for (const entry of sorted) place(entry);
  return ordered;
}

/** The ApiObjects of `chart`: its descendants, less those of nested charts. */
function chartObjects(chart: Chart): ApiObject[] {
  const objects: ApiObject[] = [];
  const visit = (scope: IConstruct): void => {
    for (const child of scope.node.children) {
      if (Chart.isChart(child)) continue;
      if (ApiObject.isApiObject(child)) objects.push(child);
      visit(child);
    }
  };
  visit(chart);
  return objects;
}

function dependenciesOf(entry: Entry, byObject: ReadonlyMap<IConstruct, Entry>): Entry[] {
  return entry.dependencies
    .map((dependency) => byObject.get(dependency))
    .filter((dependency): dependency is Entry => dependency !== undefined)
    .sort(compareEntries);
}

function sortKey(manifest: Record<string, unknown>): (string | number)[] {
  const kind = String(manifest.kind ?? '');
  const metadata = (manifest.metadata ?? {}) as Record<string, unknown>;
  const name = String(metadata.name ?? metadata.generateName ?? '');
  return [KIND_RANK.get(kind) ?? KIND_ORDER.length, kind, String(metadata.namespace ?? ''), name, String(manifest.apiVersion ?? '')];
}

function compareEntries(a: Entry, b: Entry): number {
  for (let i = 0; i < a.key.length; i++) {
    if (a.key[i] < b.key[i]) return -1;
    if (a.key[i] > b.key[i]) return 1;
  }
  return 0;
}
