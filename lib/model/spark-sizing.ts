/**
 * Spark pod sizing: the container requests and limits Spark itself writes into driver and executor pods
 * on Kubernetes (BasicDriverFeatureStep / BasicExecutorFeatureStep), so the capacity planner sees the
 * pods that will really exist. Facts: research/spark-operator.md §2.
 *
 * Memory: request = limit = heap + overhead (+ off-heap and PySpark memory on executors), written in MiB.
 * Overhead: an explicit `memoryOverhead` wins; otherwise max(floor(factor × heap), 384 MiB).
 * CPU: request = `coreRequest` or `cores`; a limit only when `coreLimit` is given.
 */
import { BatchplaneError, check } from './errors';
import { parseJvmMemory } from './jvm-memory';
import { cpuMillis } from './quantity';
import { ResourceVector, resources } from './resources';

/** The language of a Spark application's main resource (the SparkApplication `type` field). */
export enum SparkType {
  SCALA = 'Scala',
  JAVA = 'Java',
  PYTHON = 'Python',
  R = 'R',
}

/** The two kinds of Spark pods. */
export type SparkRole = 'driver' | 'executor';

/** Spark's floor for the memory overhead, in MiB (`spark.{driver,executor}.minMemoryOverhead` default). */
export const MIN_MEMORY_OVERHEAD_MIB = 384;
/** Spark's default overhead factor for JVM (Java, Scala) applications. */
export const JVM_MEMORY_OVERHEAD_FACTOR = 0.1;
/** Spark's default overhead factor for non-JVM (Python, R) applications. */
export const NON_JVM_MEMORY_OVERHEAD_FACTOR = 0.4;

const MIB = 1024 * 1024;

/** True for applications whose main resource runs in the JVM (Java and Scala). */
export function isJvmType(type: SparkType): boolean {
  return type === SparkType.JAVA || type === SparkType.SCALA;
}

/** The sizing inputs of one Spark pod, as the operator and sparkConf give them to Spark. */
export interface SparkPodSizingSpec {
  /** Driver or executor. */
  readonly role: SparkRole;
  /** The application type; decides the default overhead factor and whether PySpark memory counts. */
  readonly type: SparkType;
  /** Heap size, a Spark memory string (`'512m'`, `'4g'`; a bare number is MiB). */
  readonly memory: string;
  /**
   * Explicit overhead, a Spark memory string. Wins over every factor and the minimum.
   * @default - derived from the factor and the minimum
   */
  readonly memoryOverhead?: string;
  /**
   * The role's own factor (`spark.driver.memoryOverheadFactor` / `spark.executor.memoryOverheadFactor`).
   * @default - the application factor
   */
  readonly memoryOverheadFactor?: number;
  /**
   * The application factor (SparkApplication `memoryOverheadFactor`, i.e. `spark.kubernetes.memoryOverheadFactor`).
   * @default - 0.1 for Java and Scala, 0.4 for Python and R
   */
  readonly appMemoryOverheadFactor?: number;
  /**
   * The overhead floor (`spark.{driver,executor}.minMemoryOverhead`, Spark 4.0+), a Spark memory string.
   * @default '384m'
   */
  readonly minMemoryOverhead?: string;
  /**
   * Spark cores: an integer >= 1. Also the CPU request unless `coreRequest` is set.
   * @default 1
   */
  readonly cores?: number;
  /**
   * CPU request, a Kubernetes CPU quantity (`'500m'`, `'0.5'`, `2`).
   * @default - `cores`
   */
  readonly coreRequest?: string | number;
  /**
   * CPU limit, a Kubernetes CPU quantity.
   * @default - no CPU limit
   */
  readonly coreLimit?: string | number;
  /**
   * GPUs (or other extended device resources) per pod.
   * @default 0
   */
  readonly gpus?: number;
  /**
   * `spark.executor.pyspark.memory`, a Spark memory string; counted for Python executors only.
   * @default - none
   */
  readonly pysparkMemory?: string;
  /**
   * `spark.memory.offHeap.size` when `spark.memory.offHeap.enabled` is true; counted for executors only.
   * A Spark byte string: a bare number is bytes, as in Spark.
   * @default - none
   */
  readonly offHeapMemory?: string;
}

/** What Spark asks Kubernetes for, for one pod. */
export interface SparkPodResources {
  /** The heap, MiB. */
  readonly heapMiB: number;
  /** The memory overhead, MiB. */
  readonly overheadMiB: number;
  /** The container memory request (= limit), MiB: heap + overhead (+ off-heap and PySpark memory). */
  readonly memoryMiB: number;
  /** The container memory quantity as Spark writes it, e.g. `'896Mi'`. */
  readonly memory: string;
  /** The CPU request, millicores. */
  readonly cpuRequestMillis: number;
  /** The CPU request quantity as Spark writes it (`'1'`, `'500m'`). */
  readonly cpuRequest: string;
  /** The CPU limit, millicores, when one is set. */
  readonly cpuLimitMillis?: number;
  /** The CPU limit quantity, when one is set. */
  readonly cpuLimit?: string;
  /** GPUs per pod. */
  readonly gpus: number;
  /** The pod's requests as a vector (with `pods: 1`). */
  readonly requests: ResourceVector;
}

