/**
 * Over-provisioning: placeholder pods that hold spare room on a pool so a job starts without waiting
 * for a new node.
 *
 * The placeholders run `pause` at a negative priority. When real work needs their room the scheduler
 * evicts them; they go pending, and their pending pods make cluster-autoscaler add a node, which
 * restores the headroom in the background (the recipe of the cluster-autoscaler FAQ).
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { check, renameField, withPath } from '../model/errors';
import { integerInRange, positiveQuantity } from '../model/input';
import { checkDns1123Label, checkDns1123Subdomain } from '../model/names';
import { Quantity } from '../model/quantity';
import { ResourceVector, resources } from '../model/resources';
import { NodePool, placementManifest } from './node-pool';
import { Platform } from './platform';
import { PreemptionPolicy } from './priority-tiers';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security';

/** The pinned pause image the placeholders run. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/** cluster-autoscaler's default `--expendable-pods-priority-cutoff`: pods below it never trigger scale-up. */
export const EXPENDABLE_PRIORITY_CUTOFF = -10;

/** The user and group the pause container runs as (`nobody`; pause needs no particular user). */
const PAUSE_USER = 65535;

/** The annotation that lets cluster-autoscaler remove a node despite the pod. */
const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';

/** Props of {@link OverProvisioning}. */
export interface OverProvisioningProps {
  /** The pool to keep room on. The placeholders go on this pool only, never on its fallback. */
  readonly pool: NodePool;
  /** How many placeholder pods to run; the headroom is `replicas` × (`cpu`, `memory`). */
  readonly replicas: number;
  /** The CPU one placeholder holds, a Kubernetes quantity (`'4'`, `'3500m'`). Size it like one executor. */
  readonly cpu: string;
  /** The memory one placeholder holds, a Kubernetes quantity (`'16Gi'`). */
  readonly memory: string;
  /**
   * The name of the Deployment.
   * @default - the construct id.
   */
  readonly name?: string;
  /**
   * The priority of the placeholders, from -10 to -1. Below -10 cluster-autoscaler treats the pods as
   * expendable and never scales up for them; at 0 or above real work could not preempt them.
   * @default -1
   */
  readonly priority?: number;
  /**
   * The PriorityClass the placeholders run under. Placeholders of several OverProvisioning constructs may
   * share it when they share the priority.
   * @default - `<platform>-overprovisioning`
   */
  readonly priorityClassName?: string;
  /**
   * The container image, which should do nothing and hold no files open.
   * @default PAUSE_IMAGE
   */
  readonly image?: string;
}

/**
 * A Deployment of low-priority `pause` pods that keeps headroom on a pool, and the PriorityClass they run
 * under (`globalDefault: false`, `preemptionPolicy: Never`: a placeholder never evicts anything).
 *
 * @example
 * new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 2, cpu: '4', memory: '16Gi' });
 */
export class OverProvisioning extends Construct {
  /** The pool the headroom is kept on. */
  public readonly pool: NodePool;
  /** How many placeholder pods run. */
  public readonly replicas: number;
  /** The requests of one placeholder pod (`pods` is 1). */
  public readonly requests: ResourceVector;
  /** The priority of the placeholders. */
  public readonly priority: number;
  /** The PriorityClass of the placeholders. */
  public readonly priorityClassName: string;
  /** The container image. */
  public readonly image: string;
  /** The Deployment of placeholders. */
  public readonly deployment: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: OverProvisioningProps) {
    super(scope, id);
    const platform = Platform.of(this);
    const resolved = withPath(this.node.path, () => resolveProps((props ?? {}) as Partial<OverProvisioningProps>, id, platform));
    this.pool = resolved.pool;
    this.replicas = resolved.replicas;
    this.priority = resolved.priority;
    this.priorityClassName = resolved.priorityClassName;
    this.image = resolved.image;
    this.requests = resources({ cpuMillis: resolved.cpuMillis, memoryBytes: resolved.memoryBytes, pods: 1 });

    const priorityClass = withPath(this.node.path, () => platform.addPriorityClass({
      className: this.priorityClassName,
      value: this.priority,
      preemptionPolicy: PreemptionPolicy.NEVER,
      description: `Capacity placeholders of batchplane over-provisioning at priority ${this.priority}; any real work preempts them.`,
    }));
    this.deployment = this.createDeployment(resolved.name, { cpu: resolved.cpu.toString(), memory: resolved.memory.toString() });
    this.deployment.addDependency(priorityClass);
  }

  private createDeployment(name: string, limits: { cpu: string; memory: string }): k8s.KubeDeployment {
    const labels = { 'app.kubernetes.io/name': 'overprovisioning', 'app.kubernetes.io/instance': name };
    const resourceList = { cpu: k8s.Quantity.fromString(limits.cpu), memory: k8s.Quantity.fromString(limits.memory) };
    return new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name },
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { [SAFE_TO_EVICT]: 'true' } },
          spec: {
            ...placementManifest(this.pool.placement({ useFallback: false })),
            priorityClassName: this.priorityClassName,
            terminationGracePeriodSeconds: 0,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext({ runAsUser: PAUSE_USER, runAsGroup: PAUSE_USER }),
            containers: [{
              name: 'pause',
              image: this.image,
              resources: { requests: resourceList, limits: resourceList },
              securityContext: restrictedContainerSecurityContext(),
            }],
          },
        },
      },
    });
  }
}

/** The props with defaults applied, each checked. */
interface ResolvedProps {
  readonly name: string;
  readonly pool: NodePool;
  readonly replicas: number;
  readonly cpu: Quantity;
  readonly cpuMillis: number;
  readonly memory: Quantity;
  readonly memoryBytes: number;
  readonly priority: number;
  readonly priorityClassName: string;
  readonly image: string;
}

function resolveProps(props: Partial<OverProvisioningProps>, id: string, platform: Platform): ResolvedProps {
  const image = props.image ?? PAUSE_IMAGE;
  check(typeof image === 'string' && /^\S+$/.test(image), 'image', image, 'an image reference without spaces');
  return {
    name: checkDns1123Label(props.name === undefined ? 'id' : 'name', props.name ?? id),
    pool: NodePool.check('pool', props.pool, platform),
    replicas: integerInRange('replicas', props.replicas, 1),
    ...measured('cpu', props.cpu, (q) => ({ cpu: q, cpuMillis: q.milliValue() })),
    ...measured('memory', props.memory, (q) => ({ memory: q, memoryBytes: q.value() })),
    priority: checkPriority(props.priority ?? -1),
    priorityClassName: checkDns1123Subdomain('priorityClassName', props.priorityClassName ?? `${platform.name}-overprovisioning`),
    image,
  };
}

function checkPriority(priority: unknown): number {
  check(typeof priority === 'number' && Number.isInteger(priority), 'priority', priority, 'an integer from -10 to -1');
  check(priority >= EXPENDABLE_PRIORITY_CUTOFF, 'priority', priority,
    `an integer from -10 to -1: cluster-autoscaler treats pods below its expendable cutoff (${EXPENDABLE_PRIORITY_CUTOFF}) ` +
    'as expendable, so evicted placeholders would never trigger a scale-up');
  check(priority < 0, 'priority', priority,
    'an integer from -10 to -1: real work runs at priority 0 or above and could not preempt placeholders at the same or a higher priority');
  return priority;
}

/** A positive quantity and what `measure` derives from it; a quantity too large to measure is an error of `field`. */
function measured<T>(field: string, value: unknown, measure: (quantity: Quantity) => T): T {
  const quantity = positiveQuantity(field, value);
  return renameField(field, () => measure(quantity));
}
