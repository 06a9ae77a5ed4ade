/**
 * A seeded pseudo-random source for the benchmark generators. mulberry32: 32 bits of state, fast, and
 * good enough for test data; the same seed always gives the same sequence on every platform.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  public next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  public chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  public pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** `k` distinct integers of [0, n), ascending (k <= n). */
  public sample(n: number, k: number): number[] {
    if (k > n) throw new RangeError(`cannot sample ${k} of ${n}`);
    const chosen = new Set<number>();
    if (2 * k > n) {
      // Dense: walk the range once, taking each value with the probability that keeps k exact.
      for (let v = 0, left = k; v < n && left > 0; v++) {
        if (this.next() * (n - v) < left) {
          chosen.add(v);
          left--;
        }
      }
    } else {
      while (chosen.size < k) chosen.add(Math.floor(this.next() * n));
    }
    return [...chosen].sort((a, b) => a - b);
  }
}
