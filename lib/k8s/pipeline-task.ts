/**
 * The steps of a {@link Pipeline}: each task is a construct under its pipeline that renders one DAG
 * task and, except for `templateRef` tasks, one leaf template of the same name. Tasks also report what
 * they ask of the cluster ({@link PipelineTask.demand}) so the resolver can check capacity.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkArgoTemplateName, checkParameterName } from '../model/argo-names';
import { Depends, DependsExpression, parseDepends, referencedTasks, taskConditions } from '../model/depends';
import { parseDuration } from '../model/duration';
import { BatchplaneError, check } from '../model/errors';
import { deepFreeze } from '../model/freeze';
import {
  compareStrings, entryField, integerInRange, isRecord, oneOf, optional, optionalStringList, positiveQuantity, stringMap,
} from '../model/input';
import { Quantity } from '../model/quantity';
import { resources, ResourceVector } from '../model/resources';
import { JobDemand } from '../model/workload';
import { embeddedManifestText } from './embedded-manifests';
import { EnvFromSource, EnvValue, renderEnvFrom, renderEnvVar } from './env-value';
import { NodePool, placementManifest } from './node-pool';
import type { Pipeline } from './pipeline';
import { PriorityTier } from './priority-tiers';
import { restrictedContainerSecurityContext, scratchVolume } from './security';
import type { SparkApplication } from './spark-application';

// ---------------------------------------------------------------------------------------------
// Wire format: the part of Argo's v1alpha1 API the library writes.

/** A parameter of `arguments`, `inputs` or `outputs`. */
export interface ArgoParameter {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly jsonPath: string };
}

/** `retryStrategy` as written (int-or-string fields as strings). */
export interface ArgoRetryStrategy {
  readonly limit: string;
  readonly retryPolicy: RetryPolicy;
  readonly backoff?: { readonly duration: string; readonly factor?: string; readonly maxDuration?: string };
}

/** A task of the `main` DAG template. */
export interface ArgoDagTask {
  readonly name: string;
  readonly template?: string;
  readonly templateRef?: { readonly name: string; readonly template: string; readonly clusterScope?: boolean };
  readonly depends?: string;
  readonly when?: string;
  readonly arguments?: { readonly parameters: ArgoParameter[] };
}

/** A container as written in a container or script template. */
export interface ArgoContainer {
  readonly name: 'main';
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly source?: string;
  readonly env?: k8s.EnvVar[];
  readonly envFrom?: k8s.EnvFromSource[];
  readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
  readonly securityContext: k8s.SecurityContext;
  readonly volumeMounts: readonly { readonly name: string; readonly mountPath: string }[];
}

/** A template of the workflow spec. */
export interface ArgoTemplate {
  readonly name: string;
  readonly inputs?: { readonly parameters: ArgoParameter[] };
  readonly outputs?: { readonly parameters: ArgoParameter[] };
  readonly activeDeadlineSeconds?: number;
  readonly timeout?: string;
  readonly retryStrategy?: ArgoRetryStrategy;
  readonly priorityClassName?: string;
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations?: k8s.Toleration[];
  readonly affinity?: k8s.Affinity;
  readonly volumes?: { readonly name: string; readonly emptyDir: { readonly sizeLimit: string } }[];
  readonly container?: ArgoContainer;
  readonly script?: ArgoContainer;
  readonly resource?: {
    readonly action: 'create';
    readonly setOwnerReference: boolean;
    readonly successCondition: string;
    readonly failureCondition: string;
    readonly manifest: string;
  };
  readonly dag?: { readonly tasks: ArgoDagTask[] };
}

// ---------------------------------------------------------------------------------------------
// Options

/** Which failures Argo retries. */
export type RetryPolicy = 'Always' | 'OnFailure' | 'OnError' | 'OnTransientError';

const RETRY_POLICIES: readonly RetryPolicy[] = ['Always', 'OnFailure', 'OnError', 'OnTransientError'];

