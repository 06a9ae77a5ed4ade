import { pipelineSection, pipelineWidth } from '../../lib/cli/svg-pipeline';
import { PipelinePlan } from '../../lib/model/planner';
import { samplePlan } from '../model/support/sample-plan';

const [nightly, adhoc] = samplePlan().pipelines;

/** A pipeline without a schedule from names and edges. */
function dag(jobs: readonly string[], edges: readonly (readonly [string, string])[], critical: readonly string[] = []): PipelinePlan {
  return { name: 'p', path: 'p', jobs, edges, jobPools: {}, criticalPath: { jobs: critical } };
}

/** `name → x, y` of each job box in a levels drawing. */
function boxes(svg: string): Map<string, [number, number]> {
  return new Map([...svg.matchAll(/data-job="([^"]+)">.*?<rect class="box" x="([\d.]+)" y="([\d.]+)"/g)].map((m) => [m[1], [Number(m[2]), Number(m[3])]]));
}

test('the section height covers what it draws', () => {
  const section = pipelineSection(nightly, 100, 1000);
  const ys = [...section.svg.matchAll(/ y2?="([\d.]+)"/g)].map((m) => Number(m[1]));
  expect(Math.max(...ys)).toBeLessThanOrEqual(100 + section.height);
  expect(Math.min(...ys)).toBeGreaterThanOrEqual(100);
});

test('the width a pipeline needs grows with its longest name and label', () => {
  expect(pipelineWidth(nightly)).toBeLessThan(1000);
  const longName = 'a-job-with-a-very-long-name-indeed-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on';
  const renamed: PipelinePlan = {
    ...nightly,
    jobs: nightly.jobs.map((name) => (name === 'job-a' ? longName : name)),
    schedule: { ...nightly.schedule!, jobs: nightly.schedule!.jobs.map((job) => (job.name === 'job-a' ? { ...job, name: longName } : job)) },
  };
  expect(pipelineWidth(renamed)).toBeGreaterThan(1000);
  expect(pipelineWidth(adhoc)).toBeLessThan(1000);
  expect(pipelineWidth(dag([], []))).toBe(0);
});

test('an empty pipeline says so', () => {
  expect(pipelineSection(dag([], []), 0, 1000).svg).toContain('>(no jobs)</text>');
});

test('levels: a job sits near its dependencies, skipping arrows never hide behind a box', () => {
  // x → y and q → z: z is listed before y but goes in the second row, beside q.
  const svg = pipelineSection(dag(['x', 'q', 'z', 'y', 'w'], [['x', 'y'], ['q', 'z'], ['x', 'w'], ['y', 'w']], ['x', 'y', 'w']), 0, 1000).svg;
  const at = boxes(svg);
  expect(at.get('y')![1]).toBe(at.get('x')![1]);
  expect(at.get('z')![1]).toBe(at.get('q')![1]);
  expect(at.get('y')![0]).toBe(at.get('z')![0]);
  // x → w skips a level: its straight run is in the gap below the first row, not through y's box.
  const skip = /data-from="x" data-to="w" d="[^"]* L ([\d.]+) ([\d.]+) C/.exec(svg)!;
  const rowTop = at.get('y')![1];
  expect(Number(skip[2])).toBeGreaterThan(rowTop + 36);
  expect(Number(skip[2])).toBeLessThan(at.get('z')![1]);
  expect(svg).toContain('class="edge critical" data-from="y" data-to="w"');
  expect(svg).toContain('class="edge" data-from="x" data-to="w"');
});

test('levels: jobs on a cycle (an invalid plan) are drawn, the arrows closing it in red arcs', () => {
  const svg = pipelineSection(dag(['a', 'b'], [['a', 'b'], ['b', 'a']]), 0, 1000).svg;
  expect(svg).toContain('2 jobs · no schedule: the dependency graph is invalid (see the findings), so jobs are drawn by dependency level');
  expect(boxes(svg).size).toBe(2);
  expect(svg.match(/<path class="edge cycle"[^>]*marker-end="url\(#bp-arrow-cycle\)"/g)).toHaveLength(2);
  expect(svg).not.toMatch(/NaN|Infinity/);
});

test('levels: overlapping cycles are all red; an arrow out of the loop is not', () => {
  const loop: [string, string][] = [['a', 'b'], ['b', 'a'], ['b', 'c'], ['c', 'b'], ['a', 'c'], ['c', 'a']];
  const svg = pipelineSection(dag(['a', 'b', 'c', 'd'], [...loop, ['c', 'd']]), 0, 1000).svg;
  expect(boxes(svg).size).toBe(4);
  const red = [...svg.matchAll(/<path class="edge cycle" data-from="(\w)" data-to="(\w)"[^>]*marker-end="url\(#bp-arrow-cycle\)"/g)];
  expect(red.map((m) => [m[1], m[2]])).toEqual(loop);
  expect(svg).toContain('<path class="edge" data-from="c" data-to="d"');
  expect(svg).not.toMatch(/NaN|Infinity/);
});
