/**
 * The capacity planner: checks pipelines, standalone jobs and over-provisioning against node pools
 * and produces a {@link CapacityPlan}. Problems are collected as findings, never thrown one by one.
 *
 * Checks, in order:
 * 1. pools: unique names, fallbacks that exist and do not loop, spot pools without fallback;
 * 2. graphs: duplicate or unknown job names, self-edges and cycles of every pipeline;
 * 3. pod fit: every pod group may land on a pool (taints, labels, size; see `fit.ts`);
 * 4. job fit: the pods of a job that must run together bin-pack into `maxNodes` of each pool they use;
 * 5. concurrency: the heaviest antichain of jobs per pool and per dimension (CPU, memory), over all
 *    pipelines and standalone jobs, against the pool's capacity — jobs will queue beyond it;
 * 6. time: critical path per pipeline and, when every job has a duration estimate, a simulated
 *    schedule checked against the pipeline's deadline.
 */
import { AntichainSolver, disjointUnion } from './antichain';
import { PodBatch, binPack } from './bin-packing';
import { formatDuration } from './duration';
import { PoolProfile, batchesOn, describeRequests, fitGroup, fitProblem, memoizedPlacementMatch, poolProfile, rejection } from './fit';
import { compareStrings } from './input';
import { JobGraph, PipelineGraph, suggest } from './job-graph';
import { CapacityTypeName, NodePoolSpec } from './node-pool';
import { ResourceVector, ZERO, scale } from './resources';
import { PoolDemand, Schedule, SimulatedPool, simulateSchedule } from './schedule';
import { JobDemand, PodGroup } from './workload';

/** How serious a finding is: errors fail synth, warnings print. */
export type Severity = 'error' | 'warning';

/** One problem the planner found. */
export interface Finding {
  readonly severity: Severity;
  /** The construct path of what the finding is about. */
  readonly path: string;
  /** A stable identifier of the rule, e.g. `pod-fits-no-pool`. */
  readonly code: string;
  /** What is wrong, naming the job, pod and pool, and the fix. */
  readonly message: string;
}

/** Placeholder pods that keep spare nodes warm on a pool. */
export interface OverProvisioningInput {
  /** The pool name. */
  readonly pool: string;
  /** How many placeholder pods. */
  readonly replicas: number;
  /** Requests of one placeholder pod. */
  readonly requests: ResourceVector;
  /** The construct path. */
  readonly path: string;
}

/** A pool handed to the planner: its spec and, when known, its construct path. */
export type PoolInput = NodePoolSpec & {
  /**
   * The construct path, for messages.
   * @default - the pool name
   */
  readonly path?: string;
};

/** The input of {@link planCapacity}. */
export interface PlanInput {
  /** The node pools. */
  readonly pools: readonly PoolInput[];
  /** The pipelines. */
  readonly pipelines: readonly PipelineGraph[];
  /** Jobs that run on their own (not in a pipeline); they may run alongside any pipeline. */
  readonly jobs: readonly JobDemand[];
  /** Over-provisioning placeholders. */
  readonly overProvisioning: readonly OverProvisioningInput[];
  /**
   * Whether jobs that would queue (and missed deadlines) are errors instead of warnings.
   * @default false
   */
  readonly strict?: boolean;
}

/** The largest demand that may hit a pool at one moment in one dimension, and the jobs behind it. */
export interface PeakDemand {
  /** Millicores or bytes. */
  readonly amount: number;
  /** The jobs that may run at once (`pipeline/job`, or the job name for standalone jobs). */
  readonly jobs: readonly string[];
}