/** How a failed step (or the whole workflow) is retried. */
export interface RetryStrategy {
  /** Retries after the first attempt (total attempts = limit + 1). */
  readonly limit: number;
  /**
   * Which failures are retried: `OnFailure` (non-zero exit), `OnError` (infrastructure errors),
   * `OnTransientError` (errors Argo deems transient), `Always`.
   * @default 'OnFailure'
   */
  readonly retryPolicy?: RetryPolicy;
  /**
   * Wait between attempts: the first wait (seconds or a duration like `'30s'`), multiplied by `factor`
   * after each attempt, retrying no longer than `maxDuration` after the first failure.
   * @default - retry at once
   */
  readonly backoff?: {
    readonly duration: number | string;
    /** @default - no growth */
    readonly factor?: number;
    /** @default - no cap */
    readonly maxDuration?: number | string;
  };
}

/** Options every task takes. */
export interface PipelineTaskOptions {
  /**
   * Tasks of the same pipeline this task runs after; each must succeed (or be skipped). Rendered as a
   * `depends` conjunction of bare names. Mutually exclusive with `depends`.
   * @default - no dependencies
   */
  readonly dependsOn?: readonly PipelineTask[];
  /**
   * A full `depends` expression, built with `Depends` or written as Argo text (parsed and checked).
   * Mutually exclusive with `dependsOn`.
   * @default - no dependencies
   */
  readonly depends?: DependsExpression | string;
  /**
   * An Argo `when` expression; the task is Skipped when it is false.
   * @default - always runs
   */
  readonly when?: string;
  /**
   * Parameters passed to the task, declared as inputs of its template, so that
   * `{{inputs.parameters.<name>}}` can be used in its command, args or manifest.
   * @default - none
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Retries of this step.
   * @default - the pipeline's retry strategy
   */
  readonly retryStrategy?: RetryStrategy;
  /**
   * How long one attempt may run before Argo fails it (`activeDeadlineSeconds` of the template), in
   * seconds or as a duration (`'2h'`).
   * @default - no limit for containers and scripts; one day for Spark tasks
   */
  readonly activeDeadline?: number | string;
  /**
   * How long the step may take in total, including retries and time pending (`timeout`).
   * @default - no timeout
   */
  readonly timeout?: number | string;
  /**
   * How long the step usually runs, for the capacity plan's simulated schedule (`'45m'` or seconds).
   * @default - unknown (the planner treats the step as unit length)
   */
  readonly estimatedDuration?: number | string;
}

/** Options of a task that runs one container of the user's (container and script tasks). */
export interface PodTaskOptions extends PipelineTaskOptions {
  /** The container image. */
  readonly image: string;
  /**
   * The entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Arguments to the entrypoint.
   * @default - none
   */
  readonly args?: readonly string[];
  /**
   * Environment variables by name: a string, or an {@link EnvValue} that refers to a Secret key
   * (`EnvValue.fromSecret`), a ConfigMap key (`EnvValue.fromConfigMap`) or a pod field
   * (`EnvValue.fromField`). Put credentials in Secrets (or use IRSA for AWS): the policy refuses a
   * credential written as a string.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string | EnvValue>>;
  /**
   * Secrets and ConfigMaps whose every key becomes a variable (`envFrom`); a name in `env` wins over the same key here.
   * @default - none
   */
  readonly envFrom?: readonly EnvFromSource[];
  /** The pool the pod runs on: its tolerations and node affinity are written on the template. */
  readonly pool: NodePool;
  /** CPU request (`'500m'`, `2`). */
  readonly cpu: string | number;
  /** Memory request (`'2Gi'`). */
  readonly memory: string;
  /**
   * CPU limit.
   * @default - the request
   */
  readonly cpuLimit?: string | number;
  /**
   * Memory limit.
   * @default - the request
   */
  readonly memoryLimit?: string;
  /**
   * Size of the scratch `emptyDir` mounted at `/tmp` (the root filesystem is read-only).
   * @default '1Gi'
   */
  readonly scratchSize?: string;
  /**
   * Ephemeral-storage request.
   * @default - the scratch size
   */
  readonly ephemeralStorage?: string;
  /**
   * The numeric user the container runs as (never 0).
   * @default - the image's user, which must not be root
   */
  readonly runAsUser?: number;
  /**
   * The priority tier of the pod (`priorityClassName` of the template).
   * @default - the pipeline's pod priority tier
   */
  readonly priorityTier?: PriorityTier;
}

