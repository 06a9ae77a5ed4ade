/**
 * One pipeline of the SVG plan. With a simulated schedule it is a timeline: one row per job in
 * start order, a bar from start to end on a time axis, a hatched segment for time queued for
 * capacity, elbow arrows from each dependency's end to its dependent's start, the critical path in
 * a darker colour and the deadline as a dashed line. Without a schedule the jobs are boxes in
 * columns by dependency level, joined by the same arrows.
 */
import { digraph } from '../model/antichain';
import { stronglyConnectedComponents } from '../model/cycles';
import { formatDuration } from '../model/duration';
import { PipelinePlan } from '../model/planner';
import { Schedule, ScheduledJob } from '../model/schedule';
import {
  MARGIN, Section, elbowPath, escapeXml, formatTick, niceTimeStep, plural, round, tag, text, textWidth, timeTicks, title, wrapText,
} from './svg-kit';

/** Timeline rows: height of a row, of a bar, and the horizontal run of an arrow before a bar. */
const ROW = 28;
const BAR = 16;
const ELBOW = 8;
/** Space between the end of a bar and its label (the arrows' first vertical runs in it). */
const BAR_LABEL_GAP = ELBOW + 6;
/** Pixels a tick label needs: ticks are never closer. */
const TICK_SPACING = 72;
/** The narrowest time axis, whatever the labels. */
const MIN_CHART = 320;
/** Levels mode: box height, vertical step between boxes, least gap between columns. */
const BOX = 36;
const BOX_STEP = 56;
const COLUMN_GAP = 56;

/** The width a pipeline needs to draw without clipping a label. */
export function pipelineWidth(pipeline: PipelinePlan): number {
  if (pipeline.jobs.length === 0) return 0;
  if (pipeline.schedule) {
    const widest = Math.max(0, ...pipeline.schedule.jobs.map((job) => textWidth(barLabel(job), 11)));
    return 2 * MARGIN + nameColumnWidth(pipeline) + MIN_CHART + BAR_LABEL_GAP + widest;
  }
  const columns = levelColumns(pipeline).length;
  return 2 * MARGIN + columns * boxWidth(pipeline) + Math.max(0, columns - 1) * COLUMN_GAP;
}

/** A pipeline's heading and drawing, starting at `top` in a document `width` pixels wide. */
export function pipelineSection(pipeline: PipelinePlan, top: number, width: number): Section {
  const heading = pipelineHeading(pipeline, top, width);
  const bodyTop = top + heading.height;
  const body = pipeline.jobs.length === 0
    ? { svg: text(MARGIN, bodyTop + 16, '(no jobs)', { class: 'note' }), height: 24 }
    : pipeline.schedule
      ? timeline(pipeline, pipeline.schedule, bodyTop, width)
      : levels(pipeline, bodyTop, width);
  return {
    svg: tag('g', { class: 'pipeline', 'data-pipeline': pipeline.name }, `\n${heading.svg}\n${body.svg}\n`),
    height: heading.height + body.height,
  };
}

/** The title (name, makespan, deadline verdict) and a wrapped line on the critical path. */
function pipelineHeading(pipeline: PipelinePlan, top: number, width: number): Section {
  const { schedule, deadlineSeconds: deadline, criticalPath } = pipeline;
  const spans = [tag('tspan', { class: 'heading' }, escapeXml(pipeline.name))];
  if (schedule) {
    spans.push(tag('tspan', { class: 'meta', dx: 10 }, escapeXml(`makespan ${formatDuration(schedule.makespanSeconds)}`)));
    if (deadline !== undefined) {
      const missed = schedule.makespanSeconds > deadline;
      const verdict = missed
        ? `deadline ${formatDuration(deadline)} missed by ${formatDuration(schedule.makespanSeconds - deadline)}`
        : `deadline ${formatDuration(deadline)} met, ${formatDuration(deadline - schedule.makespanSeconds)} to spare`;
      spans.push(tag('tspan', { class: missed ? 'missed' : 'met', dx: 10 }, escapeXml(verdict)));
    }
  }
  const chain = criticalPath.jobs.join(' → ');
  const count = plural(pipeline.jobs.length, 'job');
  // The planner leaves the critical path empty only when the graph is invalid (a cycle, unknown names).
  const reason = criticalPath.jobs.length === 0 ? 'the dependency graph is invalid (see the findings)' : 'not every job has a duration estimate';
  const detail = pipeline.jobs.length === 0
    ? count
    : schedule
      ? `${count} · critical path ${chain} (${formatDuration(criticalPath.seconds ?? schedule.makespanSeconds)})`
      : `${count} · no schedule: ${reason}, so jobs are drawn by dependency level${criticalPath.jobs.length > 1 ? ` · longest chain ${chain}` : ''}`;
  const lines = wrapText(detail, 11, width - 2 * MARGIN);
  return {
    svg: [tag('text', { x: MARGIN, y: top + 16 }, spans.join('')), ...lines.map((line, i) => text(MARGIN, top + 34 + i * 15, line, { class: 'meta' }))].join('\n'),
    height: 30 + lines.length * 15,
  };
}

