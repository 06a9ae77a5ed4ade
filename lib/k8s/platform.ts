/**
 * The Platform chart: the namespace batch workloads run in, the labels every object carries, the
 * priority tiers, and the scope in which node pools, over-provisioning, Spark applications and
 * pipelines are declared and checked against each other.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { BatchplaneError, check, withPath } from '../model/errors';
import { entryField, isRecord, labelMap, optionalBoolean, optionalString } from '../model/input';
import { checkDns1123Label } from '../model/names';
import { orderManifests } from './manifest-order';
import { policyMessages } from './policy';
import { quoteDagExpressions } from './quoted-expressions';
import { RenderedObjects } from './rendered-objects';
import { isSynthesizing, onSynthesisEnd } from './synthesis';
import { registerResolver } from './resolver';
import { PriorityClassSpec, PriorityTier } from './priority-tiers';

/** The label that says which tool manages an object. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The label that names the platform an object belongs to. */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
/** Marks Platform instances; `Symbol.for` so that two copies of the library still recognise each other. */
const PLATFORM_BRAND = Symbol.for('batchplane.Platform');

/** The annotation on the Namespace that carries the platform's description. */
export const DESCRIPTION_ANNOTATION = 'batchplane.io/description';

/** Props of {@link Platform}. */
export interface PlatformProps {
  /** The namespace of every namespaced object of the platform, a DNS-1123 label. */
  readonly namespace: string;
  /**
   * Labels added to every object, besides `app.kubernetes.io/managed-by: batchplane` and
   * `app.kubernetes.io/part-of: <platform id>`, which cannot be overridden.
   * @default - only the two standard labels.
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Whether jobs that may run at the same time but exceed their pools' capacity fail synthesis instead
   * of printing a warning (they would queue).
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Whether to emit the standard priority tiers (`batch-critical`, `batch-default`, `batch-preemptible`).
   * PriorityClasses are cluster-wide: when several platforms share a cluster, let one of them emit them.
   * @default true
   */
  readonly priorityTiers?: boolean;
  /**
   * Whether to emit the Namespace object. Turn off when the namespace is created elsewhere.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * What the platform is for; written on the Namespace as the `batchplane.io/description` annotation.
   * @default - no description.
   */
  readonly description?: string;
}

/**
 * A cdk8s Chart holding one batch platform. Node pools, over-provisioning, Spark applications and
 * pipelines must be created inside it; they find it with {@link Platform.of}.
 *
 * The construct id names the platform: it is the `app.kubernetes.io/part-of` label of every object and
 * prefixes cluster-wide names, so it must be a DNS-1123 label. Object names are written as given (no
 * hash suffix), since pods and workflows refer to them by name.
 */
export class Platform extends Chart {
  /** True when `x` is a Platform. */
  public static isPlatform(x: unknown): x is Platform {
    return typeof x === 'object' && x !== null && PLATFORM_BRAND in x;
  }

  /**
   * `instanceof Platform` checks the brand: Chart answers `instanceof` for every chart, which would
   * make any Chart pass as a Platform.
   */
  public static override [Symbol.hasInstance](x: unknown): x is Platform {
    return Platform.isPlatform(x);
  }

  /**
   * The platform that encloses `construct` (or is it).
   * @throws BatchplaneError when `construct` is not inside a Platform.
   */
  public static of(construct: IConstruct): Platform {
    const platform = construct.node.scopes.reverse().find(Platform.isPlatform);
    if (platform === undefined) {
      throw new BatchplaneError('scope', construct.node.path, 'a construct created inside a Platform (new Platform(app, id, props))',
        construct.node.path);
    }
    return platform;
  }

  /** The platform name: its construct id. */
  public readonly name: string;
  /** The namespace of every namespaced object. */
  public declare readonly namespace: string;
  /** Whether over-capacity concurrency is an error rather than a warning. */
  public readonly strict: boolean;
  /** What the platform is for. */
  public readonly description?: string;
  /** The Namespace object, when the platform emits it. */
  public readonly namespaceObject?: k8s.KubeNamespace;

  private readonly priorityClasses = new Map<string, { spec: PriorityClassSpec; object: k8s.KubePriorityClass }>();
  /** Manifests the policy check rendered in the current `app.synth()`, written by {@link toJson}. */
  private readonly rendered = new RenderedObjects();
  /** True once the current `app.synth()` has validated the app (it stops at the first failure). */
  private validatedForOutput = false;

  constructor(scope: Construct, id: string, props: PlatformProps) {
    const resolved = withPath(childPath(scope, id), () => resolveProps(id, props));
    super(scope, id, { namespace: resolved.namespace, labels: resolved.labels, disableResourceNameHashes: true });
    Object.defineProperty(this, PLATFORM_BRAND, { value: true });
    this.name = id;
    this.strict = resolved.strict;
    this.description = resolved.description;
    if (resolved.createNamespace) this.namespaceObject = this.createNamespace();
    if (resolved.priorityTiers) PriorityTier.STANDARD.forEach((tier) => this.addPriorityTier(tier));
    this.node.addValidation({ validate: () => this.checkPolicy() });
    registerResolver(this);
    onSynthesisEnd(this.app, () => this.forgetRendered());
  }

  /** The priority tiers and other PriorityClasses this platform emits, in the order they were added. */
  public get priorityClassSpecs(): PriorityClassSpec[] {
    return [...this.priorityClasses.values()].map(({ spec }) => spec);
  }

