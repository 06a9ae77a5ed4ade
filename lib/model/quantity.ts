/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `1e3`), parsed and printed the way
 * `k8s.io/apimachinery/pkg/api/resource.Quantity` does it, with exact integer arithmetic.
 *
 * A quantity is held as a whole number of nano units (10^-9) in a `bigint`, which is exactly the
 * precision Kubernetes keeps: parsing rounds anything finer up, away from zero (`0.9n` → `1n`).
 * It also remembers the kind of suffix it was written with, because the canonical text depends on it.
 *
 * Deliberate differences from Go, all on inputs no manifest should contain:
 * - a number without any digit (`.`, `+`, `-.`) is rejected; Go reads it as zero;
 * - a non-zero value above 10^10000 is rejected (Go accepts exponents up to 2^31-1);
 * - accessors that return a JavaScript number throw instead of overflowing silently.
 */
import { BatchplaneError } from './errors';
import { ResourceVector, ZERO } from './resources';

/** How a quantity prints: the three formats of Kubernetes. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** What a quantity looks like, for error messages. */
const EXPECTED = 'a Kubernetes quantity such as 500m, 2, 1.5Gi';

const NANOS_PER_UNIT = 10n ** 9n;
const NANOS_PER_MILLI = 10n ** 6n;
/** Kubernetes caps binary-suffixed values at 2^63-1 when parsing ("8Ei" becomes 2^63-1). */
const MAX_BINARY_NANOS = (2n ** 63n - 1n) * NANOS_PER_UNIT;
/** Go stores the decimal exponent in an int32 and rejects anything that does not fit. */
const MAX_EXPONENT = 2 ** 31 - 1;
/** Largest power of ten (in nano units) we are willing to build; see the module notes. */
const MAX_NANO_SHIFT = 10_000;

/**
 * sign, integer digits, fraction digits, suffix. The suffix alternatives are tried in order, so
 * `1E` is exa while `1E3` is an exponent.
 */
const QUANTITY_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?([numkMGTPE]|[KMGTPE]i|[eE][+-]?\d+)?$/;

const DECIMAL_SUFFIX_EXPONENTS: Readonly<Record<string, number>> = {
  n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};
const BINARY_SUFFIX_EXPONENTS: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
/** Binary suffixes indexed by power of 1024. */
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
/** Decimal suffixes indexed by power of ten. */
const DECIMAL_SUFFIXES: ReadonlyMap<number, string> = new Map(
  Object.entries(DECIMAL_SUFFIX_EXPONENTS).map(([suffix, exponent]) => [exponent, suffix]),
);

/** The parts of a quantity string. */
interface QuantityText {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly fractionDigits: number;
  readonly suffix: string;
}