/** Computes the requests and limits of one Spark pod exactly as Spark does. Throws {@link BatchplaneError} on bad input. */
export function sparkPodResources(spec: SparkPodSizingSpec): SparkPodResources {
  const heapMiB = sparkMemoryMiB('memory', spec.memory);
  check(heapMiB > 0, 'memory', spec.memory, 'a positive Spark memory size such as "512m" or "4g"');
  const overheadMiB = memoryOverheadMiB(spec, heapMiB);
  const memoryMiB = heapMiB + overheadMiB + executorExtrasMiB(spec);
  const cpu = cpuResources(spec);
  const gpus = spec.gpus ?? 0;
  check(Number.isInteger(gpus) && gpus >= 0, 'gpu.quantity', spec.gpus, 'an integer >= 0');
  return {
    heapMiB,
    overheadMiB,
    memoryMiB,
    memory: `${memoryMiB}Mi`,
    ...cpu,
    gpus,
    requests: resources({ cpuMillis: cpu.cpuRequestMillis, memoryBytes: memoryMiB * MIB, gpus, pods: 1 }),
  };
}

/**
 * The overhead factor Spark applies to a pod: the role's own factor, else the application factor,
 * else 0.4 for Python/R and 0.1 for Java/Scala.
 */
export function effectiveOverheadFactor(spec: Pick<SparkPodSizingSpec, 'type' | 'memoryOverheadFactor' | 'appMemoryOverheadFactor'>): number {
  const fallback = isJvmType(spec.type) ? JVM_MEMORY_OVERHEAD_FACTOR : NON_JVM_MEMORY_OVERHEAD_FACTOR;
  const factor = spec.memoryOverheadFactor ?? spec.appMemoryOverheadFactor ?? fallback;
  const field = spec.memoryOverheadFactor !== undefined ? 'memoryOverheadFactor' : 'appMemoryOverheadFactor';
  check(typeof factor === 'number' && Number.isFinite(factor) && factor > 0, field, factor, 'a number > 0 (e.g. 0.2)');
  return factor;
}

/**
 * A Spark memory string in MiB (integer, binary suffixes; a bare number is MiB). Errors name `field`.
 */
export function sparkMemoryMiB(field: string, value: unknown): number {
  if (typeof value !== 'string') {
    throw new BatchplaneError(field, value, 'a Spark memory string such as "512m" or "4g"');
  }
  return parseJvmMemory(value, field);
}

function memoryOverheadMiB(spec: SparkPodSizingSpec, heapMiB: number): number {
  if (spec.memoryOverhead !== undefined) return sparkMemoryMiB('memoryOverhead', spec.memoryOverhead);
  const minimum = spec.minMemoryOverhead === undefined ? MIN_MEMORY_OVERHEAD_MIB : sparkMemoryMiB('minMemoryOverhead', spec.minMemoryOverhead);
  // Spark computes `(factor * memoryMiB).toInt` in double precision; Math.floor on the same double matches it.
  return Math.max(Math.floor(effectiveOverheadFactor(spec) * heapMiB), minimum);
}

function executorExtrasMiB(spec: SparkPodSizingSpec): number {
  if (spec.role !== 'executor') return 0;
  const pyspark = spec.type === SparkType.PYTHON && spec.pysparkMemory !== undefined ? sparkMemoryMiB('pysparkMemory', spec.pysparkMemory) : 0;
  const offHeap = spec.offHeapMemory === undefined ? 0 : offHeapMiB(spec.offHeapMemory);
  return pyspark + offHeap;
}

/** `spark.memory.offHeap.size` is declared in bytes: a bare number is bytes, then truncated to MiB. */
function offHeapMiB(value: string): number {
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Math.floor(Number(value) / MIB);
  return sparkMemoryMiB('offHeapMemory', value);
}

function cpuResources(spec: SparkPodSizingSpec): Pick<SparkPodResources, 'cpuRequestMillis' | 'cpuRequest' | 'cpuLimitMillis' | 'cpuLimit'> {
  const cores = spec.cores ?? 1;
  check(
    typeof cores === 'number' && Number.isInteger(cores) && cores >= 1,
    'cores',
    cores,
    'an integer >= 1 (for a fraction of a CPU keep cores: 1 and set coreRequest, e.g. "500m")',
  );
  const request = spec.coreRequest === undefined ? { millis: cores * 1000, text: String(cores) } : cpuQuantity('coreRequest', spec.coreRequest);
  if (spec.coreLimit === undefined) return { cpuRequestMillis: request.millis, cpuRequest: request.text };
  const limit = cpuQuantity('coreLimit', spec.coreLimit);
  if (request.millis > limit.millis) {
    const field = spec.coreRequest === undefined ? 'cores' : 'coreRequest';
    const value = spec.coreRequest ?? cores;
    throw new BatchplaneError(field, value, `a CPU request <= coreLimit (${limit.text}); Kubernetes rejects a request above the limit`);
  }
  return { cpuRequestMillis: request.millis, cpuRequest: request.text, cpuLimitMillis: limit.millis, cpuLimit: limit.text };
}

function cpuQuantity(field: string, value: unknown): { millis: number; text: string } {
  const expected = 'a positive Kubernetes CPU quantity such as "500m", "1.5" or 2';
  if (typeof value !== 'string' && typeof value !== 'number') throw new BatchplaneError(field, value, expected);
  let millis: number;
  try {
    millis = cpuMillis(value);
  } catch (error) {
    if (error instanceof BatchplaneError) throw new BatchplaneError(field, value, expected);
    throw error;
  }
  check(millis > 0, field, value, expected);
  return { millis, text: String(value) };
}