/** The plan for one pool. */
export interface PoolPlan {
  readonly name: string;
  readonly path: string;
  readonly instanceTypes: readonly string[];
  readonly capacityType: CapacityTypeName;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly fallback?: string;
  /** What one node offers pods (first instance type, after reservations and DaemonSets). */
  readonly node: ResourceVector;
  /** `maxNodes` nodes' worth. */
  readonly capacity: ResourceVector;
  /** Peak concurrent demand of jobs (heaviest antichains). */
  readonly peak: { readonly cpu: PeakDemand; readonly memory: PeakDemand };
  /** Nodes needed at the peak: the peak jobs' pods plus the placeholders, packed by `binPack`. */
  readonly peakNodes: number;
  /** Over-provisioning on this pool; placeholders are preempted first when jobs need the room. */
  readonly placeholders: { readonly pods: number; readonly nodes: number };
  /** Peak demand over capacity, per dimension (0 … 1, above 1 when jobs queue). */
  readonly utilisation: { readonly cpu: number; readonly memory: number };
}

/** The plan for one pipeline. */
export interface PipelinePlan {
  readonly name: string;
  readonly path: string;
  /** Job names in declaration order. */
  readonly jobs: readonly string[];
  /** Valid dependency edges `[dependency, dependent]`. */
  readonly edges: readonly (readonly [string, string])[];
  /** The pools each job's pods run on. */
  readonly jobPools: Readonly<Record<string, readonly string[]>>;
  /** The longest chain: by estimated seconds when every job has one, otherwise by job count. */
  readonly criticalPath: { readonly jobs: readonly string[]; readonly seconds?: number };
  readonly deadlineSeconds?: number;
  /** The simulated run, when every job has a duration estimate and the graph is valid. */
  readonly schedule?: Schedule;
}

/** The outcome of {@link planCapacity}: what the platform needs, and what is wrong with it. */
export interface CapacityPlan {
  readonly strict: boolean;
  readonly pools: readonly PoolPlan[];
  readonly pipelines: readonly PipelinePlan[];
  /** Names of the standalone jobs. */
  readonly standaloneJobs: readonly string[];
  /** Sorted by path, then code, then message. */
  readonly findings: readonly Finding[];
}

/** Plans capacity (see the module comment). */
export function planCapacity(input: PlanInput): CapacityPlan {
  return new Planner(input).plan();
}

/** True when a plan has errors. */
export function hasErrors(plan: CapacityPlan): boolean {
  return plan.findings.some((finding) => finding.severity === 'error');
}

/** A job with where its pod groups run. */
interface PlacedJob {
  readonly job: JobDemand;
  /** The label in concurrency messages. */
  readonly label: string;
  /** The target pool of each pod group (undefined when it fits none). */
  readonly targets: readonly (string | undefined)[];
  /** The distinct target pools, sorted. */
  readonly pools: readonly string[];
  /** The pods that must run together on each target pool (see `batchesOn`), computed once for every check. */
  readonly batches: ReadonlyMap<string, readonly PodBatch[]>;
}

/** Every job that may run at the same time as others, and their dependencies as one graph. */
interface Concurrency {
  /** Solves antichains of the union of the valid pipelines' graphs and the standalone jobs. */
  readonly solver: AntichainSolver;
  readonly jobs: readonly PlacedJob[];
}

/** A pipeline with its graph, when valid. */
interface CheckedPipeline {
  readonly pipeline: PipelineGraph;
  readonly graph: JobGraph;
  readonly valid: boolean;
  readonly jobs: readonly PlacedJob[];
}

class Planner {
  private readonly findings: Finding[] = [];
  private readonly strict: boolean;
  private readonly profiles: PoolProfile[];
  private readonly profileByName = new Map<string, PoolProfile>();
  /** Placement checks of this run, once per shared placement object and pool. */
  private readonly matchOf = memoizedPlacementMatch();

  constructor(private readonly input: PlanInput) {
    this.strict = input.strict ?? false;
    this.profiles = this.checkPools();
  }