/** `a / b` for non-negative `a` and positive `b`, rounded up. */
function divideRoundingUp(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** `value / divisor` rounded away from zero, as Kubernetes rounds when it drops precision. */
function divideAwayFromZero(value: bigint, divisor: bigint): bigint {
  return value < 0n ? -divideRoundingUp(-value, divisor) : divideRoundingUp(value, divisor);
}

function invalid(value: unknown, field: string, detail?: string): BatchplaneError {
  return new BatchplaneError(field, value, detail ? `${EXPECTED} (${detail})` : EXPECTED);
}

/** Splits a quantity string into its parts, or throws. */
function splitQuantity(text: string, field: string): QuantityText {
  const match = QUANTITY_PATTERN.exec(text);
  if (!match) throw invalid(text, field);
  const [, sign, whole, fraction = '', suffix = ''] = match;
  if (whole.length + fraction.length === 0) throw invalid(text, field, 'no digits');
  return { negative: sign === '-', digits: BigInt(whole + fraction), fractionDigits: fraction.length, suffix };
}

/** The power of ten an exponent suffix (`e3`, `E-2`) stands for, or throws when Go would. */
function exponentOf(suffix: string, text: string, field: string): number {
  const exponent = Number(suffix.slice(1));
  if (Math.abs(exponent) > MAX_EXPONENT) throw invalid(text, field, 'exponent out of range');
  return exponent;
}

/** The magnitude in nano units of `digits × 10^(exponent - fractionDigits)`, rounded up. */
function decimalNanos(parts: QuantityText, exponent: number, text: string, field: string): bigint {
  if (parts.digits === 0n) return 0n;
  const shift = exponent - parts.fractionDigits + 9;
  if (shift > MAX_NANO_SHIFT) throw invalid(text, field, 'too large');
  if (shift >= 0) return parts.digits * 10n ** BigInt(shift);
  // A divisor with more digits than the number leaves only the rounding unit.
  if (-shift > parts.digits.toString().length) return 1n;
  return divideRoundingUp(parts.digits, 10n ** BigInt(-shift));
}

/** The magnitude in nano units of `digits × 2^power / 10^fractionDigits`, rounded up and capped. */
function binaryNanos(parts: QuantityText, power: number): bigint {
  const exact = divideRoundingUp(parts.digits * 2n ** BigInt(power) * NANOS_PER_UNIT, 10n ** BigInt(parts.fractionDigits));
  return exact > MAX_BINARY_NANOS ? MAX_BINARY_NANOS : exact;
}

/** Parses a quantity string into nano units and format. */
function parseText(text: string, field: string): { nanos: bigint; format: QuantityFormat } {
  const parts = splitQuantity(text, field);
  const binaryPower = BINARY_SUFFIX_EXPONENTS[parts.suffix];
  let magnitude: bigint;
  let format: QuantityFormat;
  if (binaryPower !== undefined) {
    magnitude = binaryNanos(parts, binaryPower);
    // A binary value below one prints in decimal anyway; Kubernetes switches the format at parse time.
    format = magnitude > 0n && magnitude < NANOS_PER_UNIT ? 'DecimalSI' : 'BinarySI';
  } else if (parts.suffix in DECIMAL_SUFFIX_EXPONENTS) {
    magnitude = decimalNanos(parts, DECIMAL_SUFFIX_EXPONENTS[parts.suffix], text, field);
    format = 'DecimalSI';
  } else {
    magnitude = decimalNanos(parts, exponentOf(parts.suffix, text, field), text, field);
    format = 'DecimalExponent';
  }
  return { nanos: parts.negative ? -magnitude : magnitude, format };
}

/** Canonical binary text of a non-negative magnitude, or undefined when Kubernetes would print it in decimal. */
function binaryText(magnitude: bigint): string | undefined {
  if (magnitude < 1024n * NANOS_PER_UNIT || magnitude % NANOS_PER_UNIT !== 0n) return undefined;
  let mantissa = magnitude / NANOS_PER_UNIT;
  let power = 0;
  while (mantissa % 1024n === 0n) {
    mantissa /= 1024n;
    power++;
  }
  // Past Ei there is no suffix: Kubernetes falls back to decimal rather than drop the magnitude.
  return power < BINARY_SUFFIXES.length ? `${mantissa}${BINARY_SUFFIXES[power]}` : undefined;
}

/** Canonical decimal text of a non-negative magnitude: no fraction, exponent a multiple of 3 and as large as possible. */
function decimalText(magnitude: bigint, format: QuantityFormat): string {
  let mantissa = magnitude;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  const suffix = format === 'DecimalExponent' ? undefined : DECIMAL_SUFFIXES.get(exponent);
  if (suffix !== undefined) return `${mantissa}${suffix}`;
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
}

/** The canonical text of `nanos` in `format`, as Kubernetes' `Quantity.String()` prints it. */
function canonicalText(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  const binary = format === 'BinarySI' ? binaryText(magnitude) : undefined;
  return sign + (binary ?? decimalText(magnitude, format === 'BinarySI' ? 'DecimalSI' : format));
}

/** Converts an exact integer to a JavaScript number, refusing values that would lose precision. */
function toSafeNumber(value: bigint, quantity: Quantity): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) {
    throw new BatchplaneError('quantity', quantity.toString(), `a quantity whose value fits in ${Number.MAX_SAFE_INTEGER}`);
  }
  return result;
}

/** How many recently parsed texts {@link Quantity.parse} remembers. */
const PARSE_CACHE_SIZE = 1024;

/**
 * Quantities parsed recently, by text. Manifests repeat a few sizes many times, and a quantity is
 * immutable (these are frozen), so every caller can share one. The oldest entry goes first when full.
 */
const parsedQuantities = new Map<string, Quantity>();

/**
 * The canonical text of each quantity printed so far. The text depends only on the value and format,
 * which never change; kept beside the quantity rather than on it, so a quantity stays a plain value that
 * can be frozen or compared as it is.
 */
const canonicalTexts = new WeakMap<Quantity, string>();

