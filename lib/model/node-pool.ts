/**
 * Node pools as plain data: the shape of one autoscaling group of identical nodes, the labels its nodes
 * carry, where a pod must be told to go to land on it, and how much of each node is left for pods.
 * The cdk8s NodePool construct and the Pulumi node groups both read a {@link NodePoolSpec}.
 */
import { allocatable } from './allocatable';
import { BatchplaneError, check } from './errors';
import { InstanceType, defineInstanceType, instanceType } from './instance-types';
import { compareStrings, entryField, integerInRange, isRecord, labelMap, oneOf, optional, sortedRecord } from './input';
import { checkDns1123Label, checkLabelValue, checkTaintKey } from './names';
import { bytes, cpuMillis } from './quantity';
import { ResourceVector, resources } from './resources';
import { NodeSelectorTerm, PodPlacement, PreferredSchedulingTerm, Taint, TaintEffectName, Toleration } from './scheduling-types';

/** How the nodes of a pool are bought. */
export type CapacityTypeName = 'ON_DEMAND' | 'SPOT';

/** The node label that names the pool a node belongs to. Every pool's nodes carry it. */
export const POOL_LABEL = 'batchplane.io/pool';

/** Preferred-affinity weight of a pod's own pool. */
export const OWN_POOL_WEIGHT = 100;

/** Preferred-affinity weight of the fallback pool: used only when the own pool cannot take the pod. */
export const FALLBACK_POOL_WEIGHT = 10;

/** A validated node pool. Build one with {@link createNodePoolSpec}. */
export interface NodePoolSpec {
  /** The pool name, a DNS-1123 label; the value of {@link POOL_LABEL} on its nodes. */
  readonly name: string;
  /** The instance types, all with the same vCPU, memory, GPUs and architecture. */
  readonly instanceTypes: readonly InstanceType[];
  readonly capacityType: CapacityTypeName;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** The availability zones, sorted; empty means every zone of the cluster's subnets. */
  readonly zones: readonly string[];
  /** The labels the pool puts on its nodes, including {@link POOL_LABEL}. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** The name of the pool that takes this pool's pods when it cannot. */
  readonly fallback?: string;
  /** What the DaemonSets running on every node request; subtracted from allocatable. */
  readonly daemonSetOverhead: ResourceVector;
  /** The root volume size of a node in GiB. */
  readonly diskSizeGiB: number;
}

/** What a DaemonSet pod set running on every node of a pool requests, as the user writes it. */
export interface DaemonSetOverheadInput {
  /**
   * CPU, as a Kubernetes quantity.
   * @default '200m'
   */
  readonly cpu?: string | number;
  /**
   * Memory, as a Kubernetes quantity.
   * @default '256Mi'
   */
  readonly memory?: string | number;
  /**
   * How many pods the DaemonSets run on every node.
   * @default 4
   */
  readonly pods?: number;
}

/** The input of {@link createNodePoolSpec}. */
export interface NodePoolSpecInput {
  /** The pool name, a DNS-1123 label: the `batchplane.io/pool` label of its nodes and the name of its node group. */
  readonly name: string;
  /**
   * The instance types: catalogue names such as `'r6i.2xlarge'` or custom types from `defineInstanceType`.
   * All must have the same vCPU, memory, GPU count and architecture, since cluster-autoscaler treats the
   * types of one group as interchangeable.
   */
  readonly instanceTypes: readonly (string | InstanceType)[];
  /**
   * How the nodes are bought.
   * @default 'ON_DEMAND'
   */
  readonly capacityType?: CapacityTypeName;
  /**
   * The fewest nodes the pool scales down to.
   * @default 0
   */
  readonly minNodes?: number;
  /** The most nodes the pool scales up to; at least 1 and at least `minNodes`. */
  readonly maxNodes: number;
  /**
   * The availability zones the nodes run in. One zone keeps shuffle traffic and EBS volumes local.
   * @default - every zone of the cluster's subnets
   */
  readonly zones?: readonly string[];
  /**
   * Labels on every node, besides `batchplane.io/pool` and the well-known ones. Keys in the
   * `kubernetes.io` and `k8s.io` domains are refused (kubelet may not set them), except
   * `node-restriction.kubernetes.io/`.
   * @default - only the pool label
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Taints on every node, which keep pods that do not tolerate them away.
   * @default - no taints
   */
  readonly taints?: readonly Taint[];
  /**
   * The name of the pool that takes this pool's pods when it cannot (spot capacity gone, pool at
   * `maxNodes`).
   * @default - no fallback
   */
  readonly fallback?: string;
  /**
   * What the DaemonSets running on every node request; subtracted from each node's allocatable.
   * @default - 200m CPU, 256Mi memory and 4 pods: a typical EKS node's aws-node, kube-proxy, a CSI node
   * plugin and one log or metrics agent.
   */
  readonly daemonSetOverhead?: DaemonSetOverheadInput;
  /**
   * The root volume size of a node in GiB (images, logs and emptyDir scratch share it).
   * @default 20
   */
  readonly diskSizeGiB?: number;
}

