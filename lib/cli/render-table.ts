/**
 * The plain-text capacity plan: a table of pools (instance types, node range, peak nodes, peak demand
 * against capacity), a table of pipelines (critical path, makespan, deadline) and the findings.
 * Pure functions of a {@link CapacityPlan}; no colours.
 */
import { formatDuration } from '../model/duration';
import { humanBytes, trimmed } from '../model/fit';
import { CapacityPlan, Finding, PipelinePlan, PoolPlan } from '../model/planner';

/** Aligns rows of cells into columns separated by two spaces (trailing spaces trimmed). */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length)).join('  ').trimEnd());
}

/** `3 / 77.1 cpu (4%)`. */
export function cpuCell(peak: number, capacity: number): string {
  return `${trimmed(peak / 1000)} / ${trimmed(capacity / 1000)} cpu (${percent(peak, capacity)})`;
}

/** `6.2Gi / 307.8Gi (2%)`. */
export function memoryCell(peak: number, capacity: number): string {
  return `${humanBytes(peak)} / ${humanBytes(capacity)} (${percent(peak, capacity)})`;
}

/** `8%`, or `-` when the whole is zero. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '-';
}

/** The pools table. */
export function renderPools(pools: readonly PoolPlan[]): string[] {
  const header = ['POOL', 'TYPE', 'INSTANCE TYPES', 'NODES', 'PEAK NODES', 'PEAK CPU', 'PEAK MEMORY', 'FALLBACK'];
  const rows = pools.map((pool) => [
    pool.name,
    pool.capacityType === 'SPOT' ? 'spot' : 'on-demand',
    pool.instanceTypes.join(', '),
    `${pool.minNodes}-${pool.maxNodes}`,
    `${pool.peakNodes}${pool.placeholders.pods > 0 ? ` (incl. ${pool.placeholders.nodes} headroom)` : ''}`,
    cpuCell(pool.peak.cpu.amount, pool.capacity.cpuMillis),
    memoryCell(pool.peak.memory.amount, pool.capacity.memoryBytes),
    pool.fallback ?? '-',
  ]);
  return columns([header, ...rows]);
}

/** The pipelines table. */
export function renderPipelines(pipelines: readonly PipelinePlan[]): string[] {
  const header = ['PIPELINE', 'JOBS', 'CRITICAL PATH', 'MAKESPAN', 'DEADLINE'];
  const rows = pipelines.map((pipeline) => {
    const seconds = pipeline.criticalPath.seconds;
    const path = pipeline.criticalPath.jobs.join(' → ') || '-';
    return [
      pipeline.name,
      String(pipeline.jobs.length),
      seconds === undefined ? path : `${path} (${formatDuration(seconds)})`,
      pipeline.schedule ? formatDuration(pipeline.schedule.makespanSeconds) : '-',
      deadlineCell(pipeline),
    ];
  });
  return columns([header, ...rows]);
}

/** `3h (met, 1h5m to spare)`, `3h (missed by 5m)`, `3h` without a schedule, or `-`. */
function deadlineCell(pipeline: PipelinePlan): string {
  const deadline = pipeline.deadlineSeconds;
  if (deadline === undefined) return '-';
  if (!pipeline.schedule) return formatDuration(deadline);
  const slack = deadline - pipeline.schedule.makespanSeconds;
  return `${formatDuration(deadline)} (${slack >= 0 ? `met, ${formatDuration(slack)} to spare` : `missed by ${formatDuration(-slack)}`})`;
}

/** One line per finding: `error [path] message`. */
export function renderFindings(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.severity} [${finding.path}] ${finding.message}`);
}

/** The whole plan as text: pools, pipelines, findings. */
export function renderTable(plan: CapacityPlan): string {
  const sections = [
    ['Pools', ...(plan.pools.length > 0 ? renderPools(plan.pools) : ['(none)'])],
    ['Pipelines', ...(plan.pipelines.length > 0 ? renderPipelines(plan.pipelines) : ['(none)'])],
  ];
  if (plan.standaloneJobs.length > 0) sections.push(['Standalone jobs', plan.standaloneJobs.join(', ')]);
  sections.push(['Findings', ...(plan.findings.length > 0 ? renderFindings(plan.findings) : ['none'])]);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
