/**
 * An Argo Workflows pipeline: a Workflow, WorkflowTemplate or CronWorkflow whose entrypoint `main` is a
 * DAG of tasks (containers, scripts, Spark applications, calls to other templates). The pipeline also
 * emits its ServiceAccount and least-privilege Role, and describes itself to the resolver as a
 * {@link PipelineGraph} (jobs with their pod demands, dependency edges, deadline).
 *
 * Graph checks (unknown dependencies, cycles) belong to the resolver; the pipeline checks names, sizes
 * and the rules Argo applies to one DAG.
 */
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ArgoKind,
  checkArgoObjectName,
  checkDagSize,
  checkNoLeadingDigit,
  checkNotExprBuiltin,
} from '../model/argo-names';
import { checkTimeZone, parseCron } from '../model/cron';
import { BatchplaneError, check, withPath } from '../model/errors';
import {
  annotationMap, compareStrings, INT32_MIN, INT64_SAFE_MAX, integerInRange, isRecord, labelMap, oneOf, optional, optionalBoolean,
} from '../model/input';
import { PipelineGraph } from '../model/job-graph';
import {
  ArgoDagTask,
  ArgoTemplate,
  ContainerTask,
  ContainerTaskOptions,
  optionalDuration,
  PipelineTask,
  renderParameters,
  renderRetryStrategy,
  RetryStrategy,
  ScriptTaskOptions,
  SparkTask,
  SparkTaskOptions,
  TemplateReference,
  TemplateRefTask,
  TemplateRefTaskOptions,
} from './pipeline-task';
import { PriorityTier } from './priority-tiers';
import { restrictedPodSecurityContext } from './security';
import type { SparkApplication } from './spark-application';
import { checkServiceAccountOptions, SPARK_SUBMIT_PERMISSION, WorkflowRbac, WorkflowServiceAccountOptions } from './workflow-rbac';

/** The Argo kinds a pipeline renders as. */
export type PipelineKind = 'Workflow' | 'WorkflowTemplate' | 'CronWorkflow';

/** What a CronWorkflow does when a run is due while the previous one is still running. */
export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

/** When Argo deletes the pods of finished steps. */
export type PodGcStrategy = 'OnPodCompletion' | 'OnPodSuccess' | 'OnWorkflowCompletion' | 'OnWorkflowSuccess';

/** How long a finished workflow is kept, in seconds or durations. */
export interface TtlStrategy {
  /**
   * After success.
   * @default - kept until the controller's default applies
   */
  readonly afterSuccess?: number | string;
  /**
   * After failure or error.
   * @default - kept until the controller's default applies
   */
  readonly afterFailure?: number | string;
}

/** Options of {@link Pipeline.onExit}: a container that runs once the DAG has finished, whatever its outcome. */
export interface ExitHandlerOptions extends Omit<ContainerTaskOptions, 'dependsOn' | 'depends' | 'when' | 'estimatedDuration'> {}

/** Props of {@link Pipeline}. */
export interface PipelineProps {
  /**
   * The object name, a DNS-1123 subdomain: at most 63 characters, 52 for a CronWorkflow.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The kind to render.
   * @default - `CronWorkflow` when `schedule` or `schedules` is given, `WorkflowTemplate` when `template` is true, else `Workflow`
   */
  readonly kind?: PipelineKind;
  /**
   * Render a WorkflowTemplate (a reusable definition submitted by name or called by `templateRef`).
   * @default false
   */
  readonly template?: boolean;
  /**
   * A cron schedule (5 fields or a descriptor such as `@daily`); makes the pipeline a CronWorkflow.
   * @default - not scheduled
   */
  readonly schedule?: string;
  /**
   * Several cron schedules; the pipeline runs at each.
   * @default - not scheduled
   */
  readonly schedules?: readonly string[];
  /**
   * The IANA time zone of the schedules.
   * @default - the controller's time zone (usually UTC)
   */
  readonly timezone?: string;
  /**
   * What happens when a run is due while the previous one still runs.
   * @default 'Forbid' (nightly batch runs must not overlap and compete for the same capacity)
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Finished successful runs a CronWorkflow keeps.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Finished failed runs a CronWorkflow keeps.
   * @default 3
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * How late (seconds) a missed run may still start, e.g. after a controller restart.
   * @default - missed runs are not started
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Create the CronWorkflow suspended.
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Workflow parameters (`spec.arguments.parameters`), usable as `{{workflow.parameters.<name>}}`.
   * @default - none
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * The ServiceAccount of the pipeline's pods, emitted with its Role and RoleBinding.
   * @default - `<name>-workflow`, created
   */
  readonly serviceAccount?: WorkflowServiceAccountOptions;
  /**
   * The most tasks that run at the same time.
   * @default - no limit besides the DAG
   */
  readonly parallelism?: number;
  /**
   * How long a run may take in total before Argo fails it (seconds or a duration).
   * @default - no limit
   */
  readonly activeDeadline?: number | string;
  /**
   * The retry strategy of every step that has none of its own.
   * @default - no retries
   */
  readonly retryStrategy?: RetryStrategy;
  /**
   * The workflow's priority in Argo's queue (higher runs first when parallelism is limited).
   * @default - Argo's default (0)
   */
  readonly priority?: number;
  /**
   * The priority tier of every pod of the pipeline.
   * @default - none (pods get the cluster's default priority)
   */
  readonly podPriorityTier?: PriorityTier;
  /**
   * When the pods of finished steps are deleted. The default deletes pods of successful steps at once,
   * freeing their node for scale-down, and keeps failed ones for their logs.
   * @default 'OnPodSuccess'
   */
  readonly podGC?: PodGcStrategy;
  /**
   * How long finished runs are kept.
   * @default - one day after success, seven days after failure
   */
  readonly ttl?: TtlStrategy;
  /**
   * Labels of the object.
   * @default - only the platform's labels
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations of the object.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * The time a run must finish in, for the capacity planner's simulated schedule (seconds or a duration).
   * @default - no deadline
   */
  readonly deadline?: number | string;
  /**
   * Name a Workflow with `metadata.generateName: <name>-` so that each `kubectl create` starts a new run.
   * Only for `Workflow`.
   * @default true
   */
  readonly generateName?: boolean;
}

