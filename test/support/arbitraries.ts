/**
 * fast-check arbitraries for driving the public constructs with props a user might write, right or
 * wrong: mostly valid values, now and then a value of the wrong type or out of range (negative
 * numbers, NaN, numbers as strings, null, huge strings, Kubernetes quantities where Spark sizes are
 * expected and back, names Kubernetes refuses).
 *
 * Every arbitrary is built from small constant pools so a case costs microseconds to generate: the
 * fuzz suites spend their budget synthesizing, not generating.
 */
import { k8s } from 'cdk8s-plus-27';
import fc from 'fast-check';

/** A value from the props of a construct as JavaScript sees it: anything. */
export type Fuzzed = unknown;

/** A props object whose keys may be absent. */
export type FuzzedProps = Readonly<Record<string, Fuzzed>>;

/** A string long enough to overflow every name and label limit. */
export const HUGE_STRING = 'x'.repeat(70_000);

/** Values wrong for any field: wrong types, special numbers, empty and huge strings. */
export const JUNK: readonly Fuzzed[] = [
  undefined,
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  0,
  1.5,
  2 ** 53,
  '',
  ' ',
  '-1',
  '1.5g',
  '512Mi',
  'NaN',
  true,
  {},
  [],
  [null],
  HUGE_STRING,
  'Bad_Name!',
  '\u0000',
];

/** One of the junk values. */
export const junk: fc.Arbitrary<Fuzzed> = fc.constantFrom(...JUNK);

/** How often a field gets junk instead of a valid value: one time in `1 + VALID_WEIGHT`. */
const VALID_WEIGHT = 30;

/** Mostly `valid`, sometimes junk or one of the near misses given for this field. */
export function noisy<T>(valid: fc.Arbitrary<T>, ...nearMisses: Fuzzed[]): fc.Arbitrary<T | Fuzzed> {
  const wrong = nearMisses.length > 0 ? fc.oneof(junk, fc.constantFrom(...nearMisses)) : junk;
  return fc.oneof({ weight: VALID_WEIGHT, arbitrary: valid }, { weight: 1, arbitrary: wrong });
}

/** Mostly one of `valid`, sometimes junk or a near miss. */
export function noisyOf(valid: readonly Fuzzed[], nearMisses: readonly Fuzzed[] = []): fc.Arbitrary<Fuzzed> {
  return noisy(fc.constantFrom(...valid), ...nearMisses);
}

/** Marks an optional key left out of a generated props object. */
const ABSENT = Symbol('absent');

/**
 * A props object: `required` keys are always present (possibly with junk), each `optional` key one
 * time in four, so that a case mostly exercises a few fields at once and most cases are valid.
 */
export function props(required: Record<string, fc.Arbitrary<Fuzzed>>, optional: Record<string, fc.Arbitrary<Fuzzed>> = {}): fc.Arbitrary<FuzzedProps> {
  const maybe = Object.fromEntries(
    Object.entries(optional).map(([key, arbitrary]) => [key, fc.oneof({ weight: 3, arbitrary: fc.constant(ABSENT) }, arbitrary)]),
  );
  return fc
    .record({ ...required, ...maybe })
    .map((record) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ABSENT)));
}

/** A props object, or now and then no object at all (a JavaScript caller passing nothing or a scalar). */
export function propsOrJunk(arbitrary: fc.Arbitrary<FuzzedProps>): fc.Arbitrary<Fuzzed> {
  return fc.oneof({ weight: 40, arbitrary }, { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'props', 42) });
}

// ---------------------------------------------------------------------------------------------------
// Names

const GOOD_NAMES = ['a', 'job-b', 'spark-etl', 'nightly', 'x1', 'report-2024', 'a'.repeat(40)];
/** Strings that break DNS-1123 or DNS-1035 rules in one way each. */
export const BAD_NAMES: readonly Fuzzed[] = [
  'Upper', 'under_score', '-lead', 'trail-', '1digit', 'dot.ted', 'sp ace', 'a'.repeat(64), 'a'.repeat(254), 'ünï',
];

