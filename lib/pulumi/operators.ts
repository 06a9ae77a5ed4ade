/**
 * Helm releases of the operators a batch platform needs: cluster-autoscaler (with an IRSA role of least
 * privilege and the `priority` expander fed from the pools' fallbacks), the Kubeflow Spark operator and
 * Argo Workflows.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { BatchplaneError } from '../model/errors';
import type { NodePoolSpec } from '../model/node-pool';
import type { IrsaRole, OidcIdentity, PolicyDocument } from './irsa';
import { createIrsaRole, IRSA_ROLE_ANNOTATION } from './irsa';
import { autoscalerClusterTag } from './node-groups';

/** Where a chart comes from and how it is installed; every field has a pinned default per operator. */
export interface HelmReleaseArgs {
  /**
   * Whether to install the release at all.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Chart repository URL.
   * @default - see {@link DEFAULT_CHARTS}
   */
  readonly repo?: pulumi.Input<string>;
  /**
   * Chart name.
   * @default - see {@link DEFAULT_CHARTS}
   */
  readonly chart?: pulumi.Input<string>;
  /**
   * Chart version.
   * @default - see {@link DEFAULT_CHARTS}
   */
  readonly version?: pulumi.Input<string>;
  /**
   * Namespace of the release (created when missing).
   * @default - see {@link DEFAULT_CHARTS}
   */
  readonly namespace?: string;
  /**
   * Values merged over batchplane's values (objects merge key by key, anything else replaces).
   * @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** The operators to install and how. */
export interface OperatorsArgs {
  /**
   * cluster-autoscaler.
   * @default - chart `cluster-autoscaler` 9.43.1 (autoscaler 1.31.0) in `kube-system`
   */
  readonly clusterAutoscaler?: HelmReleaseArgs;
  /**
   * Kubeflow Spark operator.
   * @default - chart `spark-operator` 2.4.0 in `spark-operator`
   */
  readonly sparkOperator?: HelmReleaseArgs;
  /**
   * Argo Workflows.
   * @default - chart `argo-workflows` 2.0.1 (Argo Workflows v4.1) in `argo`
   */
  readonly argoWorkflows?: HelmReleaseArgs;
}

/** A chart's pinned source. */
export interface ChartSource {
  readonly repo: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
}

/** The operators batchplane installs. */
export type OperatorName = keyof OperatorsArgs;

/** Pinned chart defaults; override any field through {@link OperatorsArgs}. */
export const DEFAULT_CHARTS: Readonly<Record<OperatorName, ChartSource>> = {
  clusterAutoscaler: {
    repo: 'https://kubernetes.github.io/autoscaler',
    chart: 'cluster-autoscaler',
    version: '9.43.1',
    namespace: 'kube-system',
  },
  sparkOperator: {
    repo: 'https://kubeflow.github.io/spark-operator',
    chart: 'spark-operator',
    version: '2.4.0',
    namespace: 'spark-operator',
  },
  argoWorkflows: {
    repo: 'https://argoproj.github.io/argo-helm',
    chart: 'argo-workflows',
    version: '2.0.1',
    namespace: 'argo',
  },
};

/** Service account of cluster-autoscaler; its IRSA role trusts only this account. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = 'cluster-autoscaler';

/** Priority of the catch-all expression that keeps node groups batchplane does not manage eligible. */
export const CATCH_ALL_PRIORITY = 1;

/** Distance between the priorities of consecutive fallback levels. */
const PRIORITY_STEP = 10;

/**
 * Priority of each pool for cluster-autoscaler's `priority` expander, from the fallback chains: a pool
 * that is some pool's fallback ranks below every pool that falls back to it, so spot pools are tried
 * before their on-demand fallback. Pools outside any chain get the top priority. Throws on a fallback
 * that names no given pool and on fallback cycles.
 */
export function poolPriorities(pools: readonly NodePoolSpec[]): Record<string, number> {
  const byName = new Map(pools.map((pool) => [pool.name, pool]));
  const primariesOf = new Map<string, string[]>();
  for (const pool of pools) {
    if (pool.fallback === undefined) continue;
    if (!byName.has(pool.fallback)) {
      throw new BatchplaneError('fallback', pool.fallback, `the name of a pool given to the cluster (${[...byName.keys()].sort().join(', ')})`, pool.name);
    }
    primariesOf.set(pool.fallback, [...(primariesOf.get(pool.fallback) ?? []), pool.name]);
  }
  // Depth below the top of the fallback chains: 0 for a pool no other pool falls back to.
  const depth = new Map<string, number>();
  const depthOf = (name: string, path: readonly string[]): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (path.includes(name)) {
      throw new BatchplaneError('fallback', [...path, name].join(' → '), 'fallback chains without cycles', name);
    }
    const primaries = primariesOf.get(name) ?? [];
    const result = primaries.length === 0 ? 0 : 1 + Math.max(...primaries.map((p) => depthOf(p, [...path, name])));
    depth.set(name, result);
    return result;
  };
  const names = [...byName.keys()].sort();
  const deepest = Math.max(0, ...names.map((name) => depthOf(name, [])));
  return Object.fromEntries(names.map((name) => [name, CATCH_ALL_PRIORITY + PRIORITY_STEP * (deepest - depthOf(name, []) + 1)]));
}

