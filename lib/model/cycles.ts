/**
 * Cycles of a directed graph on the nodes `0 … size-1`: its strongly connected components (Tarjan)
 * and its elementary cycles (Johnson), both without recursion so long chains cannot overflow the
 * call stack.
 *
 * ## Elementary cycles
 * An elementary cycle visits no node twice. A graph may have exponentially many, so
 * {@link elementaryCycles} keeps only a few and stops counting at a limit. Johnson's algorithm
 * spends O(nodes + edges) per cycle it finds, so stopping after `count + 1` cycles bounds the work
 * at O((nodes + edges) · (count + 2)) however many cycles the graph has.
 *
 * The node numbers define the order: each cycle starts at its smallest node (so it is found once,
 * not once per rotation), and the search visits successors in ascending order, which yields the
 * cycles in lexicographic order. The result therefore depends only on the graph, never on the
 * order its edges were listed in.
 */
import { Digraph, digraph } from './antichain';

/** How many elementary cycles {@link elementaryCycles} keeps and counts. */
export interface CycleLimits {
  /** The number of cycles to return: the first ones by length, then lexicographically. */
  readonly keep: number;
  /**
   * The number of cycles to count before giving up on an exact total. Values below `keep` count
   * as `keep`.
   */
  readonly count: number;
}

/** What {@link elementaryCycles} found. */
export interface ElementaryCycles {
  /**
   * At most `keep` cycles, shortest first, ties in lexicographic order. Each lists its nodes in
   * order, starting at its smallest node, without repeating it at the end.
   */
  readonly cycles: readonly (readonly number[])[];
  /** The number of cycles counted: the graph's total when `complete`, else `count + 1`. */
  readonly found: number;
  /** Whether every cycle was counted; when false, `found` is a lower bound. */
  readonly complete: boolean;
}

/**
 * The elementary cycles of `graph`, within `limits` (see the module comment). A self-loop is a
 * cycle of one node.
 *
 * When `complete`, `cycles` are exactly the `keep` smallest cycles in (length, lexicographic) order.
 * Otherwise they are the smallest among the lexicographically first `count + 1` cycles.
 */
export function elementaryCycles(graph: Digraph, limits: CycleLimits): ElementaryCycles {
  const keep = Math.max(0, limits.keep);
  const count = Math.max(keep, limits.count);
  const successors = Array.from({ length: graph.size }, (_, v) => sortedSuccessors(graph, v));
  const kept: number[][] = [];
  let found = 0;
  const record = (path: readonly number[]): boolean => {
    if (++found > count) return false;
    if (kept.length === keep && (keep === 0 || compareCycles(path, kept[keep - 1]) >= 0)) return true;
    const at = kept.findIndex((other) => compareCycles(path, other) < 0);
    if (at !== -1) kept.splice(at, 0, [...path]);
    else kept.push([...path]);
    if (kept.length > keep) kept.pop();
    return true;
  };
  for (let from = 0; from < graph.size;) {
    const next = nextStart(successors, from);
    if (next === undefined) break;
    if (!circuits(successors, next.start, next.scope, record)) return { cycles: kept, found, complete: false };
    from = next.start + 1;
  }
  return { cycles: kept, found, complete: true };
}

/** The successors of `v`, ascending, each once (a repeated edge must not repeat its cycles). */
function sortedSuccessors(graph: Digraph, v: number): Int32Array {
  const sorted = graph.targets.slice(graph.offsets[v], graph.offsets[v + 1]).sort();
  return sorted.filter((w, i) => i === 0 || w !== sorted[i - 1]);
}

