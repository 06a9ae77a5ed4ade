/**
 * EKS managed node groups, one per batchplane node pool, with the Auto Scaling group tags that let
 * cluster-autoscaler scale a pool up from zero nodes.
 *
 * The pure helpers ({@link nodeGroupArgs}, {@link autoscalerTags}, {@link eksTaintEffect} ...) hold all
 * the translation from a {@link NodePoolSpec} to AWS shapes; {@link createNodeGroups} only creates resources.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BatchplaneError, check, withPath } from '../model/errors';
import { sortedRecord } from '../model/input';
import type { NodePoolSpec } from '../model/node-pool';
import type { TaintEffectName } from '../model/scheduling-types';

/** Anything that carries a pool definition: a cdk8s `NodePool` construct satisfies it. */
export interface PoolSource {
  /** The pool, as the pure model describes it. */
  readonly spec: NodePoolSpec;
}

/** A taint effect as the EKS API spells it. */
export type EksTaintEffect = 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';

const EKS_TAINT_EFFECTS: Readonly<Record<TaintEffectName, EksTaintEffect>> = {
  NoSchedule: 'NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
};

/** Prefix of every tag cluster-autoscaler reads to build a template node for an empty group. */
export const NODE_TEMPLATE_TAG_PREFIX = 'k8s.io/cluster-autoscaler/node-template';

/** The tag cluster-autoscaler's auto-discovery looks for on every Auto Scaling group it may scale. */
export const AUTOSCALER_ENABLED_TAG = 'k8s.io/cluster-autoscaler/enabled';

/** The per-cluster auto-discovery tag key; EKS writes the value `owned` on managed node groups. */
export function autoscalerClusterTag(clusterName: string): string {
  return `k8s.io/cluster-autoscaler/${clusterName}`;
}

/** AWS limits on tag keys and values (Auto Scaling and EKS agree). */
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;

/** The EKS API spelling of a Kubernetes taint effect (`NoSchedule` → `NO_SCHEDULE`). */
export function eksTaintEffect(effect: TaintEffectName): EksTaintEffect {
  check(Object.prototype.hasOwnProperty.call(EKS_TAINT_EFFECTS, effect), 'taints.effect', effect, 'one of NoSchedule, NoExecute, PreferNoSchedule');
  return EKS_TAINT_EFFECTS[effect];
}

/** The EKS AMI family for a pool: AL2023, by CPU architecture, NVIDIA variant for GPU instance types. */
export function amiType(pool: NodePoolSpec): string {
  const archs = new Set(pool.instanceTypes.map((it) => it.arch));
  const withGpu = pool.instanceTypes.filter((it) => it.gpus > 0).length;
  const names = pool.instanceTypes.map((it) => it.name);
  if (archs.size !== 1) {
    throw new BatchplaneError('instanceTypes', names, 'instance types of a single CPU architecture (one AMI per node group)', pool.name);
  }
  if (withGpu !== 0 && withGpu !== pool.instanceTypes.length) {
    throw new BatchplaneError('instanceTypes', names, 'only GPU or only non-GPU instance types (one AMI per node group)', pool.name);
  }
  const arch = archs.has('arm64') ? 'ARM_64' : 'x86_64';
  return `AL2023_${arch}_${withGpu > 0 ? 'NVIDIA' : 'STANDARD'}`;
}

/**
 * The subnets a pool's node group spans: one per zone of the pool, or every subnet when the pool names
 * no zone. A single-zone pool gets exactly one subnet, so the zone label cluster-autoscaler puts on its
 * template node is the zone the nodes really start in.
 */
export function poolSubnets<T>(pool: NodePoolSpec, subnetIds: Readonly<Record<string, T>>): T[] {
  const known = Object.keys(subnetIds).sort();
  check(known.length > 0, 'subnetIds', subnetIds, 'a map from availability zone to subnet id with at least one entry');
  if (pool.zones.length === 0) return known.map((zone) => subnetIds[zone]);
  return pool.zones.map((zone) => {
    if (!Object.prototype.hasOwnProperty.call(subnetIds, zone)) {
      throw new BatchplaneError('zones', zone, `a zone with a subnet in subnetIds (${known.join(', ')})`, pool.name);
    }
    return subnetIds[zone];
  });
}

/** The GPU count cluster-autoscaler should assume for a node of the pool (the smallest of its types). */
function poolGpus(pool: NodePoolSpec): number {
  return Math.min(...pool.instanceTypes.map((it) => it.gpus));
}

/**
 * The `node-template/resources/*` tags: resources of a pool's node that cluster-autoscaler cannot read from
 * the instance type (root disk as `ephemeral-storage`, and `nvidia.com/gpu` for GPU pools). EKS copies no
 * node group tags to the Auto Scaling group; cluster-autoscaler 1.28 and later reads these from the node
 * group itself (DescribeNodegroup), older versions only from the Auto Scaling group, so both carry them.
 */
