/**
 * Checkers for the plain values that construct props are made of: strings, booleans, integers, string
 * lists and the string maps of Kubernetes metadata. Props reach the library from JavaScript as well as
 * from TypeScript, so every checker takes `unknown`, throws a {@link BatchplaneError} that names the
 * field, the value and what was expected, and returns the value with its type (maps as sorted copies).
 *
 * A checker treats `undefined` as "not given" and returns `undefined` (or the fallback it was handed);
 * a field that must be present uses the `required…` form or checks for `undefined` itself.
 *
 * The module also holds the few shaping helpers renderers share ({@link optional}, {@link nonEmpty},
 * {@link list}). It is pure: no cdk8s, no constructs.
 */
import { BatchplaneError, check } from './errors';
import { checkLabelKey, checkLabelValue, checkQualifiedName } from './names';
import { Quantity } from './quantity';

/** The largest value of a Kubernetes `int32` field (replicas, counts, ports...). */
export const INT32_MAX = 2 ** 31 - 1;
/** The smallest value of a Kubernetes `int32` field. */
export const INT32_MIN = -(2 ** 31);
/**
 * The largest integer a JavaScript number holds exactly: the bound for `int64` fields, whose own limit
 * is beyond what a number can carry.
 */
export const INT64_SAFE_MAX = Number.MAX_SAFE_INTEGER;

// ---------------------------------------------------------------------------------------------
// Scalars

/**
 * True for an object usable as a map: not null, not an array. A typed value keeps its type (props
 * objects keep their fields), with any other key readable as `unknown`.
 */
export function isRecord<T>(value: T): value is T & Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Options of {@link optionalString}. */
export interface StringOptions {
  /**
   * Accept the empty string and strings of whitespace only (free text such as a description).
   * @default false
   */
  readonly allowBlank?: boolean;
}

/**
 * Checks an optional string: `undefined`, or a string with at least one non-whitespace character
 * (any string with `allowBlank`).
 */
export function optionalString(field: string, value: unknown, options: StringOptions = {}): string | undefined {
  if (value === undefined) return undefined;
  if (!options.allowBlank) return requiredString(field, value);
  check(typeof value === 'string', field, value, 'a string');
  return value;
}

/** Checks a string that must be given and hold at least one non-whitespace character. */
export function requiredString(field: string, value: unknown): string {
  check(typeof value === 'string' && value.trim() !== '', field, value, 'a non-empty string');
  return value;
}

/** Checks an optional boolean; returns `fallback` when it is not given. */
export function optionalBoolean(field: string, value: unknown, fallback: boolean): boolean;
/** Checks an optional boolean; returns `undefined` when it is not given. */
export function optionalBoolean(field: string, value: unknown): boolean | undefined;
export function optionalBoolean(field: string, value: unknown, fallback?: boolean): boolean | undefined {
  if (value === undefined) return fallback;
  check(typeof value === 'boolean', field, value, 'true or false');
  return value;
}

/**
 * Checks that `value` is one of `allowed` (compared with `===`); returns it typed.
 * @throws BatchplaneError listing the allowed values.
 */
export function oneOf<T>(field: string, value: unknown, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value);
  check(found !== undefined, field, value, `one of ${allowed.join(', ')}`);
  return found;
}

/**
 * Checks an integer from `min` to `max`. The upper bound defaults to {@link INT32_MAX}, the limit of most
 * Kubernetes and operator fields; pass {@link INT64_SAFE_MAX} for `int64` fields.
 *
 * With an open-ended bound (int32 or int64) the message for a value too small or not an integer is
 * `an integer >= min`, and for a value too large it names the bound and why; with another bound both
 * read `an integer between min and max`.
 */
export function integerInRange(field: string, value: unknown, min: number, max: number = INT32_MAX): number {
  const limit = UPPER_LIMITS.get(max);
  const range = `an integer between ${min} and ${max}`;
  check(typeof value === 'number' && Number.isInteger(value) && value >= min, field, value,
    limit === undefined ? range : `an integer >= ${min}`);
  check(value <= max, field, value, limit === undefined ? range : `an integer <= ${max} (${limit})`);
  return value;
}

/** Why the open-ended upper bounds exist, for the message of a value above them. */
const UPPER_LIMITS: ReadonlyMap<number, string> = new Map([
  [INT32_MAX, 'an int32 field'],
  [INT64_SAFE_MAX, 'the largest integer a JavaScript number holds exactly'],
]);

