import fc from 'fast-check';
import { Platform, PlatformProps } from '../../lib/k8s/platform';
import * as arb from '../support/arbitraries';
import { describeConformance } from '../support/conformance';
import { checkFuzzTarget, FuzzTarget, Generated } from '../support/fuzz';

const input = fc.record({
  id: arb.noisyOf(['data', 'batch', 'team-a'], ['Data', 'x'.repeat(64), '']),
  props: arb.propsOrJunk(
    arb.props(
      { namespace: arb.namespace },
      {
        labels: arb.noisy(arb.labels as fc.Arbitrary<arb.Fuzzed>, { 'app.kubernetes.io/managed-by': 'me' }, { 'app.kubernetes.io/part-of': 'x' }),
        strict: arb.boolean,
        priorityTiers: arb.boolean,
        createNamespace: arb.boolean,
        description: arb.noisyOf(['Nightly batch pipelines', '', 'ünïcode ✓'], [42]),
      },
    ),
  ),
});

const target: FuzzTarget<Generated<typeof input>> = {
  input,
  createsPlatform: true,
  build: ({ app }, { id, props }) => {
    new Platform(app, id as string, props as PlatformProps);
  },
  // An unusable id has no path of its own: the library names the platform '<platform>' instead.
  path: ({ id }) => (typeof id === 'string' && id !== '' ? id : '<platform>'),
};

describeConformance('Platform fuzz', () => {
  test('arbitrary props end in a located library error or conformant, secure output', () => {
    const stats = checkFuzzTarget(target);
    expect(stats.synthesized).toBeGreaterThan(100);
  });
});