/** `text` with every regular-expression metacharacter escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The `priorities` map of the priority expander ConfigMap: priority → regexes matching the Auto Scaling
 * group names (exactly) of the pools with that priority, plus `.*` at {@link CATCH_ALL_PRIORITY} so groups
 * batchplane does not manage can still scale.
 */
export function expanderPriorities(pools: readonly NodePoolSpec[], autoScalingGroupNames: Readonly<Record<string, string>>): Record<string, string[]> {
  const priorities: Record<string, string[]> = { [CATCH_ALL_PRIORITY]: ['.*'] };
  for (const [pool, priority] of Object.entries(poolPriorities(pools))) {
    const asg = autoScalingGroupNames[pool];
    if (asg === undefined) throw new BatchplaneError('autoScalingGroupNames', pool, 'an Auto Scaling group name for every pool');
    (priorities[priority] ??= []).push(`^${escapeRegExp(asg)}$`);
  }
  for (const list of Object.values(priorities)) list.sort();
  return priorities;
}

/**
 * The IAM policy cluster-autoscaler needs on AWS with managed node groups: read-only discovery calls on
 * every resource, `eks:DescribeNodegroup` on this cluster's node groups, and the two mutating calls only
 * on Auto Scaling groups tagged as owned by this cluster.
 */
export function clusterAutoscalerPolicy(clusterName: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Discover',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        Resource: '*',
      },
      {
        Sid: 'DescribeNodegroups',
        Effect: 'Allow',
        Action: 'eks:DescribeNodegroup',
        Resource: `arn:aws:eks:*:*:nodegroup/${clusterName}/*`,
      },
      {
        Sid: 'ScaleOwnGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: '*',
        Condition: { StringEquals: { [`aws:ResourceTag/${autoscalerClusterTag(clusterName)}`]: 'owned' } },
      },
    ],
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** `override` merged over `base`: plain objects merge key by key; anything else in `override` wins. */
export function mergeValues(base: Readonly<Record<string, unknown>>, override: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override ?? {})) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/** Inputs of {@link clusterAutoscalerValues}. */
export interface ClusterAutoscalerValuesArgs {
  /** Cluster name for auto-discovery. */
  readonly clusterName: string;
  /** AWS region. */
  readonly region: pulumi.Input<string>;
  /** ARN of the autoscaler's IRSA role. */
  readonly roleArn: pulumi.Input<string>;
  /** The priority expander's `priorities` map ({@link expanderPriorities}). */
  readonly priorities: pulumi.Input<Record<string, string[]>>;
}

/** batchplane's values for the cluster-autoscaler chart. */
export function clusterAutoscalerValues(args: ClusterAutoscalerValuesArgs): Record<string, unknown> {
  return {
    cloudProvider: 'aws',
    awsRegion: args.region,
    autoDiscovery: { clusterName: args.clusterName },
    rbac: {
      serviceAccount: {
        create: true,
        name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
        annotations: { [IRSA_ROLE_ANNOTATION]: args.roleArn },
      },
    },
    // priority first (fallback order), least-waste breaks ties between pools of equal priority.
    extraArgs: { expander: 'priority,least-waste', 'balance-similar-node-groups': true },
    expanderPriorities: args.priorities,
    resources: { requests: { cpu: '100m', memory: '600Mi' }, limits: { cpu: '1', memory: '600Mi' } },
    securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  };
}

/**
 * batchplane's values for the Spark operator chart: watch the platform namespaces. The chart's own Spark
 * service account and RBAC are off because batchplane's SparkApplication constructs emit their own.
 */
export function sparkOperatorValues(jobNamespaces: readonly string[]): Record<string, unknown> {
  return {
    spark: { jobNamespaces: [...jobNamespaces], serviceAccount: { create: false }, rbac: { create: false } },
    webhook: { enable: true },
  };
}

/**
 * batchplane's values for the Argo Workflows chart: manage workflows in the platform namespaces. The
 * chart's workflow service account and RBAC are off because batchplane's pipelines emit their own.
 */
