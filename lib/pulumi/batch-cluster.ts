/**
 * `BatchCluster`: an EKS cluster for batch pipelines, provisioned from the same node pools the cdk8s
 * platform schedules onto.
 */
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { check, withPath } from '../model/errors';
import { checkDns1123Label } from '../model/names';
import type { NodePoolSpec } from '../model/node-pool';
import { checkClusterName, createCluster } from './cluster';
import type { AppLike, ChartDeployment, ChartLike } from './deploy';
import { createDeployment } from './deploy';
import type { IrsaRole, IrsaRoleArgs, OidcIdentity, ServiceAccountRef } from './irsa';
import { createIrsaRole, createSparkS3Role } from './irsa';
import { createJobNamespaces } from './namespaces';
import type { PoolSource } from './node-groups';
import { checkPool, createNodeGroups, poolSpecs } from './node-groups';
import type { OperatorReleases, OperatorsArgs } from './operators';
import { createOperators, poolPriorities } from './operators';

/**
 * Arguments of {@link BatchCluster}. Names, pools and namespaces are plain values, not inputs: they become
 * tag keys, resource names and IAM conditions, which must be known when the program runs.
 */
export interface BatchClusterArgs {
  /** The node pools (cdk8s `NodePool` constructs or `{ spec }` objects); one managed node group each. */
  readonly pools: readonly PoolSource[];
  /**
   * One subnet per availability zone (`{ 'eu-west-1a': 'subnet-…' }`), usually private subnets. A pool
   * with zones uses the subnets of its zones; a pool without zones spans all of them; a new control
   * plane uses all of them.
   */
  readonly subnetIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Namespaces where Spark applications and workflows run (the platform namespace). */
  readonly jobNamespaces: readonly string[];
  /**
   * Whether to create the job namespaces before the operators (the Spark operator chart puts Roles into
   * them). A cdk8s chart's Namespace object for one of them is then applied as a metadata patch by
   * {@link BatchCluster.deploy}. Turn off when the namespaces exist already.
   * @default true
   */
  readonly createJobNamespaces?: boolean;
  /**
   * Name of the EKS cluster to create.
   * @default - the component name
   */
  readonly clusterName?: string;
  /**
   * Name of an existing EKS cluster to add node groups and operators to, instead of creating one.
   * @default - a cluster is created
   */
  readonly existingClusterName?: string;
  /**
   * AWS region of the cluster (kubeconfig and cluster-autoscaler).
   * @default - the AWS provider's region
   */
  readonly region?: pulumi.Input<string>;
  /**
   * Kubernetes version of a new cluster and of the node groups.
   * @default - the EKS default version
   */
  readonly kubernetesVersion?: pulumi.Input<string>;
  /**
   * Whether a new cluster's API server is reachable from the internet.
   * @default true
   */
  readonly endpointPublicAccess?: pulumi.Input<boolean>;
  /**
   * ARN of an existing IAM OIDC provider for the cluster's issuer (usual for existing clusters).
   * @default - one is created
   */
  readonly oidcProviderArn?: pulumi.Input<string>;
  /**
   * Helm chart sources, versions and values of the operators.
   * @default - pinned charts, see `DEFAULT_CHARTS`
   */
  readonly operators?: OperatorsArgs;
  /**
   * Tags of the AWS resources.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Options of {@link BatchCluster.deploy}. */
export interface DeployOptions {
  /**
   * Prefix of the ConfigGroup names (`${prefix}-${chartId}`); set it when deploying several apps.
   * @default - the component name
   */
  readonly prefix?: string;
}

/** Options of {@link BatchCluster.sparkS3Role}. */
export interface SparkS3RoleOptions {
  /**
   * Suffix of the role's resource name (`${name}-${id}`); unique per call.
   * @default 'spark-s3'
   */
  readonly id?: string;
}

/** True when pods without tolerations can run on the pool from the start (no blocking taint, a node up). */
function runsSystemPods(pool: NodePoolSpec): boolean {
  return pool.minNodes >= 1 && pool.taints.every((taint) => taint.effect === 'PreferNoSchedule');
}

/**
 * Checks everything about the arguments that can be checked before any resource exists, so bad input
 * fails the program instead of leaving half a stack. Returns the pools and the cluster name.
 */
function checkArgs(name: string, args: BatchClusterArgs): { pools: NodePoolSpec[]; clusterName: string } {
  return withPath(name, () => {
    check(typeof args === 'object' && args !== null, 'args', args, 'BatchClusterArgs');
    const pools = poolSpecs(args.pools);
    const clusterName = args.existingClusterName ?? args.clusterName ?? name;
    checkClusterName(clusterName);
    check(Array.isArray(args.jobNamespaces) && args.jobNamespaces.length > 0, 'jobNamespaces', args.jobNamespaces, 'at least one namespace');
    args.jobNamespaces.forEach((ns, index) => checkDns1123Label(`jobNamespaces[${index}]`, ns));
    check(typeof args.subnetIds === 'object' && args.subnetIds !== null, 'subnetIds', args.subnetIds, 'a map from availability zone to subnet id');
    pools.forEach((pool) => checkPool(pool, args.subnetIds, clusterName));
    poolPriorities(pools);
    check(
      args.existingClusterName !== undefined || pools.some(runsSystemPods),
      'pools',
      pools.map((pool) => pool.name),
      'at least one pool with minNodes >= 1 and no NoSchedule/NoExecute taint, to run cluster-autoscaler and the operators',
    );
    return { pools, clusterName };
  });
}

/**
 * An EKS cluster for batch pipelines: the control plane (or an existing cluster), one managed node group
 * per pool with the tags cluster-autoscaler needs to scale it from zero, IRSA, and Helm releases of
 * cluster-autoscaler (priority expander following pool fallbacks), the Spark operator and Argo Workflows.
 * {@link deploy} then applies the cdk8s charts once the operators' CRDs exist.
 */
export class BatchCluster extends pulumi.ComponentResource {
  /** The component's type token. */
  public static readonly TYPE = 'batchplane:index:BatchCluster';

