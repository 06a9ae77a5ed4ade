/**
 * Scheduling predicates with Kubernetes semantics: whether a pod's tolerations cover a node's
 * taints (`Toleration.ToleratesTaint`, the TaintToleration filter) and whether a node's labels
 * satisfy a pod's node selector and node affinity (`component-helpers/scheduling/corev1/nodeaffinity`).
 *
 * Node fields (`matchFields`, in practice `metadata.name`) are matched against an empty field set:
 * nodes that an autoscaler creates have names nobody knows in advance, so `In` on a field never
 * matches and `NotIn` always does.
 */
import { isLabelValue, isQualifiedName } from './names';
import {
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
  Taint,
  TaintEffectName,
  Toleration,
} from './scheduling-types';

/** Labels (or fields) of a node. */
export type NodeLabels = Readonly<Record<string, string>>;

/** Effects that keep a pod off a node; PreferNoSchedule only lowers the node's score. */
const BLOCKING_EFFECTS: ReadonlySet<TaintEffectName> = new Set(['NoSchedule', 'NoExecute']);

/** Go's int64 range, for Gt and Lt. */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER = /^[+-]?\d+$/;

/**
 * True when the toleration tolerates the taint: same effect (or none given), same key (or none
 * given), and for `Equal` (the default) the same value; `Exists` ignores the value. An empty key
 * with `Exists` tolerates every taint.
 */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** True when the taint keeps pods that do not tolerate it off the node (NoSchedule, NoExecute). */
export function blocksScheduling(taint: Taint): boolean {
  return BLOCKING_EFFECTS.has(taint.effect);
}

/** The NoSchedule and NoExecute taints that no toleration tolerates, in their given order. */
export function untoleratedTaints(tolerations: readonly Toleration[], taints: readonly Taint[]): Taint[] {
  return taints.filter((taint) => blocksScheduling(taint) && !tolerations.some((t) => tolerates(t, taint)));
}

/** True when a pod with these tolerations may be scheduled onto a node with these taints. */
export function podToleratesNode(tolerations: readonly Toleration[], taints: readonly Taint[]): boolean {
  return untoleratedTaints(tolerations, taints).length === 0;
}

/** Parses a Go int64 (`strconv.ParseInt(s, 10, 64)`), or undefined. */
function parseInt64(s: string): bigint | undefined {
  if (!INTEGER.test(s)) return undefined;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

/**
 * True when Kubernetes would accept the requirement as a selector: a valid key; In and NotIn with
 * at least one valid label value; Exists and DoesNotExist without values; Gt and Lt with exactly
 * one integer. An invalid requirement makes its whole term match nothing.
 */
function isWellFormed(r: NodeSelectorRequirement): boolean {
  const values = r.values ?? [];
  if (!isQualifiedName(r.key)) return false;
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      return values.length > 0 && values.every((v) => isLabelValue(v));
    case 'Exists':
    case 'DoesNotExist':
      return values.length === 0;
    case 'Gt':
    case 'Lt':
      return values.length === 1 && parseInt64(values[0]) !== undefined;
    default:
      return false;
  }
}

/** Compares a label value with the requirement's single integer; an unparsable label never matches. */
function compareInteger(label: string | undefined, r: NodeSelectorRequirement): boolean {
  const actual = label === undefined ? undefined : parseInt64(label);
  const bound = parseInt64((r.values ?? [])[0] ?? '');
  if (actual === undefined || bound === undefined) return false;
  return r.operator === 'Gt' ? actual > bound : actual < bound;
}

/** True when the labels satisfy one well-formed requirement. NotIn and DoesNotExist hold when the key is absent. */
function matchesRequirement(labels: NodeLabels, r: NodeSelectorRequirement): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, r.key);
  const label = present ? labels[r.key] : undefined;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return label !== undefined && values.includes(label);
    case 'NotIn':
      return label === undefined || !values.includes(label);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return compareInteger(label, r);
  }
}

/** True when every requirement is well formed and satisfied by `labels`. */
function matchesAll(labels: NodeLabels, requirements: readonly NodeSelectorRequirement[]): boolean {
  return requirements.every((r) => isWellFormed(r) && matchesRequirement(labels, r));
}

/**
 * True when the node's labels satisfy a node selector term: all its expressions (ANDed) and all
 * its field requirements. A term with no expressions and no fields matches nothing.
 */
export function matchesTerm(labels: NodeLabels, term: NodeSelectorTerm): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return matchesAll(labels, expressions) && matchesAll({}, fields);
}

/**
 * True when a node with `labels` satisfies both the pod's `nodeSelector` (every key present with
 * the same value) and its required node affinity terms (at least one term matches; an empty list
 * matches nothing; undefined means no required affinity).
 */
export function matchesNodeSelector(
  labels: NodeLabels,
  selector?: Readonly<Record<string, string>>,
  requiredTerms?: readonly NodeSelectorTerm[],
): boolean {
  const selectorOk = Object.entries(selector ?? {}).every(
    ([key, value]) => Object.prototype.hasOwnProperty.call(labels, key) && labels[key] === value,
  );
  return selectorOk && (requiredTerms === undefined || requiredTerms.some((term) => matchesTerm(labels, term)));
}

/** The node-affinity score of a node: the sum of the weights of the preferred terms its labels match. */
export function preferenceScore(labels: NodeLabels, preferred: readonly PreferredSchedulingTerm[] = []): number {
  return preferred.reduce((score, term) => (term.weight !== 0 && matchesTerm(labels, term.preference) ? score + term.weight : score), 0);
}
