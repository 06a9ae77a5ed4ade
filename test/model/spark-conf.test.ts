import {
  checkSparkConf,
  decommissionConf,
  isForbiddenSparkConfKey,
  mergeSparkConf,
  parseSparkDuration,
  renderDynamicAllocation,
  sizingFromSparkConf,
} from '../../lib/model/spark-conf';

describe('forbidden keys', () => {
  test.each([
    'spark.master',
    'spark.kubernetes.driver.master',
    'spark.kubernetes.container.image',
    'spark.kubernetes.driver.container.image',
    'spark.kubernetes.executor.container.image',
    'spark.kubernetes.authenticate.driver.serviceAccountName',
    'spark.kubernetes.authenticate.executor.serviceAccountName',
    'spark.kubernetes.authenticate.oauthToken',
    'spark.kubernetes.authenticate.driver.oauthTokenFile',
    'spark.kubernetes.authenticate.executor.oauthToken',
  ])('%s is refused', (key) => {
    expect(isForbiddenSparkConfKey(key)).toBe(true);
    expect(() => checkSparkConf('sparkConf', { [key]: 'x' }, 'data')).toThrow(
      `sparkConf[${JSON.stringify(key)}]: got "x", expected no value: the Spark operator sets this key itself`,
    );
  });

  test('ordinary keys pass', () => {
    expect(isForbiddenSparkConfKey('spark.sql.shuffle.partitions')).toBe(false);
    expect(() => checkSparkConf('sparkConf', { 'spark.sql.shuffle.partitions': '400' }, 'data')).not.toThrow();
  });

  test('keys owned by typed props name the prop', () => {
    expect(() => checkSparkConf('sparkConf', { 'spark.executor.memory': '4g' }, 'data')).toThrow(
      'sparkConf["spark.executor.memory"]: got "4g", expected no value: set it through the typed prop `executor.memory`',
    );
  });

  test('spark.kubernetes.namespace must match the namespace', () => {
    expect(() => checkSparkConf('sparkConf', { 'spark.kubernetes.namespace': 'data' }, 'data')).not.toThrow();
    expect(() => checkSparkConf('sparkConf', { 'spark.kubernetes.namespace': 'other' }, 'data')).toThrow(
      'sparkConf["spark.kubernetes.namespace"]: got "other", expected the application\'s namespace "data" (or no value)',
    );
  });

  test('values must be strings', () => {
    expect(() => checkSparkConf('sparkConf', { 'spark.sql.shuffle.partitions': 400 }, 'data')).toThrow(
      'sparkConf["spark.sql.shuffle.partitions"]: got 400, expected a string',
    );
  });
});

describe('mergeSparkConf', () => {
  test('sorts keys and accepts identical duplicates', () => {
    const merged = mergeSparkConf([
      { source: 'sparkConf', conf: { b: '1', a: '2' } },
      { source: 'eventLog', conf: { a: '2', c: '3' } },
    ]);
    expect(Object.keys(merged)).toEqual(['a', 'b', 'c']);
  });

  test('a conflict names both sources', () => {
    expect(() =>
      mergeSparkConf([
        { source: 'sparkConf', conf: { 'spark.eventLog.dir': 's3a://x/' } },
        { source: 'eventLog', conf: { 'spark.eventLog.dir': 's3a://y/' } },
      ]),
    ).toThrow('eventLog["spark.eventLog.dir"]: got "s3a://y/", expected the same value as sparkConf sets ("s3a://x/"), or no value');
  });
});

test('sizing inputs from sparkConf', () => {
  const conf = {
    'spark.executor.pyspark.memory': '1g',
    'spark.memory.offHeap.enabled': 'true',
    'spark.memory.offHeap.size': '2g',
    'spark.driver.minMemoryOverhead': '500m',
  };
  expect(sizingFromSparkConf(conf, 'executor')).toEqual({ minMemoryOverhead: undefined, pysparkMemory: '1g', offHeapMemory: '2g' });
  expect(sizingFromSparkConf(conf, 'driver')).toEqual({ minMemoryOverhead: '500m', pysparkMemory: undefined, offHeapMemory: undefined });
  expect(sizingFromSparkConf({ 'spark.memory.offHeap.size': '2g' }, 'executor').offHeapMemory).toBeUndefined();
});