/** Options of {@link Pipeline.container}. */
export interface ContainerTaskOptions extends PodTaskOptions {}

/** Options of {@link Pipeline.script}. */
export interface ScriptTaskOptions extends PodTaskOptions {
  /** The interpreter; Argo appends the path of the file holding `source` (`['python']`, `['bash']`). */
  readonly command: readonly string[];
  /** The script body. */
  readonly source: string;
}

/** Options of {@link Pipeline.spark}. */
export interface SparkTaskOptions extends PipelineTaskOptions {}

/** The WorkflowTemplate a {@link Pipeline.templateRef} task calls. */
export interface TemplateReference {
  /** A WorkflowTemplate pipeline, or the name of a WorkflowTemplate (or ClusterWorkflowTemplate) managed elsewhere. */
  readonly workflowTemplate: Pipeline | string;
  /**
   * The template to run in it.
   * @default 'main' (the DAG of a batchplane pipeline)
   */
  readonly template?: string;
  /**
   * Whether the reference is to a ClusterWorkflowTemplate.
   * @default false
   */
  readonly clusterScope?: boolean;
}

/** Options of {@link Pipeline.templateRef}. */
export interface TemplateRefTaskOptions extends Omit<PipelineTaskOptions, 'activeDeadline' | 'timeout'> {}

// ---------------------------------------------------------------------------------------------
// Tasks

/** The default time a Spark step may wait for its application: one day. */
export const DEFAULT_SPARK_DEADLINE_SECONDS = 86_400;

/** The default scratch size of container and script tasks. */
export const DEFAULT_SCRATCH_SIZE = '1Gi';

const SCRATCH_VOLUME = 'scratch';

/** The scratch volume of a step that sizes none. Shared by every such step, so frozen. */
const DEFAULT_SCRATCH_VOLUME = deepFreeze(scratchVolume(SCRATCH_VOLUME, DEFAULT_SCRATCH_SIZE));

/** Where every step mounts its scratch volume (keys in manifest order). Shared, so frozen. */
const SCRATCH_VOLUME_MOUNTS: ArgoContainer['volumeMounts'] = deepFreeze([{ mountPath: '/tmp', name: SCRATCH_VOLUME }]);

/** The container security context of a step that runs as its image's user. Shared by every such step, so frozen. */
const IMAGE_USER_SECURITY_CONTEXT: k8s.SecurityContext = deepFreeze(restrictedContainerSecurityContext());

/**
 * A step of a pipeline. Pass it to another task's `dependsOn`, or use it in a `depends` expression
 * (`Depends.on(task).failed()`).
 */
export abstract class PipelineTask extends Construct {
  /** The task name (its construct id), also the name of its template. */
  public readonly name: string;
  /** The pipeline the task belongs to. */
  public readonly pipeline: Pipeline;
  /** The task's dependency expression, when it has dependencies. */
  public readonly depends?: DependsExpression;
  /** The names `depends` refers to, once {@link dependencies} has collected them. */
  private dependencyNames?: readonly string[];
  /** The estimated run time in seconds, when given. */
  public readonly estimatedDurationSeconds?: number;
  private readonly options: PipelineTaskOptions;

  protected constructor(pipeline: Pipeline, id: string, options: PipelineTaskOptions) {
    super(pipeline, id);
    check(isRecord(options), 'options', options, 'an options object');
    this.pipeline = pipeline;
    this.name = checkArgoTemplateName('name', id);
    this.options = options;
    this.depends = this.resolveDepends(options);
    this.estimatedDurationSeconds = optionalDuration('estimatedDuration', options.estimatedDuration);
    checkCommonOptions(options);
  }