// ---- timeline -----------------------------------------------------------------------------------

/** The label right of a bar: duration, pools and time queued. */
function barLabel(job: ScheduledJob): string {
  const pools = job.pools.length > 0 ? job.pools.join(', ') : 'no pool';
  return `${formatDuration(job.end - job.start)} · ${pools}${job.queued > 0 ? ` · queued ${formatDuration(job.queued)}` : ''}`;
}

/** The width of the job-name column: the longest name (bold, as critical jobs are) and padding. */
function nameColumnWidth(pipeline: PipelinePlan): number {
  return Math.max(...pipeline.jobs.map((name) => textWidth(name, 12, true))) + 20;
}

/**
 * Pixels per second: the largest scale at which every bar's label, the deadline and its label fit
 * right of their times.
 */
function timeScale(schedule: Schedule, deadline: number | undefined, chartWidth: number): number {
  const limits = [chartWidth / Math.max(1, schedule.makespanSeconds)];
  for (const job of schedule.jobs) {
    if (job.end > 0) limits.push((chartWidth - BAR_LABEL_GAP - textWidth(barLabel(job), 11)) / job.end);
  }
  if (deadline !== undefined && deadline > 0) limits.push((chartWidth - textWidth(`deadline ${formatDuration(deadline)}`, 11) / 2) / deadline);
  return Math.max(1e-9, Math.min(...limits));
}

function timeline(pipeline: PipelinePlan, schedule: Schedule, top: number, width: number): Section {
  const deadline = pipeline.deadlineSeconds;
  const critical = new Set(pipeline.criticalPath.jobs);
  const chartLeft = MARGIN + nameColumnWidth(pipeline);
  const chartWidth = width - MARGIN - chartLeft;
  const scale = timeScale(schedule, deadline, chartWidth);
  const x = (seconds: number): number => chartLeft + seconds * scale;
  const rowsTop = top + 22;
  const rowsBottom = rowsTop + schedule.jobs.length * ROW;
  const row = new Map(schedule.jobs.map((job, index) => [job.name, { job, center: rowsTop + index * ROW + ROW / 2 }]));
  const domain = chartWidth / scale;
  const ticks = timeTicks(domain, niceTimeStep(domain, chartWidth / TICK_SPACING));

  const parts: string[] = [];
  schedule.jobs.forEach((_, index) => {
    if (index % 2 === 1) parts.push(tag('rect', { class: 'zebra', x: MARGIN, y: rowsTop + index * ROW, width: width - 2 * MARGIN, height: ROW }));
  });
  for (const tick of ticks) {
    parts.push(tag('line', { class: 'grid', x1: x(tick), y1: rowsTop, x2: x(tick), y2: rowsBottom }));
    parts.push(text(x(tick), rowsTop - 8, formatTick(tick), { class: 'tick', 'text-anchor': 'middle' }));
  }
  parts.push(tag('line', { class: 'axis', x1: chartLeft, y1: rowsTop, x2: width - MARGIN, y2: rowsTop }));
  if (deadline !== undefined) {
    const missed = schedule.makespanSeconds > deadline;
    const cls = missed ? 'deadline missed' : 'deadline';
    parts.push(tag('line', { class: cls, x1: x(deadline), y1: rowsTop - 4, x2: x(deadline), y2: rowsBottom + 4 }));
    parts.push(text(x(deadline), rowsBottom + 17, `deadline ${formatDuration(deadline)}`, { class: `${cls} label`, 'text-anchor': 'middle' }));
  }
  parts.push(...edges(pipeline, critical, (from, to) => {
    const [source, target] = [row.get(from), row.get(to)];
    if (!source || !target) return undefined;
    const [x1, y1] = [x(source.job.end), source.center];
    const [x2, y2] = [x(target.job.start - target.job.queued), target.center];
    // Along the gap below (or above) the dependency's row, then down (or up) to the dependent's row.
    const between = y1 + (Math.sign(y2 - y1) * ROW) / 2;
    return { d: elbowPath([[x1, y1], [x1 + ELBOW, y1], [x1 + ELBOW, between], [x2 - ELBOW, between], [x2 - ELBOW, y2], [x2, y2]], 4) };
  }));
  for (const job of schedule.jobs) {
    const y = row.get(job.name)!.center;
    const isCritical = critical.has(job.name);
    const queued = job.queued > 0
      ? tag('rect', { class: 'queued', x: x(job.start - job.queued), y: y - BAR / 2, width: job.queued * scale, height: BAR })
      : '';
    parts.push(tag('g', { class: isCritical ? 'job critical' : 'job', 'data-job': job.name }, [
      title(`${job.name}: ${formatTick(job.start)} → ${formatTick(job.end)} (${barLabel(job)})${isCritical ? ', on the critical path' : ''}`),
      text(MARGIN + 8, y + 4, job.name, { class: 'name' }),
      queued,
      tag('rect', { class: 'bar', x: x(job.start), y: y - BAR / 2, width: Math.max(2, (job.end - job.start) * scale), height: BAR, rx: 3 }),
      text(x(job.end) + BAR_LABEL_GAP, y + 4, barLabel(job), { class: 'bar-label' }),
    ].join('')));
  }
  return { svg: parts.join('\n'), height: rowsBottom - top + (deadline === undefined ? 10 : 26) };
}

