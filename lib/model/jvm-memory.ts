/**
 * Spark's JVM memory strings (`512m`, `4g`), as Spark reads `spark.driver.memory`,
 * `spark.executor.memory` and the `memoryOverhead` settings.
 *
 * Spark parses them with `JavaUtils.byteStringAs`: surrounding whitespace is trimmed, case is
 * ignored, the number is a whole number, and the suffixes `b`, `k`/`kb`, `m`/`mb`, `g`/`gb`,
 * `t`/`tb`, `p`/`pb` are all binary (k = 1024). These settings are declared in MiB, so a bare
 * number means MiB and a smaller unit is converted with integer division: `1536k` is 1 MiB and
 * `1k` is 0 MiB, exactly as Spark sizes the pod. Kubernetes suffixes (`512Mi`) and fractions
 * (`1.5g`) are errors in Spark and here. Spark also accepts a leading `-`; a negative memory size
 * is meaningless, so it is rejected here.
 */
import { BatchplaneError } from './errors';

const EXPECTED = 'a JVM memory size: a whole number with an optional binary suffix b, k, m, g, t or p (e.g. 512m, 4g)';
const MIB = 2n ** 20n;
/** Spark reads the number into a Java long. */
const MAX_LONG = 2n ** 63n - 1n;
const UNIT_BYTES: Readonly<Record<string, bigint>> = {
  b: 1n, k: 2n ** 10n, kb: 2n ** 10n, m: MIB, mb: MIB, g: 2n ** 30n, gb: 2n ** 30n, t: 2n ** 40n, tb: 2n ** 40n, p: 2n ** 50n, pb: 2n ** 50n,
};
const WHOLE = /^(\d+)([a-z]+)?$/;
const FRACTION = /^(\d+)\.(\d+)([a-z]+)?$/;
/** Suffixes of Kubernetes quantities that people write by habit. */
const KUBERNETES_SUFFIX = /^(\d+)([kmgtpe]i)$/;

/** A hint that turns a near miss into a fix, or undefined. */
function hintFor(lower: string): string | undefined {
  const kubernetes = KUBERNETES_SUFFIX.exec(lower);
  if (kubernetes) return `Kubernetes suffixes are not Spark's: write ${kubernetes[1]}${kubernetes[2][0]}`;
  const fraction = FRACTION.exec(lower);
  if (fraction) return 'fractional values are not supported: use a smaller unit, e.g. 1536m instead of 1.5g';
  return undefined;
}

function invalid(value: unknown, field: string, detail?: string): BatchplaneError {
  return new BatchplaneError(field, value, detail ? `${EXPECTED}; ${detail}` : EXPECTED);
}

/**
 * Parses a Spark JVM memory string into MiB (`'512m'` → 512, `'4g'` → 4096, `'2048'` → 2048).
 * @param field names the field in the error (`'memory'` unless given).
 * @throws BatchplaneError for fractions, Kubernetes suffixes, unknown suffixes, negative or oversized values.
 */
export function parseJvmMemory(s: string, field = 'memory'): number {
  if (typeof s !== 'string') throw invalid(s, field);
  const lower = s.trim().toLowerCase();
  const match = WHOLE.exec(lower);
  if (!match) throw invalid(s, field, hintFor(lower));
  const [, digits, suffix] = match;
  const unit = suffix === undefined ? MIB : UNIT_BYTES[suffix];
  if (unit === undefined) throw invalid(s, field, hintFor(lower) ?? `unknown suffix "${suffix}"`);
  const amount = BigInt(digits);
  if (amount > MAX_LONG || amount * unit > MAX_LONG * MIB) throw invalid(s, field, 'too large');
  const mib = Number((amount * unit) / MIB);
  if (!Number.isSafeInteger(mib)) throw invalid(s, field, 'too large');
  return mib;
}

/**
 * A Spark memory string for a number of MiB, in the largest unit that divides it exactly
 * (`512` → `'512m'`, `4096` → `'4g'`, `1048576` → `'1t'`).
 * @throws BatchplaneError unless `mib` is a whole number of at least 0.
 */
export function formatJvmMemory(mib: number): string {
  if (!Number.isSafeInteger(mib) || mib < 0) throw new BatchplaneError('memory', mib, 'a whole number of MiB of at least 0');
  if (mib > 0 && mib % 1024 ** 2 === 0) return `${mib / 1024 ** 2}t`;
  if (mib > 0 && mib % 1024 === 0) return `${mib / 1024}g`;
  return `${mib}m`;
}
