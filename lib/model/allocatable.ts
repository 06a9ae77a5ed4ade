/**
 * Node allocatable on EKS with Amazon Linux 2023 (nodeadm defaults):
 *
 *   allocatable = capacity − kube-reserved − eviction threshold − what the DaemonSets request
 *
 * - CPU: kube-reserved takes 6% of the first core, 1% of the second, 0.5% of the third and fourth
 *   and 0.25% of every further core, each tier rounded down to whole millicores.
 * - Memory: kube-reserved is 11 MiB per pod of the ENI max-pods figure plus 255 MiB (nodeadm uses
 *   the ENI figure even where a managed node group caps max pods lower), and the hard eviction
 *   threshold is another 100 MiB. Capacity is taken as the nominal memory; a real node reports
 *   somewhat less (MemTotal), so the result is an upper bound.
 * - Ephemeral storage: the root volume less kube-reserved 1 GiB less the `nodefs.available` 10%
 *   eviction threshold. The threshold is computed as the kubelet does: the capacity times the
 *   float32 value of 0.1, truncated to whole bytes. Capacity is taken as the whole volume
 *   (a file system reports a little less).
 * - Pods: max pods, capped for managed node groups.
 */
import { BatchplaneError } from './errors';
import { eniMaxPods, InstanceType, maxPods } from './instance-types';
import { max, ResourceVector, subtract, ZERO } from './resources';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
/** The kubelet's `memory.available` hard eviction threshold on EKS. */
export const EVICTION_HARD_MEMORY_MIB = 100;
/** nodeadm's kube-reserved ephemeral storage. */
export const KUBE_RESERVED_EPHEMERAL_STORAGE_BYTES = GIB;
/** The kubelet's default `nodefs.available` hard eviction threshold, as the float32 it is stored in. */
const NODEFS_EVICTION_FRACTION = Math.fround(0.1);

/** CPU tiers: [start, end) in millicores and the share reserved in ten-thousandths. */
const CPU_TIERS: readonly (readonly [number, number, number])[] = [
  [0, 1000, 600],
  [1000, 2000, 100],
  [2000, 4000, 50],
  [4000, Infinity, 25],
];

/** Options for {@link allocatable}. */
export interface AllocatableOptions {
  /**
   * Whether the node belongs to an EKS managed node group (caps max pods; see `maxPods`).
   * @default true
   */
  readonly managedNodeGroup?: boolean;
  /**
   * Size of the root volume in GiB.
   * @default 20
   */
  readonly diskGiB?: number;
  /**
   * Requests of the DaemonSet pods every node runs, including their pod count.
   * @default - nothing subtracted
   */
  readonly daemonSetOverhead?: ResourceVector;
}

/** The CPU nodeadm reserves for the kubelet and runtime, in millicores (2 vCPU → 70, 16 → 110, 96 → 310). */
export function kubeReservedCpuMillis(vcpu: number): number {
  if (!Number.isSafeInteger(vcpu) || vcpu < 1) throw new BatchplaneError('vcpu', vcpu, 'a whole number of at least 1');
  const total = vcpu * 1000;
  return CPU_TIERS.reduce(
    (reserved, [start, end, share]) => (total <= start ? reserved : reserved + Math.floor(((Math.min(total, end) - start) * share) / 10000)),
    0,
  );
}

/** The memory nodeadm reserves for the kubelet and runtime, in MiB: 11 per pod plus 255 (29 pods → 574). */
export function kubeReservedMemoryMiB(eniMaxPods: number): number {
  if (!Number.isSafeInteger(eniMaxPods) || eniMaxPods < 0) throw new BatchplaneError('maxPods', eniMaxPods, 'a whole number of at least 0');
  return 11 * eniMaxPods + 255;
}

/** Allocatable ephemeral storage in bytes of a root volume of `diskGiB` (20 → 17 GiB less 32 bytes). */
export function allocatableEphemeralStorageBytes(diskGiB: number): number {
  if (!Number.isSafeInteger(diskGiB) || diskGiB < 1) throw new BatchplaneError('diskGiB', diskGiB, 'a whole number of GiB of at least 1');
  const capacity = diskGiB * GIB;
  const evictionThreshold = Math.trunc(capacity * NODEFS_EVICTION_FRACTION);
  return Math.max(0, capacity - KUBE_RESERVED_EPHEMERAL_STORAGE_BYTES - evictionThreshold);
}

/**
 * What the scheduler can place on one node of this type, with DaemonSet requests subtracted.
 * Components never go below zero.
 */
export function allocatable(it: InstanceType, opts: AllocatableOptions = {}): ResourceVector {
  const memoryMiB = it.memoryMiB - kubeReservedMemoryMiB(eniMaxPods(it)) - EVICTION_HARD_MEMORY_MIB;
  const node: ResourceVector = {
    cpuMillis: it.vcpu * 1000 - kubeReservedCpuMillis(it.vcpu),
    memoryBytes: memoryMiB * MIB,
    ephemeralStorageBytes: allocatableEphemeralStorageBytes(opts.diskGiB ?? 20),
    gpus: it.gpus,
    pods: maxPods(it, { managedNodeGroup: opts.managedNodeGroup ?? true }),
  };
  return max(ZERO, subtract(node, opts.daemonSetOverhead ?? ZERO));
}
