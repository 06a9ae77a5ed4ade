/**
 * Errors raised by batchplane. Every error names where the problem is (a construct path when one is
 * known), the field, the value that was given and what was expected, so a user can fix it without
 * reading library code.
 */

/** Renders a user-supplied value for an error message, compactly and without throwing. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * A value that breaks a rule. Model functions throw it without a path; constructs add their path with
 * {@link withPath} so the final message reads `[data/spark-spot] maxNodes: got -1, expected ...`.
 */
export class BatchplaneError extends Error {
  public override readonly name = 'BatchplaneError';

  constructor(
    /** The field, dotted from the construct's props (`executor.memory`). */
    public readonly field: string,
    /** The value that was given. */
    public readonly value: unknown,
    /** What would have been accepted. */
    public readonly expected: string,
    /** The construct path, when known. */
    public readonly path?: string,
  ) {
    super(BatchplaneError.format(field, value, expected, path));
  }

  /** The same error, located at a construct path (and under a field prefix, when given). */
  public at(path: string, fieldPrefix?: string): BatchplaneError {
    const field = fieldPrefix ? `${fieldPrefix}.${this.field}` : this.field;
    return new BatchplaneError(field, this.value, this.expected, this.path ?? path);
  }

  private static format(field: string, value: unknown, expected: string, path?: string): string {
    const where = path ? `[${path}] ` : '';
    return `${where}${field}: got ${describeValue(value)}, expected ${expected}`;
  }
}

/**
 * Runs `fn` and locates any {@link BatchplaneError} it throws at `path` (an error that already has a
 * path keeps it). With `fieldPrefix`, fields of errors not yet located are first put under it, as
 * {@link underField} does. Other errors pass through unchanged.
 */
export function withPath<T>(path: string, fn: () => T, fieldPrefix?: string): T {
  const run = fieldPrefix === undefined ? fn : () => underField(fieldPrefix, fn);
  return replacingErrors(run, (error) => error.at(path));
}

/**
 * Runs `fn`, putting the field of a {@link BatchplaneError} it throws under `prefix`
 * (`memory` → `executor.memory`). Errors that already carry a construct path are final and pass
 * through, as do other errors.
 */
export function underField<T>(prefix: string, fn: () => T): T {
  return replacingErrors(fn, (error) =>
    error.path === undefined ? new BatchplaneError(`${prefix}.${error.field}`, error.value, error.expected) : error);
}

/**
 * Runs `fn`, reporting a {@link BatchplaneError} it throws under `field` instead of the field the inner
 * check used (a helper that says `sizeLimit` for what the user calls `tmpSizeLimit`). Errors that
 * already carry a construct path pass through, as do other errors.
 */
export function renameField<T>(field: string, fn: () => T): T {
  return replacingErrors(fn, (error) => (error.path === undefined ? new BatchplaneError(field, error.value, error.expected) : error));
}

/** Runs `fn`; a {@link BatchplaneError} it throws is replaced by `replace(error)`. */
function replacingErrors<T>(fn: () => T, replace: (error: BatchplaneError) => BatchplaneError): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BatchplaneError) throw replace(error);
    throw error;
  }
}

/** Throws a {@link BatchplaneError} unless `condition` holds. */
export function check(condition: boolean, field: string, value: unknown, expected: string): asserts condition {
  if (!condition) throw new BatchplaneError(field, value, expected);
}