export function argoWorkflowsValues(jobNamespaces: readonly string[]): Record<string, unknown> {
  return {
    controller: { workflowNamespaces: [...jobNamespaces] },
    workflow: { serviceAccount: { create: false }, rbac: { create: false } },
  };
}

/** Arguments of {@link createOperators}. */
export interface CreateOperatorsArgs {
  /** Plain cluster name (auto-discovery, IAM scoping). */
  readonly clusterName: string;
  /** AWS region. */
  readonly region: pulumi.Input<string>;
  /** OIDC identity for the autoscaler's IRSA role. */
  readonly oidc: OidcIdentity;
  /** The pools, for the expander priorities. */
  readonly pools: readonly NodePoolSpec[];
  /** Auto Scaling group name of each pool, by pool name. */
  readonly autoScalingGroupNames: Readonly<Record<string, pulumi.Input<string>>>;
  /** Namespaces where Spark applications and workflows run. */
  readonly jobNamespaces: readonly string[];
  /**
   * Chart overrides.
   * @default {}
   */
  readonly operators?: OperatorsArgs;
  /**
   * Resources the releases wait for (the node groups their pods run on).
   * @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
  /**
   * Tags of the IAM role.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The installed operators. */
export interface OperatorReleases {
  /** cluster-autoscaler, unless disabled. */
  readonly clusterAutoscaler?: k8s.helm.v3.Release;
  /** The autoscaler's IRSA role, when the autoscaler is installed. */
  readonly clusterAutoscalerRole?: IrsaRole;
  /** Spark operator, unless disabled. */
  readonly sparkOperator?: k8s.helm.v3.Release;
  /** Argo Workflows, unless disabled. */
  readonly argoWorkflows?: k8s.helm.v3.Release;
  /** Every release, in install order: manifests that use their CRDs depend on these. */
  readonly all: readonly k8s.helm.v3.Release[];
}

/**
 * Installs the operators as Helm releases named `${name}-<operator>` (Helm release names
 * `cluster-autoscaler`, `spark-operator`, `argo-workflows`).
 */
export function createOperators(name: string, args: CreateOperatorsArgs, parent: pulumi.Resource, provider: k8s.Provider): OperatorReleases {
  const overrides = args.operators ?? {};
  const release = (operator: OperatorName, releaseName: string, values: Record<string, unknown>): k8s.helm.v3.Release | undefined => {
    const given = overrides[operator] ?? {};
    if (given.enabled === false) return undefined;
    const source = DEFAULT_CHARTS[operator];
    const namespace = given.namespace ?? source.namespace;
    return new k8s.helm.v3.Release(
      `${name}-${releaseName}`,
      {
        name: releaseName,
        chart: given.chart ?? source.chart,
        version: given.version ?? source.version,
        repositoryOpts: { repo: given.repo ?? source.repo },
        namespace,
        createNamespace: namespace !== 'kube-system',
        values: mergeValues(values, given.values),
      },
      { parent, provider, dependsOn: [...(args.dependsOn ?? [])] },
    );
  };

  let clusterAutoscalerRole: IrsaRole | undefined;
  let clusterAutoscaler: k8s.helm.v3.Release | undefined;
  if (overrides.clusterAutoscaler?.enabled !== false) {
    const namespace = overrides.clusterAutoscaler?.namespace ?? DEFAULT_CHARTS.clusterAutoscaler.namespace;
    clusterAutoscalerRole = createIrsaRole(
      `${name}-cluster-autoscaler-role`,
      {
        oidc: args.oidc,
        serviceAccounts: [{ namespace, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT }],
        policy: clusterAutoscalerPolicy(args.clusterName),
        tags: args.tags,
      },
      parent,
    );
    poolPriorities(args.pools); // fail now, not inside an apply, on unknown fallbacks or cycles
    const priorities = pulumi.all(args.autoScalingGroupNames).apply((names) => expanderPriorities(args.pools, names));
    clusterAutoscaler = release(
      'clusterAutoscaler',
      'cluster-autoscaler',
      clusterAutoscalerValues({ clusterName: args.clusterName, region: args.region, roleArn: clusterAutoscalerRole.role.arn, priorities }),
    );
  }
  const sparkOperator = release('sparkOperator', 'spark-operator', sparkOperatorValues(args.jobNamespaces));
  const argoWorkflows = release('argoWorkflows', 'argo-workflows', argoWorkflowsValues(args.jobNamespaces));
  const all = [clusterAutoscaler, sparkOperator, argoWorkflows].filter((r): r is k8s.helm.v3.Release => r !== undefined);
  return { clusterAutoscaler, clusterAutoscalerRole, sparkOperator, argoWorkflows, all };
}