const DEFAULT_DAEMONSET_CPU = '200m';
const DEFAULT_DAEMONSET_MEMORY = '256Mi';
const DEFAULT_DAEMONSET_PODS = 4;
const DEFAULT_DISK_GIB = 20;
/** The largest EBS gp3 volume. */
const MAX_DISK_GIB = 16_384;
const TAINT_EFFECTS: readonly TaintEffectName[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const CAPACITY_TYPES: readonly CapacityTypeName[] = ['ON_DEMAND', 'SPOT'];
/** Label prefixes kubelet reserves; a node group may not set them. `node-restriction.kubernetes.io/` is allowed. */
const RESERVED_LABEL_DOMAINS = ['kubernetes.io', 'k8s.io'];
const ALLOWED_RESERVED_PREFIX = 'node-restriction.kubernetes.io/';

/**
 * Validates a pool and resolves its defaults.
 *
 * Every instance type of one pool must have the same vCPU, memory, GPU count and architecture:
 * cluster-autoscaler builds the template node of an empty group from one type and assumes the others
 * are the same, and a managed node group runs one AMI type.
 *
 * @throws BatchplaneError naming the field of the first problem.
 */
export function createNodePoolSpec(input: NodePoolSpecInput): NodePoolSpec {
  check(isRecord(input), 'props', input, 'an object');
  checkDns1123Label('name', input.name);
  const minNodes = integerInRange('minNodes', input.minNodes ?? 0, 0);
  const maxNodes: unknown = input.maxNodes;
  check(typeof maxNodes === 'number' && Number.isInteger(maxNodes) && maxNodes >= Math.max(1, minNodes), 'maxNodes', maxNodes,
    `an integer >= 1 and >= minNodes (${minNodes})`);
  integerInRange('maxNodes', maxNodes, 1);
  const diskSizeGiB = integerInRange('diskSizeGiB', input.diskSizeGiB ?? DEFAULT_DISK_GIB, 1, MAX_DISK_GIB);
  const capacityType = oneOf('capacityType', input.capacityType ?? 'ON_DEMAND', CAPACITY_TYPES);
  if (input.fallback !== undefined) {
    checkDns1123Label('fallback', input.fallback);
    check(input.fallback !== input.name, 'fallback', input.fallback, 'another pool than the pool itself');
  }
  return {
    name: input.name,
    instanceTypes: resolveInstanceTypes(input.instanceTypes),
    capacityType,
    minNodes,
    maxNodes,
    zones: checkZones(input.zones ?? []),
    labels: sortedRecord({ ...checkLabels(input.labels), [POOL_LABEL]: input.name }),
    taints: checkTaints(input.taints ?? []),
    ...optional('fallback', input.fallback),
    daemonSetOverhead: checkOverhead(input.daemonSetOverhead ?? {}),
    diskSizeGiB,
  };
}

/**
 * The labels a node of `pool` of type `type` carries: the pool's own labels and the well-known ones
 * kubelet and EKS set (instance type, architecture, OS, capacity type, and the zone when it is known —
 * given, or the pool's only zone).
 *
 * @throws BatchplaneError when `type` or `zone` is not one of the pool's.
 */
export function nodeLabels(pool: NodePoolSpec, type: InstanceType, zone?: string): Record<string, string> {
  check(pool.instanceTypes.some((t) => t.name === type.name), 'instanceType', type.name,
    `one of the pool's instance types (${pool.instanceTypes.map((t) => t.name).join(', ')})`);
  if (zone !== undefined && pool.zones.length > 0) {
    check(pool.zones.includes(zone), 'zone', zone, `one of the pool's zones (${pool.zones.join(', ')})`);
  }
  const knownZone = zone ?? (pool.zones.length === 1 ? pool.zones[0] : undefined);
  return sortedRecord({
    ...pool.labels,
    'node.kubernetes.io/instance-type': type.name,
    'kubernetes.io/arch': type.arch,
    'kubernetes.io/os': 'linux',
    'eks.amazonaws.com/capacityType': pool.capacityType,
    ...optional('topology.kubernetes.io/zone', knownZone),
  });
}

/**
 * Where a pod must be told to go to run on `pool` (or, when given, on its fallback): tolerations for
 * every taint that would block it on either pool, a required node-affinity term on the pool label, and
 * preferences that favour the pool over the fallback (weights {@link OWN_POOL_WEIGHT} and
 * {@link FALLBACK_POOL_WEIGHT}).
 *
 * Omitting `fallback` keeps the pod on `pool` even when the pool has a fallback (placeholders do this).
 *
 * @throws BatchplaneError when `fallback` is not the pool's fallback.
 */
export function poolPlacement(pool: NodePoolSpec, fallback?: NodePoolSpec): PodPlacement {
  if (fallback === undefined) {
    return { tolerations: tolerationsFor(pool.taints), requiredTerms: [poolTerm([pool.name])] };
  }
  check(fallback.name === pool.fallback, 'fallback', fallback.name,
    pool.fallback === undefined ? `no fallback: pool ${pool.name} has none` : `the pool's fallback ${pool.fallback}`);
  const preferred: PreferredSchedulingTerm[] = [
    { weight: OWN_POOL_WEIGHT, preference: poolTerm([pool.name]) },
    { weight: FALLBACK_POOL_WEIGHT, preference: poolTerm([fallback.name]) },
  ];
  return {
    tolerations: tolerationsFor([...pool.taints, ...fallback.taints]),
    requiredTerms: [poolTerm([pool.name, fallback.name])],
    preferredTerms: preferred,
  };
}

/** What each instance type of the pool leaves for pods once kubelet, the OS and the DaemonSets took theirs. */
export function poolAllocatable(pool: NodePoolSpec): { instanceType: InstanceType; allocatable: ResourceVector }[] {
  return pool.instanceTypes.map((type) => ({
    instanceType: type,
    allocatable: allocatable(type, { diskGiB: pool.diskSizeGiB, daemonSetOverhead: pool.daemonSetOverhead }),
  }));
}

/**
 * Tolerations that let a pod onto nodes with `taints`: one per blocking (NoSchedule, NoExecute) taint,
 * `Equal` on the value when it has one, `Exists` otherwise; deduplicated and sorted.
 */
export function tolerationsFor(taints: readonly Taint[]): Toleration[] {
  const byIdentity = new Map<string, Toleration>();
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    const toleration: Toleration = taint.value === undefined
      ? { key: taint.key, operator: 'Exists', effect: taint.effect }
      : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
    byIdentity.set(`${taint.key}\u0000${taint.effect}\u0000${taint.value ?? ''}`, toleration);
  }
  return [...byIdentity.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, toleration]) => toleration);
}