export function resourceTags(pool: NodePoolSpec): Record<string, string> {
  const tags: Record<string, string> = {
    [`${NODE_TEMPLATE_TAG_PREFIX}/resources/ephemeral-storage`]: `${pool.diskSizeGiB}Gi`,
  };
  const gpus = poolGpus(pool);
  if (gpus > 0) tags[`${NODE_TEMPLATE_TAG_PREFIX}/resources/nvidia.com/gpu`] = String(gpus);
  return tags;
}

/**
 * Every tag the pool's Auto Scaling group needs for cluster-autoscaler: the two auto-discovery tags, a
 * `node-template/label/<key>` tag per pool label, a `node-template/taint/<key>` tag per taint whose value
 * is `<value>:<Effect>` in Kubernetes spelling (cluster-autoscaler silently ignores `NO_SCHEDULE`), and
 * the {@link resourceTags}. Keys sorted.
 */
export function autoscalerTags(pool: NodePoolSpec, clusterName: string): Record<string, string> {
  const tags: Record<string, string> = {
    [AUTOSCALER_ENABLED_TAG]: 'true',
    [autoscalerClusterTag(clusterName)]: 'owned',
    ...resourceTags(pool),
  };
  for (const [key, value] of Object.entries(pool.labels)) {
    tags[`${NODE_TEMPLATE_TAG_PREFIX}/label/${key}`] = value;
  }
  for (const taint of pool.taints) {
    eksTaintEffect(taint.effect);
    tags[`${NODE_TEMPLATE_TAG_PREFIX}/taint/${taint.key}`] = `${taint.value ?? ''}:${taint.effect}`;
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length > MAX_TAG_KEY_LENGTH || value.length > MAX_TAG_VALUE_LENGTH) {
      throw new BatchplaneError(
        'labels',
        key,
        `label and taint keys short enough for the Auto Scaling tag "${key}" to stay within ${MAX_TAG_KEY_LENGTH} characters (values ${MAX_TAG_VALUE_LENGTH})`,
        pool.name,
      );
    }
  }
  return sortedRecord(tags);
}

