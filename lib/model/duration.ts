/**
 * Durations as users write them for job estimates and pipeline deadlines: `'45m'`, `'1h30m'`, `'90s'`,
 * `'2d'`, or a number of seconds. Values are whole seconds.
 */
import { BatchplaneError } from './errors';

/** Seconds per unit letter, from largest to smallest (the order units must appear in). */
const UNIT_SECONDS: readonly (readonly [string, number])[] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

const EXPECTED = 'a non-negative number of seconds or a duration such as "45m", "1h30m", "90s" or "2d"';

/** One `<digits><unit>` segment, anchored at the current position. */
const SEGMENT = /(\d+)([dhms])/y;

/**
 * Parses a duration into whole seconds.
 *
 * Strings are one or more `<integer><unit>` segments with units `d`, `h`, `m`, `s`, each unit at most
 * once and from largest to smallest (`'1h30m'`, not `'30m1h'`). A number is taken as seconds and
 * must be a non-negative integer.
 *
 * @param value the duration
 * @param field the field name used in the error
 * @throws BatchplaneError when the value is not a duration
 */
export function parseDuration(value: string | number, field = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new BatchplaneError(field, value, EXPECTED);
  }
  if (typeof value !== 'string' || value.length === 0) throw new BatchplaneError(field, value, EXPECTED);
  let seconds = 0;
  let position = 0;
  let nextUnit = 0;
  while (position < value.length) {
    SEGMENT.lastIndex = position;
    const match = SEGMENT.exec(value);
    const unitIndex = match ? UNIT_SECONDS.findIndex(([unit]) => unit === match[2]) : -1;
    if (!match || unitIndex < nextUnit) throw new BatchplaneError(field, value, EXPECTED);
    seconds += Number(match[1]) * UNIT_SECONDS[unitIndex][1];
    nextUnit = unitIndex + 1;
    position = SEGMENT.lastIndex;
  }
  if (!Number.isSafeInteger(seconds)) throw new BatchplaneError(field, value, EXPECTED);
  return seconds;
}

/**
 * Formats whole seconds compactly, largest unit first, dropping zero parts: `3300` → `'55m'`,
 * `5400` → `'1h30m'`, `0` → `'0s'`. Fractions of a second are rounded up.
 */
export function formatDuration(seconds: number): string {
  let rest = Math.ceil(Math.max(0, seconds));
  if (rest === 0) return '0s';
  let text = '';
  for (const [unit, size] of UNIT_SECONDS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}