/** An exact Kubernetes quantity. Immutable. */
export class Quantity {
  /**
   * Parses a quantity with Kubernetes rules. A number is read as the JSON text it would be
   * serialized to (`0.5` → `"0.5"`).
   * @param field names the field in the error (`'quantity'` unless given).
   * @throws BatchplaneError when the value is not a quantity.
   */
  public static parse(v: string | number, field = 'quantity'): Quantity {
    let text: string;
    if (typeof v === 'number' && Number.isFinite(v)) text = String(v);
    else if (typeof v === 'string') text = v;
    else throw invalid(v, field);
    const known = parsedQuantities.get(text);
    if (known !== undefined) return known;
    const { nanos, format } = parseText(text, field);
    const quantity = new Quantity(nanos, format);
    if (parsedQuantities.size >= PARSE_CACHE_SIZE) parsedQuantities.delete(parsedQuantities.keys().next().value as string);
    Object.freeze(quantity);
    parsedQuantities.set(text, quantity);
    return quantity;
  }

  /** Like {@link Quantity.parse}, but returns undefined instead of throwing. */
  public static tryParse(v: unknown): Quantity | undefined {
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    try {
      return Quantity.parse(v);
    } catch (error) {
      if (error instanceof BatchplaneError) return undefined;
      throw error;
    }
  }

  /** A quantity of `n` thousandths (CPU millicores), in DecimalSI format (`500` → `500m`). */
  public static fromMillis(n: number): Quantity {
    return Quantity.fromInteger(n, NANOS_PER_MILLI, 'DecimalSI', 'millis');
  }

  /** A quantity of `n` bytes, printed in binary form by default (`939524096` → `896Mi`). */
  public static fromBytes(n: number, format: QuantityFormat = 'BinarySI'): Quantity {
    return Quantity.fromInteger(n, NANOS_PER_UNIT, format, 'bytes');
  }

  /** A whole count (GPUs, pods), printed in DecimalSI format by default (`2` → `2`, `1000` → `1k`). */
  public static fromValue(n: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return Quantity.fromInteger(n, NANOS_PER_UNIT, format, 'value');
  }

  private static fromInteger(n: number, unit: bigint, format: QuantityFormat, field: string): Quantity {
    if (!Number.isSafeInteger(n)) throw new BatchplaneError(field, n, 'a whole number');
    return new Quantity(BigInt(n) * unit, format);
  }

  private constructor(
    /** The value in units of 10^-9. */
    private readonly nanos: bigint,
    /** The format the quantity prints in. */
    public readonly format: QuantityFormat,
  ) {}

  /** The canonical Kubernetes text, as `Quantity.String()` prints it (`1.5Gi` → `1536Mi`, `0.5` → `500m`). */
  public toString(): string {
    let text = canonicalTexts.get(this);
    if (text === undefined) {
      text = canonicalText(this.nanos, this.format);
      canonicalTexts.set(this, text);
    }
    return text;
  }

  /** Serializes as the canonical text, so quantities drop into manifests as they are. */
  public toJSON(): string {
    return this.toString();
  }

  /** The value in thousandths, rounded away from zero like Kubernetes' `MilliValue` (`1.0001m` → 2). */
  public milliValue(): number {
    return toSafeNumber(divideAwayFromZero(this.nanos, NANOS_PER_MILLI), this);
  }

  /** The value, rounded away from zero like Kubernetes' `Value` (`1.5` → 2, `100m` → 1). */
  public value(): number {
    return toSafeNumber(divideAwayFromZero(this.nanos, NANOS_PER_UNIT), this);
  }

  /** True when the value is a whole number. */
  public isInteger(): boolean {
    return this.nanos % NANOS_PER_UNIT === 0n;
  }

  /** The sum. It keeps this quantity's format, or takes `q`'s when this one is zero (as Kubernetes' `Add`). */
  public add(q: Quantity): Quantity {
    return new Quantity(this.nanos + q.nanos, this.nanos === 0n ? q.format : this.format);
  }

  /** The difference, with the same format rule as {@link Quantity.add}. */
  public sub(q: Quantity): Quantity {
    return new Quantity(this.nanos - q.nanos, this.nanos === 0n ? q.format : this.format);
  }

  /** -1, 0 or 1 as this quantity is less than, equal to or greater than `q`. */
  public cmp(q: Quantity): -1 | 0 | 1 {
    if (this.nanos === q.nanos) return 0;
    return this.nanos < q.nanos ? -1 : 1;
  }

