/**
 * The plan as one self-contained SVG picture for a browser or a README: a header with the counts,
 * a legend, each pipeline as a timeline of its simulated schedule (or, without one, its DAG by
 * dependency level; see `svg-pipeline.ts`), each pool's peak demand against its capacity, and the
 * findings. Styles are inline and fonts are the reader's own sans-serif, so the file needs nothing
 * else. A pure function of the plan: coordinates are rounded and elements follow plan order, so the
 * same plan always gives the same bytes.
 */
import { CapacityPlan, Finding, PoolPlan } from '../model/planner';
import { cpuCell, memoryCell, percent } from './render-table';
import { MARGIN, Section, plural, tag, text, textWidth, title, wrapText } from './svg-kit';
import { pipelineSection, pipelineWidth } from './svg-pipeline';

/** The width of the picture unless a label needs more. */
const DEFAULT_WIDTH = 1000;
/** Vertical space between sections. */
const GAP = 20;
/** Pool metric rows: height of a row and of its bar; the narrowest bar track. */
const METRIC_ROW = 20;
const METRIC_BAR = 10;
const MIN_TRACK = 160;

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const STYLE = [
  '.title{font-size:18px;font-weight:700;fill:#0f172a}',
  '.heading{font-size:15px;font-weight:700;fill:#0f172a}',
  '.meta,.note{font-size:11px;fill:#64748b}',
  'tspan.met{font-size:11px;fill:#15803d}',
  'tspan.missed{font-size:11px;font-weight:700;fill:#dc2626}',
  '.tick{font-size:10px;fill:#64748b}',
  '.grid{stroke:#e2e8f0}',
  '.axis{stroke:#94a3b8}',
  '.zebra{fill:#f8fafc}',
  '.name{font-size:12px;fill:#1e293b}',
  '.critical .name{font-weight:700}',
  '.bar{fill:#93c5fd;stroke:#3b82f6}',
  '.critical .bar{fill:#1d4ed8;stroke:#1e3a8a}',
  '.bar-label{font-size:11px;fill:#475569;paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}',
  '.queued{fill:url(#bp-hatch);stroke:#f59e0b;stroke-width:.75}',
  '.edge{fill:none;stroke:#94a3b8;stroke-width:1.25}',
  '.edge.critical{stroke:#1e3a8a;stroke-width:2}',
  '.edge.cycle{stroke:#dc2626;stroke-width:1.5;stroke-dasharray:4 3}',
  'line.deadline{stroke:#475569;stroke-width:1.5;stroke-dasharray:5 4}',
  'line.deadline.missed{stroke:#dc2626}',
  'text.deadline{font-size:11px;fill:#475569}',
  'text.deadline.missed{font-weight:700;fill:#dc2626}',
  '.box{fill:#dbeafe;stroke:#3b82f6}',
  '.critical .box{fill:#1d4ed8;stroke:#1e3a8a}',
  '.box-name{font-size:12px;font-weight:700;fill:#1e293b}',
  '.critical .box-name{fill:#ffffff}',
  '.box-pools{font-size:10px;fill:#475569}',
  '.critical .box-pools{fill:#dbeafe}',
  '.pool-name{font-size:13px;font-weight:700;fill:#0f172a}',
  '.metric{font-size:11px;fill:#475569}',
  '.track{fill:#f1f5f9;stroke:#cbd5e1}',
  '.fill.cpu{fill:#38bdf8}',
  '.fill.memory{fill:#a78bfa}',
  '.fill.nodes{fill:#34d399}',
  '.fill.over{fill:#dc2626}',
  '.value{font-size:11px;fill:#334155}',
  '.value.over{font-weight:700;fill:#dc2626}',
  '.finding{font-size:11px}',
  '.severity{font-weight:700}',
  '.error{fill:#b91c1c}',
  '.warning{fill:#b45309}',
].join('');

const DEFS = [
  '<defs>',
  '<pattern id="bp-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fef3c7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#f59e0b" stroke-width="2"/></pattern>',
  '<marker id="bp-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#94a3b8"/></marker>',
  '<marker id="bp-arrow-critical" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1e3a8a"/></marker>',
  '<marker id="bp-arrow-cycle" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#dc2626"/></marker>',
  '</defs>',
].join('');