  /** Name of the EKS cluster. */
  public readonly clusterName: pulumi.Output<string>;
  /** Kubeconfig (JSON, secret), authenticating with `aws eks get-token`. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for the cluster. */
  public readonly provider: k8s.Provider;
  /** The IAM role of every node. */
  public readonly nodeRole: aws.iam.Role;
  /** The managed node group of each pool, by pool name. */
  public readonly nodeGroups: Readonly<Record<string, aws.eks.NodeGroup>>;
  /** The Auto Scaling group behind each pool's node group, by pool name. */
  public readonly autoScalingGroupNames: Readonly<Record<string, pulumi.Output<string>>>;
  /** The cluster's OIDC identity, for IRSA roles. */
  public readonly oidc: OidcIdentity;
  /** The job namespaces this component created, by name. */
  public readonly namespaces: Readonly<Record<string, k8s.core.v1.Namespace>>;
  /** The operator releases. */
  public readonly operators: OperatorReleases;
  /** What deployed charts depend on: every operator release. */
  public readonly operatorReleases: readonly pulumi.Resource[];

  private readonly componentName: string;

  constructor(name: string, args: BatchClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { pools, clusterName } = checkArgs(name, args);
    super(BatchCluster.TYPE, name, {}, opts);
    this.componentName = name;
    const existing = args.existingClusterName !== undefined;
    const subnets = Object.keys(args.subnetIds)
      .sort()
      .map((zone) => args.subnetIds[zone]);
    const region = args.region ?? aws.getRegionOutput({}, { parent: this }).region;

    const cluster = createCluster(
      name,
      {
        clusterName,
        existing,
        subnetIds: subnets,
        region,
        kubernetesVersion: args.kubernetesVersion,
        endpointPublicAccess: args.endpointPublicAccess,
        oidcProviderArn: args.oidcProviderArn,
        tags: args.tags,
      },
      this,
    );
    const groups = createNodeGroups(
      name,
      {
        pools: args.pools,
        clusterName: cluster.clusterName,
        clusterNameValue: clusterName,
        nodeRoleArn: cluster.nodeRole.arn,
        subnetIds: args.subnetIds,
        kubernetesVersion: args.kubernetesVersion,
        tags: args.tags,
        dependsOn: [...cluster.nodeRoleAttachments, ...(cluster.cluster ? [cluster.cluster] : [])],
      },
      this,
    );
    const byPool = <T>(pick: (group: (typeof groups)[number]) => T): Record<string, T> =>
      Object.fromEntries(groups.map((group) => [group.pool.name, pick(group)]));
    this.nodeGroups = byPool((group) => group.nodeGroup);
    this.autoScalingGroupNames = byPool((group) => group.autoScalingGroupName);

    this.namespaces =
      args.createJobNamespaces === false ? {} : createJobNamespaces(name, args.jobNamespaces, this, cluster.provider);
    this.operators = createOperators(
      name,
      {
        clusterName,
        region,
        oidc: cluster.oidc,
        pools,
        autoScalingGroupNames: this.autoScalingGroupNames,
        jobNamespaces: args.jobNamespaces,
        operators: args.operators,
        dependsOn: [...groups.flatMap((group) => [group.nodeGroup, ...group.asgTags]), ...Object.values(this.namespaces)],
        tags: args.tags,
      },
      this,
      cluster.provider,
    );
    this.operatorReleases = this.operators.all;
    this.clusterName = cluster.clusterName;
    this.kubeconfig = cluster.kubeconfig;
    this.provider = cluster.provider;
    this.nodeRole = cluster.nodeRole;
    this.oidc = cluster.oidc;

    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      nodeGroupNames: Object.fromEntries(groups.map((group) => [group.pool.name, group.nodeGroup.nodeGroupName])),
      autoScalingGroupNames: this.autoScalingGroupNames,
    });
  }

  /**
   * Applies a cdk8s app (or one chart): one ConfigGroup per chart, after the operators so their CRDs exist.
   * Call it after the charts are complete; `toJson()` validates them.
   */
  public deploy(app: AppLike | ChartLike, options: DeployOptions = {}): ChartDeployment[] {
    return createDeployment(
      options.prefix ?? this.componentName,
      app,
      { dependsOn: this.operatorReleases, provider: this.provider, managedNamespaces: this.namespaces },
      this,
    );
  }

  /**
   * An IRSA role with read-write access to one S3 bucket for Spark service accounts (driver and executors);
   * annotate those accounts with `eks.amazonaws.com/role-arn: role.arn`.
   */
  public sparkS3Role(bucketArn: pulumi.Input<string>, serviceAccounts: readonly ServiceAccountRef[], options: SparkS3RoleOptions = {}): IrsaRole {
    return createSparkS3Role(`${this.componentName}-${options.id ?? 'spark-s3'}`, { oidc: this.oidc, bucketArn, serviceAccounts }, this);
  }

  /** An IRSA role (`${name}-${id}`) that only the given service accounts can assume. */
  public irsaRole(id: string, args: Omit<IrsaRoleArgs, 'oidc'>): IrsaRole {
    return createIrsaRole(`${this.componentName}-${id}`, { ...args, oidc: this.oidc }, this);
  }
}