/** The template every pipeline enters at: its DAG. */
export const ENTRYPOINT = 'main';

const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
const DEFAULT_TTL: Required<TtlStrategy> = { afterSuccess: 86_400, afterFailure: 7 * 86_400 };
const KINDS: readonly PipelineKind[] = ['Workflow', 'WorkflowTemplate', 'CronWorkflow'];
const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ['Allow', 'Forbid', 'Replace'];
const POD_GC_STRATEGIES: readonly PodGcStrategy[] = ['OnPodCompletion', 'OnPodSuccess', 'OnWorkflowCompletion', 'OnWorkflowSuccess'];

/** The scheduling part of a CronWorkflow spec. */
interface CronSettings {
  readonly schedules: string[];
  readonly timezone?: string;
  readonly concurrencyPolicy: ConcurrencyPolicy;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
  readonly startingDeadlineSeconds?: number;
  readonly suspend?: boolean;
}

/**
 * A DAG of batch steps run by Argo Workflows.
 *
 * @example
 * const nightly = new Pipeline(platform, 'nightly', { schedule: '0 23 * * *', timezone: 'Europe/Paris' });
 * const a = nightly.container('job-a', { image: 'python:3.12', command: ['python', 'a.py'], pool: general, cpu: '1', memory: '2Gi' });
 * const b = nightly.spark('job-b', sparkApp, { dependsOn: [a] });
 * nightly.container('report', { ..., depends: Depends.on(b).failed() });
 */
export class Pipeline extends Construct {
  /** The object name. */
  public readonly name: string;
  /** The kind rendered. */
  public readonly kind: PipelineKind;
  /** The ServiceAccount the pipeline's pods run as. */
  public readonly serviceAccountName: string;
  /** The deadline of a run in seconds, when given. */
  public readonly deadlineSeconds?: number;
  /** The ServiceAccount, Role and RoleBinding. */
  public readonly rbac: WorkflowRbac;
  /** The Argo object. */
  public readonly apiObject: ApiObject;

