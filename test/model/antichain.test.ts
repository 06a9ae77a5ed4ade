import fc from 'fast-check';
import { AntichainSolver, FlowNetwork, digraph, disjointUnion, heaviestAntichain } from '../../lib/model/antichain';

/** Reachability matrix by depth-first search from every node. */
function reachability(size: number, edges: readonly (readonly [number, number])[]): boolean[][] {
  const successors = Array.from({ length: size }, () => [] as number[]);
  for (const [u, v] of edges) successors[u].push(v);
  return successors.map((_, start) => {
    const seen = new Array<boolean>(size).fill(false);
    const stack = [...successors[start]];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (!seen[v]) {
        seen[v] = true;
        stack.push(...successors[v]);
      }
    }
    return seen;
  });
}

/** The heaviest antichain weight by trying every subset. */
function bruteForce(size: number, edges: readonly (readonly [number, number])[], weights: readonly number[]): number {
  const reach = reachability(size, edges);
  let best = 0;
  for (let mask = 0; mask < 1 << size; mask++) {
    const members = weights.map((_, v) => v).filter((v) => mask & (1 << v));
    const independent = members.every((u) => members.every((v) => u === v || !reach[u][v]));
    if (independent) best = Math.max(best, members.reduce((sum, v) => sum + weights[v], 0));
  }
  return best;
}

/** A random DAG: edges only go from lower to higher ids. */
const randomDag = fc.integer({ min: 1, max: 10 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    edges: fc.uniqueArray(
      fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size - 1 })).filter(([u, v]) => u < v),
      { maxLength: (size * (size - 1)) / 2, selector: ([u, v]) => `${u}-${v}` },
    ),
    weights: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: size, maxLength: size }),
  }),
);

describe('heaviestAntichain', () => {
  test('equals brute force on random DAGs of up to 10 jobs', () => {
    fc.assert(
      fc.property(randomDag, ({ size, edges, weights }) => {
        const result = heaviestAntichain(digraph(size, edges), weights);
        const reach = reachability(size, edges);
        expect(result.weight).toBe(bruteForce(size, edges, weights));
        expect(result.members.reduce((sum, v) => sum + weights[v], 0)).toBe(result.weight);
        for (const u of result.members) for (const v of result.members) expect(u === v || !reach[u][v]).toBe(true);
      }),
      { numRuns: 300, seed: 20240611 },
    );
  });

  test('a chain runs one job at a time', () => {
    const result = heaviestAntichain(digraph(3, [[0, 1], [1, 2]]), [4, 9, 2]);
    expect(result).toEqual({ members: [1], weight: 9 });
  });

  test('a diamond runs its two middle jobs together', () => {
    // 0 → {1, 2} → 3
    const result = heaviestAntichain(digraph(4, [[0, 1], [0, 2], [1, 3], [2, 3]]), [10, 6, 7, 12]);
    expect(result).toEqual({ members: [1, 2], weight: 13 });
  });

  test('reachability through a light job still orders heavy ones', () => {
    // 0 → 1 → 2: jobs 0 and 2 are comparable through 1 although no edge joins them.
    const result = heaviestAntichain(digraph(3, [[0, 1], [1, 2]]), [5, 0, 5]);
    expect(result.weight).toBe(5);
  });

  test('weights as large as memory in bytes stay exact', () => {
    const gib = 2 ** 30;
    const result = heaviestAntichain(digraph(3, [[0, 2]]), [512 * gib + 1, 3 * gib, 700 * gib]);
    expect(result).toEqual({ members: [1, 2], weight: 703 * gib });
  });
});

describe('AntichainSolver', () => {
  test('solves a union of graphs as the union of each part\'s heaviest antichain, under many weightings', () => {
    fc.assert(
      fc.property(fc.array(randomDag, { minLength: 1, maxLength: 4 }), (parts) => {
        const union = disjointUnion(parts.map(({ size, edges }) => digraph(size, edges)));
        const solver = new AntichainSolver(union);
        const weights = parts.flatMap((part) => part.weights);
        for (const weighting of [weights, weights.map((w) => (w % 3 === 0 ? 0 : w)), weights.map(() => 0)]) {
          const result = solver.solve(weighting);
          let base = 0;
          const expected = { members: [] as number[], weight: 0 };
          for (const { size, edges } of parts) {
            const part = heaviestAntichain(digraph(size, edges), weighting.slice(base, base + size));
            expected.members.push(...part.members.map((v) => v + base));
            expected.weight += part.weight;
            base += size;
          }
          expect(result).toEqual(expected);
        }
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });

  test('jobs without dependencies all run together; weightless parts add nothing', () => {
    const solver = new AntichainSolver(digraph(5, [[1, 2]]));
    expect(solver.solve([3, 4, 5, 0, 1])).toEqual({ members: [0, 2, 4], weight: 9 });
    expect(solver.solve([0, 0, 0, 0, 0])).toEqual({ members: [], weight: 0 });
  });
});

describe('FlowNetwork', () => {
  test('finds the maximum flow of a textbook network', () => {
    // CLRS figure 26.1: maximum flow 23.
    const network = new FlowNetwork(6, 9);
    const arcs: [number, number, number][] = [
      [0, 1, 16], [0, 2, 13], [1, 3, 12], [2, 1, 4], [2, 4, 14], [3, 2, 9], [3, 5, 20], [4, 3, 7], [4, 5, 4],
    ];
    for (const [u, v, c] of arcs) network.addArc(u, v, c);
    expect(network.maxFlow(0, 5)).toBe(23);
    const reach = network.residualReach(0);
    expect(Array.from(reach)).toEqual([1, 1, 1, 0, 1, 0]);
  });
});

describe('disjointUnion', () => {
  test('shifts the ids of later parts', () => {
    const union = disjointUnion([digraph(2, [[0, 1]]), digraph(3, [[1, 2], [0, 2]])]);
    expect(union.size).toBe(5);
    expect(Array.from(union.offsets)).toEqual([0, 1, 1, 2, 3, 3]);
    expect(Array.from(union.targets)).toEqual([1, 4, 4]);
  });
});