  public plan(): CapacityPlan {
    const pipelines = this.input.pipelines.map((pipeline) => this.checkPipeline(pipeline));
    const standalone = this.input.jobs.map((job) => this.placeJob(job, job.name));
    for (const placed of [...pipelines.flatMap((p) => p.jobs), ...standalone]) this.checkJobFit(placed);
    const concurrent = [...pipelines.filter((p) => p.valid), { graph: isolated(standalone), jobs: standalone }];
    const context: Concurrency = {
      solver: new AntichainSolver(disjointUnion(concurrent.map((part) => part.graph.structure()))),
      jobs: concurrent.flatMap((part) => part.jobs),
    };
    return {
      strict: this.strict,
      pools: this.profiles.map((profile) => this.planPool(profile, context)),
      pipelines: pipelines.map((checked) => this.planPipeline(checked)),
      standaloneJobs: standalone.map((placed) => placed.job.name),
      findings: [...this.findings].sort(compareFindings),
    };
  }

  private report(severity: Severity, path: string, code: string, message: string): void {
    this.findings.push({ severity, path, code, message });
  }

  /** Errors in strict mode, warnings otherwise. */
  private get queueSeverity(): Severity {
    return this.strict ? 'error' : 'warning';
  }

  // ---- 1. pools -------------------------------------------------------------------------------

  private checkPools(): PoolProfile[] {
    const profiles: PoolProfile[] = [];
    for (const pool of this.input.pools) {
      const path = pool.path ?? pool.name;
      if (this.profileByName.has(pool.name)) {
        this.report('error', path, 'duplicate-pool', `more than one pool is named ${pool.name}; pool names must be unique`);
        continue;
      }
      const profile = poolProfile(pool, path);
      this.profileByName.set(pool.name, profile);
      profiles.push(profile);
    }
    for (const profile of profiles) this.checkFallback(profile);
    return profiles;
  }

  private checkFallback({ spec, path }: PoolProfile): void {
    if (spec.fallback === undefined) {
      if (spec.capacityType === 'SPOT') {
        this.report('warning', path, 'spot-without-fallback',
          `spot pool ${spec.name} has no fallback: when spot capacity is reclaimed or unavailable its pods stay pending — fix: set fallback to an on-demand pool`);
      }
      return;
    }
    if (!this.profileByName.has(spec.fallback)) {
      const hint = suggest(spec.fallback, this.profileByName.keys());
      this.report('error', path, 'unknown-fallback', `pool ${spec.name} falls back to unknown pool ${spec.fallback}${hint ? `; did you mean ${hint}?` : ''}`);
      return;
    }
    if (spec.capacityType === 'SPOT' && this.profileByName.get(spec.fallback)!.spec.capacityType === 'SPOT') {
      this.report('warning', path, 'spot-fallback-is-spot',
        `spot pool ${spec.name} falls back to ${spec.fallback}, also spot: one spot shortage can empty both — fix: fall back to an on-demand pool`);
    }
    const loop = [spec.name];
    for (let next = spec.fallback; ; next = this.profileByName.get(next)!.spec.fallback!) {
      if (next === spec.name) break;
      if (loop.includes(next) || this.profileByName.get(next)?.spec.fallback === undefined) return; // ends, or loops elsewhere
      loop.push(next);
    }
    // Reported once, by the loop's first pool by name.
    if (loop.every((name) => name >= spec.name)) {
      this.report('error', path, 'fallback-cycle', `pool fallbacks loop: ${[...loop, spec.name].join(' → ')} — fix: make one of them fall back to none`);
    }
  }

  // ---- 2./3. graphs and pod fit ---------------------------------------------------------------

  private checkPipeline(pipeline: PipelineGraph): CheckedPipeline {
    const graph = JobGraph.fromPipeline(pipeline);
    const problems = graph.problems();
    for (const problem of problems) this.report('error', pipeline.path, problem.code, `pipeline ${pipeline.name}: ${problem.message}`);
    const jobs = graph.jobs.map((job) => this.placeJob(job, `${pipeline.name}/${job.name}`));
    return { pipeline, graph, valid: problems.length === 0, jobs };
  }