  private readonly props: PipelineProps;
  private readonly cron?: CronSettings;
  private readonly taskList: PipelineTask[] = [];
  private exitHandler?: ContainerTask;
  /** The names the tasks' `depends` refer to, computed once for all the tasks' checks (see {@link referencedNames}). */
  private referenced?: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: PipelineProps = {}) {
    super(scope, id);
    this.props = props ?? {};
    this.name = this.props.name ?? id;
    const resolved = withPath(this.node.path, () => {
      check(isRecord(this.props), 'props', this.props, 'an object');
      const kind = deriveKind(this.props);
      checkArgoObjectName(kind, this.props.name === undefined ? 'id' : 'name', this.name);
      checkWorkflowProps(this.props, kind);
      return {
        kind,
        cron: kind === 'CronWorkflow' ? cronSettings(this.props) : undefined,
        deadlineSeconds: optionalDuration('deadline', this.props.deadline),
        serviceAccount: checkServiceAccountOptions(this.props.serviceAccount),
        metadata: {
          name: this.name,
          ...optional('labels', labelMap('labels', this.props.labels)),
          ...optional('annotations', annotationMap('annotations', this.props.annotations)),
        },
      };
    });
    this.kind = resolved.kind;
    this.cron = resolved.cron;
    this.deadlineSeconds = resolved.deadlineSeconds;
    const account = resolved.serviceAccount;
    this.rbac = new WorkflowRbac(this, 'Rbac', {
      serviceAccountName: account.name ?? `${this.name}-workflow`,
      annotations: account.annotations,
      create: account.create,
    });
    this.serviceAccountName = this.rbac.serviceAccountName;
    this.apiObject = this.createApiObject(resolved.metadata);
    this.node.addValidation({ validate: () => this.validateDag() });
  }

  /** The tasks of the DAG, in the order they were added. */
  public get tasks(): readonly PipelineTask[] {
    return [...this.taskList];
  }

  /** Adds a step that runs a container. */
  public container(id: string, options: ContainerTaskOptions): ContainerTask {
    return this.addTask(id, () => new ContainerTask(this, id, options, 'container'));
  }

  /** Adds a step that runs a script (`source`) with an interpreter (`command`). */
  public script(id: string, options: ScriptTaskOptions): ContainerTask {
    return this.addTask(id, () => new ContainerTask(this, id, options, 'script'));
  }

  /**
   * Adds a step that creates `app` and waits until it completes or fails. The application is then
   * created only by the workflow (its standalone manifest is removed) and deleted with the workflow.
   */
  public spark(id: string, app: SparkApplication, options: SparkTaskOptions = {}): SparkTask {
    const task = this.addTask(id, () => new SparkTask(this, id, app, options));
    this.rbac.allow(SPARK_SUBMIT_PERMISSION);
    return task;
  }

  /** Adds a step that runs a template of a WorkflowTemplate (by default its `main` DAG). */
  public templateRef(id: string, ref: TemplateReference, options: TemplateRefTaskOptions = {}): TemplateRefTask {
    return this.addTask(id, () => new TemplateRefTask(this, id, ref, options));
  }

  /** Sets the exit handler: a container that runs after the DAG, whether it succeeded or not. */
  public onExit(id: string, options: ExitHandlerOptions): ContainerTask {
    if (this.exitHandler) {
      throw new BatchplaneError('onExit', id, `a single exit handler (already ${this.exitHandler.name})`, this.node.path);
    }
    this.exitHandler = this.createChild(id, () => new ContainerTask(this, id, options, 'container'));
    return this.exitHandler;
  }

  /** The pipeline as the resolver reads it: one job per task, edges from dependency to dependent. */
  public graph(): PipelineGraph {
    const tasks = this.sortedTasks();
    // Edges sorted by dependency, then dependent: each dependency's dependents come in name order.
    const dependents = new Map<string, string[]>();
    for (const task of tasks) {
      for (const dependency of task.dependencies()) {
        const list = dependents.get(dependency);
        if (list) list.push(task.name);
        else dependents.set(dependency, [task.name]);
      }
    }
    const edges = [...dependents.keys()]
      .sort(compareStrings)
      .flatMap((dependency) => dependents.get(dependency)!.map((dependent): [string, string] => [dependency, dependent]));
    return {
      name: this.name,
      path: this.node.path,
      jobs: tasks.map((task) => task.demand()),
      edges,
      ...optional('deadlineSeconds', this.deadlineSeconds),
    };
  }

  /** The workflow spec (as Argo's `WorkflowSpec`), rendered at synthesis. */
  private renderWorkflowSpec(): Record<string, unknown> {
    const p = this.props;
    const deadline = optionalDuration('activeDeadline', p.activeDeadline);
    const ttl = { ...DEFAULT_TTL, ...p.ttl };
    return {
      entrypoint: ENTRYPOINT,
      serviceAccountName: this.serviceAccountName,
      securityContext: restrictedPodSecurityContext(),
      podGC: { strategy: p.podGC ?? 'OnPodSuccess' },
      ttlStrategy: {
        secondsAfterSuccess: optionalDuration('ttl.afterSuccess', ttl.afterSuccess),
        secondsAfterFailure: optionalDuration('ttl.afterFailure', ttl.afterFailure),
      },
      ...(p.parameters === undefined ? {} : { arguments: { parameters: renderParameters(p.parameters, true) } }),
      ...optional('parallelism', p.parallelism),
      ...optional('activeDeadlineSeconds', deadline),
      ...(p.retryStrategy === undefined ? {} : { retryStrategy: renderRetryStrategy(p.retryStrategy) }),
      ...optional('priority', p.priority),
      ...(p.podPriorityTier === undefined ? {} : { podPriorityClassName: p.podPriorityTier.className }),
      ...(this.exitHandler === undefined ? {} : { onExit: this.exitHandler.name }),
      templates: this.renderTemplates(),
    };
  }

  private renderTemplates(): ArgoTemplate[] {
    const tasks = this.sortedTasks();
    const dag: ArgoTemplate = { name: ENTRYPOINT, dag: { tasks: tasks.map((t): ArgoDagTask => t._dagTask()) } };
    const leaves = [...tasks, ...(this.exitHandler ? [this.exitHandler] : [])]
      .map((t) => t._template())
      .filter((t): t is ArgoTemplate => t !== undefined)
      .sort((a, b) => compareStrings(a.name, b.name));
    return [dag, ...leaves];
  }

  private renderSpec(): Record<string, unknown> {
    const workflowSpec = this.renderWorkflowSpec();
    if (this.cron === undefined) return workflowSpec;
    return { ...this.cron, workflowSpec };
  }

  private createApiObject(metadata: Record<string, unknown>): ApiObject {
    const object = new ApiObject(this, 'Resource', {
      apiVersion: ARGO_API_VERSION,
      kind: this.kind,
      metadata,
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    if (this.kind === 'Workflow' && (this.props.generateName ?? true)) {
      object.addJsonPatch(JsonPatch.remove('/metadata/name'), JsonPatch.add('/metadata/generateName', `${this.name}-`));
    }
    return object;
  }

  private addTask<T extends PipelineTask>(id: string, create: () => T): T {
    const task = this.createChild(id, create);
    this.taskList.push(task);
    this.referenced = undefined;
    task.node.addValidation({ validate: () => this.validateTask(task) });
    return task;
  }

  /** Creates a task construct, turning construct-tree errors into BatchplaneErrors and leaving no half-built child. */
  private createChild<T extends PipelineTask>(id: string, create: () => T): T {
    // The error belongs to the task that was not created; `<task>` stands in for an id that cannot name it.
    if (typeof id !== 'string' || id === '') throw new BatchplaneError('id', id, 'a non-empty task name', `${this.node.path}/<task>`);
    const path = `${this.node.path}/${id}`;
    if (id === ENTRYPOINT) throw new BatchplaneError('name', id, `a task name other than '${ENTRYPOINT}', the pipeline's DAG template`, path);
    const existing = this.node.tryFindChild(id);
    if (existing !== undefined) {
      const owner = existing instanceof PipelineTask ? 'another task' : "the pipeline's own objects";
      throw new BatchplaneError('name', id, `a task name not already used in pipeline ${this.name} (used by ${owner})`, path);
    }
    try {
      return withPath(path, create);
    } catch (error) {
      this.node.tryRemoveChild(id);
      throw error;
    }
  }

  private sortedTasks(): PipelineTask[] {
    return [...this.taskList].sort((a, b) => compareStrings(a.name, b.name));
  }

  /**
   * Rules that span tasks: DAG size, a resolvable templateRef, and the names Argo misreads once
   * `depends` is used. Messages carry no path: cdk8s prefixes the path of the construct that validates.
   */
  private validateDag(): string[] {
    if (this.taskList.length === 0) return [new BatchplaneError('tasks', 0, 'at least one task (an Argo DAG cannot be empty)').message];
    return collectErrors(() => checkDagSize('tasks', this.taskList.length));
  }

  /**
   * The names the DAG's `depends` expressions refer to. Every task's check needs them: they are
   * collected once and kept until a task is added (a task's dependencies never change), so checking
   * the tasks of a DAG takes time linear in its size.
   */
  private referencedNames(): ReadonlySet<string> {
    this.referenced ??= new Set(this.taskList.flatMap((t) => t.dependencies()));
    return this.referenced;
  }

  /** The rules a single task must meet given the rest of the DAG. */
  private validateTask(task: PipelineTask): string[] {
    const referenced = this.referencedNames();
    return [
      // Argo's validator applies the digit rule to every task of a DAG that uses depends.
      ...(referenced.size > 0 ? collectErrors(() => checkNoLeadingDigit('name', task.name)) : []),
      // Built-in names only clash where the name is substituted into an expression.
      ...(referenced.has(task.name) ? collectErrors(() => checkNotExprBuiltin('name', task.name)) : []),
      ...(task instanceof TemplateRefTask && task.target ? collectErrors(() => checkTemplateExists(task, task.target as Pipeline)) : []),
    ];
  }
}

/** Runs a check and returns its BatchplaneError message, if any. */
function collectErrors(fn: () => void): string[] {
  try {
    fn();
    return [];
  } catch (error) {
    if (error instanceof BatchplaneError) return [error.message];
    throw error;
  }
}

function checkTemplateExists(task: TemplateRefTask, target: Pipeline): void {
  // Every task but a templateRef task has a leaf template of its name; asking by class spares rendering them all.
  const names = [ENTRYPOINT, ...target.tasks.filter((t) => !(t instanceof TemplateRefTask)).map((t) => t.name)];
  if (!names.includes(task.template)) {
    throw new BatchplaneError('template', task.template, `a template of ${target.name}: ${names.join(', ')}`);
  }
}

function deriveKind(props: PipelineProps): PipelineKind {
  const scheduled = props.schedule !== undefined || props.schedules !== undefined;
  const template = optionalBoolean('template', props.template, false);
  const derived: PipelineKind = scheduled ? 'CronWorkflow' : template ? 'WorkflowTemplate' : 'Workflow';
  const kind = oneOf('kind', props.kind ?? derived, KINDS);
  check(!(scheduled && kind !== 'CronWorkflow'), 'kind', kind, 'CronWorkflow (or no kind) when a schedule is given');
  check(!(template && kind !== 'WorkflowTemplate'), 'template', true, `false for a ${kind}`);
  check(kind !== 'CronWorkflow' || scheduled, 'schedule', undefined, 'a schedule for a CronWorkflow');
  return kind;
}

function cronSettings(props: PipelineProps): CronSettings {
  check(!(props.schedule !== undefined && props.schedules !== undefined), 'schedules', props.schedules, 'either schedule or schedules, not both');
  const given = props.schedules ?? [props.schedule];
  check(Array.isArray(given) && given.length > 0, 'schedules', props.schedules, 'at least one cron schedule');
  const schedules = given.map((s: unknown, i) => {
    const field = props.schedules ? `schedules[${i}]` : 'schedule';
    parseCron(s as string, field);
    return s as string;
  });
  if (props.timezone !== undefined) checkTimeZone('timezone', props.timezone);
  return {
    schedules,
    ...optional('timezone', props.timezone),
    concurrencyPolicy: oneOf('concurrencyPolicy', props.concurrencyPolicy ?? 'Forbid', CONCURRENCY_POLICIES),
    successfulJobsHistoryLimit: integerInRange('successfulJobsHistoryLimit', props.successfulJobsHistoryLimit ?? 3, 0),
    failedJobsHistoryLimit: integerInRange('failedJobsHistoryLimit', props.failedJobsHistoryLimit ?? 3, 0),
    ...optional('startingDeadlineSeconds', props.startingDeadlineSeconds === undefined ? undefined
      : integerInRange('startingDeadlineSeconds', props.startingDeadlineSeconds, 0, INT64_SAFE_MAX)),
    ...optional('suspend', optionalBoolean('suspend', props.suspend)),
  };
}

/** Checks the props of the workflow spec and those that only some kinds take. */
function checkWorkflowProps(props: PipelineProps, kind: ArgoKind): void {
  const cronOnly = ['timezone', 'concurrencyPolicy', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'startingDeadlineSeconds', 'suspend'] as const;
  if (kind !== 'CronWorkflow') {
    for (const key of cronOnly) check(props[key] === undefined, key, props[key], `nothing: ${key} applies only to a CronWorkflow`);
  }
  check(props.generateName === undefined || kind === 'Workflow', 'generateName', props.generateName, 'nothing: only a Workflow is named by generateName');
  optionalBoolean('generateName', props.generateName);
  if (props.parameters !== undefined) renderParameters(props.parameters, true);
  if (props.parallelism !== undefined) integerInRange('parallelism', props.parallelism, 1, INT64_SAFE_MAX);
  if (props.priority !== undefined) integerInRange('priority', props.priority, INT32_MIN);
  if (props.retryStrategy !== undefined) renderRetryStrategy(props.retryStrategy);
  if (props.podGC !== undefined) oneOf('podGC', props.podGC, POD_GC_STRATEGIES);
  if (props.podPriorityTier !== undefined) check(props.podPriorityTier instanceof PriorityTier, 'podPriorityTier', props.podPriorityTier, 'a PriorityTier');
  optionalDuration('activeDeadline', props.activeDeadline);
  check(props.ttl === undefined || isRecord(props.ttl), 'ttl', props.ttl, 'an object { afterSuccess?, afterFailure? }');
  optionalDuration('ttl.afterSuccess', props.ttl?.afterSuccess);
  optionalDuration('ttl.afterFailure', props.ttl?.afterFailure);
}
