/**
 * Maximum-weight antichains of a DAG, computed exactly with a maximum flow.
 *
 * Two jobs of a pipeline may run at the same time exactly when neither depends (transitively) on the
 * other, i.e. when they form an antichain of the dependency DAG. The heaviest antichain under a
 * weight (say, a job's CPU request on a pool) is therefore the worst concurrent demand the pipeline
 * can put on that pool.
 *
 * ## Construction
 * By the weighted form of Dilworth's theorem, the maximum weight of an antichain equals the minimum
 * value of a flow that pushes at least `w(v)` units through every job `v`, where flow may travel
 * along any path of the DAG. We model that with a split-node network:
 *
 * - every job `v` becomes an arc `in(v) → out(v)` with lower bound `w(v)` and no upper bound;
 * - every dependency `u → v` becomes an arc `out(u) → in(v)` without bound. Paths may pass through
 *   other jobs, so the transitive closure is never built: reachability comes for free;
 * - a source feeds every `in(v)` and every `out(v)` drains to a sink, without bounds.
 *
 * Sending `w(v)` along `source → in(v) → out(v) → sink` for every job is a feasible flow of value
 * `W = Σ w`. The minimum flow is `W` minus the largest amount that can be cancelled, which is a
 * maximum flow from the sink back to the source in the residual network. Only three kinds of residual
 * arcs matter there: `sink → out(v)` and `in(v) → source` with capacity `w(v)` (the flow we may take
 * back), plus the unbounded `out(u) → in(v)` and `in(v) → out(v)`. So we run Dinic's algorithm on
 *
 *     T → out(v) [w(v)],   out(u) → in(v) [∞] per edge,   in(v) → out(v) [∞],   in(v) → S [w(v)]
 *
 * and the heaviest antichain weighs `W − maxflow(T, S)`. The antichain itself comes from the minimum
 * cut: with `R` the nodes reachable from `T` in the final residual network, it is every job whose
 * `out(v)` is in `R` but whose `in(v)` is not. (If `u` and `v` of that set were comparable, the
 * unbounded arcs along the path from `out(u)` would put `in(v)` in `R`.) The cut's capacity shows
 * the set weighs exactly `W − maxflow`, and weak duality (a flow path crosses an antichain at most
 * once) shows no antichain weighs more.
 *
 * All weights are integers (millicores, bytes) and stay below 2^53, so the arithmetic is exact.
 */

/** A directed graph on nodes `0 … size-1` in compressed sparse row form. */
export interface Digraph {
  /** The number of nodes. */
  readonly size: number;
  /** `offsets[v] … offsets[v+1]-1` index the successors of `v` in `targets` (length `size + 1`). */
  readonly offsets: Int32Array;
  /** The successor lists, concatenated. */
  readonly targets: Int32Array;
}

/** A heaviest antichain: its members (node ids, ascending) and their total weight. */
export interface WeightedAntichain {
  /** Members with a positive weight, ascending. */
  readonly members: readonly number[];
  /** The total weight. */
  readonly weight: number;
}

/** Builds a {@link Digraph} from a node count and an edge list. */
export function digraph(size: number, edges: readonly (readonly [number, number])[]): Digraph {
  const offsets = new Int32Array(size + 1);
  for (const [from] of edges) offsets[from + 1]++;
  for (let v = 0; v < size; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, size);
  const targets = new Int32Array(edges.length);
  for (const [from, to] of edges) targets[cursor[from]++] = to;
  return { size, offsets, targets };
}

/** The disjoint union of graphs: the nodes of `parts[i]` are shifted by the sizes of the parts before it. */
export function disjointUnion(parts: readonly Digraph[]): Digraph {
  const size = parts.reduce((sum, part) => sum + part.size, 0);
  const edgeCount = parts.reduce((sum, part) => sum + part.targets.length, 0);
  const offsets = new Int32Array(size + 1);
  const targets = new Int32Array(edgeCount);
  let nodeBase = 0;
  let edgeBase = 0;
  for (const part of parts) {
    for (let v = 0; v < part.size; v++) offsets[nodeBase + v + 1] = edgeBase + part.offsets[v + 1];
    for (let e = 0; e < part.targets.length; e++) targets[edgeBase + e] = part.targets[e] + nodeBase;
    nodeBase += part.size;
    edgeBase += part.targets.length;
  }
  return { size, offsets, targets };
}