  private placeJob(job: JobDemand, label: string): PlacedJob {
    if (this.profiles.length === 0 && job.pods.length > 0) {
      this.report('warning', job.path, 'no-pools',
        `${label} is not checked against capacity because the platform declares no node pools — fix: declare NodePools and place its pods on them`);
      return { job, label, targets: job.pods.map(() => undefined), pools: [], batches: new Map() };
    }
    const targets = job.pods.map((group) => this.targetOf(job, group));
    const pools = [...new Set(targets.filter((t): t is string => t !== undefined))].sort();
    return { job, label, targets, pools, batches: new Map(pools.map((pool) => [pool, batchesOn(job, targets, pool)])) };
  }

  /** The pool a group is counted on, reporting why when it has none. */
  private targetOf(job: JobDemand, group: PodGroup): string | undefined {
    // The usual case, settled by one pool: a group placed on a pool that takes it runs there, whatever
    // the other pools would say (as in `fitGroup`).
    const own = group.pool === undefined ? undefined : this.profileByName.get(group.pool);
    if (own !== undefined && rejection(group, own, this.matchOf) === undefined) return own.spec.name;
    const fit = fitGroup(group, this.profiles, this.matchOf);
    const problem = fitProblem(job, group, fit);
    if (problem !== undefined) this.report('error', job.path, fit.candidates.length > 0 ? 'pod-rejected-by-pool' : 'pod-fits-no-pool', problem);
    return fit.target;
  }

  // ---- 4. job fit -----------------------------------------------------------------------------

  private checkJobFit(placed: PlacedJob): void {
    for (const pool of placed.pools) {
      const profile = this.profileByName.get(pool)!;
      const together = batchesFor(placed, pool);
      // Only counts beyond maxNodes are reported, so the first packing that fits will do.
      const needed = binPack(together, profile.node, Infinity, profile.spec.maxNodes).nodes;
      if (needed > profile.spec.maxNodes) {
        this.report('error', placed.job.path, 'job-exceeds-pool',
          `${placed.job.name} needs ${needed} ${nodesOf(profile)} of pool ${pool} to run ${describeBatches(together)} at once, but the pool has at most ${profile.spec.maxNodes} — fix: raise maxNodes of ${pool} to ${needed} or shrink the job`);
        continue;
      }
      const mayGrow = placed.job.pods.some((group, i) => placed.targets[i] === pool && (group.maxCount ?? group.count) !== group.count);
      if (!mayGrow) continue; // same pods, same nodes
      const atMost = batchesOn(placed.job, placed.targets, pool, true);
      const neededAtMost = binPack(atMost, profile.node, Infinity, profile.spec.maxNodes).nodes;
      if (neededAtMost > profile.spec.maxNodes) {
        this.report('warning', placed.job.path, 'job-max-exceeds-pool',
          `${placed.job.name} may scale to ${describeBatches(atMost)}, which needs ${neededAtMost} ${nodesOf(profile)} of pool ${pool}, more than its maxNodes ${profile.spec.maxNodes}; the extra pods will stay pending`);
      }
    }
  }

  // ---- 5. concurrency -------------------------------------------------------------------------

