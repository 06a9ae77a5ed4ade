/**
 * The dependency graph of a pipeline's jobs: structural checks (duplicate names, unknown names,
 * self-edges, cycles) and the analyses the capacity planner needs (topological order, critical
 * path, heaviest antichain).
 *
 * Jobs get integer ids in insertion order and dependencies are stored as adjacency arrays, so every
 * analysis is linear in jobs + edges except the antichain, which is one maximum flow, and the listing
 * of cycles, which is bounded by a cycle count (see `cycles.ts`) and only runs on graphs that have one.
 */
import { Digraph, digraph, heaviestAntichain as maxWeightAntichain } from './antichain';
import { elementaryCycles, stronglyConnectedComponents } from './cycles';
import { BatchplaneError } from './errors';
import { compareStrings } from './input';
import { JobDemand } from './workload';

export { stronglyConnectedComponents } from './cycles';

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

/**
 * The cycles of one strongly connected component of a job graph (a set of jobs that all wait on
 * each other), as {@link JobGraph.cyclesByComponent} reports them.
 */
export interface ComponentCycles {
  /** Every job of the component, in name order. */
  readonly jobs: readonly string[];
  /**
   * The component's jobs that depend on themselves, as one-job cycles, then at most
   * {@link LISTED_CYCLES} cycles of two or more jobs, shortest first, ties by job names. Each cycle
   * starts at its alphabetically first job and is not closed (see {@link formatCycle}).
   */
  readonly cycles: readonly (readonly string[])[];
  /** The number of cycles of two or more jobs left out of `cycles` (a lower bound unless `unlistedExact`). */
  readonly unlisted: number;
  /**
   * Whether `unlisted` is exact. Counting stops after {@link COUNTED_CYCLES} cycles, so a component
   * with more cycles than that reports a lower bound.
   */
  readonly unlistedExact: boolean;
}

/** The most cycles of two or more jobs listed per strongly connected component. */
export const LISTED_CYCLES = 10;

/**
 * How many cycles per strongly connected component are counted before the number left unlisted is
 * given as a lower bound. A component can hold exponentially many cycles; counting this far costs
 * at most about this many passes over the component (Johnson's algorithm), which stays quick even
 * for thousands of jobs, while telling apart "a few more" from "very many more".
 */
export const COUNTED_CYCLES = 1000;

/** The most job names a message lists before abbreviating. */
const LISTED_NAMES = 20;

/** The arrow used between jobs in cycle messages. */
const ARROW = ' → ';

/** Renders a cycle as `job-a → job-d → job-a`. */
export function formatCycle(cycle: readonly string[]): string {
  return [...cycle, cycle[0]].join(ARROW);
}