/**
 * A flow network solved with Dinic's algorithm: BFS level graphs, then blocking flows found by an
 * iterative depth-first search with current-arc pointers (so deep graphs cannot overflow the call
 * stack). Arcs are added first; the first {@link maxFlow} call freezes them into arrays grouped by
 * tail node, which keeps the inner loops on contiguous memory. Capacities may be changed afterwards
 * with {@link setCapacity}: every {@link maxFlow} starts from zero flow, so one network serves many
 * solves of the same shape.
 */
export class FlowNetwork {
  private readonly tails: Int32Array;
  private readonly heads: Int32Array;
  private readonly initial: Float64Array;
  private arcCount = 0;
  private frozen?: FrozenArcs;

  /**
   * @param nodeCount the number of nodes, numbered from 0
   * @param maxArcs the most arcs {@link addArc} will be called for
   */
  constructor(private readonly nodeCount: number, maxArcs: number) {
    this.tails = new Int32Array(maxArcs);
    this.heads = new Int32Array(maxArcs);
    this.initial = new Float64Array(maxArcs);
  }

  /** Adds an arc and returns its id; `capacity` may be `Infinity`. Arcs cannot be added after {@link maxFlow}. */
  public addArc(from: number, to: number, capacity: number): number {
    if (this.frozen || this.arcCount === this.tails.length) throw new Error('FlowNetwork: arcs must fit maxArcs and be added before maxFlow');
    const id = this.arcCount++;
    this.tails[id] = from;
    this.heads[id] = to;
    this.initial[id] = capacity;
    return id;
  }

  /** Changes the capacity of an arc for the next {@link maxFlow}. */
  public setCapacity(arc: number, capacity: number): void {
    this.initial[arc] = capacity;
  }

  /** Pushes a maximum flow from `source` to `sink`, starting from zero flow, and returns its value. */
  public maxFlow(source: number, sink: number): number {
    const arcs = this.freeze();
    for (let id = 0; id < this.arcCount; id++) {
      arcs.capacity[arcs.position[id]] = this.initial[id];
      arcs.capacity[arcs.reverse[arcs.position[id]]] = 0;
    }
    const { level, current, path, queue } = arcs;
    let total = 0;
    while (buildLevels(arcs, source, sink, level, queue)) {
      current.set(arcs.first.subarray(0, this.nodeCount));
      total += blockingFlow(arcs, source, sink, level, current, path);
    }
    return total;
  }

  /** Marks the nodes reachable from `source` through arcs with residual capacity. */
  public residualReach(source: number): Uint8Array {
    const { first, to, capacity, queue } = this.freeze();
    const seen = new Uint8Array(this.nodeCount);
    let tail = 0;
    seen[source] = 1;
    queue[tail++] = source;
    for (let index = 0; index < tail; index++) {
      const node = queue[index];
      for (let arc = first[node]; arc < first[node + 1]; arc++) {
        if (capacity[arc] > 0 && !seen[to[arc]]) {
          seen[to[arc]] = 1;
          queue[tail++] = to[arc];
        }
      }
    }
    return seen;
  }

  /** Lays every arc and its reverse out by tail node (a counting sort). */
  private freeze(): FrozenArcs {
    if (this.frozen) return this.frozen;
    const count = this.arcCount;
    const first = new Int32Array(this.nodeCount + 1);
    for (let a = 0; a < count; a++) {
      first[this.tails[a] + 1]++;
      first[this.heads[a] + 1]++;
    }
    for (let v = 0; v < this.nodeCount; v++) first[v + 1] += first[v];
    const cursor = first.slice(0, this.nodeCount);
    const to = new Int32Array(2 * count);
    const reverse = new Int32Array(2 * count);
    const position = new Int32Array(count);
    for (let a = 0; a < count; a++) {
      const forward = cursor[this.tails[a]]++;
      const backward = cursor[this.heads[a]]++;
      to[forward] = this.heads[a];
      to[backward] = this.tails[a];
      reverse[forward] = backward;
      reverse[backward] = forward;
      position[a] = forward;
    }
    const scratch = (): Int32Array => new Int32Array(this.nodeCount);
    this.frozen = { first, to, reverse, position, capacity: new Float64Array(2 * count), level: scratch(), current: scratch(), path: scratch(), queue: scratch() };
    return this.frozen;
  }
}

