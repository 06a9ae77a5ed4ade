/**
 * Manifests embedded as text in Argo resource templates (a pipeline's Spark applications).
 *
 * The text is JSON with sorted keys. The security policy checks every embedded manifest, so it needs the
 * text back as a value; parsing the thousands of a big platform is a large share of its check. While a
 * check runs ({@link withEmbeddedManifests}), each text written is remembered with the value it was
 * written from, and the check reads that value instead of parsing the text. The record lives for one
 * check only, so it neither grows across syntheses nor outlives the objects it points into.
 */

/**
 * Manifest texts with the values they were written from, in the order written.
 *
 * A Map keyed by the text would hash every text in full, which costs a good part of what parsing them
 * does. But the check reads the texts back in about the order the rendering wrote them (object by
 * object; a pipeline may list its templates in another order than it wrote them), so a text is first
 * looked for among those written near the last one found, by comparing whole texts (the very same
 * string, as a rule). Only a text not found there is looked up in a Map of all texts, built then.
 */
class WrittenManifests {
  private readonly entries: { readonly text: string; readonly value: unknown }[] = [];
  /** The index after the entry found last. */
  private next = 0;
  /** The index of each text, built on the first text not found nearby. */
  private indexes?: Map<string, number>;

  /** Records the value `text` was written from (undefined: the text must be parsed). */
  public add(text: string, value: unknown): void {
    this.indexes?.set(text, this.entries.length);
    this.entries.push({ text, value });
  }

  /** The value `text` was written from, or undefined when it was not recorded. */
  public valueOf(text: string): unknown {
    const index = this.indexNearby(text) ?? this.indexOf(text);
    if (index === undefined) return undefined;
    this.next = index + 1;
    return this.entries[index].value;
  }

  /** The index of `text` among the entries after the last one found, then among those before it. */
  private indexNearby(text: string): number | undefined {
    const entries = this.entries;
    const after = Math.min(entries.length, this.next + NEARBY);
    for (let i = this.next; i < after; i++) if (entries[i].text === text) return i;
    const before = Math.max(0, this.next - NEARBY);
    for (let i = this.next - 1; i >= before; i--) if (entries[i].text === text) return i;
    return undefined;
  }

  private indexOf(text: string): number | undefined {
    this.indexes ??= new Map(this.entries.map(({ text: written }, index) => [written, index]));
    return this.indexes.get(text);
  }
}

/** How many texts either side of the last one found are compared before the Map is consulted. */
const NEARBY = 32;

/** The texts written during the current check; undefined outside a check. */
let written: WrittenManifests | undefined;

/**
 * True while the value being sorted is one that `JSON.parse` gives back unchanged from its text: plain
 * objects and arrays of strings, finite numbers, booleans and null. Set by {@link sortKeys}.
 */
let plainJson = true;

/**
 * The text of a manifest embedded in a resource template: JSON with sorted keys, indented by two spaces.
 * JSON is YAML, so Argo reads it like any manifest; sorted keys keep the text deterministic, the
 * indentation keeps it readable in the written file, and JSON is much cheaper than YAML to write and to
 * read back.
 */
export function embeddedManifestText(manifest: object): string {
  plainJson = true;
  const sorted = sortKeys(manifest);
  const text = JSON.stringify(sorted, undefined, 2);
  // Only a value equal to what parsing the text gives may stand for the text.
  written?.add(text, plainJson ? sorted : undefined);
  return text;
}

/**
 * Runs `check` with a lookup of the manifest texts written by {@link embeddedManifestText} while it runs:
 * the lookup gives the value a text was written from (equal to parsing the text), or undefined for a text
 * not written then. The values are shared with the objects that rendered them: read them, never change
 * them. The record is dropped when `check` returns; a nested call shares the outer record.
 */
export function withEmbeddedManifests<T>(check: (valueOf: (text: string) => unknown) => T): T {
  if (written !== undefined) return check(lookup(written));
  const record = new WrittenManifests();
  written = record;
  try {
    return check(lookup(record));
  } finally {
    written = undefined;
  }
}

function lookup(record: WrittenManifests): (text: string) => unknown {
  return (text) => record.valueOf(text);
}

/**
 * The value with object keys sorted at every level. Parts already in order are reused rather than
 * copied, so only out-of-order objects and their ancestors are new. (Plain loops: this runs on every
 * value of every embedded manifest.) Clears {@link plainJson} on a value that JSON does not give back
 * as it is.
 */
function sortKeys(value: object): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      let sorted = item;
      if (typeof item === 'object' && item !== null) sorted = sortKeys(item);
      else if (!isJsonScalar(item)) plainJson = false;
      if (sorted !== item) (copy ??= [...value])[i] = sorted;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const prototype: unknown = Object.getPrototypeOf(record);
  if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in record) plainJson = false;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1] < keys[i];
  let copy: Record<string, unknown> | undefined = inOrder ? undefined : {};
  if (!inOrder) sortInPlace(keys);
  for (let i = 0; i < keys.length; i++) {
    const item = record[keys[i]];
    let sorted = item;
    if (typeof item === 'object' && item !== null) sorted = sortKeys(item);
    else if (!isJsonScalar(item)) plainJson = false;
    if (copy === undefined && sorted !== item) {
      // The first changed child of an ordered object: copy the entries before it.
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]] = record[keys[j]];
    }
    if (copy !== undefined) copy[keys[i]] = sorted;
  }
  if (copy !== undefined && keys.includes('__proto__')) plainJson = false;
  return copy ?? record;
}

/** Whether a scalar reads back from JSON as itself (undefined, NaN, -0 and functions do not). */
function isJsonScalar(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  return typeof value === 'string' || typeof value === 'boolean' || value === null;
}

/**
 * Sorts a short list of distinct strings in place by insertion. `Array.prototype.sort` allocates a
 * work array on every call, which adds up over the hundreds of thousands of small objects of a large
 * platform's manifests.
 */
function sortInPlace(keys: string[]): void {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
}
