/**
 * The resolver alone: `planCapacity` (graph checks, pod and job fit, heaviest antichains per pool,
 * critical path and the simulated schedule with duration estimates) on one model-level pipeline graph
 * of 10,000 jobs and 50,000 edges, without constructs.
 */
import { CapacityPlan, planCapacity, PlanInput } from '../lib/model/planner';
import { generateGraph } from './generate';
import { collectGarbage, timed } from './measure';
import { modelGraph } from './model-graph';

/** The size of the resolver's graph. */
export const RESOLVER_JOBS = 10_000;

/** What the resolver benchmark measured. */
export interface ResolverMeasurement {
  readonly jobs: number;
  readonly edges: number;
  /** Wall time of each planCapacity call, ms. */
  readonly runsMs: readonly number[];
  /** CPU time of each call, ms. */
  readonly runsCpuMs: readonly number[];
  /** Sanity values from the last plan, so that a run that skipped work shows. */
  readonly errors: number;
  readonly warnings: number;
  readonly makespanSeconds?: number;
  readonly criticalPathSeconds?: number;
  readonly peakNodes: Readonly<Record<string, number>>;
}

function summary(plan: CapacityPlan): Pick<ResolverMeasurement, 'errors' | 'warnings' | 'makespanSeconds' | 'criticalPathSeconds' | 'peakNodes'> {
  const [pipeline] = plan.pipelines;
  return {
    errors: plan.findings.filter((f) => f.severity === 'error').length,
    warnings: plan.findings.filter((f) => f.severity === 'warning').length,
    makespanSeconds: pipeline?.schedule?.makespanSeconds,
    criticalPathSeconds: pipeline?.criticalPath.seconds,
    peakNodes: Object.fromEntries(plan.pools.map((pool) => [pool.name, pool.peakNodes])),
  };
}

/** The planner's input for the generated graph. */
export function resolverInput(seed: number): PlanInput {
  const model = modelGraph(generateGraph(seed, RESOLVER_JOBS));
  return { pools: model.pools, pipelines: [model.pipeline], jobs: [], overProvisioning: [] };
}

/** Times `runs` calls of planCapacity on the same input (the planner keeps no state between calls). */
export function measureResolver(seed: number, runs: number): ResolverMeasurement {
  const input = resolverInput(seed);
  const runsMs: number[] = [];
  const runsCpuMs: number[] = [];
  let plan: CapacityPlan | undefined;
  for (let run = 0; run < runs; run++) {
    collectGarbage();
    const result = timed(() => planCapacity(input));
    runsMs.push(result.ms);
    runsCpuMs.push(result.cpuMs);
    plan = result.value;
  }
  if (plan === undefined) throw new RangeError('runs must be at least 1');
  const [pipeline] = input.pipelines;
  return { jobs: pipeline.jobs.length, edges: pipeline.edges.length, runsMs, runsCpuMs, ...summary(plan) };
}
