/**
 * Quality of the library's first-fit-decreasing node estimate (lib/model/bin-packing.ts) against the
 * exact optimum, on seeded random small instances: 5 to 14 pods with random CPU and memory requests
 * on one node shape (the allocatable of an r6i.2xlarge pool node).
 */
import { binPack, PodBatch } from '../lib/model/bin-packing';
import { createNodePoolSpec, poolAllocatable } from '../lib/model/node-pool';
import { RESOURCE_KEYS, resources, ResourceVector } from '../lib/model/resources';
import { timed } from './measure';
import { loadSolver, optimalBins, PackingInstance } from './milp';
import { Random } from './random';

/** What the bin-packing benchmark measured. */
export interface BinPackMeasurement {
  readonly instances: number;
  /** Instances where the estimate equals the optimum. */
  readonly optimal: number;
  /** The largest estimate − optimum, in nodes. */
  readonly worstExcess: number;
  /** Instance count per excess (`"0"`, `"1"`, ...). */
  readonly excessHistogram: Readonly<Record<string, number>>;
  /** The node shape, as allocatable millicores and MiB. */
  readonly node: { readonly cpuMillis: number; readonly memoryMiB: number };
  /** Total solver time, ms. */
  readonly solverMs: number;
}

const MIB = 2 ** 20;

/** The allocatable of one node of the instances' pool. */
export function nodeShape(): ResourceVector {
  const pool = createNodePoolSpec({ name: 'bench', instanceTypes: ['r6i.2xlarge'], maxNodes: 100 });
  return poolAllocatable(pool)[0].allocatable;
}

/** A random instance: each pod asks 5 % to 65 % of the node's CPU and, independently, of its memory. */
export function randomPods(random: Random, node: ResourceVector): ResourceVector[] {
  const share = (whole: number, unit: number): number => unit * Math.max(1, Math.round((whole * random.int(5, 65)) / 100 / unit));
  return Array.from({ length: random.int(5, 14) }, () => resources({
    cpuMillis: share(node.cpuMillis, 10),
    memoryBytes: share(node.memoryBytes, 64 * MIB),
    pods: 1,
  }));
}

/** The instance in the solver's terms: every dimension any pod uses. */
function packingInstance(pods: readonly ResourceVector[], node: ResourceVector): PackingInstance {
  const keys = RESOURCE_KEYS.filter((key) => pods.some((pod) => pod[key] > 0));
  return { demands: pods.map((pod) => keys.map((key) => pod[key])), capacity: keys.map((key) => node[key]) };
}

/** Packs `count` random instances with the library's FFD and with the exact model. */
export async function measureBinPacking(seed: number, count: number): Promise<BinPackMeasurement> {
  const solver = await loadSolver();
  const random = new Random(seed);
  const node = nodeShape();
  const histogram = new Map<number, number>();
  let solverMs = 0;
  for (let i = 0; i < count; i++) {
    const pods = randomPods(random, node);
    const batches: PodBatch[] = pods.map((requests, index) => ({ label: `pod-${index}`, requests, count: 1 }));
    const estimate = binPack(batches, node);
    if (estimate.unplaced.length > 0) throw new Error(`instance ${i}: a pod does not fit an empty node`);
    const exact = timed(() => optimalBins(solver, packingInstance(pods, node), estimate.nodes));
    solverMs += exact.ms;
    const excess = estimate.nodes - exact.value;
    histogram.set(excess, (histogram.get(excess) ?? 0) + 1);
  }
  const excesses = [...histogram.keys()].sort((a, b) => a - b);
  return {
    instances: count,
    optimal: histogram.get(0) ?? 0,
    worstExcess: Math.max(...excesses),
    excessHistogram: Object.fromEntries(excesses.map((e) => [String(e), histogram.get(e) ?? 0])),
    node: { cpuMillis: node.cpuMillis, memoryMiB: Math.floor(node.memoryBytes / MIB) },
    solverMs: Math.round(solverMs),
  };
}
