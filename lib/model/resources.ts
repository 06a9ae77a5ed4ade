/**
 * Resource vectors: the requests of a pod, the allocatable of a node, the demand of a job.
 * All fields are exact integers (CPU in millicores, sizes in bytes) so sums never drift.
 */

/** A vector of schedulable resources. */
export interface ResourceVector {
  /** CPU in millicores. */
  readonly cpuMillis: number;
  /** Memory in bytes. */
  readonly memoryBytes: number;
  /** Ephemeral storage in bytes. */
  readonly ephemeralStorageBytes: number;
  /** GPUs (`nvidia.com/gpu` or the pool's GPU resource). */
  readonly gpus: number;
  /** Pod slots. A pod's own vector has `pods: 1`. */
  readonly pods: number;
}

/** The names of the fields of a {@link ResourceVector}, in a fixed order. */
export const RESOURCE_KEYS: readonly (keyof ResourceVector)[] = ['cpuMillis', 'memoryBytes', 'ephemeralStorageBytes', 'gpus', 'pods'];

/** The zero vector. */
export const ZERO: ResourceVector = Object.freeze({ cpuMillis: 0, memoryBytes: 0, ephemeralStorageBytes: 0, gpus: 0, pods: 0 });

/** A vector with the given fields and zero elsewhere. */
export function resources(partial: Partial<ResourceVector>): ResourceVector {
  return { ...ZERO, ...partial };
}

/** Component-wise sum. */
export function add(a: ResourceVector, b: ResourceVector): ResourceVector {
  return {
    cpuMillis: a.cpuMillis + b.cpuMillis,
    memoryBytes: a.memoryBytes + b.memoryBytes,
    ephemeralStorageBytes: a.ephemeralStorageBytes + b.ephemeralStorageBytes,
    gpus: a.gpus + b.gpus,
    pods: a.pods + b.pods,
  };
}

/** Component-wise difference (may go negative). */
export function subtract(a: ResourceVector, b: ResourceVector): ResourceVector {
  return {
    cpuMillis: a.cpuMillis - b.cpuMillis,
    memoryBytes: a.memoryBytes - b.memoryBytes,
    ephemeralStorageBytes: a.ephemeralStorageBytes - b.ephemeralStorageBytes,
    gpus: a.gpus - b.gpus,
    pods: a.pods - b.pods,
  };
}

/** `v` multiplied by a whole number. */
export function scale(v: ResourceVector, factor: number): ResourceVector {
  return {
    cpuMillis: v.cpuMillis * factor,
    memoryBytes: v.memoryBytes * factor,
    ephemeralStorageBytes: v.ephemeralStorageBytes * factor,
    gpus: v.gpus * factor,
    pods: v.pods * factor,
  };
}

/** Component-wise maximum. */
export function max(a: ResourceVector, b: ResourceVector): ResourceVector {
  return {
    cpuMillis: Math.max(a.cpuMillis, b.cpuMillis),
    memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
    ephemeralStorageBytes: Math.max(a.ephemeralStorageBytes, b.ephemeralStorageBytes),
    gpus: Math.max(a.gpus, b.gpus),
    pods: Math.max(a.pods, b.pods),
  };
}

/** True when every component of `demand` is at most the same component of `capacity`. */
export function fits(demand: ResourceVector, capacity: ResourceVector): boolean {
  return (
    demand.cpuMillis <= capacity.cpuMillis &&
    demand.memoryBytes <= capacity.memoryBytes &&
    demand.ephemeralStorageBytes <= capacity.ephemeralStorageBytes &&
    demand.gpus <= capacity.gpus &&
    demand.pods <= capacity.pods
  );
}

/** The components of `demand` that exceed `capacity`. */
export function exceeded(demand: ResourceVector, capacity: ResourceVector): (keyof ResourceVector)[] {
  return RESOURCE_KEYS.filter((key) => demand[key] > capacity[key]);
}

/** True when all components are equal. */
export function equals(a: ResourceVector, b: ResourceVector): boolean {
  return RESOURCE_KEYS.every((key) => a[key] === b[key]);
}
