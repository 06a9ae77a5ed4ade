/**
 * The dependency graph of a pipeline's jobs: structural checks (duplicate names, unknown names,
 * self-edges, cycles) and the analyses the capacity planner needs (topological order, critical
 * path, heaviest antichain).
 *
 * Jobs get integer ids in insertion order and dependencies are stored as adjacency arrays, so every
 * analysis is linear in jobs + edges except the antichain, which is one maximum flow.
 */
import { Digraph, digraph, heaviestAntichain as maxWeightAntichain } from './antichain';
import { BatchplaneError } from './errors';
import { JobDemand } from './workload';

/**
 * A pipeline as the resolver sees it: its jobs and dependency edges. Pipelines produce it with
 * `graph()`.
 */
export interface PipelineGraph {
  /** The pipeline's name. */
  readonly name: string;
  /** The construct path, for messages. */
  readonly path: string;
  /** The jobs (steps) of the pipeline. */
  readonly jobs: readonly JobDemand[];
  /** Dependencies as `[dependency, dependent]` job names: the second starts after the first. */
  readonly edges: readonly (readonly [string, string])[];
  /**
   * The time by which a run must finish, in seconds after it starts.
   * @default - no deadline
   */
  readonly deadlineSeconds?: number;
}

/** The kinds of structural problem a {@link JobGraph} reports. */
export type GraphProblemCode = 'duplicate-job' | 'unknown-job' | 'self-edge' | 'cycle';

/** A structural problem of a job graph. */
export interface GraphProblem {
  /** What kind of problem. */
  readonly code: GraphProblemCode;
  /** A sentence naming the jobs involved (and a likely fix). */
  readonly message: string;
  /** The jobs involved, in message order. */
  readonly jobs: readonly string[];
}

/** The longest path of the graph under job durations. */
export interface CriticalPath {
  /** The jobs on the path, first to last. */
  readonly jobs: readonly string[];
  /** The sum of their durations. */
  readonly length: number;
}

/** A set of jobs that may all run at the same time, and its total weight. */
export interface Antichain {
  /** The jobs (with a positive weight), in insertion order. */
  readonly jobs: readonly string[];
  /** The total weight. */
  readonly weight: number;
}

/** The arrow used between jobs in cycle messages. */
const ARROW = ' → ';

/** Renders a cycle as `job-a → job-d → job-a`. */
export function formatCycle(cycle: readonly string[]): string {
  return [...cycle, cycle[0]].join(ARROW);
}

/** The Levenshtein distance between two strings (two-row dynamic programme). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length];
}

/**
 * The candidate closest to `name` by edit distance, when it is close enough to be a plausible typo
 * (at most a third of the name's length, and at least 2 edits allowed). Ties go to the first candidate
 * in sorted order.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(name, candidate);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The compiled form of a graph: valid, de-duplicated edges between job ids. */
interface Compiled {
  readonly dag: Digraph;
  readonly problems: readonly GraphProblem[];
  readonly selfLoops: ReadonlySet<number>;
  /** The strongly connected component of each job. */
  readonly component: Int32Array;
}

/**
 * A graph of jobs and their dependencies.
 *
 * Problems are collected, not thrown: {@link problems} lists them all. Edges may name jobs added
 * later; names are resolved when an analysis runs. Analyses that need a DAG (topological order,
 * critical path, antichain) throw a {@link BatchplaneError} when the graph has a cycle.
 */
export class JobGraph {
  /** A graph of a pipeline's jobs and edges. */
  public static fromPipeline(pipeline: PipelineGraph): JobGraph {
    const graph = new JobGraph();
    for (const job of pipeline.jobs) graph.addJob(job);
    for (const [from, to] of pipeline.edges) graph.addEdge(from, to);
    return graph;
  }

  private readonly demands: JobDemand[] = [];
  private readonly ids = new Map<string, number>();
  private readonly duplicates: string[] = [];
  private readonly edgeNames: (readonly [string, string])[] = [];
  private compiled?: Compiled;

  /** The number of distinct jobs. */
  public get size(): number {
    return this.demands.length;
  }

  /** The jobs in insertion order (the first of any duplicate names). */
  public get jobs(): readonly JobDemand[] {
    return this.demands;
  }

  /**
   * Adds a job. A bare name stands for a job without pods. A second job with a name already present
   * is reported by {@link problems} and otherwise ignored.
   */
  public addJob(job: JobDemand | string): this {
    const demand: JobDemand = typeof job === 'string' ? { name: job, path: job, pods: [] } : job;
    if (this.ids.has(demand.name)) {
      this.duplicates.push(demand.name);
    } else {
      this.ids.set(demand.name, this.demands.length);
      this.demands.push(demand);
    }
    this.compiled = undefined;
    return this;
  }

  /** Adds a dependency: `to` starts after `from` finishes. */
  public addEdge(from: string, to: string): this {
    this.edgeNames.push([from, to]);
    this.compiled = undefined;
    return this;
  }