/** Arcs grouped by tail: the arcs of node `v` are `first[v] … first[v+1]-1`. */
interface FrozenArcs {
  readonly first: Int32Array;
  readonly to: Int32Array;
  /** The index of each arc's reverse. */
  readonly reverse: Int32Array;
  /** The index of each arc, by the id {@link FlowNetwork.addArc} returned. */
  readonly position: Int32Array;
  /** Residual capacities. */
  readonly capacity: Float64Array;
  /** Per-node scratch of {@link FlowNetwork.maxFlow} (BFS levels, current arcs, the DFS path, the BFS queue), reused by every call. */
  readonly level: Int32Array;
  readonly current: Int32Array;
  readonly path: Int32Array;
  readonly queue: Int32Array;
}

/** BFS distances from the source over residual arcs, stopping once the sink is labelled. */
function buildLevels({ first, to, capacity }: FrozenArcs, source: number, sink: number, level: Int32Array, queue: Int32Array): boolean {
  level.fill(-1);
  let tail = 0;
  level[source] = 0;
  queue[tail++] = source;
  for (let index = 0; index < tail && level[sink] < 0; index++) {
    const node = queue[index];
    for (let arc = first[node]; arc < first[node + 1]; arc++) {
      if (capacity[arc] > 0 && level[to[arc]] < 0) {
        level[to[arc]] = level[node] + 1;
        queue[tail++] = to[arc];
      }
    }
  }
  return level[sink] >= 0;
}

/** Saturates every shortest augmenting path of the current level graph; returns the amount pushed. */
function blockingFlow(arcs: FrozenArcs, source: number, sink: number, level: Int32Array, current: Int32Array, path: Int32Array): number {
  const { first, to, reverse, capacity } = arcs;
  let pushed = 0;
  let depth = 0;
  let node = source;
  for (;;) {
    if (node === sink) {
      let amount = Infinity;
      for (let i = 0; i < depth; i++) amount = Math.min(amount, capacity[path[i]]);
      let saturated = depth;
      for (let i = depth - 1; i >= 0; i--) {
        capacity[path[i]] -= amount;
        capacity[reverse[path[i]]] += amount;
        if (capacity[path[i]] === 0) saturated = i;
      }
      pushed += amount;
      depth = saturated; // resume from the tail of the first saturated arc
      node = depth === 0 ? source : to[path[depth - 1]];
      continue;
    }
    let arc = current[node];
    const end = first[node + 1];
    while (arc < end && !(capacity[arc] > 0 && level[to[arc]] === level[node] + 1)) arc++;
    current[node] = arc;
    if (arc < end) {
      path[depth++] = arc;
      node = to[arc];
    } else if (node === source) {
      return pushed;
    } else {
      level[node] = -1; // a dead end for the rest of this phase
      node = to[reverse[path[--depth]]];
      current[node]++;
    }
  }
}

/**
 * Heaviest antichains of one DAG under many weightings (per pool, per resource).
 *
 * Jobs of different weakly connected components never depend on each other, so the heaviest
 * antichain of the graph is the union of the heaviest antichains of its components, and each
 * component gets its own split-node network (see the module comment), built once with an arc to `T`
 * and to `S` for every job; each {@link solve} only sets their capacities. Solving per component
 * keeps every flow phase on the component it concerns, skips components whose jobs all weigh 0 (a
 * pipeline that does not use a pool) and needs no flow at all for a job without dependencies. The
 * members do not change: the nodes reachable from `T` after a maximum flow are the same for every
 * maximum flow, and no residual path joins two components (`S` is never reached).
 */
export class AntichainSolver {
  private readonly parts: readonly Component[];

  constructor(private readonly graph: Digraph) {
    this.parts = components(graph).map((nodes) => ({ nodes, flow: nodes.length > 1 ? splitNetwork(graph, nodes) : undefined }));
  }

