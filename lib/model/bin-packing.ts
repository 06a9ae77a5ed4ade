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

/** The FFD sort key: the pod's share of a node's CPU plus its share of the node's memory. */
export function packingScore(requests: ResourceVector, node: ResourceVector): number {
  return share(requests.cpuMillis, node.cpuMillis) + share(requests.memoryBytes, node.memoryBytes);
}

/** Batches in FFD order (stable). */
export function decreasing(batches: readonly PodBatch[], node: ResourceVector): PodBatch[] {
  return batches
    .map((batch, index) => ({ batch, index, score: packingScore(batch.requests, node) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.batch);
}

/**
 * Packs pods onto as many nodes with `node` allocatable as needed (first-fit decreasing).
 *
 * @param maxNodes stop opening nodes at this many; the rest is reported unplaced
 */
export function binPack(batches: readonly PodBatch[], node: ResourceVector, maxNodes = Infinity): PackingResult {
  const nodes = new NodeSet(node, maxNodes);
  const unplaced: UnplacedPods[] = [];
  for (const batch of decreasing(batches, node)) {
    const left = nodes.fill(batch.requests, batch.count).left;
    if (left > 0) unplaced.push({ label: batch.label, requests: batch.requests, count: left });
  }
  return { nodes: nodes.busyNodes, unplaced };
}

/** True when one pod with these requests fits an empty node. */
export function fitsEmptyNode(requests: ResourceVector, node: ResourceVector): boolean {
  return podsThatFit(RESOURCE_KEYS.map((key) => node[key]), requests) >= 1;
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

  /**
   * @param node the allocatable of one node
   * @param maxNodes the most nodes the set may open
   */
  constructor(private readonly node: ResourceVector, private readonly maxNodes = Infinity) {
    this.empty = RESOURCE_KEYS.map((key) => node[key]);
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
      const { left, placed } = this.fill(batch.requests, batch.count);
      slots.push(...placed);
      if (left > 0) {
        this.release({ slots });
        return undefined;
      }
    }
    return { slots };
  }

  /** Gives back the resources of an earlier placement. */
  public release(placement: Placement): void {
    for (const [index, requests, count] of placement.slots) this.adjust(index, requests, -count);
  }

  /**
   * Places up to `count` pods, first fit over open nodes, then on new nodes. Returns how many were
   * left over and where the others went.
   */
  public fill(requests: ResourceVector, count: number): { left: number; placed: [number, ResourceVector, number][] } {
    const placed: [number, ResourceVector, number][] = [];
    const need = RESOURCE_KEYS.map((key) => requests[key]);
    if (podsThatFit(this.empty, requests) === 0) return { left: count, placed };
    let left = count;
    while (left > 0) {
      let index = this.firstFit(need);
      if (index === -1) {
        if (this.opened >= this.maxNodes) break;
        index = this.open();
      }
      const take = Math.min(left, podsThatFit(this.freeOf(index), requests));
      this.adjust(index, requests, take);
      placed.push([index, requests, take]);
      left -= take;
    }
    return { left, placed };
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
    this.empty.forEach((amount, k) => this.set(k, index, amount));
    return index;
  }

  /** Doubles the tree (unopened slots hold -Infinity, so no search ends there). */
  private grow(slots: number): void {
    const old = this.tree;
    const oldSlots = this.slots;
    this.slots = slots;
    this.tree = this.empty.map(() => new Float64Array(2 * slots).fill(-Infinity));
    const counts = new Int32Array(slots);
    counts.set(this.podCount);
    this.podCount = counts;
    for (let index = 0; index < this.opened; index++) old.forEach((values, k) => this.set(k, index, values[oldSlots + index]));
  }

  private freeOf(index: number): number[] {
    return this.tree.map((values) => values[this.slots + index]);
  }

  private set(k: number, index: number, value: number): void {
    const values = this.tree[k];
    let slot = this.slots + index;
    values[slot] = value;
    for (slot >>= 1; slot >= 1; slot >>= 1) values[slot] = Math.max(values[2 * slot], values[2 * slot + 1]);
  }

  private adjust(index: number, requests: ResourceVector, count: number): void {
    RESOURCE_KEYS.forEach((key, k) => this.set(k, index, this.tree[k][this.slots + index] - requests[key] * count));
    const before = this.podCount[index];
    this.podCount[index] += count;
    if (before === 0 && this.podCount[index] > 0) this.busy++;
    if (before > 0 && this.podCount[index] === 0) this.busy--;
  }
}

/** How many pods with `requests` fit into `free` (in {@link RESOURCE_KEYS} order). */
function podsThatFit(free: readonly number[], requests: ResourceVector): number {
  let fit = Infinity;
  for (let k = 0; k < RESOURCE_KEYS.length; k++) {
    const need = requests[RESOURCE_KEYS[k]];
    if (need > 0) fit = Math.min(fit, Math.floor(free[k] / need));
    else if (free[k] < 0) fit = 0;
  }
  return Math.max(0, fit);
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : part > 0 ? Infinity : 0;
}