  /** Emits the PriorityClass of a tier (see {@link addPriorityClass}). */
  public addPriorityTier(tier: PriorityTier): k8s.KubePriorityClass {
    check(tier instanceof PriorityTier, 'tier', tier, 'a PriorityTier (PriorityTier.custom(...) or a standard tier)');
    return this.addPriorityClass(tier);
  }

  /**
   * Emits a PriorityClass once, with `globalDefault: false`, as a child of the platform with id
   * `PriorityClass-<name>`. Adding the same class again returns the first object.
   *
   * @throws BatchplaneError (field `priorityClassName`) when the name is taken by a class with another
   * value, preemption policy or description.
   */
  public addPriorityClass(spec: PriorityClassSpec): k8s.KubePriorityClass {
    const existing = this.priorityClasses.get(spec.className);
    if (existing !== undefined) {
      check(samePriorityClass(existing.spec, spec), 'priorityClassName', spec.className,
        `a PriorityClass name not already used with other settings (it has value ${existing.spec.value} and ` +
        `preemptionPolicy ${existing.spec.preemptionPolicy}); choose another priorityClassName`);
      return existing.object;
    }
    const object = new k8s.KubePriorityClass(this, `PriorityClass-${spec.className}`, {
      metadata: { name: spec.className },
      value: spec.value,
      globalDefault: false,
      preemptionPolicy: spec.preemptionPolicy,
      description: spec.description,
    });
    clusterScoped(object);
    this.priorityClasses.set(spec.className, { spec, object });
    return object;
  }

  /**
   * The platform's manifests, in an order that depends only on the objects (see `orderManifests`), so
   * declaring pools, jobs and dependencies in another order writes the same file.
   *
   * Within `app.synth()` the app was validated just before (synthesis stops when validation fails), and
   * the policy check rendered every object then: those manifests are written as they are, so each object
   * renders and each check runs once per synthesis; Argo `depends` and `when` expressions are then marked
   * to be written quoted. Called on its own (as `Testing.synth` does), it validates the app first, as
   * every cdk8s chart does, and returns plain JSON.
   */
  public override toJson(): Record<string, unknown>[] {
    if (this.validatedForOutput && isSynthesizing(this.app)) {
      return orderManifests(this, (object) => quoteDagExpressions(this.rendered.take(object)));
    }
    try {
      // cdk8s validates the whole app here (the policy check renders every object into the cache) and
      // renders the chart again; the manifests written are the ones the checks saw.
      super.toJson();
      return orderManifests(this, (object) => this.rendered.take(object));
    } finally {
      this.forgetRendered();
    }
  }

  private get app(): App {
    return App.of(this) as App;
  }

  /** Checks every object of the platform, including objects users add, against the security policy. */
  private checkPolicy(): string[] {
    this.validatedForOutput = isSynthesizing(this.app);
    return policyMessages(this, (object) => this.rendered.render(object));
  }

  private forgetRendered(): void {
    this.rendered.clear();
    this.validatedForOutput = false;
  }

  private createNamespace(): k8s.KubeNamespace {
    const annotations = this.description === undefined ? undefined : { [DESCRIPTION_ANNOTATION]: this.description };
    const namespace = new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: this.namespace, annotations } });
    clusterScoped(namespace);
    return namespace;
  }
}

/**
 * Marks an object of a Platform as cluster-scoped: removes the namespace the chart writes on every
 * object (PriorityClass, Namespace, ClusterRole...).
 */
export function clusterScoped(object: ApiObject): void {
  if (Chart.of(object).namespace !== undefined) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

/** The props with defaults applied, each checked. */
interface ResolvedProps {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly strict: boolean;
  readonly description?: string;
  readonly createNamespace: boolean;
  readonly priorityTiers: boolean;
}

/** The path a child `id` of `scope` will have; `<platform>` stands in for an id that is not usable. */
function childPath(scope: Construct, id: unknown): string {
  const name = typeof id === 'string' && id !== '' ? id : '<platform>';
  return scope.node.path === '' ? name : `${scope.node.path}/${name}`;
}

function resolveProps(id: string, props: PlatformProps): ResolvedProps {
  checkDns1123Label('id', id);
  check(isRecord(props), 'props', props, 'an object with at least a namespace');
  return {
    namespace: checkDns1123Label('namespace', props.namespace),
    labels: { ...userLabels(props.labels), [MANAGED_BY_LABEL]: 'batchplane', [PART_OF_LABEL]: id },
    strict: optionalBoolean('strict', props.strict, false),
    description: optionalString('description', props.description, { allowBlank: true }),
    createNamespace: optionalBoolean('createNamespace', props.createNamespace, true),
    priorityTiers: optionalBoolean('priorityTiers', props.priorityTiers, true),
  };
}

/** The user's labels, checked; the two the platform sets are refused. */
function userLabels(labels: unknown): Record<string, string> {
  const checked = labelMap('labels', labels) ?? {};
  for (const key of [MANAGED_BY_LABEL, PART_OF_LABEL]) {
    check(!(key in checked), entryField('labels', key), key, `a key other than ${MANAGED_BY_LABEL} and ${PART_OF_LABEL}, which the platform sets`);
  }
  return checked;
}

function samePriorityClass(a: PriorityClassSpec, b: PriorityClassSpec): boolean {
  return a.value === b.value && a.preemptionPolicy === b.preemptionPolicy && a.description === b.description;
}
