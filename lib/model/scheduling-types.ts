/**
 * Scheduling shapes as Kubernetes writes them (core/v1 Taint, Toleration, NodeSelectorTerm ...).
 * They are plain data so a model value renders into a manifest without translation.
 */

/** A taint effect, in Kubernetes spelling. */
export type TaintEffectName = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** A node taint (core/v1 Taint). */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffectName;
}

/** A pod toleration (core/v1 Toleration). */
export interface Toleration {
  /** Empty or absent with operator Exists matches every key. */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  /** Absent matches every effect. */
  readonly effect?: TaintEffectName;
  readonly tolerationSeconds?: number;
}

/** The operators of a node selector requirement. */
export type NodeSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** A node selector requirement (core/v1 NodeSelectorRequirement). */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: NodeSelectorOperator;
  readonly values?: readonly string[];
}

/** A node selector term: its expressions are ANDed (core/v1 NodeSelectorTerm). */
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
  readonly matchFields?: readonly NodeSelectorRequirement[];
}

/** A preferred scheduling term (core/v1 PreferredSchedulingTerm). */
export interface PreferredSchedulingTerm {
  /** 1 to 100. */
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

/**
 * Everything that decides which nodes a pod may land on, in manifest shape.
 * `requiredTerms` undefined means "no required node affinity"; an empty array matches nothing.
 */
export interface PodPlacement {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly requiredTerms?: readonly NodeSelectorTerm[];
  readonly preferredTerms?: readonly PreferredSchedulingTerm[];
}