/** An object or construct name: DNS-1035 labels, sometimes a name Kubernetes refuses. */
export const name: fc.Arbitrary<Fuzzed> = noisyOf(GOOD_NAMES, BAD_NAMES);

/** A namespace: DNS-1123 labels, sometimes not. */
export const namespace: fc.Arbitrary<Fuzzed> = noisyOf(['data', 'batch', 'team-a', '0data'], BAD_NAMES);

// ---------------------------------------------------------------------------------------------------
// Numbers

/** An integer in [min, max], sometimes a negative, fractional, non-finite or stringly number. */
export function integer(min: number, max: number): fc.Arbitrary<Fuzzed> {
  return noisy(fc.integer({ min, max }), min - 1, max + 1, String(min), 0.5 + min);
}

/** true or false, sometimes a truthy stand-in. */
export const boolean: fc.Arbitrary<Fuzzed> = noisy(fc.boolean(), 'true', 1, 0);

// ---------------------------------------------------------------------------------------------------
// Quantities and sizes

/** Kubernetes CPU quantities, sometimes a Spark size or a malformed amount. */
export const cpuQuantity: fc.Arbitrary<Fuzzed> = noisyOf(['100m', '500m', '1', '2', '4', '1500m', 1, 2], ['1.5g', '-1', '0', 'one', '4 cores', -2]);

/** Kubernetes memory quantities, sometimes a Spark size or a malformed amount. */
export const memoryQuantity: fc.Arbitrary<Fuzzed> = noisyOf(['512Mi', '1Gi', '2Gi', '16Gi', '1G', '1500M'], ['1.5g', '-1', '0', '12g', '4 GB', -512]);

/** Spark JVM sizes (integer + binary unit), sometimes a Kubernetes quantity or a fraction. */
export const sparkMemory: fc.Arbitrary<Fuzzed> = noisyOf(['512m', '1g', '2g', '4g', '12g', '2048m'], ['512Mi', '1.5g', '-1', '0', '4 GB', '1Gi', 4]);

/** Durations as the constructs take them (`'45m'`, `'1h30m'`, seconds). */
export const duration: fc.Arbitrary<Fuzzed> = noisyOf(['45m', '1h30m', '20s', 600, '2h'], ['-5m', 'soon', '1.5x', -60]);

// ---------------------------------------------------------------------------------------------------
// Maps and lists

const LABEL_KEYS = ['team', 'example.com/tier', 'cost-center'];
const BAD_LABEL_KEYS = ['-bad', 'a/b/c', 'x'.repeat(70), 'UPPER/key!'];
const LABEL_VALUES = ['data', 'etl', 'v1', ''];
const BAD_LABEL_VALUES: readonly Fuzzed[] = ['has space', 'x'.repeat(64), 7, null];

/** A map of labels, sometimes with a bad key or value, sometimes not a map. */
export const labels: fc.Arbitrary<Fuzzed> = noisy(
  fc.dictionary(
    fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...LABEL_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_LABEL_KEYS) }),
    fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...LABEL_VALUES) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_LABEL_VALUES) }),
    { maxKeys: 3 },
  ),
  ['team', 'data'],
);

/** A list of strings from `pool`, sometimes with a non-string item or not a list. */
export function stringList(pool: readonly string[]): fc.Arbitrary<Fuzzed> {
  return noisy(fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 3 }), [1, 'a'], 'a', [pool[0], pool[0]]);
}

/** Container images: pinned tags, sometimes untagged, blank or with spaces. */
export const image: fc.Arbitrary<Fuzzed> = noisyOf(
  ['python:3.12-slim', 'registry.example.com/spark:3.5.3', 'apache/spark:3.5.3', 'ghcr.io/acme/etl@sha256:' + 'a'.repeat(64)],
  ['has space:1', 'UPPER:1', 'python'],
);