/** Shorter cycles first, then lexicographic order of the node sequences. */
function compareCycles(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Where Johnson's search starts next: a node and the nodes its cycles may use. */
interface Start {
  /** The smallest node at or above `from` that lies on a cycle of the nodes at or above `from`. */
  readonly start: number;
  /** 1 for the nodes of `start`'s strongly connected component among the nodes at or above `from`. */
  readonly scope: Uint8Array;
}

/**
 * The next start of Johnson's outer loop: the components of the subgraph induced by the nodes at or
 * above `from`, and the smallest node in one that has a cycle (two or more nodes, or a self-loop).
 * Undefined when that subgraph is acyclic.
 */
function nextStart(successors: readonly Int32Array[], from: number): Start | undefined {
  const n = successors.length;
  const edges: [number, number][] = [];
  for (let u = from; u < n; u++) {
    for (const v of successors[u]) if (v >= from) edges.push([u - from, v - from]);
  }
  const component = stronglyConnectedComponents(digraph(n - from, edges));
  const sizes = new Int32Array(n - from);
  for (const c of component) sizes[c]++;
  for (let v = from; v < n; v++) {
    const own = component[v - from];
    if (sizes[own] < 2 && !successors[v].includes(v)) continue;
    const scope = new Uint8Array(n);
    for (let w = v; w < n; w++) if (component[w - from] === own) scope[w] = 1;
    return { start: v, scope };
  }
  return undefined;
}

/**
 * Johnson's CIRCUIT procedure from `start` within `scope`, with an explicit stack. Calls `record`
 * with the path of every cycle through `start`; stops and returns false as soon as `record` does.
 *
 * A node is blocked while it is on the path or while no way back to `start` avoiding the path is
 * known from it; `blockers[w]` lists the nodes to unblock when `w` is unblocked. This keeps the
 * search from entering dead ends twice, which is what bounds the time per cycle.
 */
function circuits(successors: readonly Int32Array[], start: number, scope: Uint8Array, record: (path: readonly number[]) => boolean): boolean {
  const blocked = new Uint8Array(successors.length);
  const blockers: (Set<number> | undefined)[] = [];
  const path = [start];
  const nextEdge = [0];
  const closes = [false]; // whether some cycle runs through this frame's node
  blocked[start] = 1;
  while (path.length > 0) {
    const depth = path.length - 1;
    const v = path[depth];
    const out = successors[v];
    if (nextEdge[depth] < out.length) {
      const w = out[nextEdge[depth]++];
      if (!scope[w]) continue;
      if (w === start) {
        closes[depth] = true;
        if (!record(path)) return false;
      } else if (!blocked[w]) {
        blocked[w] = 1;
        path.push(w);
        nextEdge.push(0);
        closes.push(false);
      }
      continue;
    }
    if (closes[depth]) {
      unblock(v, blocked, blockers);
    } else {
      for (const w of out) if (scope[w]) (blockers[w] ??= new Set()).add(v);
    }
    path.pop();
    nextEdge.pop();
    if (closes.pop() && depth > 0) closes[depth - 1] = true;
  }
  return true;
}

/** Unblocks `node` and, transitively, the blocked nodes waiting on it. */
function unblock(node: number, blocked: Uint8Array, blockers: (Set<number> | undefined)[]): void {
  blocked[node] = 0;
  const pending = [node];
  while (pending.length > 0) {
    const u = pending.pop()!;
    const waiting = blockers[u];
    if (waiting === undefined) continue;
    blockers[u] = undefined;
    for (const w of waiting) {
      if (blocked[w]) {
        blocked[w] = 0;
        pending.push(w);
      }
    }
  }
}

/**
 * Tarjan's strongly connected components, iterative (an explicit stack of `[node, next edge]`
 * frames), so ten thousand chained jobs cannot overflow the call stack. Returns a component id per
 * node; ids run from 0 to the number of components − 1.
 */
export function stronglyConnectedComponents(dag: Digraph): Int32Array {
  const n = dag.size;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const frameNode = new Int32Array(n);
  const frameEdge = new Int32Array(n);
  let counter = 0;
  let stackTop = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    frameNode[0] = root;
    frameEdge[0] = dag.offsets[root];
    index[root] = low[root] = counter++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const u = frameNode[depth];
      if (frameEdge[depth] < dag.offsets[u + 1]) {
        const v = dag.targets[frameEdge[depth]++];
        if (index[v] === -1) {
          index[v] = low[v] = counter++;
          stack[stackTop++] = v;
          onStack[v] = 1;
          frameNode[++depth] = v;
          frameEdge[depth] = dag.offsets[v];
        } else if (onStack[v]) {
          low[u] = Math.min(low[u], index[v]);
        }
        continue;
      }
      if (low[u] === index[u]) {
        let w: number;
        do {
          w = stack[--stackTop];
          onStack[w] = 0;
          component[w] = components;
        } while (w !== u);
        components++;
      }
      depth--;
      if (depth >= 0) low[frameNode[depth]] = Math.min(low[frameNode[depth]], low[u]);
    }
  }
  return component;
}
