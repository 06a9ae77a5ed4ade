/**
 * The NodePool construct: one autoscaling group of identical nodes, declared inside a Platform.
 *
 * A pool synthesizes no Kubernetes object: the Pulumi side provisions it as a managed node group from
 * `pool.spec`. On the cdk8s side it is what workloads are placed on (`pool.placement()`) and what the
 * resolver checks their pods against (`pool.allocatable()`).
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { check, withPath } from '../model/errors';
import { deepFreeze } from '../model/freeze';
import { sortedRecord } from '../model/input';
import { InstanceType } from '../model/instance-types';
import { checkDns1123Label } from '../model/names';
import {
  CapacityTypeName, NodePoolSpec, NodePoolSpecInput, createNodePoolSpec, poolAllocatable, poolPlacement,
} from '../model/node-pool';
import { ResourceVector } from '../model/resources';
import {
  NodeSelectorRequirement, NodeSelectorTerm, PodPlacement, Taint, TaintEffectName, Toleration,
} from '../model/scheduling-types';
import { Platform } from './platform';

/** How the nodes of a pool are bought. */
export const CapacityType = {
  /** On-demand instances: never reclaimed. */
  ON_DEMAND: 'ON_DEMAND',
  /** Spot instances: cheaper, reclaimed at two minutes' notice. */
  SPOT: 'SPOT',
} as const satisfies Record<string, CapacityTypeName>;
/** A capacity type, in EKS spelling. */
export type CapacityType = CapacityTypeName;

/** What a taint does to pods that do not tolerate it. */
export const TaintEffect = {
  /** New pods are not scheduled on the node. */
  NO_SCHEDULE: 'NoSchedule',
  /** The scheduler avoids the node but may still use it. */
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
  /** New pods are not scheduled and running ones are evicted. */
  NO_EXECUTE: 'NoExecute',
} as const satisfies Record<string, TaintEffectName>;
/** A taint effect, in Kubernetes spelling. */
export type TaintEffect = TaintEffectName;

/** A taint every node of a pool carries: `{ key, value?, effect: TaintEffect.NO_SCHEDULE }`. */
export type NodeTaint = Taint;

/** Props of {@link NodePool}: the pool's definition (see `NodePoolSpecInput`), with the fallback as a pool. */
export interface NodePoolProps extends Omit<NodePoolSpecInput, 'name' | 'fallback'> {
  /**
   * The pool name: the `batchplane.io/pool` label of its nodes and the name of its node group.
   * @default - the construct id.
   */
  readonly name?: string;
  /**
   * The pool that takes this pool's pods when it cannot (spot capacity gone, pool at `maxNodes`). Pods
   * placed on this pool prefer it (weight 100) over the fallback (weight 10). Only the direct fallback is
   * used; a fallback's own fallback is not.
   * @default - pods wait for this pool.
   */
  readonly fallback?: NodePool;
}

/** Options of {@link NodePool.placement}. */
export interface PoolPlacementOptions {
  /**
   * Whether the pod may also land on the pool's fallback.
   * @default true
   */
  readonly useFallback?: boolean;
}

/** A pod placement in manifest shape: the `nodeSelector`, `tolerations` and `affinity` of a pod spec. */
export interface PodPlacementManifest {
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations?: k8s.Toleration[];
  readonly affinity?: k8s.Affinity;
}

/**
 * A pool of identical nodes, provisioned by the Pulumi side as one autoscaling group.
 *
 * @example
 * const general = new NodePool(platform, 'general', { instanceTypes: ['m6i.2xlarge'], minNodes: 1, maxNodes: 10 });
 * const spot = new NodePool(platform, 'spark-spot', {
 *   instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'], capacityType: CapacityType.SPOT, maxNodes: 40,
 *   taints: [{ key: 'dedicated', value: 'spark', effect: TaintEffect.NO_SCHEDULE }],
 *   fallback: general,
 * });
 */
export class NodePool extends Construct {
  /**
   * Checks a prop that must be a NodePool, of `platform` when one is given (a pool of another platform
   * is not provisioned with the workloads that would use it); returns the pool.
   *
   * @throws BatchplaneError naming `field`; a wrong construct is shown by its path.
   */
  public static check(field: string, value: unknown, platform?: Platform): NodePool {
    check(value instanceof NodePool, field, value instanceof Construct ? value.node.path : value, 'a NodePool');
    if (platform !== undefined) {
      check(value.platform === platform, field, value.node.path, `a NodePool of the same platform (${platform.node.path})`);
    }
    return value;
  }