  /** The id of a job (its insertion index), or undefined. */
  public idOf(name: string): number | undefined {
    return this.ids.get(name);
  }

  /** The job with a name, or undefined. */
  public job(name: string): JobDemand | undefined {
    const id = this.ids.get(name);
    return id === undefined ? undefined : this.demands[id];
  }

  /** The valid edges as a graph on job ids (unknown names and self-edges left out, duplicates merged). */
  public structure(): Digraph {
    return this.compile().dag;
  }

  /**
   * Every structural problem, in a fixed order: duplicate names, unknown names (with a suggestion),
   * self-edges, then one entry per cycle (see {@link findCycles}).
   */
  public problems(): GraphProblem[] {
    const cycles = this.findCycles()
      .filter((cycle) => cycle.length > 1) // a one-job cycle is a self-edge, reported as such
      .map((cycle) => this.cycleProblem(cycle));
    const { problems } = this.compile();
    return [...problems, ...cycles];
  }

  /**
   * One cycle per strongly connected component that has one, as the ordered list of its jobs (the
   * first job is not repeated at the end; {@link formatCycle} renders it).
   *
   * Listing every simple cycle can take exponential time and would drown the user, so each component
   * is named once: the cycle starts at the component's alphabetically first job and is the shortest
   * way back to it (breadth-first, visiting successors alphabetically), which makes it independent
   * of declaration order. Jobs of the component that this cycle misses are named by
   * {@link problems}. A job depending on itself is a cycle of one job.
   */
  public findCycles(): string[][] {
    const { dag, selfLoops, component } = this.compile();
    const members = new Map<number, number[]>();
    for (let v = 0; v < dag.size; v++) {
      const list = members.get(component[v]);
      if (list) list.push(v);
      else members.set(component[v], [v]);
    }
    const cycles: string[][] = [];
    for (const [id, list] of members) {
      if (list.length > 1) cycles.push(this.shortestCycle(dag, component, id, list));
      else if (selfLoops.has(list[0])) cycles.push([this.demands[list[0]].name]);
    }
    return cycles.sort((a, b) => compareNames(a[0], b[0]));
  }

  /** The first cycle of {@link findCycles}, or undefined when the graph is acyclic. */
  public findCycle(): string[] | undefined {
    return this.findCycles()[0];
  }

  /** Job ids in an order where every job comes after its dependencies (Kahn's algorithm, stable). */
  public topologicalIds(): Int32Array {
    const { dag } = this.compile();
    const order = kahn(dag);
    if (order.length < dag.size || this.compile().selfLoops.size > 0) {
      const cycle = this.findCycle() ?? [];
      throw new BatchplaneError('dependencies', formatCycle(cycle), 'an acyclic graph of jobs');
    }
    return order;
  }

  /** Job names in an order where every job comes after its dependencies. */
  public topologicalOrder(): string[] {
    return Array.from(this.topologicalIds(), (id) => this.demands[id].name);
  }

  /**
   * The longest chain of dependent jobs when each job takes `duration(job)` (for example its
   * estimated seconds, or 1 to count jobs). Ties go to the chain ending first in topological order.
   */
  public criticalPath(duration: (job: JobDemand) => number): CriticalPath {
    const { dag } = this.compile();
    const order = this.topologicalIds();
    const start = new Float64Array(dag.size);
    const previous = new Int32Array(dag.size).fill(-1);
    let last = -1;
    let longest = -Infinity;
    for (const u of order) {
      const finish = start[u] + duration(this.demands[u]);
      if (finish > longest) [longest, last] = [finish, u];
      for (let e = dag.offsets[u]; e < dag.offsets[u + 1]; e++) {
        const v = dag.targets[e];
        if (previous[v] === -1 || finish > start[v]) {
          start[v] = finish;
          previous[v] = u;
        }
      }
    }
    const jobs: string[] = [];
    for (let v = last; v !== -1; v = previous[v]) jobs.push(this.demands[v].name);
    return { jobs: jobs.reverse(), length: last === -1 ? 0 : longest };
  }

  /**
   * The set of pairwise independent jobs with the largest total `weight` — the worst load the graph
   * can put on a resource at one moment. Exact (a maximum flow, see `antichain.ts`); weights must be
   * non-negative integers.
   */
  public heaviestAntichain(weight: (job: JobDemand) => number): Antichain {
    this.topologicalIds(); // throws on cycles
    const weights = Float64Array.from(this.demands, (job) => checkWeight(weight(job), job.name));
    const result = maxWeightAntichain(this.compile().dag, weights);
    return { jobs: result.members.map((id) => this.demands[id].name), weight: result.weight };
  }