function poolTerm(pools: readonly string[]): NodeSelectorTerm {
  return { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: [...pools] }] };
}

function resolveInstanceTypes(given: unknown): InstanceType[] {
  check(Array.isArray(given) && given.length > 0, 'instanceTypes', given,
    "a non-empty list of instance type names or defineInstanceType() results");
  const types = given.map((entry: unknown, index) => resolveInstanceType(entry, index));
  const names = types.map((t) => t.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  check(duplicate === undefined, 'instanceTypes', names, `each instance type once (${duplicate} is repeated)`);
  const first = types[0];
  const odd = types.find((t) => shape(t) !== shape(first));
  if (odd !== undefined) {
    throw new BatchplaneError('instanceTypes', names,
      `instance types of the same shape (cluster-autoscaler treats the types of one group as identical): ` +
      `${first.name} is ${shape(first)} but ${odd.name} is ${shape(odd)}; put them in separate pools`);
  }
  return types;
}

function resolveInstanceType(entry: unknown, index: number): InstanceType {
  if (typeof entry === 'string') return instanceType(entry);
  check(typeof entry === 'object' && entry !== null, `instanceTypes[${index}]`, entry,
    'an instance type name or a defineInstanceType() result');
  return defineInstanceType(entry as InstanceType);
}

function shape(type: InstanceType): string {
  return `${type.vcpu} vCPU, ${type.memoryMiB} MiB, ${type.gpus} GPU, ${type.arch}`;
}

function checkZones(zones: unknown): string[] {
  check(Array.isArray(zones), 'zones', zones, 'a list of availability zone names');
  const checked = zones.map((zone: unknown, index) => {
    check(zone !== '', `zones[${index}]`, zone, 'a zone name such as eu-west-1a');
    return checkLabelValue(`zones[${index}]`, zone);
  });
  check(new Set(checked).size === checked.length, 'zones', checked, 'each zone once');
  return checked.sort(compareStrings);
}

/** The pool's own node labels: label keys and values, none that kubelet may not set or the pool sets itself. */
function checkLabels(labels: unknown): Record<string, string> {
  const checked = labelMap('labels', labels) ?? {};
  for (const key of Object.keys(checked)) {
    check(!isReservedLabel(key), entryField('labels', key), key,
      `a key outside the kubernetes.io and k8s.io domains (kubelet may not set those; ${ALLOWED_RESERVED_PREFIX} is allowed) ` +
      `and other than ${POOL_LABEL}, which the pool sets`);
  }
  return checked;
}

function isReservedLabel(key: string): boolean {
  if (key === POOL_LABEL) return true;
  const slash = key.indexOf('/');
  if (slash < 0 || key.startsWith(ALLOWED_RESERVED_PREFIX)) return false;
  const domain = key.slice(0, slash);
  return RESERVED_LABEL_DOMAINS.some((reserved) => domain === reserved || domain.endsWith(`.${reserved}`));
}

function checkTaints(taints: unknown): Taint[] {
  check(Array.isArray(taints), 'taints', taints, 'a list of taints');
  const checked = taints.map((taint: unknown, index) => checkTaint(taint, `taints[${index}]`));
  const identities = checked.map((t) => `${t.key}:${t.effect}`);
  const duplicate = identities.find((id, index) => identities.indexOf(id) !== index);
  check(duplicate === undefined, 'taints', taints, `at most one taint per key and effect (${duplicate} is repeated)`);
  return checked;
}

function checkTaint(taint: unknown, field: string): Taint {
  check(typeof taint === 'object' && taint !== null, field, taint, 'a taint { key, value?, effect }');
  const { key, value, effect } = taint as Record<string, unknown>;
  const checkedKey = checkTaintKey(`${field}.key`, key);
  const checkedValue = value === undefined ? '' : checkLabelValue(`${field}.value`, value);
  const checkedEffect = oneOf(`${field}.effect`, effect, TAINT_EFFECTS);
  return checkedValue === '' ? { key: checkedKey, effect: checkedEffect } : { key: checkedKey, value: checkedValue, effect: checkedEffect };
}

function checkOverhead(overhead: DaemonSetOverheadInput): ResourceVector {
  check(isRecord(overhead), 'daemonSetOverhead', overhead, 'an object { cpu?, memory?, pods? }');
  const pods = integerInRange('daemonSetOverhead.pods', overhead.pods ?? DEFAULT_DAEMONSET_PODS, 0);
  return resources({
    cpuMillis: nonNegative('daemonSetOverhead.cpu', overhead.cpu ?? DEFAULT_DAEMONSET_CPU, cpuMillis),
    memoryBytes: nonNegative('daemonSetOverhead.memory', overhead.memory ?? DEFAULT_DAEMONSET_MEMORY, bytes),
    pods,
  });
}

function nonNegative(field: string, value: unknown, parse: (q: string | number, field: string) => number): number {
  check(typeof value === 'string' || typeof value === 'number', field, value, 'a Kubernetes quantity >= 0');
  const parsed = parse(value, field);
  check(parsed >= 0, field, value, 'a Kubernetes quantity >= 0');
  return parsed;
}