  private planPool(profile: PoolProfile, { solver, jobs }: Concurrency): PoolPlan {
    const { spec } = profile;
    const demand = poolDemand(jobs, spec.name);
    const peakOf = (weights: Float64Array): { peak: PeakDemand; members: readonly number[] } => {
      if (weights.every((weight) => weight === 0)) return { peak: { amount: 0, jobs: [] }, members: [] };
      const result = solver.solve(weights);
      return { peak: { amount: result.weight, jobs: result.members.map((id) => jobs[id].label) }, members: result.members };
    };
    const cpu = peakOf(demand.cpu);
    const memory = peakOf(demand.memory);
    const placeholders = this.placeholdersOn(spec.name);
    const podsOf = (members: readonly number[]): PodBatch[] => members.flatMap((id) => batchesFor(jobs[id], spec.name));
    // The nodes at the peak, placeholders included. The CPU and memory peaks are often the same jobs:
    // each distinct set is packed once.
    const packed = new Map<string, number>();
    const peakNodes = (members: readonly number[]): number => {
      const key = members.join(',');
      let nodes = packed.get(key);
      if (nodes === undefined) {
        nodes = binPack([...podsOf(members), ...placeholders], profile.node).nodes;
        packed.set(key, nodes);
      }
      return nodes;
    };
    // Jobs preempt the placeholders, so queueing is judged on the jobs' pods alone, and only counts
    // beyond maxNodes matter: binPack may stop at the first order that fits.
    const queueNodes = (members: readonly number[]): number =>
      placeholders.length === 0 ? peakNodes(members) : binPack(podsOf(members), profile.node, Infinity, spec.maxNodes).nodes;
    const capacity = scale(profile.node, spec.maxNodes);
    // One job alone over the pool is reported by the job-fit check; queueing needs two or more.
    const [worst, jobNodes] = [cpu, memory]
      .filter((peak) => peak.members.length > 1)
      .map((peak): [readonly number[], number] => [peak.members, queueNodes(peak.members)])
      .reduce((a, b) => (b[1] > a[1] ? b : a), [[], 0]);
    if (jobNodes > spec.maxNodes) {
      const together = worst.map((id) => jobs[id]);
      const requested = worst.reduce((sum, id) => ({ ...sum, cpuMillis: sum.cpuMillis + demand.cpu[id], memoryBytes: sum.memoryBytes + demand.memory[id] }), ZERO);
      this.reportQueueing(profile, together.map((placed) => placed.label), requested, jobNodes, capacity, placeholders.length > 0);
    }
    const placeholderNodes = binPack(placeholders, profile.node).nodes;
    if (placeholderNodes > spec.maxNodes) {
      this.report('warning', profile.path, 'placeholders-exceed-pool',
        `over-provisioning on pool ${spec.name} needs ${placeholderNodes} nodes, more than its maxNodes ${spec.maxNodes}; some placeholders stay pending`);
    }
    return {
      name: spec.name,
      path: profile.path,
      instanceTypes: spec.instanceTypes.map((type) => type.name),
      capacityType: spec.capacityType,
      minNodes: spec.minNodes,
      maxNodes: spec.maxNodes,
      ...(spec.fallback === undefined ? {} : { fallback: spec.fallback }),
      node: profile.node,
      capacity,
      peak: { cpu: cpu.peak, memory: memory.peak },
      peakNodes: Math.max(peakNodes(cpu.members), peakNodes(memory.members)),
      placeholders: { pods: placeholders.reduce((sum, batch) => sum + batch.count, 0), nodes: placeholderNodes },
      utilisation: { cpu: ratio(cpu.peak.amount, capacity.cpuMillis), memory: ratio(memory.peak.amount, capacity.memoryBytes) },
    };
  }

  private placeholdersOn(pool: string): PodBatch[] {
    return this.input.overProvisioning
      .filter((op) => op.pool === pool)
      .map((op) => ({ label: `placeholder of ${op.path}`, requests: op.requests, count: op.replicas }));
  }

  private reportQueueing(
    profile: PoolProfile,
    labels: readonly string[],
    demand: ResourceVector,
    nodes: number,
    capacity: ResourceVector,
    hasPlaceholders: boolean,
  ): void {
    const { spec } = profile;
    const placeholders = hasPlaceholders ? ' (over-provisioning placeholders are preempted first and do not count)' : '';
    this.report(this.queueSeverity, profile.path, 'jobs-will-queue',
      `pool ${spec.name}: jobs that may run at the same time (${labels.join(', ')}) request ${cpuAndMemory(demand)} and need ${nodes} ${nodesOf(profile)}, more than the pool's ${spec.maxNodes} (${cpuAndMemory(capacity)})${placeholders}; jobs will queue — fix: raise maxNodes of ${spec.name} to ${nodes} or add dependencies between these jobs`);
  }