  /** The names of the tasks this one depends on, sorted. */
  public dependencies(): string[] {
    // `depends` never changes, so its names are collected once; callers get their own copy.
    this.dependencyNames ??= this.depends ? referencedTasks(this.depends) : [];
    return [...this.dependencyNames];
  }

  /** What the step asks of the cluster while it runs. */
  public abstract demand(): JobDemand;

  /** @internal the task entry of the `main` DAG. */
  public _dagTask(): ArgoDagTask {
    return {
      name: this.name,
      ...this.callee(),
      ...(this.depends ? { depends: this.depends.toString() } : {}),
      ...optional('when', this.options.when),
      ...(this.options.parameters === undefined ? {} : { arguments: { parameters: renderParameters(this.options.parameters, true) } }),
    };
  }

  /** @internal the leaf template, when the task has its own. */
  public abstract _template(): ArgoTemplate | undefined;

  /** What the DAG task calls: its own template, or a reference. */
  protected callee(): Pick<ArgoDagTask, 'template' | 'templateRef'> {
    return { template: this.name };
  }

  /** Template fields common to leaf templates: inputs, deadlines and retries. */
  protected leafFields(defaultDeadlineSeconds?: number): Partial<ArgoTemplate> {
    const deadline = optionalDuration('activeDeadline', this.options.activeDeadline) ?? defaultDeadlineSeconds;
    const timeout = optionalDuration('timeout', this.options.timeout);
    return {
      ...(this.options.parameters === undefined ? {} : { inputs: { parameters: renderParameters(this.options.parameters, false) } }),
      ...optional('activeDeadlineSeconds', deadline),
      ...(timeout === undefined ? {} : { timeout: `${timeout}s` }),
      ...(this.options.retryStrategy === undefined ? {} : { retryStrategy: renderRetryStrategy(this.options.retryStrategy) }),
    };
  }

  /** The job name and path every demand carries. */
  protected jobIdentity(): Pick<JobDemand, 'name' | 'path' | 'estimatedDurationSeconds'> {
    return {
      name: this.name,
      path: this.node.path,
      ...optional('estimatedDurationSeconds', this.estimatedDurationSeconds),
    };
  }

  private resolveDepends(options: PipelineTaskOptions): DependsExpression | undefined {
    const { dependsOn, depends } = options;
    if (dependsOn !== undefined && depends !== undefined) {
      throw new BatchplaneError('depends', depends.toString(), 'either dependsOn or depends, not both (dependsOn is shorthand for depends)');
    }
    if (dependsOn !== undefined) {
      check(Array.isArray(dependsOn), 'dependsOn', dependsOn, 'an array of tasks');
      dependsOn.forEach((task, i) => this.checkSamePipeline(`dependsOn[${i}]`, task));
      // Sorted and without repeats, so the order the user lists dependencies in does not show in the output.
      const names = [...new Set(dependsOn.map((task) => task.name))].sort();
      return names.length === 0 ? undefined : Depends.all(...names);
    }
    if (depends === undefined) return undefined;
    const expr = typeof depends === 'string' ? parseDepends(depends) : depends;
    check(expr instanceof DependsExpression, 'depends', depends, 'a DependsExpression or depends text');
    taskConditions(expr).forEach((c) => c.origin === undefined || this.checkSamePipeline(`depends(${c.task})`, c.origin));
    return expr;
  }

  private checkSamePipeline(field: string, task: unknown): void {
    if (!(task instanceof PipelineTask)) throw new BatchplaneError(field, describeTask(task), 'a task returned by this pipeline');
    if (task.pipeline !== this.pipeline) {
      throw new BatchplaneError(field, task.node.path, `a task of this pipeline (${this.pipeline.node.path}); tasks cannot depend across pipelines`);
    }
  }
}

/** A step that runs one container image (a `container` or `script` template). */
export class ContainerTask extends PipelineTask {
  /** The pool the pod runs on. */
  public readonly pool: NodePool;
  private readonly pod: RenderedPod;
  private readonly field: 'container' | 'script';