  /** The heaviest antichain under `weights` (non-negative integers, one per node); zero-weight members are left out. */
  public solve(weights: ArrayLike<number>): WeightedAntichain {
    const chosen = new Uint8Array(this.graph.size);
    let weight = 0;
    for (const { nodes, flow } of this.parts) {
      let total = 0;
      for (let i = 0; i < nodes.length; i++) total += weights[nodes[i]];
      if (total === 0) continue; // every antichain of the component weighs 0
      weight += flow === undefined ? total : total - solveComponent(nodes, flow, weights, chosen);
      if (flow === undefined) chosen[nodes[0]] = 1;
    }
    const members: number[] = [];
    for (let v = 0; v < this.graph.size; v++) if (chosen[v]) members.push(v);
    return { members, weight };
  }
}

/** A weakly connected component: its nodes (ascending) and, with two or more, its split-node network. */
interface Component {
  readonly nodes: Int32Array;
  readonly flow?: SplitNetwork;
}

/** The split-node network of a component (see {@link splitNetwork}). */
interface SplitNetwork {
  readonly network: FlowNetwork;
  /** Per local node `i`: the id of its `T → out(i)` arc; its `in(i) → S` arc has the next id. */
  readonly weightArc: Int32Array;
}

/** The weakly connected components of a graph, each as its nodes in ascending order, by smallest node. */
function components(graph: Digraph): Int32Array[] {
  const root = Int32Array.from({ length: graph.size }, (_, v) => v);
  const find = (v: number): number => {
    while (root[v] !== v) v = root[v] = root[root[v]];
    return v;
  };
  for (let u = 0; u < graph.size; u++) {
    for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
      const [a, b] = [find(u), find(graph.targets[e])];
      if (a !== b) root[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const size = new Int32Array(graph.size);
  for (let v = 0; v < graph.size; v++) size[find(v)]++;
  const members = new Map<number, { nodes: Int32Array; count: number }>();
  for (let v = 0; v < graph.size; v++) {
    const r = find(v);
    let part = members.get(r);
    if (part === undefined) members.set(r, (part = { nodes: new Int32Array(size[r]), count: 0 }));
    part.nodes[part.count++] = v;
  }
  return [...members.values()].map((part) => part.nodes);
}

/**
 * The split-node network of one component, on local ids (`nodes[i]` is local `i`): `in(i)` is node
 * `i`, `out(i)` is `m + i`, `T` is `2m` and `S` is `2m + 1`. The weights are the capacities of the
 * `T → out(i)` and `in(i) → S` arcs, set by each solve.
 */
function splitNetwork(graph: Digraph, nodes: Int32Array): SplitNetwork {
  const m = nodes.length;
  const local = new Map<number, number>();
  nodes.forEach((v, i) => local.set(v, i));
  let edges = 0;
  for (const v of nodes) edges += graph.offsets[v + 1] - graph.offsets[v];
  const network = new FlowNetwork(2 * m + 2, 3 * m + edges);
  const weightArc = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    weightArc[i] = network.addArc(2 * m, m + i, 0);
    network.addArc(i, 2 * m + 1, 0);
    network.addArc(i, m + i, Infinity);
    const v = nodes[i];
    for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) network.addArc(m + i, local.get(graph.targets[e])!, Infinity);
  }
  return { network, weightArc };
}

/**
 * Solves one component's network under `weights`, marks its antichain's members (positive weight,
 * `out` reachable from `T` but not `in`) in `chosen`, and returns the flow that was cancelled.
 */
function solveComponent(nodes: Int32Array, { network, weightArc }: SplitNetwork, weights: ArrayLike<number>, chosen: Uint8Array): number {
  const m = nodes.length;
  for (let i = 0; i < m; i++) {
    network.setCapacity(weightArc[i], weights[nodes[i]]);
    network.setCapacity(weightArc[i] + 1, weights[nodes[i]]);
  }
  const cancelled = network.maxFlow(2 * m, 2 * m + 1);
  const reach = network.residualReach(2 * m);
  for (let i = 0; i < m; i++) if (weights[nodes[i]] > 0 && reach[m + i] && !reach[i]) chosen[nodes[i]] = 1;
  return cancelled;
}

/**
 * The heaviest antichain of a DAG under non-negative integer node weights (see the module comment
 * for the construction). The graph must be acyclic; members with weight 0 are left out.
 */
export function heaviestAntichain(graph: Digraph, weights: ArrayLike<number>): WeightedAntichain {
  return new AntichainSolver(graph).solve(weights);
}