/** How to draw one arrow: its path data and whether it closes a cycle (drawn as an error). */
interface Route {
  readonly d: string;
  readonly cycle?: boolean;
}

/** One arrow per dependency, critical-path arrows last so they are drawn on top. */
function edges(pipeline: PipelinePlan, critical: ReadonlySet<string>, route: (from: string, to: string) => Route | undefined): string[] {
  const chain = pipeline.criticalPath.jobs;
  const onPath = (from: string, to: string): boolean => critical.has(from) && chain[chain.indexOf(from) + 1] === to;
  const ordered = [...pipeline.edges.filter(([f, t]) => !onPath(f, t)), ...pipeline.edges.filter(([f, t]) => onPath(f, t))];
  return ordered.flatMap(([from, to]) => {
    const drawn = route(from, to);
    if (drawn === undefined) return [];
    const kind = drawn.cycle ? 'cycle' : onPath(from, to) ? 'critical' : undefined;
    return [tag('path', {
      class: kind ? `edge ${kind}` : 'edge',
      'data-from': from,
      'data-to': to,
      d: drawn.d,
      'marker-end': `url(#bp-arrow${kind ? `-${kind}` : ''})`,
    })];
  });
}

// ---- levels -------------------------------------------------------------------------------------

/** The small line under a job's name in a box: its pools. */
function poolsLabel(pipeline: PipelinePlan, name: string): string {
  const pools = pipeline.jobPools[name] ?? [];
  return pools.length > 0 ? pools.join(', ') : 'no pool';
}

function boxWidth(pipeline: PipelinePlan): number {
  return Math.max(...pipeline.jobs.map((name) => Math.max(textWidth(name, 12, true), textWidth(poolsLabel(pipeline, name), 10)))) + 20;
}

/**
 * Jobs by dependency level (the longest chain of dependencies before them). The first level keeps
 * declaration order; in later ones a job sits near the average position of its dependencies, which
 * keeps arrows from crossing in common shapes.
 */
function levelColumns(pipeline: PipelinePlan): string[][] {
  const declared = new Map(pipeline.jobs.map((name, index) => [name, index]));
  const depth = new Map(pipeline.jobs.map((name) => [name, 0]));
  const successors = new Map<string, string[]>(pipeline.jobs.map((name) => [name, []]));
  const predecessors = new Map<string, string[]>(pipeline.jobs.map((name) => [name, []]));
  const waiting = new Map(pipeline.jobs.map((name) => [name, 0]));
  for (const [from, to] of pipeline.edges) {
    successors.get(from)?.push(to);
    predecessors.get(to)?.push(from);
    waiting.set(to, (waiting.get(to) ?? 0) + 1);
  }
  // Kahn's algorithm; jobs on a cycle (invalid plans) are never released and stay on level 0.
  const queue = pipeline.jobs.filter((name) => waiting.get(name) === 0);
  for (let i = 0; i < queue.length; i++) {
    for (const next of successors.get(queue[i]) ?? []) {
      depth.set(next, Math.max(depth.get(next)!, depth.get(queue[i])! + 1));
      waiting.set(next, waiting.get(next)! - 1);
      if (waiting.get(next) === 0) queue.push(next);
    }
  }
  const columns: string[][] = [];
  for (const name of pipeline.jobs) (columns[depth.get(name)!] ??= []).push(name);
  const position = new Map<string, number>();
  return columns.map((column) => {
    const key = (name: string): number => {
      const placed = predecessors.get(name)!.filter((p) => position.has(p)).map((p) => position.get(p)!);
      return placed.length > 0 ? placed.reduce((a, b) => a + b, 0) / placed.length : declared.get(name)!;
    };
    const sorted = [...column].sort((a, b) => key(a) - key(b) || declared.get(a)! - declared.get(b)!);
    sorted.forEach((name, index) => position.set(name, index));
    return sorted;
  });
}

