/**
 * The plan as an SVG picture: for each pipeline, its jobs as boxes laid out by simulated start time
 * (x) and lane (y), with arrows for dependencies; without a schedule, boxes are laid out by dependency
 * depth instead. Below, one bar per pool compares peak CPU and memory demand with capacity.
 * Deterministic: coordinates are rounded and elements are written in plan order.
 */
import { formatDuration } from '../model/duration';
import { describeRequests } from '../model/fit';
import { CapacityPlan, PipelinePlan, PoolPlan } from '../model/planner';

const WIDTH = 960;
const MARGIN = 20;
const LABEL_WIDTH = 140;
const ROW = 34;
const BOX = 24;
const TITLE = 28;
const POOL_ROW = 44;
const CHART = WIDTH - 2 * MARGIN - LABEL_WIDTH;

/** A job's box: position in pixels and the tooltip. */
interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly title: string;
}

/** Escapes text for XML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The SVG document. */
export function renderSvg(plan: CapacityPlan): string {
  const parts: string[] = [];
  let y = MARGIN;
  for (const pipeline of plan.pipelines) {
    const { svg, height } = pipelineSection(pipeline, y);
    parts.push(svg);
    y += height;
  }
  parts.push(text(MARGIN, y + 18, 'Pools: peak demand / capacity', 'title'));
  y += TITLE;
  plan.pools.forEach((pool, index) => parts.push(poolBar(pool, y + index * POOL_ROW)));
  y += plan.pools.length * POOL_ROW + MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    '<style>.job{fill:#cfe3f7;stroke:#2b6cb0}.queued{fill:#f6e05e;opacity:.5}.edge{stroke:#555;fill:none}.title{font-weight:bold;font-size:14px}.cap{fill:#edf2f7;stroke:#a0aec0}.cpu{fill:#63b3ed}.mem{fill:#9f7aea}.over{fill:#e53e3e}</style>',
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** One pipeline: title, boxes, edges; returns its height. */
function pipelineSection(pipeline: PipelinePlan, top: number): { svg: string; height: number } {
  const boxes = pipeline.schedule ? scheduledBoxes(pipeline, top + TITLE) : depthBoxes(pipeline, top + TITLE);
  const lanes = Math.max(1, ...[...boxes.values()].map((box) => Math.round((box.y - top - TITLE) / ROW) + 1));
  const summary = pipeline.schedule
    ? `makespan ${formatDuration(pipeline.schedule.makespanSeconds)}${pipeline.deadlineSeconds === undefined ? '' : `, deadline ${formatDuration(pipeline.deadlineSeconds)}`}`
    : 'no schedule (not every job has a duration estimate)';
  const svg = [
    `<g class="pipeline" id="${escapeXml(`pipeline-${pipeline.name}`)}">`,
    text(MARGIN, top + 18, `${pipeline.name}: ${summary}`, 'title'),
    ...pipeline.edges.map(([from, to]) => edge(boxes.get(from), boxes.get(to))).filter((line) => line !== ''),
    ...queuedRects(pipeline, boxes),
    ...pipeline.jobs.map((name) => jobBox(name, boxes.get(name)!)),
    '</g>',
  ].join('\n');
  return { svg, height: TITLE + lanes * ROW + MARGIN };
}

function scheduledBoxes(pipeline: PipelinePlan, top: number): Map<string, Box> {
  const schedule = pipeline.schedule!;
  const scale = CHART / Math.max(1, schedule.makespanSeconds);
  return new Map(schedule.jobs.map((job) => [job.name, {
    x: MARGIN + LABEL_WIDTH + job.start * scale,
    y: top + job.lane * ROW,
    width: Math.max(2, (job.end - job.start) * scale),
    title: `${job.name}: ${formatDuration(job.start)} → ${formatDuration(job.end)}${job.queued > 0 ? `, queued ${formatDuration(job.queued)}` : ''} on ${job.pools.join(', ') || 'no pool'}`,
  }]));
}

/** Without a schedule: column = dependency depth, row = order within the column. */
function depthBoxes(pipeline: PipelinePlan, top: number): Map<string, Box> {
  const depth = depths(pipeline);
  const columnsCount = Math.max(1, ...depth.values()) + 1;
  const width = CHART / columnsCount;
  const used = new Map<number, number>();
  return new Map(pipeline.jobs.map((name) => {
    const column = depth.get(name)!;
    const row = used.get(column) ?? 0;
    used.set(column, row + 1);
    return [name, { x: MARGIN + LABEL_WIDTH + column * width, y: top + row * ROW, width: width * 0.8, title: `${name} (${(pipeline.jobPools[name] ?? []).join(', ') || 'no pool'})` }];
  }));
}

/** Longest distance from a job without dependencies, by Kahn's algorithm over the plan's valid edges. */
function depths(pipeline: PipelinePlan): Map<string, number> {
  const depth = new Map<string, number>(pipeline.jobs.map((name) => [name, 0]));
  const successors = new Map<string, string[]>(pipeline.jobs.map((name) => [name, []]));
  const waiting = new Map<string, number>(pipeline.jobs.map((name) => [name, 0]));
  for (const [from, to] of pipeline.edges) {
    successors.get(from)?.push(to);
    waiting.set(to, (waiting.get(to) ?? 0) + 1);
  }
  const queue = pipeline.jobs.filter((name) => waiting.get(name) === 0);
  for (let i = 0; i < queue.length; i++) {
    for (const next of successors.get(queue[i]) ?? []) {
      depth.set(next, Math.max(depth.get(next)!, depth.get(queue[i])! + 1));
      waiting.set(next, waiting.get(next)! - 1);
      if (waiting.get(next) === 0) queue.push(next);
    }
  }
  return depth;
}

function jobBox(name: string, box: Box): string {
  return [
    `<g class="job-box"><title>${escapeXml(box.title)}</title>`,
    `<rect class="job" x="${round(box.x)}" y="${round(box.y)}" width="${round(box.width)}" height="${BOX}" rx="3"/>`,
    text(box.x + 4, box.y + 16, name),
    '</g>',
  ].join('');
}

/** Shaded rectangles for the time jobs spent waiting for capacity. */
function queuedRects(pipeline: PipelinePlan, boxes: ReadonlyMap<string, Box>): string[] {
  const schedule = pipeline.schedule;
  if (!schedule) return [];
  const scale = CHART / Math.max(1, schedule.makespanSeconds);
  return schedule.jobs
    .filter((job) => job.queued > 0)
    .map((job) => {
      const box = boxes.get(job.name)!;
      return `<rect class="queued" x="${round(box.x - job.queued * scale)}" y="${round(box.y)}" width="${round(job.queued * scale)}" height="${BOX}"/>`;
    });
}

/** An arrow from the right edge of one box to the left edge of another. */
function edge(from: Box | undefined, to: Box | undefined): string {
  if (!from || !to) return '';
  const [x1, y1, x2, y2] = [from.x + from.width, from.y + BOX / 2, to.x, to.y + BOX / 2];
  const bend = Math.max(10, (x2 - x1) / 2);
  return `<path class="edge" marker-end="url(#arrow)" d="M ${round(x1)} ${round(y1)} C ${round(x1 + bend)} ${round(y1)}, ${round(x2 - bend)} ${round(y2)}, ${round(x2)} ${round(y2)}"/>`;
}

/** Two thin bars (CPU, memory) showing peak demand over the pool's capacity. */
function poolBar(pool: PoolPlan, top: number): string {
  const label = `${pool.name} (${pool.peakNodes}/${pool.maxNodes} nodes)`;
  const fill = (cls: string, y: number, ratio: number): string =>
    `<rect class="${ratio > 1 ? 'over' : cls}" x="${MARGIN + LABEL_WIDTH}" y="${round(y)}" width="${round(CHART * Math.min(1, ratio))}" height="10"/>`;
  const cpuRatio = ratio(pool.peak.cpu.amount, pool.capacity.cpuMillis);
  const memoryRatio = ratio(pool.peak.memory.amount, pool.capacity.memoryBytes);
  const peak = describeRequests({ ...pool.capacity, cpuMillis: pool.peak.cpu.amount, memoryBytes: pool.peak.memory.amount, ephemeralStorageBytes: 0, gpus: 0 });
  const capacity = describeRequests({ ...pool.capacity, ephemeralStorageBytes: 0, gpus: 0 });
  return [
    `<g class="pool" id="${escapeXml(`pool-${pool.name}`)}"><title>${escapeXml(`${pool.name}: peak ${peak} of ${capacity}`)}</title>`,
    text(MARGIN, top + 14, label),
    `<rect class="cap" x="${MARGIN + LABEL_WIDTH}" y="${top}" width="${CHART}" height="24"/>`,
    fill('cpu', top + 1, cpuRatio),
    fill('mem', top + 13, memoryRatio),
    text(MARGIN + LABEL_WIDTH + 4, top + 36, `cpu ${Math.round(cpuRatio * 100)}%, memory ${Math.round(memoryRatio * 100)}%`),
    '</g>',
  ].join('');
}

function text(x: number, y: number, content: string, cls?: string): string {
  return `<text x="${round(x)}" y="${round(y)}"${cls ? ` class="${cls}"` : ''}>${escapeXml(content)}</text>`;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