test.each([
  ['120s', 120_000],
  ['10min', 600_000],
  ['2m', 120_000],
  ['1h', 3_600_000],
  ['500ms', 500],
  ['30', 30_000],
])('parseSparkDuration(%j) = %d ms', (text, ms) => {
  expect(parseSparkDuration('f', text)).toBe(ms);
});

test.each(['1.5s', '10 parsecs', '', '-1s'])('parseSparkDuration rejects %j', (text) => {
  expect(() => parseSparkDuration('f', text)).toThrow(/^f: got .*expected a Spark time string/);
});

describe('dynamic allocation', () => {
  test('renders spec and conf with cluster-friendly defaults', () => {
    const r = renderDynamicAllocation({ minExecutors: 2, maxExecutors: 20, shuffleTrackingTimeout: '30min' });
    expect(r.spec).toEqual({
      enabled: true,
      initialExecutors: 2,
      minExecutors: 2,
      maxExecutors: 20,
      shuffleTrackingEnabled: true,
      shuffleTrackingTimeout: 1_800_000,
    });
    expect(r.conf).toEqual({
      'spark.dynamicAllocation.executorIdleTimeout': '120s',
      'spark.dynamicAllocation.cachedExecutorIdleTimeout': '600s',
      'spark.decommission.enabled': 'true',
      'spark.storage.decommission.enabled': 'true',
      'spark.storage.decommission.shuffleBlocks.enabled': 'true',
      'spark.storage.decommission.rddBlocks.enabled': 'true',
    });
  });

  test('no shuffle tracking timeout unless given', () => {
    expect(renderDynamicAllocation({ minExecutors: 0, maxExecutors: 1 }).spec).not.toHaveProperty('shuffleTrackingTimeout');
  });

  test('checks min <= initial <= max', () => {
    expect(() => renderDynamicAllocation({ minExecutors: 5, maxExecutors: 2 })).toThrow(
      'dynamicAllocation.maxExecutors: got 2, expected an integer >= minExecutors (5)',
    );
    expect(() => renderDynamicAllocation({ minExecutors: 1, maxExecutors: 4, initialExecutors: 5 })).toThrow(
      'dynamicAllocation.initialExecutors: got 5, expected an integer between minExecutors (1) and maxExecutors (4)',
    );
    expect(() => renderDynamicAllocation({ minExecutors: -1, maxExecutors: 4 })).toThrow('dynamicAllocation.minExecutors: got -1, expected an integer >= 0');
    expect(() => renderDynamicAllocation({ minExecutors: 0, maxExecutors: 0 })).toThrow('dynamicAllocation.maxExecutors: got 0, expected an integer >= 1');
    expect(() => renderDynamicAllocation({ minExecutors: 1.5, maxExecutors: 4 })).toThrow('dynamicAllocation.minExecutors: got 1.5');
  });

  test('checks idle timeouts', () => {
    expect(() => renderDynamicAllocation({ minExecutors: 0, maxExecutors: 4, executorIdleTimeout: 'soon' })).toThrow(
      /^dynamicAllocation.executorIdleTimeout: got "soon"/,
    );
  });
});

describe('decommissioning', () => {
  test('fallback storage path must end with a slash', () => {
    expect(() => decommissionConf({ fallbackStoragePath: 's3a://bucket/fallback' })).toThrow(
      'dynamicAllocation.decommission.fallbackStoragePath: got "s3a://bucket/fallback", expected a path ending with "/"',
    );
  });

  test('renders fallback storage, clean-up and force kill', () => {
    expect(decommissionConf({ fallbackStoragePath: 's3a://b/f/', fallbackStorageCleanUp: true, forceKillTimeout: '5min', rddBlocks: false })).toEqual({
      'spark.decommission.enabled': 'true',
      'spark.storage.decommission.enabled': 'true',
      'spark.storage.decommission.shuffleBlocks.enabled': 'true',
      'spark.storage.decommission.rddBlocks.enabled': 'false',
      'spark.storage.decommission.fallbackStorage.path': 's3a://b/f/',
      'spark.storage.decommission.fallbackStorage.cleanUp': 'true',
      'spark.executor.decommission.forceKillTimeout': '5min',
    });
  });

  test('disabled writes nothing', () => {
    expect(decommissionConf({ enabled: false })).toEqual({});
  });
});
