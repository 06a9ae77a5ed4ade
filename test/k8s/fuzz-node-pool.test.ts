import fc from 'fast-check';
import { NodePool, NodePoolProps } from '../../lib/k8s/node-pool';
import * as arb from '../support/arbitraries';
import { describeConformance } from '../support/conformance';
import { checkFuzzTarget, FuzzTarget, SUBJECT } from '../support/fuzz';

const INSTANCE_TYPES = [['m6i.2xlarge'], ['r6i.2xlarge', 'r5.2xlarge'], ['c6i.4xlarge'], ['g5.2xlarge']];
const BAD_INSTANCE_TYPES = [['nope.large'], ['m6i.2xlarge', 'r6i.4xlarge'], [], 'm6i.2xlarge', [42]];

const taint = arb.props(
  { key: arb.noisyOf(['dedicated', 'example.com/spark', 'nvidia.com/gpu'], ['bad key!', '']), effect: arb.noisyOf(['NoSchedule', 'NoExecute', 'PreferNoSchedule'], ['NO_SCHEDULE']) },
  { value: arb.noisyOf(['spark', 'true', ''], ['has space']) },
);

interface PoolInput {
  readonly props: arb.Fuzzed;
  readonly fallback: 'general' | 'spot' | 'none' | 'junk';
}

const target: FuzzTarget<PoolInput> = {
  input: fc.record({
    props: arb.propsOrJunk(
      arb.props(
        { instanceTypes: arb.noisyOf(INSTANCE_TYPES, BAD_INSTANCE_TYPES), maxNodes: arb.integer(1, 50) },
        {
          name: arb.name,
          capacityType: arb.noisyOf(['ON_DEMAND', 'SPOT'], ['spot', 'RESERVED']),
          minNodes: arb.integer(0, 5),
          zones: arb.stringList(['eu-west-1a', 'eu-west-1b']),
          labels: arb.labels,
          taints: arb.noisy(fc.array(taint, { maxLength: 2 }), [null], 'dedicated=spark'),
          daemonSetOverhead: arb.noisy(arb.props({}, { cpu: arb.cpuQuantity, memory: arb.memoryQuantity, pods: arb.integer(0, 10) }), 'small'),
          diskSizeGiB: arb.integer(1, 500),
        },
      ),
    ),
    fallback: fc.constantFrom('general', 'spot', 'none', 'junk'),
  }),
  build: ({ platform, general, spot }, { props, fallback }) => {
    const fallbacks = { general, spot, none: undefined, junk: { name: 'general' } };
    const given = typeof props === 'object' && props !== null && fallback !== 'none' ? { ...props, fallback: fallbacks[fallback] } : props;
    new NodePool(platform, SUBJECT, given as NodePoolProps);
  },
};

describeConformance('NodePool fuzz', () => {
  test('arbitrary props end in a located library error or conformant output', () => {
    const stats = checkFuzzTarget(target);
    expect(stats.synthesized).toBeGreaterThan(100);
  });
});
