/**
 * A text Gantt chart of each pipeline's simulated schedule, for the terminal: one row per job, `█`
 * while it runs and `░` while it waits for capacity. Plain characters, no colours.
 */
import { formatDuration } from '../model/duration';
import { CapacityPlan, PipelinePlan } from '../model/planner';
import { ScheduledJob } from '../model/schedule';
import { columns } from './render-table';
import { niceTimeStep } from './svg-kit';

/** Options of {@link renderGantt}. */
export interface GanttOptions {
  /**
   * Width of the bar area in characters.
   * @default 60
   */
  readonly width?: number;
}

/** The chart of one pipeline, or undefined when it has no schedule. */
export function renderPipelineGantt(pipeline: PipelinePlan, options: GanttOptions = {}): string | undefined {
  const schedule = pipeline.schedule;
  if (!schedule) return undefined;
  const width = options.width ?? 60;
  const secondsPerCell = niceTimeStep(Math.max(1, schedule.makespanSeconds), width);
  const rows = schedule.jobs.map((job) => [job.name, `|${bar(job, secondsPerCell, width)}|`, `${formatDuration(job.start)} → ${formatDuration(job.end)}`, job.pools.join(', ')]);
  const title = `${pipeline.name}: makespan ${formatDuration(schedule.makespanSeconds)}, one cell = ${formatDuration(secondsPerCell)}`;
  return [title, ...columns(rows)].join('\n');
}

/** Every pipeline's chart, separated by blank lines ('' when none has a schedule). */
export function renderGantt(plan: CapacityPlan, options: GanttOptions = {}): string {
  const charts = plan.pipelines.map((pipeline) => renderPipelineGantt(pipeline, options)).filter((c): c is string => c !== undefined);
  return charts.length > 0 ? `${charts.join('\n\n')}\n` : '';
}

/** The cells of one job's row. */
function bar(job: ScheduledJob, secondsPerCell: number, width: number): string {
  const cell = (seconds: number): number => Math.min(width, Math.round(seconds / secondsPerCell));
  const waitFrom = cell(job.start - job.queued);
  const from = cell(job.start);
  const to = Math.max(from + 1, cell(job.end));
  return ' '.repeat(waitFrom) + '░'.repeat(from - waitFrom) + '█'.repeat(Math.min(width, to) - from) + ' '.repeat(Math.max(0, width - to));
}