/** The SVG document. */
export function renderSvg(plan: CapacityPlan): string {
  const width = Math.ceil(Math.max(DEFAULT_WIDTH, ...plan.pipelines.map(pipelineWidth), poolsWidth(plan.pools)));
  const sections: Section[] = [];
  let y = MARGIN;
  const add = (make: (top: number) => Section): void => {
    const section = make(y);
    sections.push(section);
    y += section.height + GAP;
  };
  add((top) => header(plan, top, width));
  if (plan.pipelines.length > 0) add((top) => legend(plan, top));
  for (const pipeline of plan.pipelines) add((top) => pipelineSection(pipeline, top, width));
  if (plan.pools.length > 0) add((top) => poolsSection(plan.pools, top, width));
  if (plan.findings.length > 0) add((top) => findingsSection(plan.findings, top, width));
  const height = Math.ceil(y - GAP + MARGIN);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<style>${STYLE}</style>`,
    DEFS,
    tag('rect', { width, height, rx: 8, fill: '#ffffff' }),
    ...sections.map((section) => section.svg),
    '</svg>',
    '',
  ].join('\n');
}

/** Title and a line of counts: pools, pipelines, standalone jobs, findings. */
function header(plan: CapacityPlan, top: number, width: number): Section {
  const errors = plan.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = plan.findings.length - errors;
  const standalone = plan.standaloneJobs.length > 0 ? [`${plural(plan.standaloneJobs.length, 'standalone job')} (${plan.standaloneJobs.join(', ')})`] : [];
  const findings = plan.findings.length > 0 ? [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter((s) => s !== '') : ['no findings'];
  const summary = [plural(plan.pools.length, 'node pool'), plural(plan.pipelines.length, 'pipeline'), ...standalone, ...findings, ...(plan.strict ? ['strict'] : [])].join(' · ');
  const lines = wrapText(summary, 11, width - 2 * MARGIN);
  return {
    svg: [text(MARGIN, top + 18, 'batchplane capacity plan', { class: 'title' }), ...lines.map((line, i) => text(MARGIN, top + 38 + i * 15, line, { class: 'meta' }))].join('\n'),
    height: 30 + lines.length * 15,
  };
}

/** What the colours and marks mean, on one line; the queued and deadline marks only when drawn. */
function legend(plan: CapacityPlan, top: number): Section {
  const y = top + 8;
  const scheduled = plan.pipelines.filter((pipeline) => pipeline.schedule !== undefined);
  const bar = (x: number): string => tag('rect', { class: 'bar', x, y: y - 5, width: 22, height: 10, rx: 2 });
  const items: [swatch: (x: number) => string, label: string, shown: boolean][] = [
    [bar, 'job', true],
    [(x) => tag('g', { class: 'critical' }, bar(x)), 'critical path', true],
    [(x) => tag('rect', { class: 'queued', x, y: y - 5, width: 22, height: 10 }), 'queued for capacity', scheduled.some((p) => p.schedule!.jobs.some((job) => job.queued > 0))],
    [(x) => tag('path', { class: 'edge', d: `M ${x} ${y} L ${x + 22} ${y}`, 'marker-end': 'url(#bp-arrow)' }), 'dependency', true],
    [(x) => tag('line', { class: 'deadline', x1: x + 11, y1: y - 7, x2: x + 11, y2: y + 7 }), 'deadline', scheduled.some((p) => p.deadlineSeconds !== undefined)],
  ];
  const parts: string[] = [];
  let x = MARGIN;
  for (const [swatch, label] of items.filter((item) => item[2])) {
    parts.push(swatch(x), text(x + 28, y + 4, label, { class: 'meta' }));
    x += 28 + Math.ceil(textWidth(label, 11)) + 20;
  }
  return { svg: tag('g', { class: 'legend' }, parts.join('')), height: 16 };
}

// ---- pools --------------------------------------------------------------------------------------

/** One bar of a pool: what it measures, peak and capacity in its unit, and a tooltip. */
interface Metric {
  readonly key: 'cpu' | 'memory' | 'nodes';
  readonly peak: number;
  readonly capacity: number;
  readonly value: string;
  readonly tooltip: string;
}

function metrics(pool: PoolPlan): Metric[] {
  const at = (jobs: readonly string[]): string => (jobs.length > 0 ? `when ${jobs.join(', ')} run at once` : 'no job uses this pool');
  return [
    { key: 'cpu', peak: pool.peak.cpu.amount, capacity: pool.capacity.cpuMillis, value: cpuCell(pool.peak.cpu.amount, pool.capacity.cpuMillis), tooltip: `peak cpu ${at(pool.peak.cpu.jobs)}` },
    { key: 'memory', peak: pool.peak.memory.amount, capacity: pool.capacity.memoryBytes, value: memoryCell(pool.peak.memory.amount, pool.capacity.memoryBytes), tooltip: `peak memory ${at(pool.peak.memory.jobs)}` },
    {
      key: 'nodes', peak: pool.peakNodes, capacity: pool.maxNodes,
      value: `${pool.peakNodes} / ${pool.maxNodes} nodes (${percent(pool.peakNodes, pool.maxNodes)})`,
      tooltip: `nodes at the peak: the peak jobs' pods${pool.placeholders.pods > 0 ? ' and the headroom placeholders' : ''} packed onto ${pool.instanceTypes[0] ?? 'the pool\'s'} nodes`,
    },
  ];
}

/** Where the parts of a metric row start: the row label, the bar track and the value text. */
function metricColumns(pools: readonly PoolPlan[]): { label: number; track: number; value: number } {
  const label = MARGIN + 12;
  const track = label + textWidth('memory', 11) + 12;
  const value = Math.max(0, ...pools.flatMap((pool) => metrics(pool).map((metric) => textWidth(metric.value, 11, true)))) + 12;
  return { label, track, value };
}

function poolsWidth(pools: readonly PoolPlan[]): number {
  const columns = metricColumns(pools);
  return columns.track + MIN_TRACK + columns.value + MARGIN;
}

/** `spot · r6i.2xlarge, r5.2xlarge · 0–40 nodes · falls back to general · headroom …`. */
function poolDetails(pool: PoolPlan): string {
  const parts = [pool.capacityType === 'SPOT' ? 'spot' : 'on-demand', pool.instanceTypes.join(', '), `${pool.minNodes}–${pool.maxNodes} nodes`];
  if (pool.fallback !== undefined) parts.push(`falls back to ${pool.fallback}`);
  if (pool.placeholders.pods > 0) parts.push(`headroom: ${plural(pool.placeholders.pods, 'placeholder pod')} on ${plural(pool.placeholders.nodes, 'node')}`);
  return parts.join(' · ');
}

/** Per pool: a line of facts and bars of peak cpu, memory and nodes against capacity. */
function poolsSection(pools: readonly PoolPlan[], top: number, width: number): Section {
  const columns = metricColumns(pools);
  const trackWidth = width - MARGIN - columns.value - columns.track;
  const parts = [tag('text', { x: MARGIN, y: top + 16 }, `${tag('tspan', { class: 'heading' }, 'Node pools')}${tag('tspan', { class: 'meta', dx: 10 }, 'peak demand against capacity at maxNodes')}`)];
  let y = top + 30;
  for (const pool of pools) {
    const detailsX = MARGIN + textWidth(pool.name, 13, true) + 10;
    const details = wrapText(poolDetails(pool), 11, width - MARGIN - detailsX);
    const block = [text(MARGIN, y + 14, pool.name, { class: 'pool-name' }), ...details.map((line, i) => text(detailsX, y + 14 + i * 15, line, { class: 'meta' }))];
    y += 6 + details.length * 15;
    for (const metric of metrics(pool)) {
      const ratio = metric.capacity > 0 ? metric.peak / metric.capacity : 0;
      const over = ratio > 1 ? ' over' : '';
      const barTop = y + (METRIC_ROW - METRIC_BAR) / 2;
      block.push(tag('g', { class: 'metric-row', 'data-metric': metric.key }, [
        title(`${pool.name}: ${metric.tooltip}`),
        text(columns.label, y + 14, metric.key, { class: 'metric' }),
        tag('rect', { class: 'track', x: columns.track, y: barTop, width: trackWidth, height: METRIC_BAR, rx: 2 }),
        tag('rect', { class: `fill ${metric.key}${over}`, x: columns.track, y: barTop, width: trackWidth * Math.min(1, ratio), height: METRIC_BAR, rx: 2 }),
        text(columns.track + trackWidth + 10, y + 14, metric.value, { class: `value${over}` }),
      ].join('')));
      y += METRIC_ROW;
    }
    parts.push(tag('g', { class: 'pool', 'data-pool': pool.name }, block.join('')));
    y += 10;
  }
  return { svg: parts.join('\n'), height: y - 10 - top };
}

// ---- findings -----------------------------------------------------------------------------------

/** Each finding: its severity in colour, then `[path] message` wrapped to the width. */
function findingsSection(findings: readonly Finding[], top: number, width: number): Section {
  const parts = [text(MARGIN, top + 16, 'Findings', { class: 'heading' })];
  const messageX = MARGIN + textWidth('warning', 11, true) + 10;
  let y = top + 38;
  for (const finding of findings) {
    const lines = wrapText(`[${finding.path}] ${finding.message}`, 11, width - MARGIN - messageX);
    parts.push(tag('g', { class: `finding ${finding.severity}`, 'data-code': finding.code }, [
      text(MARGIN, y, finding.severity, { class: 'severity' }),
      ...lines.map((line, i) => text(messageX, y + i * 15, line, { class: 'message' })),
    ].join('')));
    y += lines.length * 15 + 6;
  }
  return { svg: parts.join('\n'), height: y - 6 - top - 11 };
}