  /** @internal use {@link Pipeline.container} or {@link Pipeline.script}. */
  constructor(pipeline: Pipeline, id: string, options: ContainerTaskOptions | ScriptTaskOptions, kind: 'container' | 'script') {
    super(pipeline, id, options);
    this.field = kind;
    this.pool = NodePool.check('pool', options.pool);
    this.pod = renderPod(options, kind === 'script');
  }

  public demand(): JobDemand {
    return { ...this.jobIdentity(), pods: [{ role: 'main', count: 1, requests: this.pod.requests, placement: this.pool.placement(), pool: this.pool.name }] };
  }

  /** @internal */
  public _template(): ArgoTemplate {
    return {
      name: this.name,
      volumes: [this.pod.scratch],
      [this.field]: this.pod.container,
      ...this.leafFields(),
      ...optional('priorityClassName', this.pod.priorityClassName),
      ...placementManifest(this.pool.placement()),
    };
  }
}

/** A step that creates a SparkApplication and waits for it to finish (a `resource` template). */
export class SparkTask extends PipelineTask {
  /** The application the step runs. */
  public readonly app: SparkApplication;

  /** @internal use {@link Pipeline.spark}. */
  constructor(pipeline: Pipeline, id: string, app: SparkApplication, options: SparkTaskOptions) {
    super(pipeline, id, options);
    check(typeof app?.toManifest === 'function' && typeof app.adopt === 'function', 'app', describeTask(app), 'a SparkApplication');
    this.app = app;
    app.adopt(this.node.path);
  }

  public demand(): JobDemand {
    const { pods, estimatedDurationSeconds } = this.app.demand();
    return { name: this.name, path: this.node.path, pods, estimatedDurationSeconds: this.estimatedDurationSeconds ?? estimatedDurationSeconds };
  }

  /** @internal */
  public _template(): ArgoTemplate {
    const { apiVersion, kind, metadata: { name, ...metadata }, spec } = this.app.toManifest();
    return {
      name: this.name,
      resource: {
        action: 'create',
        setOwnerReference: true,
        successCondition: 'status.applicationState.state == COMPLETED',
        failureCondition: sparkFailureCondition(spec),
        // generateName: every run (and retry) creates its own application instead of colliding with the last one.
        manifest: embeddedManifestText({ apiVersion, kind, metadata: { generateName: `${name}-`, ...metadata }, spec }),
      },
      outputs: { parameters: [{ name: 'app-name', valueFrom: { jsonPath: '{.metadata.name}' } }] },
      ...this.leafFields(DEFAULT_SPARK_DEADLINE_SECONDS),
    };
  }
}

/** A step that calls a template of a WorkflowTemplate. */
export class TemplateRefTask extends PipelineTask {
  /** The WorkflowTemplate name. */
  public readonly workflowTemplateName: string;
  /** The template called in it. */
  public readonly template: string;
  /** Whether the WorkflowTemplate is cluster-scoped. */
  public readonly clusterScope: boolean;
  /** The pipeline called, when it is defined in this app. */
  public readonly target?: Pipeline;

  /** @internal use {@link Pipeline.templateRef}. */
  constructor(pipeline: Pipeline, id: string, ref: TemplateReference, options: TemplateRefTaskOptions) {
    super(pipeline, id, options);
    check(typeof ref === 'object' && ref !== null, 'ref', ref, 'a template reference');
    const given = ref.workflowTemplate;
    if (typeof given === 'string') {
      this.workflowTemplateName = given;
    } else {
      check(given?.kind === 'WorkflowTemplate', 'workflowTemplate', describeTask(given), 'a Pipeline of kind WorkflowTemplate');
      check(given !== pipeline, 'workflowTemplate', given.node.path, 'another pipeline (a pipeline cannot call itself)');
      this.workflowTemplateName = given.name;
      this.target = given;
    }
    this.template = checkArgoTemplateName('template', ref.template ?? 'main');
    this.clusterScope = ref.clusterScope ?? false;
    check(typeof this.clusterScope === 'boolean', 'clusterScope', ref.clusterScope, 'a boolean');
    check(!(this.clusterScope && this.target), 'clusterScope', true, 'false when calling a namespaced WorkflowTemplate pipeline');
  }

