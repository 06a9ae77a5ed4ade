/**
 * The order in which a Platform writes its manifests. cdk8s writes objects in construct order, so
 * declaring the same jobs and pools in another order would reorder the file; here the order depends only
 * on what the objects are: setup first (Namespace, PriorityClasses, identities and RBAC), then services
 * and workloads, each kind sorted by namespace and name. Explicit dependencies between objects
 * (`node.addDependency`) still come first.
 */
import { ApiObject, Chart, DependencyGraph } from 'cdk8s';

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
}

/**
 * The manifests of the ApiObjects of `chart` (not of nested charts), in the order that does not depend
 * on declaration order. `manifestOf` gives each object's manifest; `index` is the object's position in
 * cdk8s's own order, which is also the order of `chart.toJson()` in cdk8s.
 */
export function orderManifests(
  chart: Chart,
  manifestOf: (object: ApiObject, index: number) => Record<string, unknown>,
): Record<string, unknown>[] {
  const entries = chartObjects(chart).map((object, index) => {
    const manifest = manifestOf(object, index);
    return { object, manifest, key: sortKey(manifest) };
  });
  const byObject = new Map(entries.map((entry) => [entry.object, entry]));
  const ordered: Entry[] = [];
  const placed = new Set<Entry>();
  const place = (entry: Entry): void => {
    if (placed.has(entry)) return;
    placed.add(entry);
    dependenciesOf(entry, byObject).forEach(place);
    ordered.push(entry);
  };
  entries.sort(compareEntries).forEach(place);
  return ordered.map((entry) => entry.manifest);
}

/** The ApiObjects cdk8s renders for `chart`, in its order. */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter(ApiObject.isApiObject)
    .filter((object) => Chart.of(object) === chart);
}

function dependenciesOf(entry: Entry, byObject: ReadonlyMap<ApiObject, Entry>): Entry[] {
  return entry.object.node.dependencies
    .map((dependency) => byObject.get(dependency as ApiObject))
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