  /** The platform the pool belongs to. */
  public readonly platform: Platform;
  /** The validated pool, as the Pulumi side and the resolver read it. */
  public readonly spec: NodePoolSpec;
  /** The pool name. */
  public readonly name: string;
  /** The pool that takes this pool's pods when it cannot. */
  public readonly fallback?: NodePool;
  /** The placements computed so far (the pool's definition never changes), with and without the fallback. */
  private readonly placements = new Map<boolean, PodPlacement>();

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    this.platform = Platform.of(this);
    const given = (props ?? {}) as Partial<NodePoolProps>;
    this.name = given.name ?? id;
    this.fallback = given.fallback;
    this.spec = withPath(this.node.path, () => {
      checkDns1123Label(given.name === undefined ? 'id' : 'name', this.name);
      if (this.fallback !== undefined) NodePool.check('fallback', this.fallback, this.platform);
      this.checkUniqueName();
      // Partial props go through: createNodePoolSpec checks every field at run time.
      return createNodePoolSpec({ ...(given as NodePoolProps), name: this.name, fallback: this.fallback?.name });
    });
  }

  /** The tolerations a pod needs to run on the pool or its fallback. */
  public get tolerations(): readonly Toleration[] {
    return this.placement().tolerations;
  }

  /**
   * Where a pod must be told to go to run on this pool: tolerations for the taints of the pool (and of
   * its fallback), a required node-affinity term on the pool label, and, with a fallback, a preference
   * for this pool over the fallback.
   */
  public placement(options: PoolPlacementOptions = {}): PodPlacement {
    const useFallback = (options.useFallback ?? true) && this.fallback !== undefined;
    const cached = this.placements.get(useFallback);
    if (cached !== undefined) return cached;
    const placement = deepFreeze(poolPlacement(this.spec, useFallback ? this.fallback?.spec : undefined));
    poolPlacements.add(placement);
    this.placements.set(useFallback, placement);
    return placement;
  }

  /** For each instance type, what one node leaves for pods after kubelet, the OS and the DaemonSets. */
  public allocatable(): { instanceType: InstanceType; allocatable: ResourceVector }[] {
    return poolAllocatable(this.spec);
  }

  private checkUniqueName(): void {
    const clash = this.platform.node.findAll()
      .find((c): c is NodePool => c instanceof NodePool && c !== this && c.name === this.name);
    check(clash === undefined, 'name', this.name, `a pool name not already used in the platform (by ${clash?.node.path})`);
  }
}

/** The placements pools hand out: deeply frozen, one object per pool and fallback choice. */
const poolPlacements = new WeakSet<PodPlacement>();

/** The manifests of pool placements, rendered once: every pod of a pool has the same placement object. */
const placementManifests = new WeakMap<PodPlacement, PodPlacementManifest>();

/**
 * Renders a placement into the fields of a pod spec, leaving out empty sections. The result is plain
 * JSON, usable in typed L1 objects and in custom resources alike. A placement a pool handed out
 * ({@link NodePool.placement}) is rendered once and shared, deeply frozen: callers put it into their
 * manifests as it is.
 */
export function placementManifest(placement: PodPlacement): PodPlacementManifest {
  if (!poolPlacements.has(placement)) return renderPlacement(placement);
  let manifest = placementManifests.get(placement);
  if (manifest === undefined) {
    manifest = deepFreeze(renderPlacement(placement));
    placementManifests.set(placement, manifest);
  }
  return manifest;
}

/**
 * The manifest of a placement. Its objects list their keys in alphabetical order, the order manifests
 * are written in, so that writers which sort keys can take them as they are.
 */
function renderPlacement(placement: PodPlacement): PodPlacementManifest {
  const required = placement.requiredTerms;
  const preferred = placement.preferredTerms ?? [];
  const nodeAffinity: k8s.NodeAffinity = {
    ...(preferred.length === 0 ? {} : {
      preferredDuringSchedulingIgnoredDuringExecution: preferred.map((p) => ({ preference: kubeTerm(p.preference), weight: p.weight })),
    }),
    ...(required === undefined ? {} : {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: required.map(kubeTerm) },
    }),
  };
  const selector = placement.nodeSelector ?? {};
  return {
    ...(Object.keys(selector).length === 0 ? {} : { nodeSelector: sortedRecord(selector) }),
    ...(placement.tolerations.length === 0 ? {} : { tolerations: placement.tolerations.map((t) => sortedRecord({ ...t })) }),
    ...(Object.keys(nodeAffinity).length === 0 ? {} : { affinity: { nodeAffinity } }),
  };
}

function kubeTerm(term: NodeSelectorTerm): k8s.NodeSelectorTerm {
  return {
    ...(term.matchExpressions === undefined ? {} : { matchExpressions: term.matchExpressions.map(kubeRequirement) }),
    ...(term.matchFields === undefined ? {} : { matchFields: term.matchFields.map(kubeRequirement) }),
  };
}

function kubeRequirement(requirement: NodeSelectorRequirement): k8s.NodeSelectorRequirement {
  const { key, operator, values } = requirement;
  return values === undefined ? { key, operator } : { key, operator, values: [...values] };
}