  /** The called template's pods are not known here: the demand has no pods. */
  public demand(): JobDemand {
    return { ...this.jobIdentity(), pods: [] };
  }

  /** @internal */
  public _template(): undefined {
    return undefined;
  }

  protected callee(): Pick<ArgoDagTask, 'templateRef'> {
    return {
      templateRef: {
        name: this.workflowTemplateName,
        template: this.template,
        ...(this.clusterScope ? { clusterScope: true } : {}),
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A rendered main container plus the pod-level parts of its template. */
interface RenderedPod {
  readonly container: ArgoContainer;
  /** The container's requests as the planner counts them (one pod). */
  readonly requests: ResourceVector;
  readonly scratch: { readonly name: string; readonly emptyDir: { readonly sizeLimit: string } };
  readonly priorityClassName?: string;
}

function renderPod(options: PodTaskOptions | ScriptTaskOptions, script: boolean): RenderedPod {
  check(typeof options.image === 'string' && options.image.trim() !== '', 'image', options.image, 'a container image reference');
  const scratchSize = options.scratchSize ?? DEFAULT_SCRATCH_SIZE;
  const scratch = scratchSize === DEFAULT_SCRATCH_SIZE ? DEFAULT_SCRATCH_VOLUME : scratchVolume(SCRATCH_VOLUME, scratchSize);
  const cpu = positiveQuantity('cpu', options.cpu);
  const memory = positiveQuantity('memory', options.memory);
  const cpuLimit = limit('cpuLimit', options.cpuLimit, cpu);
  const memoryLimit = limit('memoryLimit', options.memoryLimit, memory);
  const storage = options.ephemeralStorage === undefined ? Quantity.parse(scratch.emptyDir.sizeLimit) : positiveQuantity('ephemeralStorage', options.ephemeralStorage);
  const source = script ? { source: checkSource((options as ScriptTaskOptions).source) } : {};
  const command = optionalStringList('command', options.command);
  if (script) check(command !== undefined && command.length > 0, 'command', options.command, 'the interpreter of the script');
  const tier = options.priorityTier;
  check(tier === undefined || tier instanceof PriorityTier, 'priorityTier', tier, 'a PriorityTier');
  return {
    scratch,
    priorityClassName: tier?.className,
    requests: resources({ cpuMillis: cpu.milliValue(), memoryBytes: memory.value(), ephemeralStorageBytes: storage.value(), pods: 1 }),
    container: {
      name: 'main',
      image: options.image,
      ...optional('command', command),
      ...optional('args', optionalStringList('args', options.args)),
      ...source,
      ...optional('env', envList(options.env)),
      ...optional('envFrom', envFromList(options.envFrom)),
      resources: {
        requests: { 'cpu': cpu.toString(), 'memory': memory.toString(), 'ephemeral-storage': storage.toString() },
        limits: { cpu: cpuLimit, memory: memoryLimit },
      },
      securityContext: options.runAsUser === undefined ? IMAGE_USER_SECURITY_CONTEXT : restrictedContainerSecurityContext({ runAsUser: options.runAsUser }),
      volumeMounts: SCRATCH_VOLUME_MOUNTS,
    },
  };
}

/** A limit in canonical form: the request when not given, else a quantity at least the request. */
function limit(field: string, value: string | number | undefined, request: Quantity): string {
  if (value === undefined) return request.toString();
  const parsed = positiveQuantity(field, value);
  check(parsed.cmp(request) >= 0, field, value, `a limit at least the request (${request.toString()})`);
  return parsed.toString();
}

function checkSource(source: unknown): string {
  check(typeof source === 'string' && source.trim() !== '', 'source', source, 'the script body');
  return source;
}

/** Environment variables sorted by name; `undefined` when none are given. */
function envList(env: Readonly<Record<string, string | EnvValue>> | undefined): k8s.EnvVar[] | undefined {
  if (env === undefined) return undefined;
  check(isRecord(env), 'env', env, 'an object of variable names to strings or EnvValues');
  return Object.keys(env)
    .sort(compareStrings)
    .map((name) => renderEnvVar('env', name, env[name]));
}

/** Environment sources in the order given (a later source wins a shared key); `undefined` when none are given. */
function envFromList(sources: readonly EnvFromSource[] | undefined): k8s.EnvFromSource[] | undefined {
  if (sources === undefined) return undefined;
  check(Array.isArray(sources), 'envFrom', sources, 'an array of { secret } or { configMap } objects');
  const rendered = sources.map((source, i) => renderEnvFrom('envFrom', i, source));
  return rendered.length === 0 ? undefined : rendered;
}

/** Renders parameters sorted by name, with their values (arguments) or without (template inputs). */
export function renderParameters(parameters: Readonly<Record<string, string>>, withValues: boolean): ArgoParameter[] {
  check(parameters !== undefined, 'parameters', parameters, 'an object of string keys to string values');
  return Object.entries(stringMap('parameters', parameters) ?? {}).map(([name, value]) => {
    checkParameterName(entryField('parameters', name), name);
    return withValues ? { name, value } : { name };
  });
}

function checkCommonOptions(options: PipelineTaskOptions): void {
  if (options.when !== undefined) check(typeof options.when === 'string' && options.when.trim() !== '', 'when', options.when, 'an Argo when expression');
  if (options.parameters !== undefined) renderParameters(options.parameters, true);
  if (options.retryStrategy !== undefined) renderRetryStrategy(options.retryStrategy);
  optionalDuration('activeDeadline', options.activeDeadline);
  optionalDuration('timeout', options.timeout);
}

/** Parses an optional duration, refusing zero for deadlines. */
export function optionalDuration(field: string, value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseDuration(value, field);
  if (seconds === 0) throw new BatchplaneError(field, value, 'a positive duration');
  return seconds;
}

/** Renders a retry strategy, checking it. */
export function renderRetryStrategy(strategy: RetryStrategy): ArgoRetryStrategy {
  check(isRecord(strategy), 'retryStrategy', strategy, 'a retry strategy');
  // limit and factor are int-or-string fields: their integers are int32.
  const retryLimit = integerInRange('retryStrategy.limit', strategy.limit, 0);
  const policy = oneOf('retryStrategy.retryPolicy', strategy.retryPolicy ?? 'OnFailure', RETRY_POLICIES);
  const backoff = strategy.backoff;
  if (backoff !== undefined) {
    check(isRecord(backoff), 'retryStrategy.backoff', backoff, 'an object { duration, factor?, maxDuration? }');
    if (backoff.factor !== undefined) integerInRange('retryStrategy.backoff.factor', backoff.factor, 1);
  }
  return {
    limit: String(retryLimit),
    retryPolicy: policy,
    ...(backoff === undefined ? {} : {
      backoff: {
        duration: `${parseDuration(backoff.duration, 'retryStrategy.backoff.duration')}s`,
        ...(backoff.factor === undefined ? {} : { factor: String(backoff.factor) }),
        ...(backoff.maxDuration === undefined ? {} : { maxDuration: `${parseDuration(backoff.maxDuration, 'retryStrategy.backoff.maxDuration')}s` }),
      },
    }),
  };
}

/**
 * With `restartPolicy: Never` (the operator's default) SUBMISSION_FAILED is final; with a restarting
 * policy the operator retries it, so only FAILED ends the step.
 */
function sparkFailureCondition(spec: unknown): string {
  const policy = (spec as { restartPolicy?: { type?: string } } | undefined)?.restartPolicy?.type ?? 'Never';
  return policy === 'Never'
    ? 'status.applicationState.state in (FAILED, SUBMISSION_FAILED)'
    : 'status.applicationState.state == FAILED';
}

function describeTask(value: unknown): unknown {
  return value instanceof Construct ? value.node.path : value;
}
