/**
 * sparkConf helpers: the keys the Spark operator refuses, the keys batchplane derives from typed props,
 * the configuration for dynamic allocation and graceful decommissioning, and Spark's time strings.
 * Facts: research/spark-operator.md §3.2 (deny-list) and §5 (dynamic allocation, decommissioning).
 */
import { BatchplaneError, check, describeValue } from './errors';
import { compareStrings, entryField, integerInRange, isRecord, optionalBoolean, stringMap } from './input';
import { SparkPodSizingSpec, SparkRole } from './spark-sizing';

/** A sparkConf map: Spark property name to value. */
export type SparkConf = Readonly<Record<string, string>>;

/** Keys the operator's validating webhook rejects: the operator sets them itself. */
export const FORBIDDEN_SPARK_CONF_KEYS: readonly string[] = [
  'spark.master',
  'spark.kubernetes.driver.master',
  'spark.kubernetes.container.image',
  'spark.kubernetes.driver.container.image',
  'spark.kubernetes.executor.container.image',
  'spark.kubernetes.authenticate.driver.serviceAccountName',
  'spark.kubernetes.authenticate.executor.serviceAccountName',
];

const OAUTH_KEY = /^spark\.kubernetes\.authenticate(\.driver|\.executor)?\.oauthToken(File)?$/;

/** True for a key the operator rejects in sparkConf. */
export function isForbiddenSparkConfKey(key: string): boolean {
  return FORBIDDEN_SPARK_CONF_KEYS.includes(key) || OAUTH_KEY.test(key);
}

/**
 * Keys batchplane writes from typed props (directly or through the operator). Setting them in sparkConf as
 * well would make the rendered sizing differ from the real pods, so they are refused with the prop to use.
 */
export const MANAGED_SPARK_CONF_KEYS: Readonly<Record<string, string>> = {
  'spark.driver.cores': 'driver.cores',
  'spark.executor.cores': 'executor.cores',
  'spark.driver.memory': 'driver.memory',
  'spark.executor.memory': 'executor.memory',
  'spark.driver.memoryOverhead': 'driver.memoryOverhead',
  'spark.executor.memoryOverhead': 'executor.memoryOverhead',
  'spark.driver.memoryOverheadFactor': 'driver.memoryOverheadFactor',
  'spark.executor.memoryOverheadFactor': 'executor.memoryOverheadFactor',
  'spark.kubernetes.memoryOverheadFactor': 'memoryOverheadFactor',
  'spark.kubernetes.driver.request.cores': 'driver.coreRequest',
  'spark.kubernetes.executor.request.cores': 'executor.coreRequest',
  'spark.kubernetes.driver.limit.cores': 'driver.coreLimit',
  'spark.kubernetes.executor.limit.cores': 'executor.coreLimit',
  'spark.driver.extraJavaOptions': 'driver.javaOptions',
  'spark.executor.extraJavaOptions': 'executor.javaOptions',
  'spark.executor.instances': 'executor.instances',
  'spark.dynamicAllocation.enabled': 'dynamicAllocation',
  'spark.dynamicAllocation.minExecutors': 'dynamicAllocation.minExecutors',
  'spark.dynamicAllocation.maxExecutors': 'dynamicAllocation.maxExecutors',
  'spark.dynamicAllocation.initialExecutors': 'dynamicAllocation.initialExecutors',
  'spark.dynamicAllocation.shuffleTracking.enabled': 'dynamicAllocation',
  'spark.dynamicAllocation.shuffleTracking.timeout': 'dynamicAllocation.shuffleTrackingTimeout',
};

/**
 * Checks a user's sparkConf: string keys and values, no key the operator rejects, no key a typed prop owns,
 * and `spark.kubernetes.namespace` (when present) equal to the application's namespace.
 * Errors name `field["key"]`.
 */
export function checkSparkConf(field: string, conf: unknown, namespace: string): void {
  check(conf !== undefined, field, conf, 'an object of string keys to string values');
  for (const [key, value] of Object.entries(stringMap(field, conf) ?? {})) {
    const at = entryField(field, key);
    check(key.trim().length > 0, field, conf, 'non-empty keys');
    if (isForbiddenSparkConfKey(key)) {
      throw new BatchplaneError(at, value, 'no value: the Spark operator sets this key itself and rejects applications that set it');
    }
    const prop = MANAGED_SPARK_CONF_KEYS[key];
    if (prop !== undefined) throw new BatchplaneError(at, value, `no value: set it through the typed prop \`${prop}\``);
    if (key === 'spark.kubernetes.namespace') {
      check(value === namespace, at, value, `the application's namespace ${JSON.stringify(namespace)} (or no value)`);
    }
  }
}

/** One contribution to the final sparkConf, named for error messages. */
export interface SparkConfPart {
  /** Where the entries come from, e.g. `sparkConf` or `dynamicAllocation`. */
  readonly source: string;
  readonly conf: SparkConf;
}

/**
 * Merges sparkConf contributions. A key set by two parts with different values is an error naming both
 * sources; the result is sorted by key.
 */
