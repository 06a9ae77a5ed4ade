/**
 * Pod fit: which pools each pod group of a job may land on, and why the others reject it.
 *
 * A pod may land on a pool when (1) its tolerations cover the pool's NoSchedule/NoExecute taints,
 * (2) its node selector and required node affinity match the labels of the pool's nodes — the pool's
 * own labels plus the well-known ones (instance type, zone, capacity type, arch, os) — and (3) its
 * requests fit the allocatable of a node (after kubelet reservations and DaemonSet overhead) of an
 * instance type whose labels matched.
 */
import { PodBatch } from './bin-packing';
import { InstanceType } from './instance-types';
import { NodePoolSpec, POOL_LABEL, nodeLabels, poolAllocatable } from './node-pool';
import { ResourceVector, exceeded } from './resources';
import { matchesNodeSelector, preferenceScore, untoleratedTaints } from './scheduling';
import { NodeSelectorRequirement, NodeSelectorTerm, PodPlacement, Taint } from './scheduling-types';
import { JobDemand, PodGroup } from './workload';

/** A pool prepared for fit checks: its node types with allocatable and the label sets its nodes carry. */
export interface PoolProfile {
  /** The pool. */
  readonly spec: NodePoolSpec;
  /** The construct path, for messages. */
  readonly path: string;
  /**
   * What one node offers pods, from the pool's first instance type: cluster-autoscaler builds the
   * template node of a mixed-instances group from its first type (research/capacity.md §1c).
   */
  readonly node: ResourceVector;
  /** Every instance type with its allocatable and the labels of its nodes (one set per zone). */
  readonly nodeTypes: readonly NodeType[];
}

/** One instance type of a pool. */
export interface NodeType {
  readonly instanceType: InstanceType;
  readonly allocatable: ResourceVector;
  readonly labelSets: readonly Readonly<Record<string, string>>[];
}

