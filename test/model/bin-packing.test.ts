import {
  NodeSet, PACKING_ORDERS, binPack, decreasing, fitsEmptyNode, fitsEmptyNodes, largerShareScore, packingScore, shareProductScore,
} from '../../lib/model/bin-packing';
import { resources } from '../../lib/model/resources';

const GI = 2 ** 30;
/** One pod asking for `cpu` cores and `memoryGi` GiB. */
const pod = (cpu: number, memoryGi: number) => resources({ cpuMillis: cpu * 1000, memoryBytes: memoryGi * GI, pods: 1 });
const NODE = resources({ cpuMillis: 4000, memoryBytes: 16 * GI, pods: 110 });

describe('binPack', () => {
  test('identical pods fill node after node', () => {
    // 2 pods of 1.5 cpu per 4-cpu node: 5 pods need 3 nodes.
    expect(binPack([{ label: 'executor', requests: resources({ cpuMillis: 1500, memoryBytes: 2 * GI, pods: 1 }), count: 5 }], NODE)).toEqual({
      nodes: 3,
      unplaced: [],
    });
  });

  test('decreasing order beats input order', () => {
    // Sizes 2,5,4,7,1,3,8 on 10-cpu nodes: first fit in input order needs 4 nodes, FFD 3 (8+2, 7+3, 5+4+1).
    const node = resources({ cpuMillis: 10_000, memoryBytes: 64 * GI, pods: 110 });
    const batches = [2, 5, 4, 7, 1, 3, 8].map((cpu) => ({ label: `p${cpu}`, requests: pod(cpu, 0), count: 1 }));
    expect(binPack(batches, node).nodes).toBe(3);
  });

  test('memory counts in the order: a memory-heavy pod goes first', () => {
    const heavy = { label: 'heavy', requests: pod(1, 14), count: 2 };
    const wide = { label: 'wide', requests: pod(3, 1), count: 1 };
    expect(packingScore(heavy.requests, NODE)).toBeCloseTo(0.25 + 0.875);
    expect(decreasing([wide, heavy], NODE).map((b) => b.label)).toEqual(['heavy', 'wide']);
    // heavy → node 1, heavy → node 2 (node 1 has 2Gi left), wide → node 1 (3 cpu, 1Gi still free).
    expect(binPack([wide, heavy], NODE).nodes).toBe(2);
  });

  test('the pod slot count limits a node', () => {
    const small = resources({ cpuMillis: 10, memoryBytes: 1, pods: 1 });
    expect(binPack([{ label: 'tiny', requests: small, count: 10 }], resources({ cpuMillis: 4000, memoryBytes: GI, pods: 3 })).nodes).toBe(4);
  });

  test('GPUs are a resource like any other', () => {
    const gpuNode = resources({ cpuMillis: 8000, memoryBytes: 32 * GI, gpus: 1, pods: 58 });
    const trainer = resources({ cpuMillis: 1000, memoryBytes: GI, gpus: 1, pods: 1 });
    expect(binPack([{ label: 'trainer', requests: trainer, count: 3 }], gpuNode).nodes).toBe(3);
  });

  test('a pod larger than an empty node never fits and opens no node', () => {
    const result = binPack([{ label: 'driver', requests: pod(1, 2), count: 1 }, { label: 'executor', requests: pod(6, 8), count: 4 }], NODE);
    expect(result.nodes).toBe(1);
    expect(result.unplaced).toEqual([{ label: 'executor', requests: pod(6, 8), count: 4 }]);
    expect(fitsEmptyNode(pod(6, 8), NODE)).toBe(false);
    expect(fitsEmptyNode(pod(4, 16), NODE)).toBe(true);
  });

  test('a node limit leaves the rest unplaced', () => {
    const result = binPack([{ label: 'executor', requests: pod(2, 4), count: 7 }], NODE, 2);
    expect(result).toEqual({ nodes: 2, unplaced: [{ label: 'executor', requests: pod(2, 4), count: 3 }] });
  });

  test('nothing to pack needs no node', () => {
    expect(binPack([], NODE)).toEqual({ nodes: 0, unplaced: [] });
  });
});

