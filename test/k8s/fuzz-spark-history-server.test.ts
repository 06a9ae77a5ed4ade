import fc from 'fast-check';
import { SparkEventLogStorage, SparkHistoryServer, SparkHistoryServerProps } from '../../lib/k8s/spark-history-server';
import * as arb from '../support/arbitraries';
import { describeConformance } from '../support/conformance';
import { checkFuzzTarget, fromFactory, FuzzTarget, Generated, resolvePools, SUBJECT } from '../support/fuzz';

/** How the storage is made; the factories are part of the input (they validate their own arguments). */
const storage = fc.oneof(
  { weight: 5, arbitrary: arb.noisyOf(['s3a://data-lake/spark-events/', 's3a://logs/spark'], ['s3://bucket/x', 'bucket']).map((uri) => ({ s3: uri })) },
  { weight: 3, arbitrary: fc.record({ claim: arb.name, mountPath: arb.noisyOf([undefined, '/mnt/events'], ['/', 'relative', '/a:b']) }) },
  { weight: 1, arbitrary: arb.junk.map((value) => ({ value })) },
);

const input = fc.record({
  storage,
  props: arb.propsOrJunk(
    arb.props(
      {},
      {
        name: arb.name,
        image: arb.image,
        replicas: arb.integer(1, 3),
        awsRoleArn: arb.roleArn,
        cpu: arb.noisyOf(['250m', '500m'], ['1.5g', '-1', '0']),
        cpuLimit: arb.noisyOf(['1', '2'], ['100m', '1.5g']),
        memory: arb.noisyOf(['1Gi', '2Gi', '4Gi'], ['256Mi', '2g', '-1']),
        tmpSizeLimit: arb.memoryQuantity,
        options: arb.noisyOf([{ 'spark.history.fs.cleaner.enabled': 'true' }], [{ 'spark.history.ui.port': '1' }, { x: 'y' }, { 'spark.a': 'has space' }]),
        pool: arb.poolRef,
        priorityTier: arb.noisyOf([undefined], ['batch-default']),
      },
    ),
  ),
});

type Storage = { s3: arb.Fuzzed } | { claim: arb.Fuzzed; mountPath: arb.Fuzzed } | { value: arb.Fuzzed };

function makeStorage(spec: Storage): unknown {
  if ('s3' in spec) return fromFactory(() => SparkEventLogStorage.s3(spec.s3 as string));
  if ('claim' in spec) return fromFactory(() => SparkEventLogStorage.persistentVolumeClaim(spec.claim as string, spec.mountPath as string | undefined));
  return spec.value;
}

const target: FuzzTarget<Generated<typeof input>> = {
  input,
  build: (scope, { storage: spec, props }) => {
    const resolved = resolvePools(props, scope);
    const given = typeof resolved === 'object' && resolved !== null ? { ...resolved, storage: makeStorage(spec as Storage) } : resolved;
    new SparkHistoryServer(scope.platform, SUBJECT, given as SparkHistoryServerProps);
  },
};

describeConformance('SparkHistoryServer fuzz', () => {
  test('arbitrary props end in a located library error or conformant, secure output', () => {
    const stats = checkFuzzTarget(target);
    expect(stats.synthesized).toBeGreaterThan(100);
  });
});