/** Names joined by commas; beyond `limit` names, the rest is shown as `… (N jobs)`. */
function nameList(names: readonly string[], limit: number): string {
  return names.length > limit ? `${names.slice(0, limit).join(', ')}, … (${names.length} jobs)` : names.join(', ');
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
  private cycles?: readonly ComponentCycles[];

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
    this.invalidate();
    return this;
  }

  /** Adds a dependency: `to` starts after `from` finishes. */
  public addEdge(from: string, to: string): this {
    this.edgeNames.push([from, to]);
    this.invalidate();
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
   * self-edges, then per strongly connected component (in order of its first job by name) one entry
   * per listed cycle of two or more jobs and, when some were left out, one entry naming how many
   * more there are and among which jobs (see {@link cyclesByComponent}).
   */
  public problems(): GraphProblem[] {
    const cycles = this.cyclesByComponent().flatMap((group) => [
      // One-job cycles are self-edges, already reported as such.
      ...group.cycles.filter((cycle) => cycle.length > 1).map((cycle): GraphProblem => ({
        code: 'cycle',
        message: `dependency cycle ${formatCycle(cycle)}; remove one of these dependencies`,
        jobs: [...cycle],
      })),
      ...(group.unlisted > 0 ? [unlistedProblem(group)] : []),
    ]);
    return [...this.compile().problems, ...cycles];
  }

  /**
   * The cycles of every strongly connected component that has one (two or more jobs, or a job
   * depending on itself), in order of the component's alphabetically first job.
   *
   * Each elementary cycle (one that passes no job twice) is named once, starting at its
   * alphabetically first job, so neither the order jobs and edges were declared in nor the rotation
   * of a loop changes the result. A component may hold exponentially many cycles, so at most
   * {@link LISTED_CYCLES} are listed (the shortest, ties by job names) and the rest is counted up
   * to {@link COUNTED_CYCLES}. Past that limit the listed cycles are the shortest of those counted,
   * which are the first in order of job names, not necessarily the shortest overall. Acyclic graphs
   * pay only for the component search.
   */
  public cyclesByComponent(): readonly ComponentCycles[] {
    if (this.cycles) return this.cycles;
    const { dag, selfLoops, component } = this.compile();
    const sizes = new Int32Array(dag.size);
    for (let v = 0; v < dag.size; v++) sizes[component[v]]++;
    const members = new Map<number, number[]>();
    for (let v = 0; v < dag.size; v++) {
      if (sizes[component[v]] < 2 && !selfLoops.has(v)) continue;
      const list = members.get(component[v]);
      if (list) list.push(v);
      else members.set(component[v], [v]);
    }
    this.cycles = [...members.values()]
      .map((ids) => this.componentCycles(ids))
      .sort((a, b) => compareStrings(a.jobs[0], b.jobs[0]));
    return this.cycles;
  }

  /**
   * Every listed cycle of {@link cyclesByComponent}, component by component, as the ordered list
   * of its jobs (the first job is not repeated at the end; {@link formatCycle} renders it). A job
   * depending on itself is a cycle of one job, listed before the longer cycles of its component.
   */
  public findCycles(): string[][] {
    return this.cyclesByComponent().flatMap((group) => group.cycles.map((cycle) => [...cycle]));
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
    const tails = new Int32Array(this.edgeNames.length);
    const heads = new Int32Array(this.edgeNames.length);
    let count = 0;
    for (const [from, to] of this.edgeNames) {
      const u = this.ids.get(from);
      const v = this.ids.get(to);
      if (u === undefined || v === undefined) {
        problems.push(this.unknownProblem(from, to, u === undefined));
      } else if (u === v) {
        if (!selfLoops.has(u)) problems.push({ code: 'self-edge', message: `${to} depends on itself (${formatCycle([to])})`, jobs: [to] });
        selfLoops.add(u);
      } else {
        tails[count] = u;
        heads[count++] = v;
      }
    }
    const dag = distinctEdges(this.demands.length, tails.subarray(0, count), heads.subarray(0, count));
    this.compiled = { dag, problems, selfLoops, component: stronglyConnectedComponents(dag) };
    return this.compiled;
  }

  /** Forgets the compiled form and the cycles after a change. */
  private invalidate(): void {
    this.compiled = undefined;
    this.cycles = undefined;
  }

  /**
   * The cycles of one strongly connected component, given by its job ids. Jobs are numbered by name
   * for the enumeration, so its canonical order is the order of job names.
   */
  private componentCycles(ids: readonly number[]): ComponentCycles {
    const { dag, selfLoops } = this.compile();
    const ordered = [...ids].sort((a, b) => compareStrings(this.demands[a].name, this.demands[b].name));
    const jobs = ordered.map((id) => this.demands[id].name);
    const selfCycles = ordered.filter((id) => selfLoops.has(id)).map((id) => [this.demands[id].name]);
    if (ordered.length < 2) return { jobs, cycles: selfCycles, unlisted: 0, unlistedExact: true };
    const rank = new Map(ordered.map((id, index) => [id, index]));
    const edges: [number, number][] = [];
    ordered.forEach((u, index) => {
      for (let e = dag.offsets[u]; e < dag.offsets[u + 1]; e++) {
        const target = rank.get(dag.targets[e]);
        if (target !== undefined) edges.push([index, target]);
      }
    });
    const found = elementaryCycles(digraph(ordered.length, edges), { keep: LISTED_CYCLES, count: COUNTED_CYCLES });
    return {
      jobs,
      cycles: [...selfCycles, ...found.cycles.map((cycle) => cycle.map((index) => jobs[index]))],
      unlisted: found.found - found.cycles.length,
      unlistedExact: found.complete,
    };
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
    return nameList([...this.ids.keys()].sort(compareStrings), 8) || '(none)';
  }
}

/** The problem naming the cycles of a component that {@link JobGraph.problems} does not list. */
function unlistedProblem(group: ComponentCycles): GraphProblem {
  const count = group.unlistedExact ? `${group.unlisted}` : `at least ${group.unlisted}`;
  const noun = group.unlisted === 1 ? 'cycle' : 'cycles';
  return {
    code: 'cycle',
    message: `and ${count} more dependency ${noun} among ${nameList(group.jobs, LISTED_NAMES)}; break the listed ones first, then check again`,
    jobs: group.jobs,
  };
}

/** Rejects weights the flow cannot use exactly. */
function checkWeight(value: number, job: string): number {
  if (Number.isSafeInteger(value) && value >= 0) return value;
  throw new BatchplaneError(`weight of ${job}`, value, 'a non-negative integer');
}

/**
 * The graph of the edges `tails[i] → heads[i]` with repeated edges merged: each node's successors
 * in the order their first edge was given (as {@link digraph} of the edge list without repeats).
 */
function distinctEdges(size: number, tails: Int32Array, heads: Int32Array): Digraph {
  const offsets = new Int32Array(size + 1);
  for (const u of tails) offsets[u + 1]++;
  for (let v = 0; v < size; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, size);
  const all = new Int32Array(tails.length);
  for (let i = 0; i < tails.length; i++) all[cursor[tails[i]]++] = heads[i];
  // Compact each node's list, keeping the first of repeated successors (`mark[v]` is the last node + 1 that listed v).
  const mark = new Int32Array(size);
  const distinct = new Int32Array(size + 1);
  let kept = 0;
  for (let u = 0; u < size; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      if (mark[all[e]] === u + 1) continue;
      mark[all[e]] = u + 1;
      all[kept++] = all[e];
    }
    distinct[u + 1] = kept;
  }
  return { size, offsets: distinct, targets: all.slice(0, kept) };
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