  // ---- 6. time --------------------------------------------------------------------------------

  private planPipeline({ pipeline, graph, valid, jobs }: CheckedPipeline): PipelinePlan {
    const base = {
      name: pipeline.name,
      path: pipeline.path,
      jobs: graph.jobs.map((job) => job.name),
      edges: validEdges(graph),
      jobPools: Object.fromEntries(jobs.map((placed) => [placed.job.name, placed.pools])),
      ...(pipeline.deadlineSeconds === undefined ? {} : { deadlineSeconds: pipeline.deadlineSeconds }),
    };
    if (!valid) return { ...base, criticalPath: { jobs: [] } };
    const missing = graph.jobs.filter((job) => job.estimatedDurationSeconds === undefined).map((job) => job.name);
    if (missing.length > 0) {
      this.warnMissingDurations(pipeline, missing);
      return { ...base, criticalPath: { jobs: graph.criticalPath(() => 1).jobs } };
    }
    const critical = graph.criticalPath((job) => job.estimatedDurationSeconds!);
    const schedule = simulateSchedule({
      graph,
      durations: graph.jobs.map((job) => job.estimatedDurationSeconds!),
      demands: jobs.map((placed) => placed.pools.map((pool): PoolDemand => ({ pool, batches: batchesFor(placed, pool) }))),
      pools: this.simulatedPools(),
    });
    this.checkDeadline(pipeline, critical.length, critical.jobs, schedule.makespanSeconds);
    return { ...base, criticalPath: { jobs: critical.jobs, seconds: critical.length }, schedule };
  }

  /**
   * Explains why a pipeline has no schedule when some of its jobs lack an estimate — unless none has
   * one and there is no deadline: then the user did not ask for a schedule.
   */
  private warnMissingDurations(pipeline: PipelineGraph, missing: readonly string[]): void {
    if (missing.length === pipeline.jobs.length && pipeline.deadlineSeconds === undefined) return;
    this.report('warning', pipeline.path, 'missing-duration',
      `pipeline ${pipeline.name}: ${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no duration estimate, so no schedule is simulated${pipeline.deadlineSeconds === undefined ? '' : ' and the deadline is not checked'} — fix: set estimatedDuration on every job`);
  }

  private checkDeadline(pipeline: PipelineGraph, criticalSeconds: number, criticalJobs: readonly string[], makespan: number): void {
    const deadline = pipeline.deadlineSeconds;
    if (deadline === undefined) return;
    if (criticalSeconds > deadline) {
      this.report('error', pipeline.path, 'deadline-impossible',
        `pipeline ${pipeline.name}: its critical path ${criticalJobs.join(' → ')} takes ${formatDuration(criticalSeconds)}, longer than the deadline ${formatDuration(deadline)}, whatever the capacity — fix: shorten these jobs or extend the deadline`);
    } else if (makespan > deadline) {
      this.report(this.queueSeverity, pipeline.path, 'deadline-missed',
        `pipeline ${pipeline.name}: the simulated run takes ${formatDuration(makespan)} because jobs queue for capacity, longer than the deadline ${formatDuration(deadline)} — fix: raise maxNodes of the pools it uses or extend the deadline`);
    }
  }

  private simulatedPools(): Map<string, SimulatedPool> {
    return new Map(this.profiles.map((profile) => [profile.spec.name, { node: profile.node, maxNodes: profile.spec.maxNodes }]));
  }
}

/** The pods of a job that must run together on `pool` (none when the job does not use it). */
function batchesFor(placed: PlacedJob, pool: string): readonly PodBatch[] {
  return placed.batches.get(pool) ?? [];
}

/** Standalone jobs as a graph without edges. */
function isolated(jobs: readonly PlacedJob[]): JobGraph {
  const graph = new JobGraph();
  jobs.forEach((placed, index) => graph.addJob({ ...placed.job, name: `${index}` }));
  return graph;
}

