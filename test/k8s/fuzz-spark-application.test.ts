import { SparkApplication, SparkApplicationProps } from '../../lib/k8s/spark-application';
import { sparkApplicationProps } from '../support/arbitraries';
import { describeConformance } from '../support/conformance';
import { checkFuzzTarget, FuzzTarget, resolvePools, SUBJECT } from '../support/fuzz';

const target: FuzzTarget<unknown> = {
  input: sparkApplicationProps,
  build: (scope, props) => {
    new SparkApplication(scope.platform, SUBJECT, resolvePools(props, scope) as SparkApplicationProps);
  },
  // A credential typed into sparkConf or env is the user's doing; the policy in synth reports it.
  userRules: ['image-tag', 'no-secret-literals'],
};

describeConformance('SparkApplication fuzz', () => {
  test('arbitrary props end in a located library error or conformant, secure output', () => {
    const stats = checkFuzzTarget(target);
    expect(stats.synthesized).toBeGreaterThan(100);
  });
});