/** Why a pool rejects a pod. */
export interface Rejection {
  /** Which rule: taints, labels (selector/affinity) or size. */
  readonly kind: 'taints' | 'labels' | 'size';
  /** What is wrong, e.g. `tolerates no taint of pool gpu (nvidia.com/gpu=true:NoSchedule)`. */
  readonly reason: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Where one pod group may run. */
export interface GroupFit {
  /** The pools the group may land on, most preferred first. */
  readonly candidates: readonly string[];
  /** The pool the planner counts the group on: the user's pool when it is a candidate, else the most preferred candidate. */
  readonly target?: string;
  /** Why each other pool rejects the group. */
  readonly rejections: ReadonlyMap<string, Rejection>;
}

/** Prepares a pool for fit checks. */
export function poolProfile(spec: NodePoolSpec, path: string): PoolProfile {
  const zones: readonly (string | undefined)[] = spec.zones.length > 0 ? spec.zones : [undefined];
  const nodeTypes = poolAllocatable(spec).map(({ instanceType, allocatable }) => ({
    instanceType,
    allocatable,
    labelSets: zones.map((zone) => nodeLabels(spec, instanceType, zone)),
  }));
  return { spec, path, node: nodeTypes[0].allocatable, nodeTypes };
}

/**
 * What a pool says of a placement alone, whatever the pod's size: the pool's taints it does not
 * tolerate and, when it tolerates them all, the node types whose labels it matches.
 */
export interface PlacementMatch {
  /** The NoSchedule and NoExecute taints of the pool that the placement does not tolerate. */
  readonly blocking: readonly Taint[];
  /** The node types with a label set the placement matches (none computed when `blocking` is not empty). */
  readonly matching: readonly NodeType[];
}

/** Computes (or looks up) the {@link PlacementMatch} of a placement on a pool. */
export type PlacementMatcher = (placement: PodPlacement, pool: PoolProfile) => PlacementMatch;

/** The {@link PlacementMatch} of a placement on a pool (frozen). */
export function placementMatch(placement: PodPlacement, pool: PoolProfile): PlacementMatch {
  const blocking = untoleratedTaints(placement.tolerations, pool.spec.taints);
  const matching = blocking.length > 0 ? [] : pool.nodeTypes.filter((type) => type.labelSets.some((labels) => matchesPlacement(labels, placement)));
  return Object.freeze({ blocking: Object.freeze(blocking), matching: Object.freeze(matching) });
}

/**
 * A {@link PlacementMatcher} that computes each placement's match on each pool once. Constructs share
 * one placement object among all pods placed on a pool, so a planning run checks a handful of
 * placements instead of every pod group. The memo lives as long as the returned function (one
 * planning run), holds placements weakly and hands out frozen matches; placements must not change
 * while it is in use.
 */
export function memoizedPlacementMatch(): PlacementMatcher {
  const memo = new WeakMap<PodPlacement, Map<PoolProfile, PlacementMatch>>();
  return (placement, pool) => {
    let byPool = memo.get(placement);
    if (byPool === undefined) memo.set(placement, (byPool = new Map()));
    let match = byPool.get(pool);
    if (match === undefined) byPool.set(pool, (match = placementMatch(placement, pool)));
    return match;
  };
}

/** Why `pool` rejects pods of `group`, or undefined when they may land there. */
export function rejection(group: PodGroup, pool: PoolProfile, matchOf: PlacementMatcher = placementMatch): Rejection | undefined {
  const name = pool.spec.name;
  const { blocking, matching } = matchOf(group.placement, pool);
  if (blocking.length > 0) {
    const taints = blocking.map(formatTaint).join(', ');
    return { kind: 'taints', reason: `tolerates no taint of pool ${name} (${taints})`, fix: `add a toleration for ${taints}` };
  }
  if (matching.length === 0) {
    return {
      kind: 'labels',
      reason: `${describeSelector(group.placement)} matches no node of pool ${name}`,
      fix: `match the pool's labels (${POOL_LABEL}=${name}), e.g. place the ${group.role} with pool: ${name}`,
    };
  }
  if (matching.some((type) => !exceeds(group.requests, type.allocatable))) return undefined;
  const [first] = matching;
  const over = exceeded(group.requests, first.allocatable).map((key) => RESOURCE_WORDS[key]).join(' and ');
  return {
    kind: 'size',
    reason: `needs more ${over} than a ${first.instanceType.name} node of pool ${name} offers (${describeRequests(first.allocatable)} allocatable)`,
    fix: `lower the ${group.role}'s requests or give pool ${name} a larger instance type`,
  };
}

/** Where a group may run: candidates in preference order and the rejections of the other pools. */
export function fitGroup(group: PodGroup, pools: readonly PoolProfile[], matchOf: PlacementMatcher = placementMatch): GroupFit {
  const rejections = new Map<string, Rejection>();
  const candidates: { name: string; score: number; index: number }[] = [];
  pools.forEach((pool, index) => {
    const why = rejection(group, pool, matchOf);
    if (why) rejections.set(pool.spec.name, why);
    else candidates.push({ name: pool.spec.name, score: preferenceScore(pool.spec.labels, group.placement.preferredTerms), index });
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const names = candidates.map((candidate) => candidate.name);
  const target = group.pool !== undefined ? (names.includes(group.pool) ? group.pool : undefined) : names[0];
  return { candidates: names, target, rejections };
}

/**
 * The message for a group that cannot run where it must: it names the pod, the job, the pool(s) and
 * the fix. Returns undefined when the group has a target pool.
 */
export function fitProblem(job: JobDemand, group: PodGroup, fit: GroupFit): string | undefined {
  if (fit.target !== undefined) return undefined;
  const pod = describePod(job, group);
  const elsewhere = fit.candidates.length > 0 ? `fits pool${fit.candidates.length > 1 ? 's' : ''} ${fit.candidates.join(', ')}` : 'fits no other pool either';
  const own = group.pool === undefined ? undefined : fit.rejections.get(group.pool);
  if (group.pool !== undefined && own === undefined) {
    return `${pod} is placed on pool ${group.pool}, which does not exist; ${elsewhere}`;
  }
  if (own) {
    const alternative = fit.candidates.length > 0 ? ` or place it on pool ${fit.candidates[0]}` : '';
    return `${pod} ${own.reason}; ${elsewhere} — fix: ${own.fix}${alternative}`;
  }
  const reasons = [...fit.rejections.values()].map((r) => r.reason).join('; ');
  return `${pod} fits no pool: ${reasons || 'the platform has no pools'} — fix: place it on a pool (pool: ...) whose taints it tolerates and whose nodes are large enough`;
}

/** `executor of job-b (4 cpu, 13.2Gi)`; a count when the group has several pods. */
export function describePod(job: JobDemand, group: PodGroup): string {
  return `${group.role} of ${job.name} (${describeRequests(group.requests)})`;
}

/** Human-readable requests: `4 cpu, 13.2Gi`, with GPUs and ephemeral storage when present. */
export function describeRequests(v: ResourceVector): string {
  const parts = [`${trimmed(v.cpuMillis / 1000)} cpu`, humanBytes(v.memoryBytes)];
  if (v.gpus > 0) parts.push(`${v.gpus} gpu`);
  if (v.ephemeralStorageBytes > 0) parts.push(`${humanBytes(v.ephemeralStorageBytes)} disk`);
  return parts.join(', ');
}

/** `13.2Gi`, `896Mi`, `1.5Ti`: one decimal, binary units. */
export function humanBytes(bytes: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${trimmed(value, 1)}${units[unit]}`;
}

/** The pods of a job's groups that target `pool`, as packing batches (`count` or `maxCount` each). */
export function batchesOn(job: JobDemand, targets: readonly (string | undefined)[], pool: string, useMax = false): PodBatch[] {
  return job.pods
    .filter((_, index) => targets[index] === pool)
    .map((group) => ({ label: `${job.name} ${group.role}`, requests: group.requests, count: useMax ? (group.maxCount ?? group.count) : group.count }));
}

const RESOURCE_WORDS: Readonly<Record<keyof ResourceVector, string>> = {
  cpuMillis: 'cpu',
  memoryBytes: 'memory',
  ephemeralStorageBytes: 'ephemeral storage',
  gpus: 'gpu',
  pods: 'pod slots',
};

function matchesPlacement(labels: Readonly<Record<string, string>>, placement: PodPlacement): boolean {
  return matchesNodeSelector(labels, placement.nodeSelector, placement.requiredTerms);
}

/** `nvidia.com/gpu=true:NoSchedule` (Kubernetes' own taint notation). */
export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value === undefined || taint.value === '' ? '' : `=${taint.value}`}:${taint.effect}`;
}

/** The node selector and required affinity in a short notation, for messages. */
function describeSelector(placement: PodPlacement): string {
  const parts: string[] = Object.entries(placement.nodeSelector ?? {}).map(([key, value]) => `${key}=${value}`);
  const selector = parts.length > 0 ? `node selector ${parts.join(',')}` : undefined;
  const terms = placement.requiredTerms?.map(describeTerm).join(' or ');
  const affinity = terms === undefined ? undefined : `required affinity ${terms || '(no terms)'}`;
  return [selector, affinity].filter((part) => part !== undefined).join(' and ');
}

function describeTerm(term: NodeSelectorTerm): string {
  return (term.matchExpressions ?? []).map(describeRequirement).join(' and ') || '(empty term)';
}

function describeRequirement(requirement: NodeSelectorRequirement): string {
  const values = requirement.values && requirement.values.length > 0 ? ` [${requirement.values.join(', ')}]` : '';
  return `${requirement.key} ${requirement.operator}${values}`;
}

/** A number with at most `digits` decimals and no trailing zeros. */
export function trimmed(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}

/** True when some component of `demand` is above the same component of `capacity` (some {@link exceeded}). */
function exceeds(demand: ResourceVector, capacity: ResourceVector): boolean {
  return (
    demand.cpuMillis > capacity.cpuMillis ||
    demand.memoryBytes > capacity.memoryBytes ||
    demand.ephemeralStorageBytes > capacity.ephemeralStorageBytes ||
    demand.gpus > capacity.gpus ||
    demand.pods > capacity.pods
  );
}
