import { escapeXml, renderSvg } from '../../lib/cli/render-svg';
import { samplePlan } from '../model/support/sample-plan';

const plan = samplePlan();
const svg = renderSvg(plan);
const count = (pattern: RegExp) => (svg.match(pattern) ?? []).length;

test('a well-formed SVG document', () => {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(count(/<g\b/g)).toBe(count(/<\/g>/g));
});

test('a box per job, an arrow per dependency, a bar per pool', () => {
  expect(count(/<rect class="job"/g)).toBe(8); // 6 nightly + 2 adhoc
  expect(count(/<path class="edge"/g)).toBe(6);
  expect(count(/<g class="pool"/g)).toBe(3);
  expect(svg).toContain('<title>job-b: 10m → 40m on general, spark-spot</title>');
  expect(svg).toContain('adhoc: no schedule (not every job has a duration estimate)');
  expect(svg).toContain('<rect class="over"'); // spark-spot's CPU peak is over capacity
});

test('boxes are placed by start time and lane', () => {
  // 65 minutes over 780 px (960 - 2 × 20 margin - 140 labels): job-b starts at 10m → x = 160 + 120.
  expect(svg).toMatch(/<rect class="job" x="280" y="48" width="360" height="24" rx="3"\/><text x="284" y="64">job-b<\/text>/);
});

test('deterministic', () => {
  expect(renderSvg(samplePlan())).toBe(svg);
});

test('escapeXml', () => {
  expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
});
