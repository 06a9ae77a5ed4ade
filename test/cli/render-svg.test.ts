import { renderSvg } from '../../lib/cli/render-svg';
import { escapeXml, textWidth } from '../../lib/cli/svg-kit';
import { CapacityPlan, PipelinePlan } from '../../lib/model/planner';
import { samplePlan } from '../model/support/sample-plan';

const plan = samplePlan();
const svg = renderSvg(plan);
const [nightly, adhoc] = plan.pipelines;

/** The markup of the first `<g>` whose opening tag contains `marker`, nested groups included. */
function group(markup: string, marker: string): string {
  const start = markup.search(new RegExp(`<g [^>]*${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  if (start < 0) throw new Error(`no group ${marker}`);
  const tags = /<(\/?)g\b[^>]*?(\/?)>/g;
  tags.lastIndex = start;
  let depth = 0;
  for (let match = tags.exec(markup); match; match = tags.exec(markup)) {
    if (match[2] === '/') continue;
    depth += match[1] === '/' ? -1 : 1;
    if (depth === 0) return markup.slice(start, tags.lastIndex);
  }
  throw new Error(`unclosed group ${marker}`);
}

/** Jobs of a pipeline group: name, whether critical, and the group's markup. */
function jobs(markup: string): { name: string; critical: boolean; markup: string }[] {
  return [...markup.matchAll(/<g class="job( critical)?" data-job="([^"]*)">(.*?)<\/g>/g)].map((m) => ({ name: m[2], critical: m[1] !== undefined, markup: m[3] }));
}

/** Numeric attributes of the first `<tag class="cls"` in some markup. */
function attrs(markup: string, tag: string, cls: string): Record<string, number> {
  const match = new RegExp(`<${tag} class="${cls}"([^>]*)>`).exec(markup);
  if (!match) throw new Error(`no ${tag}.${cls}`);
  return Object.fromEntries([...match[1].matchAll(/ ([\w-]+)="(-?[\d.]+)"/g)].map((m) => [m[1], Number(m[2])]));
}

/** Every edge of some markup: endpoints of the path and its class. */
function edges(markup: string): { from: string; to: string; cls: string; start: number[]; end: number[] }[] {
  return [...markup.matchAll(/<path class="(edge[^"]*)" data-from="([^"]*)" data-to="([^"]*)" d="([^"]*)"/g)].map((m) => {
    const numbers = m[4].match(/-?[\d.]+/g)!.map(Number);
    return { cls: m[1], from: m[2], to: m[3], start: numbers.slice(0, 2), end: numbers.slice(-2) };
  });
}

/** Points equal up to the rounding of coordinates to one decimal. */
function expectPoint(actual: readonly number[], expected: readonly number[]): void {
  expect(Math.abs(actual[0] - expected[0])).toBeLessThanOrEqual(0.11);
  expect(Math.abs(actual[1] - expected[1])).toBeLessThanOrEqual(0.11);
}

/** Renames a job everywhere in a pipeline plan. */
function renameJob(pipeline: PipelinePlan, from: string, to: string): PipelinePlan {
  const name = (n: string): string => (n === from ? to : n);
  return {
    ...pipeline,
    jobs: pipeline.jobs.map(name),
    edges: pipeline.edges.map(([a, b]) => [name(a), name(b)] as const),
    jobPools: Object.fromEntries(Object.entries(pipeline.jobPools).map(([k, v]) => [name(k), v])),
    criticalPath: { ...pipeline.criticalPath, jobs: pipeline.criticalPath.jobs.map(name) },
    schedule: pipeline.schedule && { ...pipeline.schedule, jobs: pipeline.schedule.jobs.map((job) => ({ ...job, name: name(job.name) })) },
  };
}

const withPipelines = (...pipelines: PipelinePlan[]): CapacityPlan => ({ ...plan, pipelines });

describe('document', () => {
  test('a well-formed, self-contained SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const stack: string[] = [];
    for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)\b[^>]*?(\/?)>/g)) {
      if (selfClosing) continue;
      if (closing) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
    expect(svg).not.toMatch(/NaN|Infinity|undefined|href=|<script|@import|url\((?!#)/);
  });

  test('deterministic', () => {
    expect(renderSvg(samplePlan())).toBe(svg);
  });

  test('a header with the counts and a legend', () => {
    expect(svg).toContain('>batchplane capacity plan</text>');
    expect(svg).toContain('>3 node pools · 2 pipelines · 1 warning</text>');
    const labels = (markup: string): string[] => [...group(markup, 'class="legend"').matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels(svg)).toEqual(['job', 'critical path', 'dependency', 'deadline']);
    const schedule = nightly.schedule!;
    const queued = { ...nightly, deadlineSeconds: undefined, schedule: { ...schedule, jobs: schedule.jobs.map((job, i) => (i === 0 ? { ...job, queued: 60 } : job)) } };
    expect(labels(renderSvg(withPipelines(queued)))).toEqual(['job', 'critical path', 'queued for capacity', 'dependency']);
  });

  test('no text runs past the right edge', () => {
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    const sizes: Record<string, [number, boolean]> = { title: [18, true], 'pool-name': [13, true], tick: [10, false], name: [12, true], severity: [11, true], 'value over': [11, true] };
    const texts = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" class="([^"]*)"(?: text-anchor="(\w+)")?>([^<]*)<\/text>/g)];
    expect(texts.length).toBeGreaterThan(50);
    for (const [, x, cls, anchor, content] of texts) {
      const [size, bold] = sizes[cls] ?? [11, false];
      const w = textWidth(content.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'), size, bold);
      expect(Number(x) + (anchor === 'middle' ? w / 2 : w)).toBeLessThanOrEqual(width);
    }
  });
});

describe('a pipeline with a schedule', () => {
  const section = group(svg, 'class="pipeline" data-pipeline="nightly"');
  const rows = jobs(section);
  const bars = new Map(rows.map((row) => [row.name, attrs(row.markup, 'rect', 'bar')]));
  const x0 = bars.get('job-a')!.x;
  const scale = bars.get('job-b')!.width / (30 * 60); // pixels per second, from job-b's 30 minutes

  test('the title has the makespan and the deadline verdict', () => {
    expect(section).toContain('<tspan class="heading">nightly</tspan><tspan class="meta" dx="10">makespan 1h5m</tspan><tspan class="met" dx="10">deadline 2h met, 55m to spare</tspan>');
    expect(section).toContain('>6 jobs · critical path job-a → job-b → job-d → job-f (1h5m)</text>');
  });

  test('one row and one bar per job, by start time then name', () => {
    expect(rows.map((row) => row.name)).toEqual(['job-a', 'job-c', 'job-b', 'job-d', 'job-e', 'job-f']);
    for (const row of rows) expect(row.markup.match(/<rect class="bar"/g)).toHaveLength(1);
    const ys = rows.map((row) => bars.get(row.name)!.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(rows.length);
  });

  test('bars span start to end on one time scale', () => {
    for (const job of nightly.schedule!.jobs) {
      const bar = bars.get(job.name)!;
      expect(bar.x).toBeCloseTo(x0 + job.start * scale, 0);
      expect(bar.width).toBeCloseTo((job.end - job.start) * scale, 0);
    }
  });

  test('names in the label column, duration and pools beside the bar and in the tooltip', () => {
    const jobB = rows.find((row) => row.name === 'job-b')!.markup;
    expect(jobB).toContain('<title>job-b: 10m → 40m (30m · general, spark-spot), on the critical path</title>');
    expect(jobB).toMatch(/<text x="[\d.]+" y="[\d.]+" class="name">job-b<\/text>/);
    expect(jobB).toContain('class="bar-label">30m · general, spark-spot</text>');
    const nameX = Number(/<text x="([\d.]+)"[^>]*class="name"/.exec(jobB)![1]);
    expect(nameX + textWidth('job-b', 12, true)).toBeLessThan(x0);
  });

  test('the critical path is emphasised', () => {
    expect(rows.filter((row) => row.critical).map((row) => row.name)).toEqual(['job-a', 'job-b', 'job-d', 'job-f']);
    expect(nightly.criticalPath.jobs).toEqual(['job-a', 'job-b', 'job-d', 'job-f']);
  });

  test('one arrow per dependency, from the end of one bar to the start of the other, on different rows', () => {
    const drawn = edges(section);
    expect(drawn.map((e) => `${e.from}>${e.to}`).sort()).toEqual(nightly.edges.map(([from, to]) => `${from}>${to}`).sort());
    for (const edge of drawn) {
      const [from, to] = [bars.get(edge.from)!, bars.get(edge.to)!];
      expectPoint(edge.start, [from.x + from.width, from.y + from.height / 2]);
      expectPoint(edge.end, [to.x, to.y + to.height / 2]);
      expect(edge.start[1]).not.toBe(edge.end[1]);
    }
    expect(drawn.filter((e) => e.cls === 'edge critical').map((e) => `${e.from}>${e.to}`)).toEqual(['job-a>job-b', 'job-b>job-d', 'job-d>job-f']);
    expect(section).toMatch(/<path class="edge critical"[^>]*marker-end="url\(#bp-arrow-critical\)"\/>/);
  });

  test('a time axis with nice ticks', () => {
    const ticks = [...section.matchAll(/<text x="([\d.]+)" y="[\d.]+" class="tick" text-anchor="middle">([^<]*)<\/text>/g)];
    expect(ticks.map((t) => t[2])).toEqual(['0', '15m', '30m', '45m', '1h', '1h15m', '1h30m', '1h45m', '2h']);
    ticks.forEach((tick, i) => expect(Number(tick[1])).toBeCloseTo(x0 + i * 15 * 60 * scale, 0));
    expect(section.match(/<line class="grid"/g)).toHaveLength(9);
  });

  test('the deadline is a dashed line at its time, labelled', () => {
    const line = attrs(section, 'line', 'deadline');
    expect(line.x1).toBeCloseTo(x0 + 2 * 3600 * scale, 0);
    expect(line.x1).toBe(line.x2);
    expect(section).toMatch(/class="deadline label" text-anchor="middle">deadline 2h<\/text>/);
    expect(section).not.toContain('missed');
  });

  test('a missed deadline is red and says by how much', () => {
    const late = group(renderSvg(withPipelines({ ...nightly, deadlineSeconds: 3600 })), 'data-pipeline="nightly"');
    expect(late).toContain('<tspan class="missed" dx="10">deadline 1h missed by 5m</tspan>');
    expect(late).toMatch(/<line class="deadline missed" x1="[\d.]+"/);
    expect(late).toContain('class="deadline missed label" text-anchor="middle">deadline 1h</text>');
  });

  test('time queued for capacity is a hatched segment before the bar, where the arrows arrive', () => {
    const schedule = nightly.schedule!;
    const jobs2 = schedule.jobs.map((job) => (job.name === 'job-d' ? { ...job, start: job.start + 600, end: job.end + 600, queued: 600 } : job));
    const queued = group(renderSvg(withPipelines({ ...nightly, schedule: { ...schedule, jobs: jobs2 } })), 'data-pipeline="nightly"');
    const jobD = jobs(queued).find((row) => row.name === 'job-d')!.markup;
    const [hatch, bar] = [attrs(jobD, 'rect', 'queued'), attrs(jobD, 'rect', 'bar')];
    expect(hatch.x + hatch.width).toBeCloseTo(bar.x, 0);
    expect(hatch.width / bar.width).toBeCloseTo(600 / 900, 2);
    expect(jobD).toContain('>15m · general · queued 10m</text>');
    for (const edge of edges(queued).filter((e) => e.to === 'job-d')) expect(edge.end[0]).toBe(hatch.x);
    expect(section).not.toContain('class="queued"');
  });

  test('names are escaped', () => {
    const odd = renderSvg(withPipelines(renameJob({ ...nightly, name: 'n<1>' }, 'job-b', '<etl & "x">')));
    expect(odd).toContain('data-pipeline="n&lt;1&gt;"');
    expect(odd).toContain('data-job="&lt;etl &amp; &quot;x&quot;&gt;"');
    expect(odd).toContain('class="name">&lt;etl &amp; &quot;x&quot;&gt;</text>');
    expect(odd).toContain('data-from="&lt;etl &amp; &quot;x&quot;&gt;" data-to="job-d"');
    expect(odd).not.toContain('<etl');
  });
});

describe('a pipeline without durations: the DAG by levels', () => {
  const section = group(svg, 'data-pipeline="adhoc"');

  test('boxes instead of bars, no time axis', () => {
    expect(section).toContain('>2 jobs · no schedule: not every job has a duration estimate, so jobs are drawn by dependency level</text>');
    expect(jobs(section).map((row) => row.name)).toEqual(['job-x', 'job-y']);
    expect(section.match(/<rect class="box"/g)).toHaveLength(2);
    expect(section).not.toMatch(/class="bar"|class="grid"|deadline/);
    expect(jobs(section).some((row) => row.critical)).toBe(false); // one job is no chain
    expect(adhoc.edges).toEqual([]);
  });

  test('columns by dependency depth, with an arrow per dependency between box edges', () => {
    const dag = group(renderSvg(withPipelines({ ...nightly, schedule: undefined })), 'data-pipeline="nightly"');
    const boxes = new Map(jobs(dag).map((row) => [row.name, attrs(row.markup, 'rect', 'box')]));
    const column = (name: string): number => boxes.get(name)!.x;
    expect(column('job-a')).toBe(column('job-c'));
    expect(column('job-e')).toBe(column('job-f'));
    expect([column('job-a'), column('job-b'), column('job-d'), column('job-e')]).toEqual([...new Set([column('job-a'), column('job-b'), column('job-d'), column('job-e')])].sort((a, b) => a - b));
    expect(dag.match(/class="tick">level \d<\/text>/g)).toHaveLength(4);
    const drawn = edges(dag);
    expect(drawn).toHaveLength(nightly.edges.length);
    for (const edge of drawn) {
      const [from, to] = [boxes.get(edge.from)!, boxes.get(edge.to)!];
      expectPoint(edge.start, [from.x + from.width, from.y + from.height / 2]);
      expectPoint(edge.end, [to.x, to.y + to.height / 2]);
    }
    expect(jobs(dag).filter((row) => row.critical).map((row) => row.name)).toEqual(['job-a', 'job-b', 'job-d', 'job-f']);
    expect(drawn.filter((e) => e.cls === 'edge critical')).toHaveLength(3);
  });
});

describe('pools and findings', () => {
  test('per pool: peak cpu, memory and nodes against capacity', () => {
    expect(svg.match(/<g class="pool" data-pool=/g)).toHaveLength(3);
    const spot = group(svg, 'data-pool="spark-spot"');
    expect(spot).toContain('>spot · r6i.2xlarge · 0–4 nodes · falls back to general · headroom: 1 placeholder pod on 1 node</text>');
    expect(spot).toContain('<rect class="fill cpu over"');
    expect(spot).toContain('class="value over">32 / 30.84 cpu (104%)</text>');
    expect(spot).toContain('class="value">96Gi / 251.1Gi (38%)</text>');
    expect(spot).toContain('class="value over">8 / 4 nodes (200%)</text>');
    const general = group(svg, 'data-pool="general"');
    expect(general).toContain('class="value">5 / 77.1 cpu (6%)</text>');
    const track = attrs(general, 'rect', 'track');
    expect(attrs(general, 'rect', 'fill cpu').width).toBeCloseTo(track.width * (5 / 77.1), 0);
    expect(attrs(spot, 'rect', 'fill cpu over').width).toBe(track.width); // clamped to the track
  });

  test('findings are listed, coloured by severity and wrapped', () => {
    const findings = group(svg, 'class="finding warning"');
    expect(findings).toContain('data-code="jobs-will-queue"');
    expect(findings).toContain('class="severity">warning</text>');
    const lines = [...findings.matchAll(/class="message">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(escapeXml(`[${plan.findings[0].path}] ${plan.findings[0].message}`));
    expect(renderSvg({ ...plan, findings: [] })).not.toContain('class="finding');
  });
});

test('escapeXml', () => {
  expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
});
