/**
 * A simulated run of a pipeline: list scheduling against pool capacity.
 *
 * The simulation is event driven. A job becomes ready when all its dependencies have finished. Ready
 * jobs are tried in topological order (the list); a job starts as soon as all its pods fit, at once,
 * in the free capacity of the pools they target — `maxNodes` nodes per pool, packed first-fit
 * decreasing in the autoscaler's order (`NodeSet.place`) so pod slots and fragmentation count. A job
 * that does not fit waits (queues) while later jobs that fit may start, as pending pods do on a real
 * cluster; it is retried whenever a pool it waits on frees capacity. A job whose pods could not fit
 * even an empty pool runs without taking capacity, so one impossible job does not stall the
 * simulation (the planner reports it as an error).
 */
import { NodeSet, PodBatch, Placement, fitsEmptyNodes } from './bin-packing';
import { compareStrings } from './input';
import { JobGraph } from './job-graph';
import { ResourceVector } from './resources';

/** A pool as the simulation sees it. */
export interface SimulatedPool {
  /** What one node offers pods. */
  readonly node: ResourceVector;
  /** The most nodes the pool may have. */
  readonly maxNodes: number;
}

/** The pods a job runs on one pool. */
export interface PoolDemand {
  readonly pool: string;
  readonly batches: readonly PodBatch[];
}

/** The input of {@link simulateSchedule}. */
export interface ScheduleInput {
  /** The pipeline's graph; must be acyclic. */
  readonly graph: JobGraph;
  /** Seconds each job runs, by job id. */
  readonly durations: ArrayLike<number>;
  /** The pods of each job per pool, by job id. */
  readonly demands: readonly (readonly PoolDemand[])[];
  /** The pools by name. */
  readonly pools: ReadonlyMap<string, SimulatedPool>;
}

/** One job of a simulated run. */
export interface ScheduledJob {
  /** The job name. */
  readonly name: string;
  /** The construct path. */
  readonly path: string;
  /** Seconds after the run starts. */
  readonly start: number;
  /** Seconds after the run starts. */
  readonly end: number;
  /** Seconds the job waited for capacity after its dependencies had finished. */
  readonly queued: number;
  /** The pools the job's pods run on. */
  readonly pools: readonly string[];
  /** A row for drawing: jobs on one lane never overlap in time (lowest free lane by start time). */
  readonly lane: number;
}

/** A simulated run. */
export interface Schedule {
  /** The jobs, by start time then name. */
  readonly jobs: readonly ScheduledJob[];
  /** When the last job ends, in seconds. */
  readonly makespanSeconds: number;
  /** Node-hours per pool: the integral of the nodes holding pods of this run, sorted by pool. */
  readonly nodeHours: Readonly<Record<string, number>>;
  /** The most nodes each pool had at once, sorted by pool. */
  readonly peakNodes: Readonly<Record<string, number>>;
}

/** Simulates one run of the pipeline (see the module comment). */
export function simulateSchedule(input: ScheduleInput): Schedule {
  return new Simulation(input).run();
}

/** A binary min-heap of integers ordered by a key function. */
class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly less: (a: number, b: number) => boolean) {}

  public get size(): number {
    return this.items.length;
  }

  public peek(): number {
    return this.items[0];
  }

  public push(item: number): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i], items[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  public pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.less(items[left], items[smallest])) smallest = left;
        if (right < items.length && this.less(items[right], items[smallest])) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }

  private swap(i: number, j: number): void {
    const item = this.items[i];
    this.items[i] = this.items[j];
    this.items[j] = item;
  }
}

/** A job's pods on one pool, by the pool's index in the simulation. */
interface IndexedDemand {
  /** The pool's index, or -1 for a pool the simulation was not given (its pods take no capacity). */
  readonly pool: number;
  readonly batches: readonly PodBatch[];
}

/**
 * The state of a run. Pools are numbered in the order of `input.pools`, and each pool's node set,
 * queue of blocked jobs, node time and peak live in arrays by that number, so the event loop does no
 * lookups by name.
 */