/**
 * Whether a dependency lies on a cycle: its two jobs wait on each other (they share a strongly
 * connected component). Only called for edges between known jobs.
 */
function closesCycle(pipeline: PipelinePlan): (from: string, to: string) => boolean {
  const index = new Map(pipeline.jobs.map((name, i) => [name, i]));
  const known = pipeline.edges.flatMap(([from, to]): [number, number][] => {
    const [u, v] = [index.get(from), index.get(to)];
    return u === undefined || v === undefined ? [] : [[u, v]];
  });
  const component = stronglyConnectedComponents(digraph(pipeline.jobs.length, known));
  return (from, to) => component[index.get(from)!] === component[index.get(to)!];
}

/**
 * The levels mode. Arrows between neighbouring levels are S-curves in the gap between the columns;
 * an arrow that skips levels curves into the gap between rows next to its dependency's row, runs
 * along it past the boxes in between, and curves into the dependent, so it never hides behind a box.
 */
function levels(pipeline: PipelinePlan, top: number, width: number): Section {
  const columns = levelColumns(pipeline);
  const closes = closesCycle(pipeline);
  const critical = new Set(pipeline.criticalPath.jobs.length > 1 ? pipeline.criticalPath.jobs : []);
  const boxW = boxWidth(pipeline);
  const step = columns.length > 1 ? Math.min(boxW + 3 * COLUMN_GAP, (width - 2 * MARGIN - boxW) / (columns.length - 1)) : 0;
  const gap = step - boxW;
  const boxesTop = top + 22;
  const place = new Map<string, { column: number; x: number; y: number }>();
  columns.forEach((column, c) => column.forEach((name, r) => place.set(name, { column: c, x: MARGIN + c * step, y: boxesTop + r * BOX_STEP })));

  const parts = columns.map((_, c) => text(MARGIN + c * step, top + 12, `level ${c + 1}`, { class: 'tick' }));
  parts.push(...edges(pipeline, critical, (from, to) => {
    const [source, target] = [place.get(from), place.get(to)];
    if (!source || !target) return undefined;
    const [x1, y1, x2, y2] = [source.x + boxW, source.y + BOX / 2, target.x, target.y + BOX / 2];
    const curve = (ax: number, ay: number, bx: number, by: number): string =>
      `C ${round((ax + bx) / 2)} ${round(ay)} ${round((ax + bx) / 2)} ${round(by)} ${round(bx)} ${round(by)}`;
    if (target.column <= source.column) {
      // Only in an invalid plan (an edge on a cycle, or out of a cycle into a job left on its level):
      // an arc right of the boxes into the target's right side.
      const bulge = 24 + Math.abs(y2 - y1) / 4;
      return { d: `M ${round(x1)} ${round(y1)} C ${round(x1 + bulge)} ${round(y1)} ${round(target.x + boxW + bulge)} ${round(y2)} ${round(target.x + boxW)} ${round(y2)}`, cycle: closes(from, to) };
    }
    if (target.column === source.column + 1) return { d: `M ${round(x1)} ${round(y1)} ${curve(x1, y1, x2, y2)}` };
    const channel = y1 + ((y2 < y1 ? -1 : 1) * BOX_STEP) / 2;
    return { d: `M ${round(x1)} ${round(y1)} ${curve(x1, y1, x1 + gap, channel)} L ${round(x2 - gap)} ${round(channel)} ${curve(x2 - gap, channel, x2, y2)}` };
  }));
  for (const name of pipeline.jobs) {
    const { x: bx, y: by } = place.get(name)!;
    const isCritical = critical.has(name);
    parts.push(tag('g', { class: isCritical ? 'job critical' : 'job', 'data-job': name }, [
      title(`${name} on ${poolsLabel(pipeline, name)}${isCritical ? ', on the longest chain' : ''}`),
      tag('rect', { class: 'box', x: bx, y: by, width: boxW, height: BOX, rx: 5 }),
      text(bx + 10, by + 15, name, { class: 'box-name' }),
      text(bx + 10, by + 29, poolsLabel(pipeline, name), { class: 'box-pools' }),
    ].join('')));
  }
  const rows = Math.max(...columns.map((column) => column.length));
  return { svg: parts.join('\n'), height: 22 + (rows - 1) * BOX_STEP + BOX + (BOX_STEP - BOX) / 2 + 4 };
}