/** Cron schedules, sometimes malformed or with a time zone prefix. */
export const schedule: fc.Arbitrary<Fuzzed> = noisyOf(
  ['0 23 * * *', '*/15 * * * *', '@daily', '30 2 * * MON-FRI', '@every 1h'],
  ['61 * * * *', '* * *', 'CRON_TZ=UTC 0 1 * * *', 'daily', '0 0 31 2 *'],
);

/** IANA time zones, sometimes unknown. */
export const timeZone: fc.Arbitrary<Fuzzed> = noisyOf(['UTC', 'Europe/Paris', 'America/New_York'], ['Mars/Olympus', 'utc+1']);

/** An IAM role ARN, sometimes malformed. */
export const roleArn: fc.Arbitrary<Fuzzed> = noisyOf(['arn:aws:iam::123456789012:role/spark'], ['role/spark', 'arn:aws:s3:::bucket']);

// ---------------------------------------------------------------------------------------------------
// Construct props that refer to pools

/** How props name a pool of the fuzz platform; `resolvePools` (test/support/fuzz.ts) swaps in the NodePool. */
export type PoolRef = 'general' | 'spot';

/** A pool reference, sometimes a value that is not a NodePool. */
export const poolRef: fc.Arbitrary<Fuzzed> = noisyOf(['general', 'spot'], [{ name: 'general' }]);

const sparkRole = {
  cores: integer(1, 8),
  // Valid requests never exceed valid limits; the near misses cover the rest.
  coreRequest: noisyOf(['100m', '250m', '500m', '1'], ['1.5g', '-1', '0', 'one', '8']),
  coreLimit: noisyOf(['1', '2', '4', '4000m'], ['1.5g', '-1', '0', '50m', 2]),
  memory: sparkMemory,
  memoryOverhead: sparkMemory,
  memoryOverheadFactor: noisyOf([0.1, 0.2, 0.4], [0, -0.5, '0.2']),
  gpu: noisy(props({ quantity: integer(1, 2) }), { quantity: 0 }),
  image: image,
  pool: poolRef,
  labels: labels,
  annotations: noisyOf([{ 'example.com/owner': 'data' }], [{ owner: 3 }]),
  env: noisyOf([[{ name: 'LOG_LEVEL', value: 'info' }]], [[{ value: 'x' }], [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'abc' }]]),
  javaOptions: noisyOf(['-XX:+UseG1GC'], ['-Xmx4g']),
  terminationGracePeriodSeconds: integer(0, 600),
};

