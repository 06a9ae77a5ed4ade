/**
 * Cron schedules as Kubernetes CronJobs and Argo CronWorkflows read them: robfig/cron v3
 * `ParseStandard`. Five whitespace-separated fields (minute 0-59, hour 0-23, day of month 1-31,
 * month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT; names case-insensitive), each a comma list
 * of `*`, `?`, `n`, `a-b`, `*\/s`, `a-b/s` or `n/s` (which means `n-max/s`); or a descriptor
 * `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`, `@every <duration>`.
 *
 * Stricter than robfig where robfig accepts something nobody means: empty list items (`1,,2`),
 * signed numbers (`+5`), a range after `*` (`*-5`, read by robfig as `*`), a `CRON_TZ=`/`TZ=`
 * prefix (use the time zone field; Kubernetes rejects the prefix too) and `@every` with a duration
 * that is not positive (robfig turns it into one second).
 */
import { BatchplaneError } from './errors';

/** The five expanded fields of a schedule, each a sorted list of the values it fires on. */
export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  /** 0 is Sunday. */
  readonly daysOfWeek: readonly number[];
}

/** A schedule given as fields or as a calendar descriptor (`@daily`). */
export interface CronSpecSchedule extends CronFields {
  readonly kind: 'spec';
  /** The expression as written. */
  readonly expression: string;
  /**
   * Whether the day-of-month or day-of-week field was written as `*` or `?`. As in cron, when
   * both are restricted a day matches if either does; otherwise both must match.
   */
  readonly dayOfMonthWildcard: boolean;
  readonly dayOfWeekWildcard: boolean;
}

/** A schedule given as `@every <duration>`: a fixed interval from the time the schedule starts. */
export interface CronEverySchedule {
  readonly kind: 'every';
  readonly expression: string;
  /** The interval in whole seconds (robfig drops sub-second parts and runs at least every second). */
  readonly intervalSeconds: number;
}

/** A parsed cron schedule. */
export type CronSchedule = CronSpecSchedule | CronEverySchedule;

const EXPECTED = 'a cron schedule: five fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily or @every 1h';

interface FieldBounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldBounds[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const EVERY_PREFIX = '@every ';
/** Go's time.ParseDuration units, in nanoseconds. */
const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const DURATION_PART = /(\d*)(?:\.(\d*))?([a-zµμ]+)/y;
const NANOS_PER_SECOND = 1_000_000_000n;
const MAX_DURATION_NANOS = 2n ** 63n - 1n;

/** A parse failure, before the field name and expression are attached. */
class CronProblem extends Error {}

/** One number or name of a field, within its bounds. */
function parseValue(text: string, bounds: FieldBounds): number {
  const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (bounds.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(text)) throw new CronProblem(`${bounds.name}: "${text}" is not a number${bounds.names ? ' or name' : ''}`);
  return Number(text);
}

/** The values of one list item (`*`, `5`, `1-5`, `*\/15`, `1-31/2`, `5/15`), and whether it was a wildcard. */
function parseItem(item: string, bounds: FieldBounds): { values: number[]; wildcard: boolean } {
  const [range, step, ...extraSlashes] = item.split('/');
  if (extraSlashes.length > 0) throw new CronProblem(`${bounds.name}: too many slashes in "${item}"`);
  const [low, high, ...extraHyphens] = range.split('-');
  if (extraHyphens.length > 0) throw new CronProblem(`${bounds.name}: too many hyphens in "${item}"`);
  if (low === '' || high === '') throw new CronProblem(`${bounds.name}: "${item}" is not a number or range`);
  const star = low === '*' || low === '?';
  if (star && high !== undefined) throw new CronProblem(`${bounds.name}: "${item}" ranges from a wildcard`);
  const start = star ? bounds.min : parseValue(low, bounds);
  const every = step === undefined ? 1 : parseValue(step, { name: bounds.name, min: 1, max: Infinity });
  const end = star || (high === undefined && step !== undefined) ? bounds.max : high === undefined ? start : parseValue(high, bounds);
  if (start < bounds.min) throw new CronProblem(`${bounds.name}: ${start} is below ${bounds.min}`);
  if (end > bounds.max) throw new CronProblem(`${bounds.name}: ${end} is above ${bounds.max}`);
  if (start > end) throw new CronProblem(`${bounds.name}: range ${start}-${end} runs backwards`);
  if (every === 0) throw new CronProblem(`${bounds.name}: the step must be positive`);
  const values: number[] = [];
  for (let v = start; v <= end; v += every) values.push(v);
  return { values, wildcard: star && every === 1 };
}

/** The sorted values of a field, and whether it is a plain wildcard. */
function parseField(text: string, bounds: FieldBounds): { values: number[]; wildcard: boolean } {
  const items = text.split(',');
  if (items.some((item) => item === '')) throw new CronProblem(`${bounds.name}: empty item in "${text}"`);
  const parsed = items.map((item) => parseItem(item, bounds));
  const values = [...new Set(parsed.flatMap((p) => p.values))].sort((a, b) => a - b);
  return { values, wildcard: parsed.some((p) => p.wildcard) };
}

function parseFields(expression: string, fieldsText: string): CronSpecSchedule {
  const parts = fieldsText.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) throw new CronProblem(`expected 5 fields, found ${parts.length}`);
  const [minutes, hours, dom, months, dow] = parts.map((part, i) => parseField(part, FIELDS[i]));
  return {
    kind: 'spec',
    expression,
    minutes: minutes.values,
    hours: hours.values,
    daysOfMonth: dom.values,
    months: months.values,
    daysOfWeek: dow.values,
    dayOfMonthWildcard: dom.wildcard,
    dayOfWeekWildcard: dow.wildcard,
  };
}