class Simulation {
  private readonly n: number;
  private readonly rank: Int32Array;
  private readonly waitingDeps: Int32Array;
  private readonly readyAt: Float64Array;
  private readonly start: Float64Array;
  private readonly end: Float64Array;
  private readonly demands: readonly (readonly IndexedDemand[])[];
  private readonly placements: (readonly (readonly [number, Placement])[])[];
  /** Jobs that could never fit; they run without taking capacity. */
  private readonly impossible: boolean[];
  private readonly poolNames: readonly string[];
  private readonly pools: readonly SimulatedPool[];
  private readonly nodeSets: readonly NodeSet[];
  private readonly blocked: number[][];
  private readonly nodeSeconds: Float64Array;
  private readonly peak: Float64Array;
  /** Pools that capacity was given back to at the current time (scratch of {@link advanceToNextFinish}). */
  private readonly freed: Uint8Array;
  private readonly ready: MinHeap;
  private readonly running: MinHeap;
  private now = 0;

  constructor(private readonly input: ScheduleInput) {
    const order = input.graph.topologicalIds();
    this.n = order.length;
    this.rank = new Int32Array(this.n);
    order.forEach((id, position) => (this.rank[id] = position));
    const dag = input.graph.structure();
    this.waitingDeps = new Int32Array(this.n);
    for (const v of dag.targets) this.waitingDeps[v]++;
    this.readyAt = new Float64Array(this.n);
    this.start = new Float64Array(this.n).fill(-1);
    this.end = new Float64Array(this.n);
    this.placements = new Array(this.n);
    this.poolNames = [...input.pools.keys()];
    this.pools = [...input.pools.values()];
    const index = new Map(this.poolNames.map((name, i) => [name, i]));
    this.demands = input.demands.map((job) => job.map(({ pool, batches }) => ({ pool: index.get(pool) ?? -1, batches })));
    this.nodeSets = this.pools.map((pool) => new NodeSet(pool.node, pool.maxNodes));
    this.blocked = this.pools.map(() => []);
    this.nodeSeconds = new Float64Array(this.pools.length);
    this.peak = new Float64Array(this.pools.length);
    this.freed = new Uint8Array(this.pools.length);
    this.impossible = Array.from({ length: this.n }, (_, job) => this.neverFits(job));
    this.ready = new MinHeap((a, b) => this.rank[a] < this.rank[b]);
    this.running = new MinHeap((a, b) => this.end[a] < this.end[b] || (this.end[a] === this.end[b] && this.rank[a] < this.rank[b]));
  }

  public run(): Schedule {
    for (let v = 0; v < this.n; v++) if (this.waitingDeps[v] === 0) this.ready.push(v);
    this.startReadyJobs();
    while (this.running.size > 0) {
      this.advanceToNextFinish();
      this.startReadyJobs();
    }
    if (this.start.some((start) => start < 0)) throw new Error('unreachable: the simulation ended with jobs not started');
    return this.result();
  }

  /** Starts every ready job that fits; the others wait on the pool that refused them. */
  private startReadyJobs(): void {
    while (this.ready.size > 0) {
      const job = this.ready.pop();
      const refusedBy = this.impossible[job] ? -1 : this.tryPlace(job);
      if (refusedBy === -1) this.begin(job);
      else this.blocked[refusedBy].push(job);
    }
    this.recordPeaks();
  }

  /** Places all pods of a job or none; returns the pool that refused them, or -1. */
  private tryPlace(job: number): number {
    const done: [number, Placement][] = [];
    for (const { pool, batches } of this.demands[job]) {
      if (pool === -1) continue;
      const placement = this.nodeSets[pool].place(batches);
      if (!placement) {
        for (const [earlierPool, earlier] of done) this.nodeSets[earlierPool].release(earlier);
        return pool;
      }
      done.push([pool, placement]);
    }
    this.placements[job] = done;
    return -1;
  }

  /** True when the job's pods do not fit some pool even when it is empty. */
  private neverFits(job: number): boolean {
    return this.demands[job].some(({ pool, batches }) => pool !== -1 && !fitsEmptyNodes(batches, this.pools[pool].node, this.pools[pool].maxNodes));
  }