export function mergeSparkConf(parts: readonly SparkConfPart[]): Record<string, string> {
  const merged = new Map<string, { value: string; source: string }>();
  for (const part of parts) {
    for (const [key, value] of Object.entries(part.conf)) {
      const previous = merged.get(key);
      if (previous && previous.value !== value) {
        throw new BatchplaneError(
          entryField(part.source, key),
          value,
          `the same value as ${previous.source} sets (${describeValue(previous.value)}), or no value`,
        );
      }
      merged.set(key, { value, source: part.source });
    }
  }
  return Object.fromEntries([...merged.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([k, v]) => [k, v.value]));
}

/**
 * Sizing inputs Spark reads from sparkConf rather than from typed fields: the overhead floor (Spark 4),
 * PySpark memory and off-heap memory (executors only).
 */
export function sizingFromSparkConf(conf: SparkConf, role: SparkRole): Pick<SparkPodSizingSpec, 'minMemoryOverhead' | 'pysparkMemory' | 'offHeapMemory'> {
  const offHeapEnabled = conf['spark.memory.offHeap.enabled']?.trim().toLowerCase() === 'true';
  return {
    minMemoryOverhead: conf[`spark.${role}.minMemoryOverhead`],
    pysparkMemory: role === 'executor' ? conf['spark.executor.pyspark.memory'] : undefined,
    offHeapMemory: role === 'executor' && offHeapEnabled ? conf['spark.memory.offHeap.size'] : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Time strings

const TIME_UNITS_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * A Spark time string (`'120s'`, `'10min'`, `'1h'`, `'500ms'`; a bare number is seconds) in milliseconds.
 * Like Spark, only integers are accepted.
 */
export function parseSparkDuration(field: string, value: unknown): number {
  const expected = 'a Spark time string: an integer with a unit us, ms, s, m, min, h or d (e.g. "120s", "10min")';
  const match = typeof value === 'string' ? /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value) : null;
  if (!match) throw new BatchplaneError(field, value, expected);
  const unit = match[2].toLowerCase() || 's';
  const factor = TIME_UNITS_MS[unit];
  if (factor === undefined) throw new BatchplaneError(field, value, expected);
  return Number(match[1]) * factor;
}

// ---------------------------------------------------------------------------------------------
// Dynamic allocation and decommissioning

/** Graceful decommissioning of executors: migrate their shuffle and cached blocks before they go. */
export interface SparkDecommissionOptions {
  /**
   * Turns decommissioning on (`spark.decommission.enabled` and `spark.storage.decommission.enabled`).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Migrate shuffle blocks (`spark.storage.decommission.shuffleBlocks.enabled`).
   * @default true
   */
  readonly shuffleBlocks?: boolean;
  /**
   * Migrate cached RDD blocks (`spark.storage.decommission.rddBlocks.enabled`).
   * @default true
   */
  readonly rddBlocks?: boolean;
  /**
   * Where blocks go when no executor can take them (`spark.storage.decommission.fallbackStorage.path`),
   * e.g. `'s3a://bucket/spark-fallback/'`. Must end with `/`.
   * @default - no fallback storage
   */
  readonly fallbackStoragePath?: string;
  /**
   * Delete the fallback storage when the application ends (`spark.storage.decommission.fallbackStorage.cleanUp`).
   * @default - Spark's default (false); only written when `fallbackStoragePath` is set
   */
  readonly fallbackStorageCleanUp?: boolean;
  /**
   * Kill a decommissioning executor after this long even if migration has not finished
   * (`spark.executor.decommission.forceKillTimeout`), a Spark time string.
   * @default - no forced kill
   */
  readonly forceKillTimeout?: string;
}

/** Dynamic allocation of executors, with shuffle tracking (no external shuffle service on Kubernetes). */
export interface SparkDynamicAllocationOptions {
  /** The lower bound of executors; the capacity planner reserves this many. */
  readonly minExecutors: number;
  /** The upper bound of executors. */
  readonly maxExecutors: number;
  /**
   * Executors requested at start.
   * @default - `minExecutors`
   */
  readonly initialExecutors?: number;
  /**
   * How long an executor that holds shuffle data of an active job is kept, a Spark time string
   * (written in milliseconds to `dynamicAllocation.shuffleTrackingTimeout`).
   * @default - no timeout: such executors stay until the job that needs their shuffle data ends
   */
  readonly shuffleTrackingTimeout?: string;
  /**
   * How long an executor may sit idle before it is released (`spark.dynamicAllocation.executorIdleTimeout`).
   * Longer than Spark's 60s so short gaps between stages do not cause scale-down and scale-up churn.
   * @default '120s'
   */
  readonly executorIdleTimeout?: string;
  /**
   * How long an idle executor holding cached data is kept (`spark.dynamicAllocation.cachedExecutorIdleTimeout`).
   * Spark's default is infinite, which pins nodes; ten minutes lets the cluster scale down.
   * @default '600s'
   */
  readonly cachedExecutorIdleTimeout?: string;
  /**
   * Graceful decommissioning of released or preempted executors.
   * @default - enabled, migrating shuffle and RDD blocks, without fallback storage
   */
  readonly decommission?: SparkDecommissionOptions;
}

/** The SparkApplication `spec.dynamicAllocation` object. */
export interface SparkDynamicAllocationSpec {
  readonly enabled: boolean;
  readonly initialExecutors: number;
  readonly minExecutors: number;
  readonly maxExecutors: number;
  readonly shuffleTrackingEnabled: boolean;
  readonly shuffleTrackingTimeout?: number;
}

/** The rendering of {@link SparkDynamicAllocationOptions}: the spec field and the sparkConf entries it needs. */
export interface RenderedDynamicAllocation {
  readonly spec: SparkDynamicAllocationSpec;
  readonly conf: SparkConf;
}

/** Default `executorIdleTimeout`. */
export const DEFAULT_EXECUTOR_IDLE_TIMEOUT = '120s';
/** Default `cachedExecutorIdleTimeout`. */
export const DEFAULT_CACHED_EXECUTOR_IDLE_TIMEOUT = '600s';

/**
 * Validates dynamic allocation options (errors name fields under `dynamicAllocation`) and renders them.
 */
export function renderDynamicAllocation(options: SparkDynamicAllocationOptions): RenderedDynamicAllocation {
  check(isRecord(options), 'dynamicAllocation', options, 'an object with minExecutors and maxExecutors');
  const minExecutors = integerInRange('dynamicAllocation.minExecutors', options.minExecutors, 0);
  const maxExecutors = integerInRange('dynamicAllocation.maxExecutors', options.maxExecutors, 1);
  check(maxExecutors >= minExecutors, 'dynamicAllocation.maxExecutors', maxExecutors, `an integer >= minExecutors (${minExecutors})`);
  const initialExecutors = integerInRange('dynamicAllocation.initialExecutors', options.initialExecutors ?? minExecutors, 0);
  check(
    initialExecutors >= minExecutors && initialExecutors <= maxExecutors,
    'dynamicAllocation.initialExecutors',
    initialExecutors,
    `an integer between minExecutors (${minExecutors}) and maxExecutors (${maxExecutors})`,
  );
  const timeout = options.shuffleTrackingTimeout;
  const spec: SparkDynamicAllocationSpec = {
    enabled: true,
    initialExecutors,
    minExecutors,
    maxExecutors,
    shuffleTrackingEnabled: true,
    ...(timeout === undefined ? {} : { shuffleTrackingTimeout: Math.ceil(parseSparkDuration('dynamicAllocation.shuffleTrackingTimeout', timeout)) }),
  };
  return { spec, conf: { ...idleTimeoutConf(options), ...decommissionConf(options.decommission ?? {}) } };
}

function idleTimeoutConf(options: SparkDynamicAllocationOptions): SparkConf {
  const idle = options.executorIdleTimeout ?? DEFAULT_EXECUTOR_IDLE_TIMEOUT;
  const cached = options.cachedExecutorIdleTimeout ?? DEFAULT_CACHED_EXECUTOR_IDLE_TIMEOUT;
  parseSparkDuration('dynamicAllocation.executorIdleTimeout', idle);
  parseSparkDuration('dynamicAllocation.cachedExecutorIdleTimeout', cached);
  return {
    'spark.dynamicAllocation.executorIdleTimeout': idle,
    'spark.dynamicAllocation.cachedExecutorIdleTimeout': cached,
  };
}

/**
 * The sparkConf for graceful decommissioning (errors name fields under `dynamicAllocation.decommission`).
 * Disabled decommissioning writes nothing: Spark's defaults are already off.
 */
export function decommissionConf(options: SparkDecommissionOptions): SparkConf {
  const field = 'dynamicAllocation.decommission';
  check(isRecord(options), field, options, 'an object');
  const enabled = optionalBoolean(`${field}.enabled`, options.enabled, true);
  const shuffleBlocks = optionalBoolean(`${field}.shuffleBlocks`, options.shuffleBlocks, true);
  const rddBlocks = optionalBoolean(`${field}.rddBlocks`, options.rddBlocks, true);
  const cleanUp = optionalBoolean(`${field}.fallbackStorageCleanUp`, options.fallbackStorageCleanUp);
  if (!enabled) return {};
  const conf: Record<string, string> = {
    'spark.decommission.enabled': 'true',
    'spark.storage.decommission.enabled': 'true',
    'spark.storage.decommission.shuffleBlocks.enabled': String(shuffleBlocks),
    'spark.storage.decommission.rddBlocks.enabled': String(rddBlocks),
  };
  const path = options.fallbackStoragePath;
  if (path !== undefined) {
    const valid = typeof path === 'string' && path.length > 1 && path.endsWith('/');
    check(valid, `${field}.fallbackStoragePath`, path, 'a path ending with "/" (e.g. "s3a://bucket/fallback/")');
    conf['spark.storage.decommission.fallbackStorage.path'] = path;
    if (cleanUp !== undefined) conf['spark.storage.decommission.fallbackStorage.cleanUp'] = String(cleanUp);
  }
  if (options.forceKillTimeout !== undefined) {
    parseSparkDuration(`${field}.forceKillTimeout`, options.forceKillTimeout);
    conf['spark.executor.decommission.forceKillTimeout'] = options.forceKillTimeout;
  }
  return conf;
}
