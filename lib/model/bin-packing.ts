/**
 * First-fit decreasing bin packing of pods onto identical nodes, the way cluster-autoscaler's
 * binpacking estimator sizes a scale-up (research/capacity.md §1d):
 *
 * - pods are ordered by `cpu / allocatable cpu + memory / allocatable memory` of the node template,
 *   largest first (ties keep their input order);
 * - each pod goes to the first open node where every resource fits (CPU, memory, ephemeral storage,
 *   GPUs and the pod slot count);
 * - a new node is opened only when no open node has room;
 * - a pod that does not fit even an empty node never fits, and no node is opened for it.
 *
 * {@link binPack} answers "how many nodes do these pods need", and the planner compares that with a
 * pool's `maxNodes`. One ordering over-estimates on some inputs: with two resources, first fit in the
 * autoscaler's order is optimal on only about 86 % of random small jobs (bench/binpack.ts). So
 * {@link binPack} also packs in two other decreasing orders (see {@link PACKING_ORDERS}) and keeps the
 * fewest nodes. Every candidate is a real packing, so the answer never falls below the optimum; it
 * only gets closer to it (about 95 % optimal on the same inputs). The autoscaler's order goes first
 * and wins ties, so when it is as good the placement is the one the autoscaler would estimate.
 *
 * Pods come in batches of identical pods (a Spark job's executors). Placing a batch node by node,
 * as many as fit on each, gives exactly the nodes that placing its pods one at a time would, at a
 * fraction of the cost.
 */
import { RESOURCE_KEYS, ResourceVector } from './resources';

/** Identical pods to place. */
export interface PodBatch {
  /** Names the pods in messages (`job-b executor`). */
  readonly label: string;
  /** Requests of one pod. */
  readonly requests: ResourceVector;
  /** How many pods. */
  readonly count: number;
}

/** Pods of a batch that could not be placed. */
export interface UnplacedPods {
  /** The batch's label. */
  readonly label: string;
  /** The requests of one pod. */
  readonly requests: ResourceVector;
  /** How many of its pods were not placed. */
  readonly count: number;
}

/** The outcome of {@link binPack}. */
export interface PackingResult {
  /** Nodes that received at least one pod. */
  readonly nodes: number;
  /** Pods bigger than an empty node (or beyond the node limit, when one was given). */
  readonly unplaced: readonly UnplacedPods[];
}

/** Where the pods of one {@link NodeSet.place} call went, so they can be released. */
export interface Placement {
  /** `[node index, requests of one pod, pod count]` entries. */
  readonly slots: readonly (readonly [number, ResourceVector, number])[];
}

/** A sort key of first-fit decreasing: larger keys are packed first. */
export type PackingScore = (requests: ResourceVector, node: ResourceVector) => number;

/** The autoscaler's FFD sort key: the pod's share of a node's CPU plus its share of the node's memory. */
export function packingScore(requests: ResourceVector, node: ResourceVector): number {
  return share(requests.cpuMillis, node.cpuMillis) + share(requests.memoryBytes, node.memoryBytes);
}

/** The larger of the pod's CPU and memory shares: pods that are big in either resource go first. */
export function largerShareScore(requests: ResourceVector, node: ResourceVector): number {
  return Math.max(share(requests.cpuMillis, node.cpuMillis), share(requests.memoryBytes, node.memoryBytes));
}

/** The product of the pod's CPU and memory shares: pods that are big in both resources go first. */
export function shareProductScore(requests: ResourceVector, node: ResourceVector): number {
  return share(requests.cpuMillis, node.cpuMillis) * share(requests.memoryBytes, node.memoryBytes);
}

/**
 * The orders {@link binPack} tries, the autoscaler's first: sum, maximum and product of the CPU and
 * memory shares — the FFD-Sum, FFD-Max and FFD-Prod orders of the vector bin-packing literature. They
 * fail on different inputs, so the best of the three is optimal far more often than any one; further
 * orders (CPU first, memory first) added under one percent on the benchmark.
 */
export const PACKING_ORDERS: readonly PackingScore[] = [packingScore, largerShareScore, shareProductScore];

