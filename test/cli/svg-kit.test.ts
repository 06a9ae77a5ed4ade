import { elbowPath, escapeXml, formatTick, niceTimeStep, plural, round, tag, text, textWidth, timeTicks, title, wrapText } from '../../lib/cli/svg-kit';

test('escapeXml', () => {
  expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
});

test('elements: attributes in order, numbers rounded to a tenth, undefined dropped, text escaped', () => {
  expect(round(1 / 3)).toBe(0.3);
  expect(tag('rect', { class: 'bar', x: 10.04, y: 2 / 3, rx: undefined })).toBe('<rect class="bar" x="10" y="0.7"/>');
  expect(tag('g', { 'data-job': 'a"b' }, '<x/>')).toBe('<g data-job="a&quot;b"><x/></g>');
  expect(text(1, 2, 'a < b', { class: 'meta' })).toBe('<text x="1" y="2" class="meta">a &lt; b</text>');
  expect(title('x & y')).toBe('<title>x &amp; y</title>');
  expect([plural(1, 'job'), plural(0, 'job'), plural(2, 'node pool')]).toEqual(['1 job', '0 jobs', '2 node pools']);
});

test('text width: wider for more, wider and bolder characters', () => {
  expect(textWidth('', 12)).toBe(0);
  expect(textWidth('job-a', 12)).toBeGreaterThan(textWidth('job', 12));
  expect(textWidth('mmm', 12)).toBeGreaterThan(textWidth('iii', 12));
  expect(textWidth('ABC', 12)).toBeGreaterThan(textWidth('abc', 12));
  expect(textWidth('job', 12, true)).toBeGreaterThan(textWidth('job', 12));
  expect(textWidth('job', 24)).toBe(2 * textWidth('job', 12));
  // Never below 7 px a character at 12 px for ordinary lower-case names (the brief's rule of thumb is 7).
  expect(textWidth('spark-spot (8/40 nodes)', 12)).toBeGreaterThanOrEqual(23 * 6.5);
});

test('wrapText keeps words, breaks at spaces and cuts words longer than a line', () => {
  const message = 'pool spark-spot: jobs that may run at the same time request 32 cpu and need 8 nodes';
  const lines = wrapText(message, 11, 200);
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.join(' ')).toBe(message);
  for (const line of lines) expect(textWidth(line, 11)).toBeLessThanOrEqual(200);
  const long = 'x'.repeat(100);
  const cut = wrapText(`a ${long} b`, 10, 100);
  expect(cut.join('').replace(/ /g, '')).toBe(`a${long}b`);
  expect(cut.length).toBeGreaterThan(2);
  for (const line of cut) expect(textWidth(line, 10)).toBeLessThanOrEqual(100);
  expect(wrapText('', 11, 100)).toEqual(['']);
});

test('nice time steps: the smallest of 1s … 30m, 1h … 12h, 1d, 2d, 1w (or whole weeks) that fits the tick count', () => {
  expect(niceTimeStep(65 * 60, 10)).toBe(10 * 60);
  expect(niceTimeStep(2 * 3600, 11)).toBe(15 * 60);
  expect(niceTimeStep(3 * 3600 + 900, 11)).toBe(30 * 60);
  expect(niceTimeStep(10 * 3600, 11)).toBe(3600);
  expect(niceTimeStep(45, 10)).toBe(5);
  expect(niceTimeStep(0, 10)).toBe(1);
  expect(niceTimeStep(10 * 86_400, 10)).toBe(86_400);
  expect(niceTimeStep(200 * 86_400, 10)).toBe(21 * 86_400);
  expect(niceTimeStep(3600, 0.5)).toBe(3600); // at least one interval
});

test('ticks from zero to the end of the domain, labelled like durations', () => {
  expect(timeTicks(3600, 900)).toEqual([0, 900, 1800, 2700, 3600]);
  expect(timeTicks(3500, 900)).toEqual([0, 900, 1800, 2700]);
  expect([0, 900, 5400, 86_400].map(formatTick)).toEqual(['0', '15m', '1h30m', '1d']);
});

test('elbow paths round their corners and skip repeated and collinear points', () => {
  expect(elbowPath([[0, 0], [10, 0], [10, 20], [30, 20]], 4)).toBe('M 0 0 L 6 0 Q 10 0 10 4 L 10 16 Q 10 20 14 20 L 30 20');
  expect(elbowPath([[0, 0], [5, 0], [10, 0], [10, 0], [10, 2]], 4)).toBe('M 0 0 L 9 0 Q 10 0 10 1 L 10 2');
  expect(elbowPath([[0, 0], [8, 0], [8, 14], [-8, 14], [-8, 28], [0, 28]], 4)).toBe(
    'M 0 0 L 4 0 Q 8 0 8 4 L 8 10 Q 8 14 4 14 L -4 14 Q -8 14 -8 18 L -8 24 Q -8 28 -4 28 L 0 28',
  );
});
