/**
 * Priority tiers: the PriorityClasses batch pods run under, so the scheduler knows which work may push
 * out which when the cluster is full.
 *
 * Every tier is at priority 0 or above, so any real work preempts over-provisioning placeholders (which
 * sit between -10 and -1). The lowest standard tier, `batch-preemptible` at 0, can preempt nothing but
 * those placeholders: pods without a PriorityClass also run at 0, and equal priority never preempts.
 */
import { check } from '../model/errors';
import { checkDns1123Subdomain } from '../model/names';

/** What a pod of a PriorityClass may do to lower-priority pods when it does not fit. */
export const PreemptionPolicy = {
  /** Evict lower-priority pods to make room (the Kubernetes default). */
  PREEMPT_LOWER_PRIORITY: 'PreemptLowerPriority',
  /** Wait in the queue ahead of lower-priority pods, but never evict them. */
  NEVER: 'Never',
} as const;
/** A PriorityClass preemption policy, in Kubernetes spelling. */
export type PreemptionPolicy = (typeof PreemptionPolicy)[keyof typeof PreemptionPolicy];

/** The highest value of a user-defined PriorityClass; larger values are reserved for system classes. */
const MAX_USER_PRIORITY = 1_000_000_000;

/** Options of {@link PriorityTier.custom}. */
export interface PriorityTierOptions {
  /**
   * A sentence that says which pods belong in the tier.
   * @default - a description naming the value.
   */
  readonly description?: string;
  /**
   * Whether pods of the tier evict lower-priority pods.
   * @default PreemptionPolicy.PREEMPT_LOWER_PRIORITY
   */
  readonly preemptionPolicy?: PreemptionPolicy;
}

/** A PriorityClass, as the library renders it (see `Platform.addPriorityClass`). */
export interface PriorityClassSpec {
  /** The PriorityClass name, a DNS-1123 subdomain. */
  readonly className: string;
  /** The priority of its pods. */
  readonly value: number;
  readonly description: string;
  readonly preemptionPolicy: PreemptionPolicy;
}

/**
 * A priority tier for batch pods. Use a standard tier ({@link PriorityTier.CRITICAL},
 * {@link PriorityTier.DEFAULT}, {@link PriorityTier.PREEMPTIBLE}), which every Platform emits unless told
 * not to, or define one with {@link PriorityTier.custom} and emit it with `Platform.addPriorityTier`.
 */
export class PriorityTier implements PriorityClassSpec {
  /** Jobs whose delay costs most (SLA-bound reports): 1,000,000. They preempt every other tier. */
  public static readonly CRITICAL = new PriorityTier(
    'batch-critical', 1_000_000, 'Batch jobs with a deadline; they preempt default and preemptible batch pods.',
    PreemptionPolicy.PREEMPT_LOWER_PRIORITY);

  /** Ordinary scheduled batch jobs: 1,000. */
  public static readonly DEFAULT = new PriorityTier(
    'batch-default', 1_000, 'Scheduled batch jobs; they preempt preemptible batch pods and capacity placeholders.',
    PreemptionPolicy.PREEMPT_LOWER_PRIORITY);

  /**
   * Work that may be evicted and rerun (backfills, exploration): 0. It preempts only capacity
   * placeholders, which keeps over-provisioned headroom useful to it.
   */
  public static readonly PREEMPTIBLE = new PriorityTier(
    'batch-preemptible', 0, 'Batch work that may be evicted and retried; it preempts only capacity placeholders.',
    PreemptionPolicy.PREEMPT_LOWER_PRIORITY);

  /** The tiers a Platform emits by default, highest first. */
  public static readonly STANDARD: readonly PriorityTier[] = [PriorityTier.CRITICAL, PriorityTier.DEFAULT, PriorityTier.PREEMPTIBLE];

  /**
   * A tier of your own.
   *
   * @param className the PriorityClass name: a DNS-1123 subdomain not starting with `system-`.
   * @param value 0 to 1,000,000,000. Never negative, so the tier always preempts capacity placeholders.
   * @throws BatchplaneError on a bad name, value or option.
   */
  public static custom(className: string, value: number, options: PriorityTierOptions = {}): PriorityTier {
    checkDns1123Subdomain('className', className);
    check(!className.startsWith('system-'), 'className', className, 'a name not starting with system- (reserved by Kubernetes)');
    check(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_USER_PRIORITY, 'value', value,
      `an integer between 0 and ${MAX_USER_PRIORITY} (negative priorities are left to capacity placeholders, ` +
      'which real work must always be able to preempt)');
    const policy = options.preemptionPolicy ?? PreemptionPolicy.PREEMPT_LOWER_PRIORITY;
    checkPreemptionPolicy('preemptionPolicy', policy);
    const description = options.description ?? `Batch pods at priority ${value}.`;
    check(typeof description === 'string', 'description', description, 'a string');
    return new PriorityTier(className, value, description, policy);
  }

  private constructor(
    public readonly className: string,
    public readonly value: number,
    public readonly description: string,
    public readonly preemptionPolicy: PreemptionPolicy,
  ) {}
}

function checkPreemptionPolicy(field: string, policy: unknown): void {
  const policies: readonly unknown[] = Object.values(PreemptionPolicy);
  check(policies.includes(policy), field, policy, `one of ${Object.values(PreemptionPolicy).join(', ')}`);
}