/** What a node group needs besides its pool. */
export interface NodeGroupContext {
  /** Name of the EKS cluster the group joins. */
  readonly clusterName: pulumi.Input<string>;
  /** ARN of the IAM role the nodes run as. */
  readonly nodeRoleArn: pulumi.Input<string>;
  /** Subnet per availability zone. */
  readonly subnetIds: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Kubernetes version of the nodes.
   * @default - the cluster's version
   */
  readonly kubernetesVersion?: pulumi.Input<string>;
  /**
   * Extra tags for the node group.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, pulumi.Input<string>>>;
}

const NODE_GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Checks the parts of a pool an EKS managed node group cannot accept, naming the pool and field. */
export function checkPoolForEks(pool: NodePoolSpec): void {
  const name: unknown = pool.name;
  if (typeof name !== 'string' || !NODE_GROUP_NAME.test(name)) {
    throw new BatchplaneError('name', name, 'letters, digits, "-" and "_", starting with a letter or digit');
  }
  withPath(name, () => {
    check(Array.isArray(pool.instanceTypes) && pool.instanceTypes.length > 0, 'instanceTypes', pool.instanceTypes, 'at least one instance type');
    check(pool.capacityType === 'ON_DEMAND' || pool.capacityType === 'SPOT', 'capacityType', pool.capacityType, "'ON_DEMAND' or 'SPOT'");
    check(Number.isInteger(pool.minNodes) && pool.minNodes >= 0, 'minNodes', pool.minNodes, 'an integer >= 0');
    check(
      Number.isInteger(pool.maxNodes) && pool.maxNodes >= Math.max(1, pool.minNodes),
      'maxNodes',
      pool.maxNodes,
      `an integer >= ${Math.max(1, pool.minNodes)} (EKS node groups need maxSize >= 1 and >= minNodes)`,
    );
    check(Number.isInteger(pool.diskSizeGiB) && pool.diskSizeGiB >= 1, 'diskSizeGiB', pool.diskSizeGiB, 'an integer >= 1');
    check(Array.isArray(pool.zones), 'zones', pool.zones, 'an array of availability zones');
    check(Array.isArray(pool.taints), 'taints', pool.taints, 'an array of taints');
    check(typeof pool.labels === 'object' && pool.labels !== null, 'labels', pool.labels, 'a map of labels');
  });
}

/**
 * Checks that a pool can become a node group in this cluster: the pool itself, its AMI, its subnets and
 * its autoscaler tags. Throws a {@link BatchplaneError} naming the pool and the field.
 */
export function checkPool(pool: NodePoolSpec, subnetIds: Readonly<Record<string, unknown>>, clusterName: string): void {
  checkPoolForEks(pool);
  amiType(pool);
  poolSubnets(pool, subnetIds);
  autoscalerTags(pool, clusterName);
}

/**
 * The arguments of the EKS managed node group for a pool. The desired size starts at `minNodes`; the
 * caller must ignore later drift on it (cluster-autoscaler owns it).
 */
export function nodeGroupArgs(pool: NodePoolSpec, context: NodeGroupContext): aws.eks.NodeGroupArgs {
  checkPoolForEks(pool);
  return {
    clusterName: context.clusterName,
    nodeRoleArn: context.nodeRoleArn,
    subnetIds: poolSubnets(pool, context.subnetIds),
    instanceTypes: pool.instanceTypes.map((it) => it.name),
    capacityType: pool.capacityType,
    amiType: amiType(pool),
    diskSize: pool.diskSizeGiB,
    scalingConfig: { minSize: pool.minNodes, maxSize: pool.maxNodes, desiredSize: pool.minNodes },
    labels: sortedRecord(pool.labels),
    taints: pool.taints.map((taint) => ({
      key: taint.key,
      ...(taint.value !== undefined && taint.value !== '' ? { value: taint.value } : {}),
      effect: eksTaintEffect(taint.effect),
    })),
    ...(context.kubernetesVersion !== undefined ? { version: context.kubernetesVersion } : {}),
    tags: { ...context.tags, ...resourceTags(pool) },
  };
}

/** The node group of one pool and the Auto Scaling group tags that describe it to cluster-autoscaler. */
export interface PoolNodeGroup {
  /** The pool. */
  readonly pool: NodePoolSpec;
  /** The EKS managed node group. */
  readonly nodeGroup: aws.eks.NodeGroup;
  /** Name of the Auto Scaling group EKS created for the node group. */
  readonly autoScalingGroupName: pulumi.Output<string>;
  /** One tag resource per {@link autoscalerTags} entry. */
  readonly asgTags: readonly aws.autoscaling.Tag[];
}

/** Arguments of {@link createNodeGroups}. */
export interface NodeGroupsArgs extends NodeGroupContext {
  /** The pools, one node group each. Pool names must be unique. */
  readonly pools: readonly PoolSource[];
  /** Plain cluster name, for the tag keys that embed it. */
  readonly clusterNameValue: string;
  /**
   * Resources the node groups wait for (the node role's policy attachments).
   * @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** The pools' specs, checked for duplicate names. */
export function poolSpecs(pools: readonly PoolSource[]): NodePoolSpec[] {
  check(Array.isArray(pools) && pools.length > 0, 'pools', pools, 'at least one node pool ({ spec: NodePoolSpec })');
  const seen = new Set<string>();
  return pools.map((source, index) => {
    const spec: unknown = source?.spec;
    check(typeof spec === 'object' && spec !== null, `pools[${index}]`, source, 'a NodePool (an object with a spec)');
    const pool = spec as NodePoolSpec;
    check(!seen.has(pool.name), 'pools', pool.name, 'unique pool names');
    seen.add(pool.name);
    return pool;
  });
}

/**
 * Creates one EKS managed node group per pool (named `${name}-${pool}`) and tags its Auto Scaling group
 * with {@link autoscalerTags} (`aws.autoscaling.Tag`, not propagated to instances).
 */
export function createNodeGroups(name: string, args: NodeGroupsArgs, parent: pulumi.Resource): PoolNodeGroup[] {
  return poolSpecs(args.pools).map((pool) => {
    const groupName = `${name}-${pool.name}`;
    const groupArgs = nodeGroupArgs(pool, args);
    const tags = autoscalerTags(pool, args.clusterNameValue);
    const nodeGroup = new aws.eks.NodeGroup(groupName, groupArgs, {
      parent,
      dependsOn: [...(args.dependsOn ?? [])],
      ignoreChanges: ['scalingConfig.desiredSize'],
    });
    const autoScalingGroupName = nodeGroup.resources.apply((resources) => {
      const asg = resources?.[0]?.autoscalingGroups?.[0]?.name;
      if (asg === undefined) throw new BatchplaneError('resources', resources, 'an Auto Scaling group created by EKS', groupName);
      return asg;
    });
    const asgTags = Object.entries(tags).map(
      ([key, value]) =>
        new aws.autoscaling.Tag(
          `${groupName}-tag-${key}`,
          { autoscalingGroupName: autoScalingGroupName, tag: { key, value, propagateAtLaunch: false } },
          { parent },
        ),
    );
    return { pool, nodeGroup, autoScalingGroupName, asgTags };
  });
}
