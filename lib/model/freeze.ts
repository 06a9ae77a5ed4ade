/**
 * Deep freezing, for values the library computes once and hands to many callers (a pool's placement,
 * the manifest sections every pod of a pool shares, default security contexts): frozen, no caller can
 * change what the others see.
 */

/**
 * Freezes `value` and every object reachable from it, and returns it. An object that is already frozen
 * is taken to be deeply frozen and is not walked again, so shared frozen parts are visited once.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
