import {
  blocksScheduling,
  matchesNodeSelector,
  matchesTerm,
  podToleratesNode,
  preferenceScore,
  tolerates,
  untoleratedTaints,
} from '../../lib/model/scheduling';
import { NodeSelectorTerm, Taint, Toleration } from '../../lib/model/scheduling-types';

describe('tolerates', () => {
  // kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration: taint key1=value1:NoSchedule.
  const taint: Taint = { key: 'key1', value: 'value1', effect: 'NoSchedule' };

  it('matches the two tolerations the Kubernetes docs give for key1=value1:NoSchedule', () => {
    expect(tolerates({ key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(tolerates({ key: 'key1', operator: 'Exists', effect: 'NoSchedule' }, taint)).toBe(true);
  });

  it('defaults the operator to Equal', () => {
    expect(tolerates({ key: 'key1', value: 'value1', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(tolerates({ key: 'key1', value: 'other', effect: 'NoSchedule' }, taint)).toBe(false);
    expect(tolerates({ key: 'key1', effect: 'NoSchedule' }, taint)).toBe(false);
  });

  it('compares keys and effects', () => {
    expect(tolerates({ key: 'key2', operator: 'Exists' }, taint)).toBe(false);
    expect(tolerates({ key: 'key1', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
  });

  it('treats an empty effect as every effect (docs: "an empty effect matches all effects with key key1")', () => {
    expect(tolerates({ key: 'key1', operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ key: 'key1', operator: 'Exists' }, { ...taint, effect: 'NoExecute' })).toBe(true);
  });

  it('treats an empty key with Exists as every taint (docs: "matches all keys, values and effects")', () => {
    expect(tolerates({ operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ key: '', operator: 'Exists' }, { key: 'anything', effect: 'NoExecute' })).toBe(true);
    expect(tolerates({ operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
  });

  it('treats a missing value as the empty value', () => {
    expect(tolerates({ key: 'dedicated', operator: 'Equal', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoSchedule' })).toBe(true);
    expect(tolerates({ key: 'dedicated', value: '', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoSchedule' })).toBe(true);
  });

  it('does not tolerate with an unknown operator from JavaScript', () => {
    expect(tolerates({ key: 'key1', operator: 'Lt' as unknown as 'Exists' }, taint)).toBe(false);
  });
});

describe('podToleratesNode', () => {
  // The docs' worked example: three taints, two tolerations, key2 left untolerated.
  const taints: Taint[] = [
    { key: 'key1', value: 'value1', effect: 'NoSchedule' },
    { key: 'key1', value: 'value1', effect: 'NoExecute' },
    { key: 'key2', value: 'value2', effect: 'NoSchedule' },
  ];
  const tolerations: Toleration[] = [
    { key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoSchedule' },
    { key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoExecute' },
  ];

  it('keeps the pod off the node while one blocking taint is untolerated (docs example)', () => {
    expect(podToleratesNode(tolerations, taints)).toBe(false);
    expect(untoleratedTaints(tolerations, taints)).toEqual([taints[2]]);
  });

  it('admits the pod once every blocking taint is tolerated', () => {
    expect(podToleratesNode([...tolerations, { key: 'key2', operator: 'Exists' }], taints)).toBe(true);
  });

  it('never blocks on PreferNoSchedule', () => {
    const soft: Taint = { key: 'key2', value: 'value2', effect: 'PreferNoSchedule' };
    expect(blocksScheduling(soft)).toBe(false);
    expect(podToleratesNode([], [soft])).toBe(true);
    expect(untoleratedTaints([], [soft])).toEqual([]);
  });

  it('admits any pod onto an untainted node', () => {
    expect(podToleratesNode([], [])).toBe(true);
  });
});

describe('matchesTerm', () => {
  const node = { 'topology.kubernetes.io/zone': 'antarctica-east1', 'kubernetes.io/arch': 'amd64', gpus: '4' };

  it('matches the required term of the docs example (zone In antarctica-east1, antarctica-west1)', () => {
    const term: NodeSelectorTerm = {
      matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['antarctica-east1', 'antarctica-west1'] }],
    };
    expect(matchesTerm(node, term)).toBe(true);
    expect(matchesTerm({ 'topology.kubernetes.io/zone': 'eu-west-1a' }, term)).toBe(false);
  });

  it('ANDs the expressions of a term', () => {
    const term: NodeSelectorTerm = {
      matchExpressions: [
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['antarctica-west1'] },
      ],
    };
    expect(matchesTerm(node, term)).toBe(false);
  });

  it('matches NotIn and DoesNotExist when the key is absent (node anti-affinity)', () => {
    expect(matchesTerm(node, { matchExpressions: [{ key: 'dedicated', operator: 'NotIn', values: ['spark'] }] })).toBe(true);
    expect(matchesTerm(node, { matchExpressions: [{ key: 'dedicated', operator: 'DoesNotExist' }] })).toBe(true);
    expect(matchesTerm(node, { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'NotIn', values: ['amd64'] }] })).toBe(false);
    expect(matchesTerm(node, { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'DoesNotExist' }] })).toBe(false);
  });

  it('matches Exists only when the key is present', () => {
    expect(matchesTerm(node, { matchExpressions: [{ key: 'gpus', operator: 'Exists' }] })).toBe(true);
    expect(matchesTerm(node, { matchExpressions: [{ key: 'dedicated', operator: 'Exists' }] })).toBe(false);
  });

  it('compares integers with Gt and Lt', () => {
    expect(matchesTerm(node, { matchExpressions: [{ key: 'gpus', operator: 'Gt', values: ['3'] }] })).toBe(true);
    expect(matchesTerm(node, { matchExpressions: [{ key: 'gpus', operator: 'Gt', values: ['4'] }] })).toBe(false);
    expect(matchesTerm(node, { matchExpressions: [{ key: 'gpus', operator: 'Lt', values: ['5'] }] })).toBe(true);
    expect(matchesTerm(node, { matchExpressions: [{ key: 'gpus', operator: 'Lt', values: ['-1'] }] })).toBe(false);
    // An absent key or a label that is not an integer never matches.
    expect(matchesTerm(node, { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1'] }] })).toBe(false);
    expect(matchesTerm(node, { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'Lt', values: ['100'] }] })).toBe(false);
    // int64 bounds, as strconv.ParseInt.
    expect(matchesTerm({ big: '9223372036854775808' }, { matchExpressions: [{ key: 'big', operator: 'Gt', values: ['1'] }] })).toBe(false);
    expect(matchesTerm({ big: '9223372036854775807' }, { matchExpressions: [{ key: 'big', operator: 'Gt', values: ['1'] }] })).toBe(true);
  });

  it('makes a term with a malformed requirement match nothing, as Kubernetes does', () => {
    const malformed: NodeSelectorTerm[] = [
      { matchExpressions: [{ key: 'gpus', operator: 'Gt', values: ['three'] }] },
      { matchExpressions: [{ key: 'gpus', operator: 'Gt', values: ['1', '2'] }] },
      { matchExpressions: [{ key: 'gpus', operator: 'Gt' }] },
      { matchExpressions: [{ key: 'dedicated', operator: 'NotIn', values: [] }] },
      { matchExpressions: [{ key: 'dedicated', operator: 'DoesNotExist', values: ['x'] }] },
      { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['not a value!'] }] },
      { matchExpressions: [{ key: 'bad key', operator: 'DoesNotExist' }] },
    ];
    for (const term of malformed) expect(matchesTerm(node, term)).toBe(false);
  });

  it('matches nothing with an empty term', () => {
    expect(matchesTerm(node, {})).toBe(false);
    expect(matchesTerm(node, { matchExpressions: [], matchFields: [] })).toBe(false);
  });

  it('treats node fields as unknown: In never matches, NotIn always does', () => {
    expect(matchesTerm(node, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] })).toBe(false);
    expect(matchesTerm(node, { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-1'] }] })).toBe(true);
  });

  it('does not read inherited properties as labels', () => {
    expect(matchesTerm({}, { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] })).toBe(false);
    expect(matchesNodeSelector({}, { toString: 'x' })).toBe(false);
  });
});

describe('matchesNodeSelector', () => {
  const node = { disktype: 'ssd', 'topology.kubernetes.io/zone': 'antarctica-east1' };
  const zoneTerm: NodeSelectorTerm = { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['antarctica-east1'] }] };
  const otherZoneTerm: NodeSelectorTerm = { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['antarctica-west1'] }] };

  it('matches the docs nodeSelector example disktype: ssd', () => {
    expect(matchesNodeSelector(node, { disktype: 'ssd' })).toBe(true);
    expect(matchesNodeSelector(node, { disktype: 'hdd' })).toBe(false);
    expect(matchesNodeSelector({}, { disktype: 'ssd' })).toBe(false);
  });

  it('matches everything without constraints', () => {
    expect(matchesNodeSelector(node)).toBe(true);
    expect(matchesNodeSelector(node, {})).toBe(true);
  });

  it('ORs the required terms', () => {
    expect(matchesNodeSelector(node, undefined, [otherZoneTerm, zoneTerm])).toBe(true);
    expect(matchesNodeSelector(node, undefined, [otherZoneTerm])).toBe(false);
  });

  it('matches nothing with an empty list of required terms', () => {
    expect(matchesNodeSelector(node, undefined, [])).toBe(false);
  });

  it('requires both the selector and the affinity when both are given (docs)', () => {
    expect(matchesNodeSelector(node, { disktype: 'ssd' }, [zoneTerm])).toBe(true);
    expect(matchesNodeSelector(node, { disktype: 'hdd' }, [zoneTerm])).toBe(false);
    expect(matchesNodeSelector(node, { disktype: 'ssd' }, [otherZoneTerm])).toBe(false);
  });
});

describe('preferenceScore', () => {
  // The docs' weight example: label-1/key-1 with weight 1, label-2/key-2 with weight 50.
  const preferred = [
    { weight: 1, preference: { matchExpressions: [{ key: 'label-1', operator: 'In' as const, values: ['key-1'] }] } },
    { weight: 50, preference: { matchExpressions: [{ key: 'label-2', operator: 'In' as const, values: ['key-2'] }] } },
  ];

  it('scores the node with label-2 higher (docs example)', () => {
    expect(preferenceScore({ 'label-1': 'key-1' }, preferred)).toBe(1);
    expect(preferenceScore({ 'label-2': 'key-2' }, preferred)).toBe(50);
  });

  it('sums the weights of all matching terms', () => {
    expect(preferenceScore({ 'label-1': 'key-1', 'label-2': 'key-2' }, preferred)).toBe(51);
    expect(preferenceScore({}, preferred)).toBe(0);
    expect(preferenceScore({ 'label-1': 'key-1' })).toBe(0);
  });

  it('gives nothing for an empty preference', () => {
    expect(preferenceScore({ a: 'b' }, [{ weight: 100, preference: {} }])).toBe(0);
  });
});
