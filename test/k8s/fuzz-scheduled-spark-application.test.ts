import { ScheduledSparkApplication, ScheduledSparkApplicationProps } from '../../lib/k8s/scheduled-spark-application';
import * as arb from '../support/arbitraries';
import { describeConformance } from '../support/conformance';
import { checkFuzzTarget, FuzzTarget, resolvePools, SUBJECT } from '../support/fuzz';

const scheduledProps = arb.propsOrJunk(
  arb.props(
    { ...arb.sparkApplicationFields.required, schedule: arb.schedule },
    {
      ...arb.sparkApplicationFields.optional,
      timeZone: arb.timeZone,
      concurrencyPolicy: arb.noisyOf(['Allow', 'Forbid', 'Replace'], ['forbid']),
      successfulRunHistoryLimit: arb.integer(0, 10),
      failedRunHistoryLimit: arb.integer(0, 10),
      suspend: arb.boolean,
    },
  ),
);

const target: FuzzTarget<unknown> = {
  input: scheduledProps,
  build: (scope, props) => {
    new ScheduledSparkApplication(scope.platform, SUBJECT, resolvePools(props, scope) as ScheduledSparkApplicationProps);
  },
  userRules: ['image-tag', 'no-secret-literals'],
};

describeConformance('ScheduledSparkApplication fuzz', () => {
  test('arbitrary props end in a located library error or conformant, secure output', () => {
    const stats = checkFuzzTarget(target);
    expect(stats.synthesized).toBeGreaterThan(100);
  });
});
