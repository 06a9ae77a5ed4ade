import fc from 'fast-check';
import { OverProvisioning, OverProvisioningProps } from '../../lib/k8s/over-provisioning';
import * as arb from '../support/arbitraries';
import { describeConformance } from '../support/conformance';
import { checkFuzzTarget, FuzzTarget, SUBJECT } from '../support/fuzz';

interface HeadroomInput {
  readonly props: arb.Fuzzed;
  readonly pool: 'general' | 'spot' | 'none' | 'junk';
}

const target: FuzzTarget<HeadroomInput> = {
  input: fc.record({
    props: arb.propsOrJunk(
      arb.props(
        { replicas: arb.integer(1, 10), cpu: arb.cpuQuantity, memory: arb.memoryQuantity },
        {
          name: arb.name,
          priority: arb.integer(-10, -1),
          priorityClassName: arb.noisyOf(['headroom', 'batch-headroom.v1'], ['Bad Class', 'batch-default']),
          image: arb.image,
        },
      ),
    ),
    pool: fc.oneof({ weight: 10, arbitrary: fc.constantFrom('general' as const, 'spot' as const) }, { weight: 1, arbitrary: fc.constantFrom('none' as const, 'junk' as const) }),
  }),
  build: ({ platform, general, spot }, { props, pool }) => {
    const pools = { general, spot, none: undefined, junk: 'general' };
    const given = typeof props === 'object' && props !== null ? { ...props, pool: pools[pool] } : props;
    new OverProvisioning(platform, SUBJECT, given as OverProvisioningProps);
  },
};

describeConformance('OverProvisioning fuzz', () => {
  test('arbitrary props end in a located library error or conformant, secure output', () => {
    const stats = checkFuzzTarget(target);
    expect(stats.synthesized).toBeGreaterThan(100);
  });
});