  private compile(): Compiled {
    if (this.compiled) return this.compiled;
    const problems: GraphProblem[] = [...new Set(this.duplicates)].map((name) => ({
      code: 'duplicate-job',
      message: `more than one job is named ${name}; job names must be unique within a pipeline`,
      jobs: [name],
    }));
    const selfLoops = new Set<number>();
    const seen = new Set<number>();
    const edges: [number, number][] = [];
    const n = this.demands.length;
    for (const [from, to] of this.edgeNames) {
      const [u, v] = [this.ids.get(from), this.ids.get(to)];
      if (u === undefined || v === undefined) {
        problems.push(this.unknownProblem(from, to, u === undefined));
      } else if (u === v) {
        if (!selfLoops.has(u)) problems.push({ code: 'self-edge', message: `${to} depends on itself (${formatCycle([to])})`, jobs: [to] });
        selfLoops.add(u);
      } else if (!seen.has(u * n + v)) {
        seen.add(u * n + v);
        edges.push([u, v]);
      }
    }
    const dag = digraph(n, edges);
    this.compiled = { dag, problems, selfLoops, component: stronglyConnectedComponents(dag) };
    return this.compiled;
  }

  private unknownProblem(from: string, to: string, dependencyUnknown: boolean): GraphProblem {
    const unknown = dependencyUnknown ? from : to;
    const hint = suggest(unknown, this.ids.keys());
    const fix = hint === undefined ? `; known jobs: ${this.knownList()}` : `; did you mean ${hint}?`;
    const message = dependencyUnknown
      ? `${to} depends on unknown job ${from}${fix}`
      : `unknown job ${to} depends on ${from}${fix}`;
    return { code: 'unknown-job', message, jobs: dependencyUnknown ? [to, from] : [to] };
  }

  private knownList(): string {
    const names = [...this.ids.keys()].sort(compareNames);
    return names.length > 8 ? `${names.slice(0, 8).join(', ')}, …` : names.join(', ') || '(none)';
  }

  private cycleProblem(cycle: readonly string[]): GraphProblem {
    const first = this.ids.get(cycle[0])!;
    const { component } = this.compile();
    const onCycle = new Set(cycle);
    const others = this.demands
      .filter((job, id) => component[id] === component[first] && !onCycle.has(job.name))
      .map((job) => job.name)
      .sort(compareNames);
    const also = others.length > 0 ? `; also caught in this loop: ${others.join(', ')}` : '';
    return {
      code: 'cycle',
      message: `dependency cycle ${formatCycle(cycle)}${also}; remove one of these dependencies`,
      jobs: [...cycle, ...others],
    };
  }

  /** The shortest cycle through the alphabetically first member of one component. */
  private shortestCycle(dag: Digraph, component: Int32Array, id: number, list: readonly number[]): string[] {
    const name = (v: number): string => this.demands[v].name;
    const start = list.reduce((best, v) => (compareNames(name(v), name(best)) < 0 ? v : best));
    const parent = new Map<number, number>([[start, -1]]);
    const queue = [start];
    for (let index = 0; index < queue.length; index++) {
      const u = queue[index];
      const next = successorsOf(dag, u)
        .filter((v) => component[v] === id)
        .sort((a, b) => compareNames(name(a), name(b)));
      if (next.includes(start)) return pathTo(parent, u).map(name);
      for (const v of next) {
        if (!parent.has(v)) {
          parent.set(v, u);
          queue.push(v);
        }
      }
    }
    throw new Error('unreachable: a strongly connected component of two or more jobs has a cycle');
  }
}

/** Rejects weights the flow cannot use exactly. */
function checkWeight(value: number, job: string): number {
  if (Number.isSafeInteger(value) && value >= 0) return value;
  throw new BatchplaneError(`weight of ${job}`, value, 'a non-negative integer');
}

/** Code-point order, the same in every locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function successorsOf(dag: Digraph, v: number): number[] {
  return Array.from(dag.targets.subarray(dag.offsets[v], dag.offsets[v + 1]));
}

/** The path from the BFS root to `end`, following parent links. */
function pathTo(parent: ReadonlyMap<number, number>, end: number): number[] {
  const path: number[] = [];
  for (let v = end; v !== -1; v = parent.get(v)!) path.push(v);
  return path.reverse();
}

/** Kahn's algorithm; returns fewer than `size` ids when the graph has a cycle. */
function kahn(dag: Digraph): Int32Array {
  const indegree = new Int32Array(dag.size);
  for (const v of dag.targets) indegree[v]++;
  const order = new Int32Array(dag.size);
  let tail = 0;
  for (let v = 0; v < dag.size; v++) if (indegree[v] === 0) order[tail++] = v;
  for (let index = 0; index < tail; index++) {
    const u = order[index];
    for (let e = dag.offsets[u]; e < dag.offsets[u + 1]; e++) {
      if (--indegree[dag.targets[e]] === 0) order[tail++] = dag.targets[e];
    }
  }
  return order.subarray(0, tail);
}

/**
 * Tarjan's strongly connected components, iterative (an explicit stack of `[node, next edge]`
 * frames), so ten thousand chained jobs cannot overflow the call stack. Returns a component id per node.
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