function validEdges(graph: JobGraph): [string, string][] {
  const dag = graph.structure();
  const names = graph.jobs.map((job) => job.name);
  const edges: [string, string][] = [];
  for (let u = 0; u < dag.size; u++) for (let e = dag.offsets[u]; e < dag.offsets[u + 1]; e++) edges.push([names[u], names[dag.targets[e]]]);
  return edges;
}

/** What each job's pods request of `pool` in total (0 for jobs that do not use it), per dimension, by job id. */
function poolDemand(jobs: readonly PlacedJob[], pool: string): { readonly cpu: Float64Array; readonly memory: Float64Array } {
  const cpu = new Float64Array(jobs.length);
  const memory = new Float64Array(jobs.length);
  jobs.forEach((placed, id) => {
    for (const batch of batchesFor(placed, pool)) {
      cpu[id] += batch.requests.cpuMillis * batch.count;
      memory[id] += batch.requests.memoryBytes * batch.count;
    }
  });
  return { cpu, memory };
}

/** `1 driver and 8 executor pods` from batches labelled `<job> <role>`. */
function describeBatches(batches: readonly PodBatch[]): string {
  const parts = batches.map((batch) => `${batch.count} ${batch.label.slice(batch.label.lastIndexOf(' ') + 1)}`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0] ?? 'no';
  return `${list} pod${batches.length === 1 && batches[0].count === 1 ? '' : 's'}`;
}

/** `24 cpu, 72Gi`. */
function cpuAndMemory(v: ResourceVector): string {
  return describeRequests({ ...ZERO, cpuMillis: v.cpuMillis, memoryBytes: v.memoryBytes });
}

/** `r6i.2xlarge nodes`. */
function nodesOf(profile: PoolProfile): string {
  return `${profile.nodeTypes[0].instanceType.name} nodes`;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0;
}

/**
 * Findings by path, code and message — except that the cycles of one pipeline keep the order the
 * job graph gives them (shortest first, the "and N more" line last), which is already independent
 * of declaration order; the sort is stable, so comparing them as equal keeps that order.
 */
function compareFindings(a: Finding, b: Finding): number {
  const keepOrder = a.code === 'cycle' && b.code === 'cycle';
  return compareStrings(a.path, b.path) || compareStrings(a.code, b.code) || (keepOrder ? 0 : compareStrings(a.message, b.message));
}

// ---- plan files -------------------------------------------------------------------------------

/**
 * The environment variable naming the file a synth writes its plans to (`batchplane plan` sets it).
 */
export const PLAN_FILE_ENV = 'BATCHPLANE_PLAN_FILE';

/** The plan of one platform, as written to a plan file. */
export interface PlatformPlan {
  /** The platform's construct path. */
  readonly platform: string;
  readonly plan: CapacityPlan;
}

/** What a synth writes to the plan file: one plan per platform, sorted by platform path. */
export interface PlanFile {
  readonly version: 1;
  readonly plans: readonly PlatformPlan[];
}

/** Adds (or replaces) one platform's plan in a plan file's content, keeping the order deterministic. */
export function mergePlanFile(existing: PlanFile | undefined, entry: PlatformPlan): PlanFile {
  const others = (existing?.plans ?? []).filter((p) => p.platform !== entry.platform);
  return { version: 1, plans: [...others, entry].sort((a, b) => compareStrings(a.platform, b.platform)) };
}

/** Parses a plan file's text; undefined when it is not one. */
export function parsePlanFile(text: string): PlanFile | undefined {
  try {
    const value: unknown = JSON.parse(text);
    const candidate = value as Partial<PlanFile> | null;
    return candidate !== null && typeof candidate === 'object' && candidate.version === 1 && Array.isArray(candidate.plans)
      ? (candidate as PlanFile)
      : undefined;
  } catch {
    return undefined;
  }
}