/** A sidecar for a Spark pod template that the security policy accepts. */
function templateSidecar(name: string): k8s.Container {
  const amount = { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') };
  return {
    name,
    image: 'fluent/fluent-bit:3.1.4',
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    resources: { requests: amount, limits: amount },
  };
}

/**
 * A driver or executor pod template: labels, host aliases, a secure sidecar with a size-limited volume,
 * an addition to the Spark container; sometimes a field batchplane owns, a Spark container that sets
 * its security context or memory, a plain-string quantity, stray nulls or not an object.
 */
function sparkTemplate(role: 'driver' | 'executor'): fc.Arbitrary<Fuzzed> {
  const spark = `spark-kubernetes-${role}`;
  return noisyOf(
    [
      { metadata: { labels: { team: 'data' }, annotations: { 'example.com/owner': 'etl' } } },
      { spec: { containers: [], hostAliases: [{ ip: '10.0.0.5', hostnames: ['metastore'] }] } },
      {
        spec: {
          containers: [templateSidecar('log-shipper')],
          volumes: [{ name: 'shipper-buffer', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } }],
        },
      },
      { spec: { containers: [{ name: spark, ports: [{ name: 'metrics', containerPort: 9090 }] }], initContainers: [templateSidecar('fetch')] } },
    ],
    [
      { spec: { containers: [], tolerations: [{ operator: 'Exists' }] } },
      { spec: { containers: [], securityContext: { runAsUser: 0 } } },
      { spec: { containers: [{ name: spark, securityContext: { privileged: true } }] } },
      { spec: { containers: [{ name: spark, resources: { limits: { memory: k8s.Quantity.fromString('64Gi') } } }] } },
      { spec: { containers: [{ name: 'side', resources: { requests: { cpu: '100m' } } }] } },
      { spec: { containers: [templateSidecar('a')], initContainers: [templateSidecar('a')] } },
      { spec: { containers: [null] } },
      { spec: { containers: [], volumes: [null] } },
      { spec: { containers: [], volumes: [{ name: 'spark-tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } }] } },
      { metadata: { name: 'pod' } },
      { metadata: { labels: { 'bad key!': 'x' } } },
    ],
  );
}

/** Driver props. */
export const sparkDriver: fc.Arbitrary<Fuzzed> = noisy(props({}, { ...sparkRole, template: sparkTemplate('driver') }), 'driver');

/** Executor props. */
export const sparkExecutor: fc.Arbitrary<Fuzzed> = noisy(
  props({}, { ...sparkRole, template: sparkTemplate('executor'), instances: integer(1, 10), deleteOnTermination: boolean }),
  'executor',
);

/** SparkApplication props (also the base of ScheduledSparkApplication props). */
export const sparkApplicationFields = {
  required: {
    type: noisyOf(['Python', 'Scala', 'Java', 'R'], ['python', 'Go']),
    sparkVersion: noisyOf(['3.5.3', '3.4.1', '3.1.2', '2.4.8'], ['3.5', 'v3.5.3', 3.5]),
    image: image,
    mainApplicationFile: noisyOf(['s3a://bucket/jobs/b.py', 'local:///opt/spark/jobs/app.jar'], ['']),
  },
  optional: {
    name: name,
    mainClass: noisyOf(['com.example.Main'], [42]),
    arguments: stringList(['--date', '2024-01-01', '--full']),
    sparkConf: noisyOf(
      [{ 'spark.sql.shuffle.partitions': '400' }, { 'spark.hadoop.fs.s3a.aws.credentials.provider': 'com.amazonaws.auth.WebIdentityTokenCredentialsProvider' }],
      [{ 'spark.executor.instances': '4' }, { 'spark.sql.shuffle.partitions': 400 }, { 'spark.hadoop.fs.s3a.secret.key': 'abc' }, { '': 'x' }],
    ),
    hadoopConf: noisyOf([{ 'fs.s3a.fast.upload': 'true' }], [{ 'fs.s3a.fast.upload': true }]),
    deps: noisy(props({}, { jars: stringList(['s3a://bucket/a.jar']), packages: stringList(['org.apache.hadoop:hadoop-aws:3.3.4']) }), 'a.jar'),
    restartPolicy: noisy(
      props({ type: noisyOf(['Never', 'OnFailure', 'Always'], ['never']) }, { onFailureRetries: integer(0, 5), onFailureRetryInterval: integer(1, 60) }),
      'Never',
    ),
    timeToLiveSeconds: integer(0, 86_400),
    memoryOverheadFactor: noisyOf([0.1, 0.3], [0, -1, '0.1']),
    driver: sparkDriver,
    executor: sparkExecutor,
    dynamicAllocation: noisy(
      props({ minExecutors: integer(0, 4), maxExecutors: integer(1, 40) }, { initialExecutors: integer(0, 10), executorIdleTimeout: noisyOf(['60s', '2m'], ['soon']) }),
      true,
    ),
    awsRoleArn: roleArn,
    scratch: noisy(props({}, { localDirSizeLimit: memoryQuantity, tmpSizeLimit: memoryQuantity, workDirSizeLimit: memoryQuantity }), '20Gi'),
    labels: labels,
    estimatedDuration: duration,
  },
} as const;

/** SparkApplication props. */
export const sparkApplicationProps: fc.Arbitrary<Fuzzed> = propsOrJunk(props(sparkApplicationFields.required, sparkApplicationFields.optional));