describe('binPack tries several orders', () => {
  // A 10-cpu, 10Gi node; pods given as (cpu, Gi).
  const node = resources({ cpuMillis: 10_000, memoryBytes: 10 * GI, pods: 110 });
  const batch = (label: string, cpu: number, memoryGi: number) => ({ label, requests: pod(cpu, memoryGi), count: 1 });
  const [a, b, c, d] = [batch('a', 1, 5), batch('b', 8, 2), batch('c', 7, 4), batch('d', 3, 1)];

  test("the autoscaler's order goes first, then the larger share, then the product of the shares", () => {
    expect(PACKING_ORDERS).toEqual([packingScore, largerShareScore, shareProductScore]);
    expect(largerShareScore(c.requests, node)).toBeCloseTo(0.7);
    expect(shareProductScore(c.requests, node)).toBeCloseTo(0.28);
  });

  test("a packing with one node fewer than the autoscaler's order is found", () => {
    // Autoscaler order (cpu share + memory share): c 1.1, b 1.0, a 0.6, d 0.4.
    //   c → node 1 (3 cpu, 6Gi left); b needs 8 cpu → node 2 (2, 8 left); a → node 1 (2, 1 left);
    //   d needs 3 cpu: neither node has it → node 3.
    expect(decreasing([a, b, c, d], node).map((x) => x.label)).toEqual(['c', 'b', 'a', 'd']);
    const autoscaler = new NodeSet(node);
    autoscaler.place([a, b, c, d]);
    expect(autoscaler.busyNodes).toBe(3);
    // Larger share first: b 0.8, c 0.7, a 0.5, d 0.3.
    //   b → node 1 (2, 8 left); c → node 2 (3, 6 left); a → node 1 (1, 3 left); d → node 2 (0, 5 left).
    expect(decreasing([a, b, c, d], node, largerShareScore).map((x) => x.label)).toEqual(['b', 'c', 'a', 'd']);
    // Two nodes is optimal: the pods ask for 19 cpu.
    expect(binPack([a, b, c, d], node)).toEqual({ nodes: 2, unplaced: [] });
  });

  test('enough: the first packing within it ends the search', () => {
    // The autoscaler's three nodes are enough for a caller asking "at most 3?"; asking "at most 2?" tries on.
    expect(binPack([a, b, c, d], node, Infinity, 3).nodes).toBe(3);
    expect(binPack([a, b, c, d], node, Infinity, 2).nodes).toBe(2);
  });

  test('under a node limit, the order that leaves the fewest pods unplaced wins', () => {
    // Two nodes: the autoscaler's order leaves d out, the larger-share order places everything.
    expect(binPack([a, b, c, d], node, 2)).toEqual({ nodes: 2, unplaced: [] });
  });

  test("on a tie the autoscaler's order is kept", () => {
    // One node holds x (5, 5) or y (8, 1), not both. The autoscaler's order places x first (sum 1.0
    // against 0.9), the larger share y (0.8 against 0.5): one pod is left out either way.
    const [x, y] = [batch('x', 5, 5), batch('y', 8, 1)];
    expect(binPack([x, y], node, 1)).toEqual({ nodes: 1, unplaced: [{ label: 'y', requests: y.requests, count: 1 }] });
  });

  test('fitsEmptyNodes answers for the autoscaler\'s order alone, as NodeSet.place would', () => {
    expect(fitsEmptyNodes([a, b, c, d], node, 3)).toBe(true);
    expect(fitsEmptyNodes([a, b, c, d], node, 2)).toBe(false);
    expect(new NodeSet(node, 2).place([a, b, c, d])).toBeUndefined();
  });
});

describe('packing with shared request vectors', () => {
  test('reusing the same vectors (whose amounts are kept) packs exactly as fresh copies do', () => {
    const shared = [pod(3, 2), pod(1, 12), pod(2, 6)];
    const batches = shared.map((requests, i) => ({ label: `b${i}`, requests, count: 3 + i }));
    const first = binPack(batches, NODE);
    expect(binPack(batches, NODE)).toEqual(first);
    expect(binPack(batches.map((batch) => ({ ...batch, requests: { ...batch.requests } })), { ...NODE })).toEqual(first);
    const nodes = new NodeSet(NODE, 4);
    const placement = nodes.place(batches.slice(0, 2))!;
    nodes.release(placement);
    expect(nodes.busyNodes).toBe(0);
    expect(nodes.place(batches.slice(0, 2))).toEqual(placement);
  });

  test('a vector a JavaScript caller changed between calls packs by its new amounts', () => {
    const requests = pod(1, 1);
    const batches = [{ label: 'a', requests, count: 8 }];
    const before = binPack(batches, NODE);
    (requests as { cpuMillis: number }).cpuMillis = 4 * requests.cpuMillis;
    expect(binPack(batches, NODE)).toEqual(binPack([{ label: 'a', requests: { ...requests }, count: 8 }], NODE));
    expect(binPack(batches, NODE).nodes).toBeGreaterThan(before.nodes);
  });
});

describe('NodeSet', () => {
  test('places all or nothing within the node limit and releases', () => {
    const nodes = new NodeSet(NODE, 2);
    const first = nodes.place([{ label: 'a', requests: pod(3, 1), count: 2 }]);
    expect(first).toBeDefined();
    expect(nodes.busyNodes).toBe(2);
    // Three 1-cpu pods: only two fit (one per node); the set stays as it was.
    expect(nodes.place([{ label: 'b', requests: pod(1, 1), count: 3 }])).toBeUndefined();
    expect(nodes.busyNodes).toBe(2);
    expect(nodes.place([{ label: 'b', requests: pod(1, 1), count: 2 }])).toBeDefined();
    nodes.release(first!);
    expect(nodes.busyNodes).toBe(2);
    expect(nodes.place([{ label: 'c', requests: pod(3, 1), count: 2 }])).toBeDefined();
  });

  test('empty nodes are reused', () => {
    const nodes = new NodeSet(NODE, 1);
    const placement = nodes.place([{ label: 'a', requests: pod(4, 16), count: 1 }])!;
    nodes.release(placement);
    expect(nodes.busyNodes).toBe(0);
    expect(nodes.place([{ label: 'b', requests: pod(4, 16), count: 1 }])).toBeDefined();
  });
});