/** Nanoseconds of a Go duration string (`1h30m`, `1.5s`, `300ms`), or throws. */
function parseGoDuration(text: string): bigint {
  const sign = text.startsWith('-') ? -1n : 1n;
  const body = /^[+-]/.test(text) ? text.slice(1) : text;
  if (body === '0') return 0n;
  if (body === '') throw new CronProblem(`invalid duration "${text}"`);
  let total = 0n;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < body.length) {
    const match = DURATION_PART.exec(body);
    const unit = match ? DURATION_UNITS[match[3]] : undefined;
    if (!match || unit === undefined || match[1].length + (match[2] ?? '').length === 0) {
      throw new CronProblem(`invalid duration "${text}"`);
    }
    const fraction = match[2] ?? '';
    const scale = 10n ** BigInt(fraction.length);
    total += (BigInt(match[1] || '0') * scale + BigInt(fraction || '0')) * unit / scale;
    if (total > MAX_DURATION_NANOS) throw new CronProblem(`invalid duration "${text}": too long`);
  }
  return sign * total;
}

function parseEvery(expression: string): CronEverySchedule {
  const nanos = parseGoDuration(expression.slice(EVERY_PREFIX.length));
  if (nanos <= 0n) throw new CronProblem('@every needs a positive duration');
  const seconds = Number(nanos / NANOS_PER_SECOND);
  return { kind: 'every', expression, intervalSeconds: Math.max(1, seconds) };
}

function parseExpression(expr: string): CronSchedule {
  if (expr.trim() === '') throw new CronProblem('empty');
  if (/^(CRON_)?TZ=/.test(expr)) throw new CronProblem('a CRON_TZ= or TZ= prefix is not supported: set the time zone field instead');
  if (expr.startsWith('@')) {
    if (expr.startsWith(EVERY_PREFIX)) return parseEvery(expr);
    const fields = DESCRIPTORS[expr];
    if (fields === undefined) throw new CronProblem(`unknown descriptor "${expr}"`);
    return parseFields(expr, fields);
  }
  return parseFields(expr, expr);
}

/**
 * Parses a standard cron expression or descriptor, as Kubernetes and Argo do.
 * @param field names the field in the error (`'schedule'` unless given).
 * @throws BatchplaneError naming the problem (`minute: 60 is above 59`).
 */
export function parseCron(expr: string, field = 'schedule'): CronSchedule {
  if (typeof expr !== 'string') throw new BatchplaneError(field, expr, EXPECTED);
  try {
    return parseExpression(expr);
  } catch (error) {
    if (error instanceof CronProblem) throw new BatchplaneError(field, expr, `${EXPECTED} (${error.message})`);
    throw error;
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** robfig gives up looking for a matching time after five years. */
const SEARCH_YEARS = 5;

/** Whether a calendar day matches the day-of-month and day-of-week fields, with cron's OR rule. */
function dayMatches(s: CronSpecSchedule, dayOfMonth: number, dayOfWeek: number): boolean {
  const domMatch = s.daysOfMonth.includes(dayOfMonth);
  const dowMatch = s.daysOfWeek.includes(dayOfWeek);
  return s.dayOfMonthWildcard || s.dayOfWeekWildcard ? domMatch && dowMatch : domMatch || dowMatch;
}

function specRuns(s: CronSpecSchedule, from: Date, count: number): Date[] {
  const earliest = Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const firstDay = Math.floor(earliest / DAY_MS) * DAY_MS;
  const runs: Date[] = [];
  for (let day = firstDay; runs.length < count && day < firstDay + SEARCH_YEARS * 366 * DAY_MS; day += DAY_MS) {
    const date = new Date(day);
    if (!s.months.includes(date.getUTCMonth() + 1) || !dayMatches(s, date.getUTCDate(), date.getUTCDay())) continue;
    for (const hour of s.hours) {
      for (const minute of s.minutes) {
        const time = day + hour * 3_600_000 + minute * MINUTE_MS;
        if (time >= earliest && runs.length < count) runs.push(new Date(time));
      }
    }
  }
  return runs;
}

/**
 * The next `count` times the schedule fires strictly after `from`, evaluated in UTC. Fewer are
 * returned when a schedule never fires within five years (`0 0 30 2 *`).
 */
export function nextRuns(schedule: CronSchedule, from: Date, count: number): Date[] {
  if (schedule.kind === 'spec') return specRuns(schedule, from, count);
  const start = Math.floor(from.getTime() / 1000) * 1000;
  return Array.from({ length: count }, (_, i) => new Date(start + (i + 1) * schedule.intervalSeconds * 1000));
}

/**
 * Throws unless `tz` is a time zone Go's `time.LoadLocation` would load: `UTC`, `Local`, or an
 * IANA name known to this runtime's time zone database, spelled with its exact case
 * (`Europe/Paris`, not `europe/paris`). Returns `tz`. Kubernetes CronJobs reject `Local`;
 * Argo CronWorkflows accept it.
 */
export function checkTimeZone(field: string, tz: unknown): string {
  const expected = "an IANA time zone name such as 'Europe/Paris', or 'UTC'";
  if (typeof tz !== 'string' || tz === '') throw new BatchplaneError(field, tz, expected);
  if (tz === 'UTC' || tz === 'Local') return tz;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new BatchplaneError(field, tz, expected);
  }
  // Intl ignores case and Go does not: a name that differs from its resolved form only in case is misspelled.
  if (resolved !== tz && resolved.toLowerCase() === tz.toLowerCase()) {
    throw new BatchplaneError(field, tz, `${expected} (names are case-sensitive: write '${resolved}')`);
  }
  if (resolved !== tz && !/^[A-Z]/.test(tz)) throw new BatchplaneError(field, tz, expected);
  return tz;
}