  /** True when both have the same value, whatever their formats. */
  public equals(q: Quantity): boolean {
    return this.nanos === q.nanos;
  }

  /** True below zero. */
  public isNegative(): boolean {
    return this.nanos < 0n;
  }

  /** True at zero. */
  public isZero(): boolean {
    return this.nanos === 0n;
  }
}

/** CPU millicores of a quantity (`'500m'` → 500, `2` → 2000), rounded up. */
export function cpuMillis(q: string | number, field = 'quantity'): number {
  return Quantity.parse(q, field).milliValue();
}

/** Bytes of a quantity (`'1Gi'` → 1073741824), rounded up. */
export function bytes(q: string | number, field = 'quantity'): number {
  return Quantity.parse(q, field).value();
}

/** Canonical CPU text for millicores (`500` → `'500m'`, `2000` → `'2'`). */
export function formatCpu(millis: number): string {
  return Quantity.fromMillis(millis).toString();
}

/** Canonical binary text for bytes (`939524096` → `'896Mi'`). */
export function formatBytes(n: number): string {
  return Quantity.fromBytes(n).toString();
}

/** Options for converting between resource lists and vectors. */
export interface ResourceListOptions {
  /**
   * The extended resource name that counts GPUs.
   * @default 'nvidia.com/gpu'
   */
  readonly gpuResource?: string;
}

/** The default GPU resource name. */
export const NVIDIA_GPU = 'nvidia.com/gpu';

type CountedResource = keyof ResourceVector;

/** How each resource-list key maps onto the vector, and whether it must be whole. */
function resourceKeys(gpuResource: string): ReadonlyMap<string, { key: CountedResource; read: (q: Quantity) => number; whole: boolean }> {
  const plain = (q: Quantity): number => q.value();
  return new Map([
    ['cpu', { key: 'cpuMillis' as const, read: (q: Quantity) => q.milliValue(), whole: false }],
    ['memory', { key: 'memoryBytes' as const, read: plain, whole: false }],
    ['ephemeral-storage', { key: 'ephemeralStorageBytes' as const, read: plain, whole: false }],
    [gpuResource, { key: 'gpus' as const, read: plain, whole: true }],
    ['pods', { key: 'pods' as const, read: plain, whole: true }],
  ]);
}

/**
 * A resource vector from a Kubernetes resource list (`{ cpu: '500m', memory: '1Gi' }`).
 * Missing keys are zero; CPU and sizes are rounded up; GPUs and pods must be whole.
 * @throws BatchplaneError naming the key for an unknown key, a negative or malformed value.
 */
export function resourcesFromList(list: Readonly<Record<string, string | number>>, opts: ResourceListOptions = {}): ResourceVector {
  if (typeof list !== 'object' || list === null || Array.isArray(list)) {
    throw new BatchplaneError('resources', list, 'a map of resource names to quantities');
  }
  const keys = resourceKeys(opts.gpuResource ?? NVIDIA_GPU);
  const result: Record<CountedResource, number> = { ...ZERO };
  for (const [name, raw] of Object.entries(list).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const entry = keys.get(name);
    if (!entry) throw new BatchplaneError(name, raw, `a resource named one of ${[...keys.keys()].join(', ')}`);
    const quantity = Quantity.parse(raw, name);
    if (quantity.isNegative()) throw new BatchplaneError(name, raw, 'a quantity of at least 0');
    if (entry.whole && !quantity.isInteger()) throw new BatchplaneError(name, raw, 'a whole number');
    result[entry.key] = entry.read(quantity);
  }
  return result;
}

/**
 * A Kubernetes resource list from a vector, in canonical text: `cpu` and `memory` always,
 * `ephemeral-storage`, the GPU resource and `pods` only when non-zero. Keys are sorted.
 */
export function resourcesToList(v: ResourceVector, opts: ResourceListOptions = {}): Record<string, string> {
  const entries: [string, string][] = [
    ['cpu', formatCpu(v.cpuMillis)],
    ['memory', formatBytes(v.memoryBytes)],
  ];
  if (v.ephemeralStorageBytes !== 0) entries.push(['ephemeral-storage', formatBytes(v.ephemeralStorageBytes)]);
  if (v.gpus !== 0) entries.push([opts.gpuResource ?? NVIDIA_GPU, Quantity.fromValue(v.gpus).toString()]);
  if (v.pods !== 0) entries.push(['pods', Quantity.fromValue(v.pods).toString()]);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}
