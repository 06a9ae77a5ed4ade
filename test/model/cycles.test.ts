import { digraph } from '../../lib/model/antichain';
import { elementaryCycles, stronglyConnectedComponents } from '../../lib/model/cycles';

/** The complete directed graph on `n` nodes (every ordered pair, no self-loops). */
function complete(n: number): [number, number][] {
  const edges: [number, number][] = [];
  for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) if (u !== v) edges.push([u, v]);
  return edges;
}

/** Σ C(n, k)·(k−1)! for k = 2 … n: the number of elementary cycles of the complete digraph. */
function completeCycleCount(n: number): number {
  let total = 0;
  for (let k = 2; k <= n; k++) {
    let term = 1;
    for (let i = 0; i < k; i++) term = (term * (n - i)) / (i + 1); // C(n, k)
    for (let i = 2; i < k; i++) term *= i; // (k − 1)!
    total += term;
  }
  return total;
}

describe('elementaryCycles', () => {
  test('lists cycles shortest first, each from its smallest node, ties lexicographically', () => {
    // 0 ⇄ 1, 1 ⇄ 2, 0 ⇄ 2, listed in a scrambled order.
    const graph = digraph(3, [[2, 0], [1, 2], [0, 1], [2, 1], [1, 0], [0, 2]]);
    expect(elementaryCycles(graph, { keep: 10, count: 100 })).toEqual({
      cycles: [[0, 1], [0, 2], [1, 2], [0, 1, 2], [0, 2, 1]],
      found: 5,
      complete: true,
    });
  });

  test('counts the cycles of complete graphs exactly below the limit', () => {
    expect(completeCycleCount(5)).toBe(84);
    const result = elementaryCycles(digraph(5, complete(5)), { keep: 3, count: 1000 });
    expect(result).toEqual({ cycles: [[0, 1], [0, 2], [0, 3]], found: 84, complete: true });
    expect(elementaryCycles(digraph(6, complete(6)), { keep: 0, count: 1000 }).found).toBe(completeCycleCount(6));
  });

  test('stops one cycle past the count limit', () => {
    expect(completeCycleCount(7)).toBe(2365);
    const result = elementaryCycles(digraph(7, complete(7)), { keep: 2, count: 1000 });
    expect(result.found).toBe(1001);
    expect(result.complete).toBe(false);
    expect(result.cycles).toEqual([[0, 1], [0, 2]]);
  });

  test('a count below keep counts as keep', () => {
    const result = elementaryCycles(digraph(4, complete(4)), { keep: 5, count: 1 });
    expect(result.cycles).toHaveLength(5);
    expect(result).toMatchObject({ found: 6, complete: false });
  });

  test('self-loops are one-node cycles; repeated edges do not repeat cycles', () => {
    const graph = digraph(3, [[1, 1], [0, 1], [1, 0], [0, 1], [2, 2]]);
    expect(elementaryCycles(graph, { keep: 10, count: 10 })).toEqual({ cycles: [[1], [2], [0, 1]], found: 3, complete: true });
  });

  test('acyclic graphs and the empty graph have no cycles', () => {
    expect(elementaryCycles(digraph(3, [[0, 1], [1, 2], [0, 2]]), { keep: 10, count: 10 })).toEqual({ cycles: [], found: 0, complete: true });
    expect(elementaryCycles(digraph(0, []), { keep: 10, count: 10 })).toEqual({ cycles: [], found: 0, complete: true });
  });

  test('a ring of a hundred thousand nodes does not overflow the stack', () => {
    const n = 100_000;
    const ring = Array.from({ length: n }, (_, i): [number, number] => [i, (i + 1) % n]);
    const result = elementaryCycles(digraph(n, ring), { keep: 1, count: 10 });
    expect(result.found).toBe(1);
    expect(result.cycles[0]).toHaveLength(n);
  });
});

describe('stronglyConnectedComponents', () => {
  test('groups nodes that reach each other', () => {
    // 0 → 1 → 2 → 0, 2 → 3, 3 ⇄ 4, 5 alone.
    const component = stronglyConnectedComponents(digraph(6, [[0, 1], [1, 2], [2, 0], [2, 3], [3, 4], [4, 3]]));
    expect(new Set(component).size).toBe(3);
    expect(component[0]).toBe(component[1]);
    expect(component[1]).toBe(component[2]);
    expect(component[3]).toBe(component[4]);
    expect(component[2]).not.toBe(component[3]);
    expect(component[5]).not.toBe(component[0]);
    expect(component[5]).not.toBe(component[3]);
  });
});
