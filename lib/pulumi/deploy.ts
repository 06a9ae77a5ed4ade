/**
 * Deploys synthesized cdk8s charts through Pulumi: one `kubernetes.yaml.v2.ConfigGroup` per chart.
 * Charts and apps are accepted by shape, so this module does not load cdk8s.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { BatchplaneError } from '../model/errors';
import { namespaceName } from './namespaces';

/** A cdk8s `Chart`, by shape: anything that renders its manifests with `toJson()`. */
export interface ChartLike {
  /** The chart's manifests, after validation, as plain objects. */
  toJson(): unknown[];
  /** The construct node; its id names the ConfigGroup when present. */
  readonly node?: { readonly id: string };
}

/** A cdk8s `App`, by shape: a list of charts. */
export interface AppLike {
  /** The app's charts, in dependency order. */
  readonly charts: readonly ChartLike[];
}

function isChart(value: unknown): value is ChartLike {
  return typeof value === 'object' && value !== null && typeof (value as { toJson?: unknown }).toJson === 'function';
}

function isApp(value: unknown): value is AppLike {
  return typeof value === 'object' && value !== null && Array.isArray((value as { charts?: unknown }).charts);
}

/**
 * The charts of an app (or the chart itself), each with a name unique within the list: the construct id,
 * or `chart-<index>` when the chart has no node.
 */
export function namedCharts(source: AppLike | ChartLike): { readonly name: string; readonly chart: ChartLike }[] {
  const charts = isApp(source) ? source.charts : isChart(source) ? [source] : undefined;
  if (charts === undefined) {
    throw new BatchplaneError('app', source, 'a cdk8s App (with charts) or a Chart (with toJson())');
  }
  const seen = new Set<string>();
  return charts.map((chart, index) => {
    if (!isChart(chart)) throw new BatchplaneError(`app.charts[${index}]`, chart, 'a cdk8s Chart (with toJson())');
    const name = chart.node?.id ?? `chart-${index}`;
    if (seen.has(name)) throw new BatchplaneError(`app.charts[${index}]`, name, 'charts with unique ids');
    seen.add(name);
    return { name, chart };
  });
}

/** Options of {@link createDeployment}. */
export interface DeploymentArgs {
  /** Resources that must exist first: the operator releases that install the CRDs the charts use. */
  readonly dependsOn: readonly pulumi.Resource[];
  /** Kubernetes provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * Namespaces Pulumi already manages, by name. A chart's Namespace object for one of them is applied as
   * a server-side patch of its metadata (labels, annotations) instead of being created a second time.
   * @default {}
   */
  readonly managedNamespaces?: Readonly<Record<string, k8s.core.v1.Namespace>>;
}

/** The resources one chart became. */
export interface ChartDeployment {
  /** The chart's objects (less the patched namespaces). */
  readonly configGroup: k8s.yaml.v2.ConfigGroup;
  /** Metadata patches of namespaces Pulumi already manages. */
  readonly namespacePatches: readonly k8s.core.v1.NamespacePatch[];
}

/**
 * One ConfigGroup per chart, named `${name}-${chartId}`, with `objs: chart.toJson()`. Each group waits for
 * `dependsOn` (the operators), so custom resources are created after their CRDs. `toJson()` runs the
 * charts' validations, so a platform that fails `cdk8s synth` fails here too, before anything is applied.
 */
export function createDeployment(name: string, source: AppLike | ChartLike, args: DeploymentArgs, parent: pulumi.Resource): ChartDeployment[] {
  const managed = args.managedNamespaces ?? {};
  const isManaged = (obj: unknown): boolean => {
    const namespace = namespaceName(obj);
    return namespace !== undefined && Object.prototype.hasOwnProperty.call(managed, namespace);
  };
  return namedCharts(source).map(({ name: chartName, chart }) => {
    const objs = chart.toJson();
    const namespacePatches = objs.filter(isManaged).map((obj) => {
      const namespace = namespaceName(obj) as string;
      const metadata = (obj as { metadata: k8s.types.input.meta.v1.ObjectMetaPatch }).metadata;
      return new k8s.core.v1.NamespacePatch(
        `${name}-${chartName}-ns-${namespace}`,
        { metadata },
        { parent, provider: args.provider, dependsOn: [managed[namespace]] },
      );
    });
    const configGroup = new k8s.yaml.v2.ConfigGroup(
      `${name}-${chartName}`,
      { objs: objs.filter((obj) => !isManaged(obj)) },
      { parent, provider: args.provider, dependsOn: [...args.dependsOn] },
    );
    return { configGroup, namespacePatches };
  });
}