/** {@link integerInRange} for a field that may be left out: `undefined` passes through. */
export function optionalInteger(field: string, value: unknown, min: number, max: number = INT32_MAX): number | undefined {
  return value === undefined ? undefined : integerInRange(field, value, min, max);
}

/**
 * Checks a positive Kubernetes quantity (a request, a limit, a size), given as a string or a number;
 * returns it parsed.
 */
export function positiveQuantity(field: string, value: unknown): Quantity {
  const quantity = Quantity.tryParse(value);
  check(quantity !== undefined && !quantity.isNegative() && !quantity.isZero(), field, value,
    "a positive Kubernetes quantity such as '500m', '4' or '16Gi'");
  return quantity;
}

// ---------------------------------------------------------------------------------------------
// Lists

/** Checks an optional list of strings; returns a copy. */
export function optionalStringList(field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  check(Array.isArray(value) && value.every((item) => typeof item === 'string'), field, value, 'an array of strings');
  return [...(value as string[])];
}

/**
 * Checks an optional list of objects and converts each with `toJson` (typed L1 values to manifest
 * JSON); `undefined` when the list is absent or empty.
 */
export function list<T>(field: string, items: readonly T[] | undefined, toJson: (item: T) => Record<string, unknown> | undefined): unknown[] | undefined {
  if (items === undefined) return undefined;
  check(Array.isArray(items) && items.every((item) => typeof item === 'object' && item !== null), field, items, 'an array of objects');
  return nonEmpty(items)?.map((item) => toJson(item));
}

// ---------------------------------------------------------------------------------------------
// String maps

/** The field that names one entry of a map: `labels["team"]`. */
export function entryField(field: string, key: string): string {
  return `${field}[${JSON.stringify(key)}]`;
}

/**
 * Checks an optional map of strings to strings (any keys); returns a copy sorted by key.
 * Errors name the entry (`hadoopConf["fs.s3a.endpoint"]`).
 */
export function stringMap(field: string, value: unknown): Record<string, string> | undefined {
  return checkedMap(field, value, 'an object of string keys to string values', (at, _key, v) => {
    check(typeof v === 'string', at, v, 'a string');
    return v;
  });
}

/**
 * Checks optional Kubernetes labels: keys are label keys (qualified names such as
 * `app.kubernetes.io/name`), values label values. Returns a copy sorted by key.
 */
export function labelMap(field: string, value: unknown): Record<string, string> | undefined {
  return checkedMap(field, value, 'an object of label keys to label values', (at, key, v) => {
    checkLabelKey(at, key);
    return checkLabelValue(at, v);
  });
}

/**
 * Checks optional Kubernetes annotations: keys are qualified names (`eks.amazonaws.com/role-arn`),
 * values any string. Returns a copy sorted by key.
 */
export function annotationMap(field: string, value: unknown): Record<string, string> | undefined {
  return checkedMap(field, value, 'an object of annotation keys to string values', (at, key, v) => {
    checkQualifiedName(at, key);
    check(typeof v === 'string', at, v, 'a string');
    return v;
  });
}

/** Checks each entry of an optional map with `checkEntry` (given the entry's field); returns the checked entries sorted by key. */
function checkedMap(
  field: string,
  value: unknown,
  expected: string,
  checkEntry: (at: string, key: string, value: unknown) => string,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new BatchplaneError(field, value, expected);
  const keys = Object.keys(value).sort(compareStrings);
  return Object.fromEntries(keys.map((key) => [key, checkEntry(entryField(field, key), key, value[key])]));
}

// ---------------------------------------------------------------------------------------------
// Shaping output

/** `{ [key]: value }`, or `{}` when the value is `undefined`: for spreading optional fields into a manifest. */
export function optional<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [key]: value };
}

/** The list, or `undefined` when it is absent or empty. */
export function nonEmpty<T>(items: readonly T[] | undefined): readonly T[] | undefined;
/** The map, or `undefined` when it is absent or has no entries. */
export function nonEmpty<T>(map: Readonly<Record<string, T>> | undefined): Readonly<Record<string, T>> | undefined;
export function nonEmpty(value: readonly unknown[] | Readonly<Record<string, unknown>> | undefined): unknown {
  if (value === undefined) return undefined;
  const size = Array.isArray(value) ? value.length : Object.keys(value).length;
  return size === 0 ? undefined : value;
}

/** Orders strings by UTF-16 code units, the same on every machine (unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `record` with its keys in {@link compareStrings} order. */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));
}
