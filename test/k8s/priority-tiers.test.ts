import { Testing } from 'cdk8s';
import { Platform } from '../../lib/k8s/platform';
import { PreemptionPolicy, PriorityTier } from '../../lib/k8s/priority-tiers';
import { describeConformance, validateManifests } from '../support/conformance';

describe('PriorityTier', () => {
  test('standard tiers, highest first, all at priority 0 or above and preempting lower priorities', () => {
    expect(PriorityTier.STANDARD.map((t) => [t.className, t.value, t.preemptionPolicy])).toEqual([
      ['batch-critical', 1_000_000, 'PreemptLowerPriority'],
      ['batch-default', 1_000, 'PreemptLowerPriority'],
      ['batch-preemptible', 0, 'PreemptLowerPriority'],
    ]);
    expect(PriorityTier.CRITICAL.className).toBe('batch-critical');
    expect(PriorityTier.DEFAULT.value).toBe(1000);
    expect(PriorityTier.PREEMPTIBLE.value).toBe(0);
  });

  test('custom tiers keep their settings and default the rest', () => {
    const tier = PriorityTier.custom('team-a-urgent', 20_000);
    expect([tier.className, tier.value, tier.preemptionPolicy, tier.description])
      .toEqual(['team-a-urgent', 20000, 'PreemptLowerPriority', 'Batch pods at priority 20000.']);
    const queued = PriorityTier.custom('queued', 500, { preemptionPolicy: PreemptionPolicy.NEVER, description: 'Waits its turn.' });
    expect([queued.preemptionPolicy, queued.description]).toEqual(['Never', 'Waits its turn.']);
    expect(PriorityTier.custom('top', 1_000_000_000).value).toBe(1_000_000_000);
  });

  test.each<[string, () => PriorityTier, string]>([
    ['a negative value', () => PriorityTier.custom('low', -1), 'value: got -1, expected an integer between 0 and 1000000000 (negative priorities are left to capacity placeholders'],
    ['a value above the user range', () => PriorityTier.custom('high', 1_000_000_001), 'value: got 1000000001'],
    ['a fractional value', () => PriorityTier.custom('half', 0.5), 'value: got 0.5'],
    ['a reserved name', () => PriorityTier.custom('system-batch', 1), 'className: got "system-batch", expected a name not starting with system-'],
    ['a bad name', () => PriorityTier.custom('Batch Urgent', 1), 'className: got "Batch Urgent"'],
    ['a bad policy', () => PriorityTier.custom('x', 1, { preemptionPolicy: 'Always' as PreemptionPolicy }),
      'preemptionPolicy: got "Always", expected one of PreemptLowerPriority, Never'],
  ])('custom rejects %s', (_, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('standard tiers in a platform', () => {
  test('are PriorityClasses without globalDefault, with a description', () => {
    const platform = new Platform(Testing.app(), 'data', { namespace: 'batch', createNamespace: false });
    const classes = Testing.synth(platform) as { metadata: { name: string }; value: number; globalDefault: boolean; description: string }[];
    expect(classes.map((c) => [c.metadata.name, c.value, c.globalDefault])).toEqual([
      ['batch-critical', 1_000_000, false],
      ['batch-default', 1_000, false],
      ['batch-preemptible', 0, false],
    ]);
    for (const c of classes) expect(c.description.length).toBeGreaterThan(20);
  });
});

describeConformance('priority tier manifests', () => {
  test('pass strict schema validation', () => {
    const platform = new Platform(Testing.app(), 'data', { namespace: 'batch' });
    platform.addPriorityTier(PriorityTier.custom('queued', 500, { preemptionPolicy: PreemptionPolicy.NEVER }));
    expect(validateManifests(Testing.synth(platform))).toEqual([]);
  });
});