  private begin(job: number): void {
    if (this.impossible[job]) this.placements[job] = [];
    this.start[job] = this.now;
    this.end[job] = this.now + this.input.durations[job];
    this.running.push(job);
  }

  /** Moves time to the next finish; releases the capacity of every job ending then. */
  private advanceToNextFinish(): void {
    const next = this.end[this.running.peek()];
    this.accumulateNodeTime(next);
    this.now = next;
    while (this.running.size > 0 && this.end[this.running.peek()] === next) {
      const job = this.running.pop();
      for (const [pool, placement] of this.placements[job]) {
        this.nodeSets[pool].release(placement);
        this.freed[pool] = 1;
      }
      this.releaseDependents(job);
    }
    for (let pool = 0; pool < this.freed.length; pool++) {
      if (!this.freed[pool]) continue;
      this.freed[pool] = 0;
      for (const job of this.blocked[pool]) this.ready.push(job);
      this.blocked[pool] = [];
    }
  }

  private releaseDependents(job: number): void {
    const dag = this.input.graph.structure();
    for (let e = dag.offsets[job]; e < dag.offsets[job + 1]; e++) {
      const v = dag.targets[e];
      if (--this.waitingDeps[v] === 0) {
        this.readyAt[v] = this.now;
        this.ready.push(v);
      }
    }
  }

  private accumulateNodeTime(until: number): void {
    this.nodeSets.forEach((nodes, pool) => (this.nodeSeconds[pool] += nodes.busyNodes * (until - this.now)));
  }

  private recordPeaks(): void {
    this.nodeSets.forEach((nodes, pool) => (this.peak[pool] = Math.max(this.peak[pool], nodes.busyNodes)));
  }

  private result(): Schedule {
    const jobs = this.input.graph.jobs;
    const ids = Array.from({ length: this.n }, (_, id) => id).sort(
      (a, b) => this.start[a] - this.start[b] || (jobs[a].name < jobs[b].name ? -1 : jobs[a].name > jobs[b].name ? 1 : 0),
    );
    const lanes = assignLanes(ids.map((id) => [this.start[id], this.end[id]]));
    const scheduled = ids.map((id, index): ScheduledJob => ({
      name: jobs[id].name,
      path: jobs[id].path,
      start: this.start[id],
      end: this.end[id],
      queued: this.start[id] - this.readyAt[id],
      pools: distinctPools(this.input.demands[id]),
      lane: lanes[index],
    }));
    const byPool = (values: Float64Array, scale: number): Record<string, number> =>
      Object.fromEntries(this.poolNames.map((pool, i): [string, number] => [pool, values[i] / scale]).sort(([a], [b]) => compareStrings(a, b)));
    return {
      jobs: scheduled,
      makespanSeconds: this.end.reduce((latest, end) => Math.max(latest, end), 0),
      nodeHours: byPool(this.nodeSeconds, 3600),
      peakNodes: byPool(this.peak, 1),
    };
  }
}

/** The pools of a job's demands, distinct and sorted. */
function distinctPools(demands: readonly PoolDemand[]): string[] {
  const pools = demands.map((demand) => demand.pool);
  return pools.length < 2 ? pools : [...new Set(pools)].sort();
}

/** Interval partitioning: intervals sorted by start get the lowest lane that is free by then. */
function assignLanes(intervals: readonly (readonly [number, number])[]): number[] {
  // A min segment tree over the lanes' ends answers "the lowest lane whose end is at most this start"
  // by descending to the leftmost such leaf. Lanes not used yet hold -Infinity, so when every used
  // lane is busy the descent ends at the next new lane. There are never more lanes than intervals.
  let size = 1;
  while (size < intervals.length) size *= 2;
  const ends = new Float64Array(2 * size).fill(-Infinity);
  return intervals.map(([start, end]) => {
    let slot = 1;
    while (slot < size) slot = ends[2 * slot] <= start ? 2 * slot : 2 * slot + 1;
    const lane = slot - size;
    ends[slot] = end;
    for (slot >>= 1; slot >= 1; slot >>= 1) ends[slot] = Math.min(ends[2 * slot], ends[2 * slot + 1]);
    return lane;
  });
}
