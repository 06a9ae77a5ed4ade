/**
 * Small building blocks of the SVG renderer: XML escaping, element builders with rounded
 * coordinates, text width estimates, word wrapping, time-axis ticks and rounded elbow paths.
 * Everything here is a pure function of its arguments, so equal inputs give byte-identical markup.
 */
import { formatDuration } from '../model/duration';

/** Attribute values; numbers are rounded to one decimal, `undefined` drops the attribute. */
export type Attributes = Readonly<Record<string, string | number | undefined>>;

/** Escapes text for XML content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Rounds a coordinate to one decimal so output does not depend on floating-point noise. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** An element: self-closing without children, else wrapping them (children are markup, not escaped). */
export function tag(name: string, attributes: Attributes, children?: string): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? round(value) : escapeXml(value)}"`)
    .join('');
  return children === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${children}</${name}>`;
}

/** A `<text>` element with escaped content. */
export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return tag('text', { x, y, ...attributes }, escapeXml(content));
}

/** A `<title>` element: the tooltip browsers show over its parent. */
export function title(content: string): string {
  return `<title>${escapeXml(content)}</title>`;
}

/** `1 pipeline`, `2 pipelines`: a count with its noun, plural by adding `s`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Characters narrower (about 0.3–0.4 em) and wider (about 0.8–1 em) than a typical letter. */
const NARROW = new Set([...'ijlrtfI.,:;\'|!()[]{} ·-/']);
const WIDE = new Set([...'mwMW@%→—']);

/**
 * An upper estimate of the width of a line of text in pixels. Tuned on DejaVu Sans, one of the
 * widest common sans-serif fonts (and what librsvg falls back to), so labels sized with it are not
 * clipped by narrower fonts either.
 */
export function textWidth(content: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const char of content) {
    if (NARROW.has(char)) ems += 0.4;
    else if (WIDE.has(char)) ems += 1;
    else if (char >= 'A' && char <= 'Z') ems += 0.75;
    else ems += 0.64;
  }
  return ems * fontSize * (bold ? 1.1 : 1);
}

/**
 * Splits text into lines no wider than `maxWidth` (by {@link textWidth}), breaking at spaces; a word
 * wider than a whole line is cut where it overflows.
 */
export function wrapText(content: string, fontSize: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of content.split(/\s+/).filter((w) => w.length > 0)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (textWidth(candidate, fontSize) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    let rest = word;
    while (textWidth(rest, fontSize) > maxWidth) {
      const chars = [...rest];
      let cut = 1;
      while (cut < chars.length && textWidth(chars.slice(0, cut + 1).join(''), fontSize) <= maxWidth) cut++;
      lines.push(chars.slice(0, cut).join(''));
      rest = chars.slice(cut).join('');
    }
    line = rest;
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** Tick spacings a reader counts in easily, in seconds: seconds, minutes, hours, days, weeks. */
const TIME_STEPS: readonly number[] = [
  1, 2, 5, 10, 15, 30,
  60, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60,
  3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600,
  86_400, 2 * 86_400, 7 * 86_400,
];

/** The smallest step of {@link TIME_STEPS} (or a whole number of weeks) giving at most `maxTicks` intervals over `seconds`. */
export function niceTimeStep(seconds: number, maxTicks: number): number {
  const intervals = Math.max(1, Math.floor(maxTicks));
  const step = TIME_STEPS.find((candidate) => seconds / candidate <= intervals);
  if (step !== undefined) return step;
  const week = TIME_STEPS[TIME_STEPS.length - 1];
  return Math.ceil(seconds / intervals / week) * week;
}

/** Tick positions from 0 to `seconds` (inclusive when it falls on a step). */
export function timeTicks(seconds: number, step: number): number[] {
  const ticks: number[] = [];
  for (let i = 0; i * step <= seconds + 1e-9; i++) ticks.push(i * step);
  return ticks;
}

/** A tick label: `0`, `30m`, `1h30m` (the notation of durations elsewhere in the plan). */
export function formatTick(seconds: number): string {
  return seconds === 0 ? '0' : formatDuration(seconds);
}

/** A point in pixels. */
export type Point = readonly [x: number, y: number];

/**
 * Path data through axis-aligned points with each corner rounded by a quadratic curve of at most
 * `radius` (less where a segment is too short). Repeated and collinear points are dropped.
 */
export function elbowPath(points: readonly Point[], radius: number): string {
  const kept: Point[] = [];
  for (const point of points) {
    const last = kept[kept.length - 1];
    if (last && last[0] === point[0] && last[1] === point[1]) continue;
    const before = kept[kept.length - 2];
    if (before && last && ((before[0] === last[0] && last[0] === point[0]) || (before[1] === last[1] && last[1] === point[1]))) kept.pop();
    kept.push(point);
  }
  const parts = [`M ${round(kept[0][0])} ${round(kept[0][1])}`];
  for (let i = 1; i < kept.length - 1; i++) {
    const [prev, corner, next] = [kept[i - 1], kept[i], kept[i + 1]];
    const r = Math.min(radius, distance(prev, corner) / 2, distance(corner, next) / 2);
    const enter = towards(corner, prev, r);
    const leave = towards(corner, next, r);
    parts.push(`L ${round(enter[0])} ${round(enter[1])}`, `Q ${round(corner[0])} ${round(corner[1])} ${round(leave[0])} ${round(leave[1])}`);
  }
  const end = kept[kept.length - 1];
  if (kept.length > 1) parts.push(`L ${round(end[0])} ${round(end[1])}`);
  return parts.join(' ');
}

function distance(a: Point, b: Point): number {
  return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]);
}

/** The point `length` pixels from `from` towards `to` (axis-aligned). */
function towards(from: Point, to: Point, length: number): Point {
  return [from[0] + Math.sign(to[0] - from[0]) * length, from[1] + Math.sign(to[1] - from[1]) * length];
}

/** Space around the drawing, in pixels. */
export const MARGIN = 24;

/** A rendered part of the document: its markup and the height it takes, in pixels. */
export interface Section {
  readonly svg: string;
  readonly height: number;
}
