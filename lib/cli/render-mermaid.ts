/**
 * The plan as Mermaid: a gantt chart of the simulated schedules (one section per pipeline) when any
 * pipeline has one, otherwise a flowchart of the pipelines' DAGs (one subgraph per pipeline).
 */
import { CapacityPlan, PipelinePlan } from '../model/planner';

/** The Mermaid source. */
export function renderMermaid(plan: CapacityPlan): string {
  const scheduled = plan.pipelines.filter((pipeline) => pipeline.schedule !== undefined);
  const lines = scheduled.length > 0 ? gantt(scheduled) : flowchart(plan.pipelines);
  return `${lines.join('\n')}\n`;
}

/**
 * Times are seconds from the start of a run, written as Unix timestamps (`dateFormat X`) so the axis
 * reads as hours and minutes from 00:00.
 */
function gantt(pipelines: readonly PipelinePlan[]): string[] {
  const lines = ['gantt', '  title batchplane: simulated runs', '  dateFormat X', '  axisFormat %H:%M'];
  pipelines.forEach((pipeline, p) => {
    lines.push(`  section ${label(pipeline.name)}`);
    pipeline.schedule!.jobs.forEach((job, j) => {
      const critical = pipeline.criticalPath.jobs.includes(job.name) ? 'crit, ' : '';
      lines.push(`  ${label(job.name)} :${critical}p${p}j${j}, ${job.start}, ${job.end}`);
    });
  });
  return lines;
}

function flowchart(pipelines: readonly PipelinePlan[]): string[] {
  const lines = ['flowchart LR'];
  pipelines.forEach((pipeline, p) => {
    const id = new Map(pipeline.jobs.map((name, j) => [name, `p${p}j${j}`]));
    lines.push(`  subgraph p${p}["${label(pipeline.name)}"]`);
    for (const name of pipeline.jobs) lines.push(`    ${id.get(name)}["${label(name)}"]`);
    for (const [from, to] of pipeline.edges) lines.push(`    ${id.get(from)} --> ${id.get(to)}`);
    lines.push('  end');
  });
  return lines;
}

/** Text Mermaid shows as is: no quotes, colons or semicolons, which end a statement. */
function label(text: string): string {
  return text.replace(/["#:;]/g, '_');
}