/** Batches in FFD order (stable): by `score`, the autoscaler's order by default. */
export function decreasing(batches: readonly PodBatch[], node: ResourceVector, score: PackingScore = packingScore): PodBatch[] {
  if (batches.length < 2) return [...batches]; // one batch has one order
  return batches
    .map((batch, index) => ({ batch, index, score: score(batch.requests, node) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.batch);
}

/**
 * Packs pods onto as many nodes with `node` allocatable as needed: first fit decreasing in each of
 * {@link PACKING_ORDERS}, keeping the packing that leaves the fewest pods unplaced, then uses the
 * fewest nodes; on a tie, the earlier order's (the autoscaler's first). Orders stop being tried once a
 * packing reaches the lower bound of the resource totals, which no packing can beat, or `enough`.
 *
 * @param maxNodes stop opening nodes at this many; the rest is reported unplaced
 * @param enough stop at the first packing of every pod on at most this many nodes: for callers that
 *   only compare the count with a limit (the count is then exact only when above `enough`)
 */
export function binPack(batches: readonly PodBatch[], node: ResourceVector, maxNodes = Infinity, enough = 0): PackingResult {
  if (batches.length < 2) return packInOrder(batches, node, maxNodes); // one batch has one order
  const [autoscalerScore, ...otherScores] = PACKING_ORDERS;
  const autoscalerOrder = decreasing(batches, node, autoscalerScore);
  let best = packInOrder(autoscalerOrder, node, maxNodes);
  const bound = nodesLowerBound(batches, node);
  const tried = [autoscalerOrder];
  for (const score of otherScores) {
    if (best.unplaced.length === 0 && best.nodes <= Math.max(bound, enough)) break;
    const order = decreasing(batches, node, score);
    if (tried.some((earlier) => earlier.every((batch, i) => batch === order[i]))) continue;
    tried.push(order);
    const result = packInOrder(order, node, maxNodes);
    if (comparePackings(result, best) < 0) best = result;
  }
  return best;
}

/**
 * True when the batches fit `maxNodes` empty nodes when packed in the autoscaler's order: exactly when
 * {@link NodeSet.place} on an empty set would succeed.
 */
export function fitsEmptyNodes(batches: readonly PodBatch[], node: ResourceVector, maxNodes: number): boolean {
  return packInOrder(decreasing(batches, node), node, maxNodes).unplaced.length === 0;
}

/** First fit of batches in the given order. */
function packInOrder(order: readonly PodBatch[], node: ResourceVector, maxNodes: number): PackingResult {
  if (order.length === 1) return packBatch(order[0], node, maxNodes);
  const nodes = new NodeSet(node, maxNodes);
  const unplaced: UnplacedPods[] = [];
  for (const batch of order) {
    const left = nodes.fill(batch.requests, batch.count);
    if (left > 0) unplaced.push({ label: batch.label, requests: batch.requests, count: left });
  }
  return { nodes: nodes.busyNodes, unplaced };
}

/**
 * First fit of a single batch, in closed form: every node takes as many pods as fit an empty one, so
 * the pods fill `count / per node` nodes (rounded up), as placing them one by one would.
 */
function packBatch(batch: PodBatch, node: ResourceVector, maxNodes: number): PackingResult {
  const perNode = podsThatFit(amounts(node), amounts(batch.requests));
  const nodes = perNode === 0 || batch.count <= 0 ? 0 : Math.min(Math.max(1, Math.ceil(batch.count / perNode)), maxNodes);
  const left = Math.max(0, batch.count - (nodes === 0 ? 0 : Math.min(batch.count, nodes * perNode)));
  return { nodes, unplaced: left > 0 ? [{ label: batch.label, requests: batch.requests, count: left }] : [] };
}

/** The fewest nodes that could hold all the pods, going by each resource's total alone. */
function nodesLowerBound(batches: readonly PodBatch[], node: ResourceVector): number {
  let bound = 0;
  for (const key of RESOURCE_KEYS) {
    const total = batches.reduce((sum, batch) => sum + batch.requests[key] * batch.count, 0);
    if (total > 0) bound = Math.max(bound, node[key] > 0 ? Math.ceil(total / node[key]) : Infinity);
  }
  return bound;
}

/** Negative when `a` is the better packing: fewer pods left unplaced, then fewer nodes. */
function comparePackings(a: PackingResult, b: PackingResult): number {
  const unplacedPods = (result: PackingResult): number => result.unplaced.reduce((sum, pods) => sum + pods.count, 0);
  return unplacedPods(a) - unplacedPods(b) || a.nodes - b.nodes;
}

/** True when one pod with these requests fits an empty node. */
export function fitsEmptyNode(requests: ResourceVector, node: ResourceVector): boolean {
  return podsThatFit(amounts(node), amounts(requests)) >= 1;
}

/**
 * A growing set of identical nodes that pods are placed on and released from: the state of one pool
 * during a simulated schedule. Nodes are opened on demand up to `maxNodes` and reused once empty.
 *
 * First fit needs the lowest-numbered node with room, which a linear scan finds in time proportional
 * to the number of nodes — too slow for thousands of nodes. A max segment tree per resource answers it
 * by descending from the root and skipping every subtree whose largest free amount, in some
 * resource, is below the request.
 */
export class NodeSet {
  /** `tree[k]` holds, per tree slot, the largest free amount of resource `RESOURCE_KEYS[k]` below it. */
  private tree: Float64Array[] = [];
  private slots = 0;
  private opened = 0;
  private busy = 0;
  private podCount: Int32Array = new Int32Array(0);
  private readonly empty: readonly number[];
  private readonly free = new Float64Array(RESOURCE_KEYS.length);

  /**
   * @param node the allocatable of one node
   * @param maxNodes the most nodes the set may open
   */
  constructor(private readonly node: ResourceVector, private readonly maxNodes = Infinity) {
    this.empty = amounts(node);
    this.grow(4);
  }

  /** Nodes holding at least one pod. */
  public get busyNodes(): number {
    return this.busy;
  }

  /**
   * Places all the batches (FFD order), or none of them: returns undefined and leaves the set as it
   * was when they do not all fit within `maxNodes`.
   */
  public place(batches: readonly PodBatch[]): Placement | undefined {
    const slots: [number, ResourceVector, number][] = [];
    for (const batch of decreasing(batches, this.node)) {
      if (this.fill(batch.requests, batch.count, slots) > 0) {
        this.release({ slots });
        return undefined;
      }
    }
    return { slots };
  }

  /** Gives back the resources of an earlier placement. */
  public release(placement: Placement): void {
    for (const [index, requests, count] of placement.slots) this.adjust(index, amounts(requests), -count);
  }

  /**
   * Places up to `count` pods, first fit over open nodes, then on new nodes. Returns how many were
   * left over; where the others went is appended to `placed`, when given.
   */
  public fill(requests: ResourceVector, count: number, placed?: [number, ResourceVector, number][]): number {
    const need = amounts(requests);
    if (podsThatFit(this.empty, need) === 0) return count;
    let left = count;
    while (left > 0) {
      let index = this.firstFit(need);
      if (index === -1) {
        if (this.opened >= this.maxNodes) break;
        index = this.open();
      }
      const take = Math.min(left, podsThatFit(this.freeOf(index), need));
      this.adjust(index, need, take);
      placed?.push([index, requests, take]);
      left -= take;
    }
    return left;
  }

  /** The lowest open node with room for one pod needing `need`, or -1 (iterative descent with backtracking). */
  private firstFit(need: readonly number[]): number {
    let slot = 1;
    for (;;) {
      if (this.roomBelow(slot, need)) {
        if (slot >= this.slots) return slot - this.slots;
        slot = 2 * slot; // the left child first
        continue;
      }
      while (slot & 1) slot >>= 1; // climb while we are a right child (or reach the root's parent, 0)
      if (slot === 0) return -1;
      slot++; // the right sibling
    }
  }

  /** True when, for every resource, some node below `slot` has at least `need` free. */
  private roomBelow(slot: number, need: readonly number[]): boolean {
    for (let k = 0; k < need.length; k++) if (this.tree[k][slot] < need[k]) return false;
    return true;
  }

  private open(): number {
    if (this.opened === this.slots) this.grow(2 * this.slots);
    const index = this.opened++;
    for (let k = 0; k < this.empty.length; k++) this.set(k, index, this.empty[k]);
    return index;
  }

  /** Doubles the tree (unopened slots hold -Infinity, so no search ends there), rebuilding it bottom-up. */
  private grow(slots: number): void {
    const old = this.tree;
    const oldSlots = this.slots;
    this.slots = slots;
    this.tree = old.length === 0 ? this.empty.map(() => new Float64Array(2 * slots).fill(-Infinity)) : old.map((values) => {
      const grown = new Float64Array(2 * slots).fill(-Infinity);
      grown.set(values.subarray(oldSlots, oldSlots + this.opened), slots);
      for (let slot = slots - 1; slot >= 1; slot--) grown[slot] = Math.max(grown[2 * slot], grown[2 * slot + 1]);
      return grown;
    });
    const counts = new Int32Array(slots);
    counts.set(this.podCount);
    this.podCount = counts;
  }

  /** The free amounts of node `index`, in a buffer reused by every call. */
  private freeOf(index: number): Float64Array {
    for (let k = 0; k < this.tree.length; k++) this.free[k] = this.tree[k][this.slots + index];
    return this.free;
  }

  /** Sets a node's free amount of resource `k` and the maxima above it, stopping where they do not change. */
  private set(k: number, index: number, value: number): void {
    const values = this.tree[k];
    let slot = this.slots + index;
    values[slot] = value;
    for (slot >>= 1; slot >= 1; slot >>= 1) {
      const max = Math.max(values[2 * slot], values[2 * slot + 1]);
      if (values[slot] === max) break;
      values[slot] = max;
    }
  }

  /** Takes `count` pods needing `need` from node `index` (gives them back when `count` is negative). */
  private adjust(index: number, need: readonly number[], count: number): void {
    for (let k = 0; k < need.length; k++) {
      if (need[k] !== 0) this.set(k, index, this.tree[k][this.slots + index] - need[k] * count);
    }
    const before = this.podCount[index];
    this.podCount[index] += count;
    if (before === 0 && this.podCount[index] > 0) this.busy++;
    if (before > 0 && this.podCount[index] === 0) this.busy--;
  }
}

/**
 * The amounts of each vector packed so far. Pods of a group share one requests vector and nodes of a
 * pool one allocatable, so packing lists each once instead of allocating a list per pod. Weakly held:
 * an entry lives no longer than its vector. A vector is read-only to the library, but a caller's
 * JavaScript may still change one between calls, so an entry is compared with its vector before use.
 */
const AMOUNTS = new WeakMap<ResourceVector, readonly number[]>();

/** The amounts of a vector in {@link RESOURCE_KEYS} order, the form the packing loops read (shared, so read-only; never leaves this module). */
function amounts(vector: ResourceVector): readonly number[] {
  const known = AMOUNTS.get(vector);
  if (known !== undefined && sameAmounts(known, vector)) return known;
  const values = RESOURCE_KEYS.map((key) => vector[key]);
  AMOUNTS.set(vector, values);
  return values;
}

/** True when `values` still lists the amounts of `vector`. */
function sameAmounts(values: readonly number[], vector: ResourceVector): boolean {
  for (let k = 0; k < RESOURCE_KEYS.length; k++) if (!Object.is(values[k], vector[RESOURCE_KEYS[k]])) return false;
  return true;
}

/** How many pods needing `need` fit into `free` (both in {@link RESOURCE_KEYS} order). */
function podsThatFit(free: ArrayLike<number>, need: readonly number[]): number {
  let fit = Infinity;
  for (let k = 0; k < need.length; k++) {
    if (need[k] > 0) fit = Math.min(fit, Math.floor(free[k] / need[k]));
    else if (free[k] < 0) fit = 0;
  }
  return Math.max(0, fit);
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : part > 0 ? Infinity : 0;
}
