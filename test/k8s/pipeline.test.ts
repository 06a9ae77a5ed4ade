import { Testing } from 'cdk8s';
import { parse as parseYaml, parseDocument } from 'yaml';
import { NodePool } from '../../lib/k8s/node-pool';
import { Pipeline, PipelineProps } from '../../lib/k8s/pipeline';
import { EnvValue } from '../../lib/k8s/env-value';
import { ContainerTask, PipelineTask } from '../../lib/k8s/pipeline-task';
import { PriorityTier } from '../../lib/k8s/priority-tiers';
import { SparkApplication, SparkApplicationProps, SparkRestartPolicyType } from '../../lib/k8s/spark-application';
import { Depends } from '../../lib/model/depends';
import { BatchplaneError } from '../../lib/model/errors';
import { describeConformance, validateManifests } from '../support/conformance';
import { platformWithPools, PlatformWithPools, PYTHON_APP, pythonStep } from '../support/fixtures';

type Manifest = { apiVersion: string; kind: string; metadata: Record<string, any>; spec: Record<string, any> };

type Fixture = PlatformWithPools;

function sparkApp(f: Fixture, id: string, extra: Partial<SparkApplicationProps> = {}): SparkApplication {
  return new SparkApplication(f.platform, id, {
    ...PYTHON_APP,
    driver: { cores: 1, memory: '2g', pool: f.general },
    executor: { cores: 4, memory: '12g', instances: 4, pool: f.spot },
    ...extra,
  });
}

const sqlStep = (f: Fixture, file: string) => ({
  image: 'registry.example.com/sql-runner:1.4',
  args: ['--file', file],
  pool: f.general,
  cpu: '500m',
  memory: '1Gi',
});

/** The seed pipeline: A → B (Spark); C alone; D after A, B, C; E and F after D; nightly at 23:00. */
function seedPipeline(f: Fixture, props: PipelineProps = { schedule: '0 23 * * *' }) {
  const pipeline = new Pipeline(f.platform, 'nightly', props);
  const a = pipeline.container('job-a', { ...pythonStep(f.general, 'etl_a.py'), estimatedDuration: '20m' });
  const b = pipeline.spark('job-b', sparkApp(f, 'job-b-app'), { dependsOn: [a], estimatedDuration: '45m' });
  const c = pipeline.container('job-c', { ...sqlStep(f, 'c.sql'), estimatedDuration: '10m' });
  const d = pipeline.container('job-d', { ...pythonStep(f.general, 'etl_d.py'), dependsOn: [a, b, c] });
  const e = pipeline.container('job-e', { ...sqlStep(f, 'e.sql'), dependsOn: [d] });
  const ff = pipeline.container('job-f', { ...sqlStep(f, 'f.sql'), dependsOn: [d] });
  return { pipeline, a, b, c, d, e, f: ff };
}

function synth(f: Fixture): Manifest[] {
  return Testing.synth(f.platform) as Manifest[];
}

function argoObject(f: Fixture): Manifest {
  const found = synth(f).filter((m) => m.apiVersion === 'argoproj.io/v1alpha1');
  expect(found).toHaveLength(1);
  return found[0];
}

function workflowSpec(m: Manifest): Record<string, any> {
  return m.kind === 'CronWorkflow' ? m.spec.workflowSpec : m.spec;
}

function template(m: Manifest, name: string): Record<string, any> {
  const found = workflowSpec(m).templates.find((t: { name: string }) => t.name === name);
  expect(found).toBeDefined();
  return found;
}

/** True when every object in `value`, at any depth, lists its keys in sorted order. */
function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (typeof value !== 'object' || value === null) return true;
  const keys = Object.keys(value);
  return keys.every((key, i) => i === 0 || keys[i - 1] < key) && Object.values(value).every(keysSorted);
}

function dagTasks(m: Manifest): Record<string, any>[] {
  return template(m, 'main').dag.tasks;
}

describe('seed pipeline (CronWorkflow)', () => {
  const f = platformWithPools();
  seedPipeline(f);
  const cron = argoObject(f);

  test('a CronWorkflow with schedules, Forbid and history limits', () => {
    expect(cron.kind).toBe('CronWorkflow');
    expect(cron.metadata).toMatchObject({ name: 'nightly', namespace: 'data' });
    expect(cron.spec).toMatchObject({
      schedules: ['0 23 * * *'],
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    expect(cron.spec.schedule).toBeUndefined();
  });

  test('the DAG is the entrypoint main, tasks sorted by name, with exact depends strings', () => {
    const spec = workflowSpec(cron);
    expect(spec.entrypoint).toBe('main');
    expect(spec.templates[0].name).toBe('main');
    expect(dagTasks(cron)).toEqual([
      { name: 'job-a', template: 'job-a' },
      { name: 'job-b', template: 'job-b', depends: 'job-a' },
      { name: 'job-c', template: 'job-c' },
      { name: 'job-d', template: 'job-d', depends: 'job-a && job-b && job-c' },
      { name: 'job-e', template: 'job-e', depends: 'job-d' },
      { name: 'job-f', template: 'job-f', depends: 'job-d' },
    ]);
    expect(spec.templates.map((t: { name: string }) => t.name)).toEqual(['main', 'job-a', 'job-b', 'job-c', 'job-d', 'job-e', 'job-f']);
  });

  test('workflow defaults: service account, pod security, pod GC, TTL', () => {
    expect(workflowSpec(cron)).toMatchObject({
      serviceAccountName: 'nightly-workflow',
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      podGC: { strategy: 'OnPodSuccess' },
      ttlStrategy: { secondsAfterSuccess: 86400, secondsAfterFailure: 604800 },
    });
  });

  test('container template: main container, requests and limits, secure context, scratch, pool placement', () => {
    const a = template(cron, 'job-a');
    expect(a.container).toEqual({
      name: 'main',
      image: 'python:3.12-slim',
      command: ['python', 'etl_a.py'],
      resources: { requests: { cpu: '1', memory: '2Gi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
    });
    expect(a.volumes).toEqual([{ name: 'scratch', emptyDir: { sizeLimit: '1Gi' } }]);
    expect(a.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'batchplane.io/pool', operator: 'In', values: ['general'] }] },
    ]);
  });

  test('Spark task: a resource template that creates the app and waits for it', () => {
    const b = template(cron, 'job-b');
    expect(b.resource).toMatchObject({
      action: 'create',
      setOwnerReference: true,
      successCondition: 'status.applicationState.state == COMPLETED',
      failureCondition: 'status.applicationState.state in (FAILED, SUBMISSION_FAILED)',
    });
    expect(b.activeDeadlineSeconds).toBe(86400);
    expect(b.outputs).toEqual({ parameters: [{ name: 'app-name', valueFrom: { jsonPath: '{.metadata.name}' } }] });
    // Embedded as JSON with sorted keys and a two-space indent; JSON is YAML, so Argo reads the same value.
    const text: string = b.resource.manifest;
    const manifest = JSON.parse(text);
    expect(text).toBe(JSON.stringify(manifest, undefined, 2));
    expect(keysSorted(manifest)).toBe(true);
    expect(parseYaml(text)).toEqual(manifest);
    expect(manifest.kind).toBe('SparkApplication');
    expect(manifest.metadata.generateName).toBe('job-b-app-');
    expect(manifest.metadata.name).toBeUndefined();
    expect(manifest.spec.executor.tolerations).toEqual(
      expect.arrayContaining([{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }]),
    );
  });

  test('the adopted SparkApplication is no longer emitted on its own', () => {
    expect(synth(f).filter((m) => m.kind === 'SparkApplication')).toEqual([]);
  });

  test('RBAC: ServiceAccount, Role with exactly the executor and Spark rights, RoleBinding', () => {
    const objects = synth(f);
    const role = objects.find((m) => m.kind === 'Role' && m.metadata.name === 'nightly-workflow') as unknown as {
      rules: unknown[];
    };
    expect(role.rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications'], verbs: ['create', 'get'] },
    ]);
    expect(objects.some((m) => m.kind === 'ServiceAccount' && m.metadata.name === 'nightly-workflow')).toBe(true);
    const binding = objects.find((m) => m.kind === 'RoleBinding' && m.metadata.name === 'nightly-workflow') as unknown as {
      subjects: unknown[];
    };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'nightly-workflow', namespace: 'data' }]);
  });

  test('graph(): one job per task, edges from dependency to dependent', () => {
    const pipeline = f.platform.node.findChild('nightly') as Pipeline;
    const graph = pipeline.graph();
    expect(graph.name).toBe('nightly');
    expect(graph.path).toBe('data/nightly');
    expect(graph.jobs.map((j) => j.name)).toEqual(['job-a', 'job-b', 'job-c', 'job-d', 'job-e', 'job-f']);
    expect(graph.edges).toEqual([
      ['job-a', 'job-b'],
      ['job-a', 'job-d'],
      ['job-b', 'job-d'],
      ['job-c', 'job-d'],
      ['job-d', 'job-e'],
      ['job-d', 'job-f'],
    ]);
    const a = graph.jobs[0];
    expect(a).toMatchObject({ path: 'data/nightly/job-a', estimatedDurationSeconds: 1200 });
    expect(a.pods).toEqual([
      expect.objectContaining({ role: 'main', count: 1, pool: 'general', requests: expect.objectContaining({ cpuMillis: 1000, pods: 1 }) }),
    ]);
    const b = graph.jobs[1];
    expect(b).toMatchObject({ name: 'job-b', path: 'data/nightly/job-b', estimatedDurationSeconds: 2700 });
    expect(b.pods.map((p) => [p.role, p.count])).toEqual([
      ['driver', 1],
      ['executor', 4],
    ]);
  });

  test('depends is written as a YAML string that both YAML 1.1 and 1.2 read back unchanged', () => {
    const text = f.app.synthYaml();
    for (const version of ['1.1', '1.2'] as const) {
      const docs = text.split(/^---$/m).map((d) => parseDocument(d, { version }).toJS());
      const cronDoc = docs.find((d) => d?.kind === 'CronWorkflow');
      expect(cronDoc.spec.workflowSpec.templates[0].dag.tasks[3].depends).toBe('job-a && job-b && job-c');
    }
  });
});

describe('kinds', () => {
  test('a Workflow is named by generateName by default', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'adhoc');
    p.container('step', pythonStep(f.general, 'x.py'));
    const wf = argoObject(f);
    expect(wf.kind).toBe('Workflow');
    expect(wf.metadata.generateName).toBe('adhoc-');
    expect(wf.metadata.name).toBeUndefined();
    expect(wf.spec.entrypoint).toBe('main');
  });

  test('generateName: false keeps a fixed name', () => {
    const f = platformWithPools();
    new Pipeline(f.platform, 'adhoc', { generateName: false }).container('step', pythonStep(f.general, 'x.py'));
    expect(argoObject(f).metadata).toMatchObject({ name: 'adhoc' });
  });

  test('template: true renders a WorkflowTemplate that another pipeline can call', () => {
    const f = platformWithPools();
    const shared = new Pipeline(f.platform, 'shared', { template: true, parameters: { date: 'today' } });
    shared.script('load', { ...pythonStep(f.general, ''), command: ['python'], source: 'print("hi")', parameters: { day: '{{workflow.parameters.date}}' } });
    const caller = new Pipeline(f.platform, 'caller', { generateName: false });
    const first = caller.container('prepare', pythonStep(f.general, 'prepare.py'));
    caller.templateRef('run-shared', { workflowTemplate: shared }, { dependsOn: [first], parameters: { date: '2024-01-01' } });
    caller.templateRef('run-external', { workflowTemplate: 'other-team', template: 'export', clusterScope: true });
    const objects = synth(f).filter((m) => m.apiVersion === 'argoproj.io/v1alpha1');
    const wt = objects.find((m) => m.kind === 'WorkflowTemplate') as Manifest;
    expect(wt.metadata.name).toBe('shared');
    expect(wt.spec.arguments).toEqual({ parameters: [{ name: 'date', value: 'today' }] });
    const load = template(wt, 'load');
    expect(load.script).toMatchObject({ name: 'main', command: ['python'], source: 'print("hi")' });
    expect(load.inputs).toEqual({ parameters: [{ name: 'day' }] });
    const wf = objects.find((m) => m.kind === 'Workflow') as Manifest;
    expect(dagTasks(wf)).toEqual([
      { name: 'prepare', template: 'prepare' },
      { name: 'run-external', templateRef: { name: 'other-team', template: 'export', clusterScope: true } },
      {
        name: 'run-shared',
        templateRef: { name: 'shared', template: 'main' },
        depends: 'prepare',
        arguments: { parameters: [{ name: 'date', value: '2024-01-01' }] },
      },
    ]);
    expect(workflowSpec(wf).templates.map((t: { name: string }) => t.name)).toEqual(['main', 'prepare']);
  });

  test('CronWorkflow options: several schedules, time zone, policy, suspend', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'twice', {
      schedules: ['0 6 * * MON-FRI', '@daily'],
      timezone: 'Europe/Paris',
      concurrencyPolicy: 'Replace',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5,
      startingDeadlineSeconds: 600,
      suspend: true,
    });
    p.container('x', pythonStep(f.general, 'x.py'));
    expect(argoObject(f).spec).toMatchObject({
      schedules: ['0 6 * * MON-FRI', '@daily'],
      timezone: 'Europe/Paris',
      concurrencyPolicy: 'Replace',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5,
      startingDeadlineSeconds: 600,
      suspend: true,
    });
  });
});

describe('tasks', () => {
  test('depends expressions, when, retries, deadlines, timeout, priority tier, limits', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p', { podPriorityTier: PriorityTier.DEFAULT, retryStrategy: { limit: 1 } });
    const a = p.container('a', pythonStep(f.general, 'a.py'));
    const b = p.container('b', pythonStep(f.general, 'b.py'));
    p.container('cleanup', {
      ...pythonStep(f.general, 'c.py'),
      depends: Depends.on(a).failed().or(Depends.on(b).errored()),
      when: "'{{workflow.parameters.mode}}' == 'full'",
      retryStrategy: { limit: 3, retryPolicy: 'OnError', backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
      activeDeadline: '2h',
      timeout: 9000,
      priorityTier: PriorityTier.CRITICAL,
      cpuLimit: '2',
      memoryLimit: '4Gi',
      ephemeralStorage: '5Gi',
      scratchSize: '4Gi',
      env: { MODE: 'full', A_FIRST: '1' },
    });
    p.container('text', { ...pythonStep(f.general, 'd.py'), depends: '!(a.Succeeded || b.Omitted) && cleanup' });
    const wf = argoObject(f);
    expect(wf.spec.retryStrategy).toEqual({ limit: '1', retryPolicy: 'OnFailure' });
    expect(wf.spec.podPriorityClassName).toBe('batch-default');
    const tasks = dagTasks(wf);
    expect(tasks.find((t) => t.name === 'cleanup')).toEqual({
      name: 'cleanup',
      template: 'cleanup',
      depends: 'a.Failed || b.Errored',
      when: "'{{workflow.parameters.mode}}' == 'full'",
    });
    expect(tasks.find((t) => t.name === 'text')?.depends).toBe('!(a.Succeeded || b.Omitted) && cleanup');
    // A leading '!' would be a YAML tag: the written YAML quotes it, and reads back unchanged.
    const yaml = f.app.synthYaml();
    expect(yaml).toContain('depends: "!(a.Succeeded || b.Omitted) && cleanup"');
    const doc = yaml.split(/^---$/m).map((d) => parseDocument(d, { version: '1.1' }).toJS()).find((d) => d?.kind === 'Workflow');
    expect(doc.spec.templates[0].dag.tasks.find((t: { name: string }) => t.name === 'text').depends).toBe(
      '!(a.Succeeded || b.Omitted) && cleanup',
    );
    const cleanup = template(wf, 'cleanup');
    expect(cleanup).toMatchObject({
      activeDeadlineSeconds: 7200,
      timeout: '9000s',
      priorityClassName: 'batch-critical',
      retryStrategy: { limit: '3', retryPolicy: 'OnError', backoff: { duration: '30s', factor: '2', maxDuration: '600s' } },
      volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '4Gi' } }],
    });
    expect(cleanup.container.resources).toEqual({
      requests: { cpu: '1', memory: '2Gi', 'ephemeral-storage': '5Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    });
    expect(cleanup.container.env).toEqual([
      { name: 'A_FIRST', value: '1' },
      { name: 'MODE', value: 'full' },
    ]);
  });

  test('tasks on a tainted pool carry its tolerations and prefer it over the fallback', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    p.container('heavy', { ...pythonStep(f.general, 'h.py'), pool: f.spot });
    const heavy = template(argoObject(f), 'heavy');
    expect(heavy.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }]);
    expect(heavy.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, preference: { matchExpressions: [{ key: 'batchplane.io/pool', operator: 'In', values: ['spark-spot'] }] } },
      { weight: 10, preference: { matchExpressions: [{ key: 'batchplane.io/pool', operator: 'In', values: ['general'] }] } },
    ]);
  });

  test('Spark with a restarting policy fails only on FAILED', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    const app = sparkApp(f, 'retrying', { restartPolicy: { type: SparkRestartPolicyType.ON_FAILURE, onFailureRetries: 2 } });
    p.spark('spark', app, { activeDeadline: '3h' });
    const t = template(argoObject(f), 'spark');
    expect(t.resource.failureCondition).toBe('status.applicationState.state == FAILED');
    expect(t.activeDeadlineSeconds).toBe(10800);
  });

  test('no Spark task: the Role holds only the executor right; a given account name is used', () => {
    const f = platformWithPools();
    new Pipeline(f.platform, 'p', { serviceAccount: { name: 'etl-runner', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' } } })
      .container('x', pythonStep(f.general, 'x.py'));
    const objects = synth(f);
    const role = objects.find((m) => m.kind === 'Role') as unknown as { metadata: { name: string }; rules: unknown[] };
    expect(role.metadata.name).toBe('etl-runner');
    expect(role.rules).toEqual([{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }]);
    expect(objects.find((m) => m.kind === 'ServiceAccount')?.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x',
    });
    expect(argoObject(f).spec.serviceAccountName).toBe('etl-runner');
  });

  test('onExit adds a template outside the DAG', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    p.container('x', pythonStep(f.general, 'x.py'));
    p.onExit('notify', sqlStep(f, 'notify.sql'));
    const wf = argoObject(f);
    expect(wf.spec.onExit).toBe('notify');
    expect(dagTasks(wf).map((t) => t.name)).toEqual(['x']);
    expect(template(wf, 'notify').container.name).toBe('main');
    expect(p.graph().jobs.map((j) => j.name)).toEqual(['x']);
  });

  test('env takes strings and references to Secrets, ConfigMaps and pod fields; envFrom takes whole ones', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    p.container('load', {
      ...pythonStep(f.general, 'load.py'),
      env: {
        WAREHOUSE_PASSWORD: EnvValue.fromSecret('warehouse-db', 'password'),
        LOG_LEVEL: 'info',
        BATCH_SIZE: EnvValue.fromValue('500'),
        REGION: EnvValue.fromConfigMap('platform.settings', 'aws.region'),
        POD_NAME: EnvValue.fromField('metadata.name'),
        TEAM: EnvValue.fromField("metadata.labels['example.com/team']"),
      },
      envFrom: [{ secret: 'warehouse-db', prefix: 'DB_' }, { configMap: 'etl-defaults' }],
    });
    const container = template(argoObject(f), 'load').container;
    expect(container.env).toEqual([
      { name: 'BATCH_SIZE', value: '500' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'platform.settings', key: 'aws.region' } } },
      { name: 'TEAM', valueFrom: { fieldRef: { fieldPath: "metadata.labels['example.com/team']" } } },
      { name: 'WAREHOUSE_PASSWORD', valueFrom: { secretKeyRef: { name: 'warehouse-db', key: 'password' } } },
    ]);
    expect(container.envFrom).toEqual([{ prefix: 'DB_', secretRef: { name: 'warehouse-db' } }, { configMapRef: { name: 'etl-defaults' } }]);
  });

  test('a credential written as a string fails synthesis; the same one from a Secret passes', () => {
    const f = platformWithPools();
    new Pipeline(f.platform, 'p').container('load', { ...pythonStep(f.general, 'load.py'), env: { WAREHOUSE_PASSWORD: 'hunter2' } });
    expect(() => synth(f)).toThrow(
      '[data/p/Resource] rule no-secret-literals: Workflow data/p- spec.templates[1].container.env[0].value: WAREHOUSE_PASSWORD is a credential written into the manifest',
    );
    const g = platformWithPools();
    new Pipeline(g.platform, 'p').container('load', { ...pythonStep(g.general, 'load.py'), env: { WAREHOUSE_PASSWORD: EnvValue.fromSecret('warehouse-db', 'password') } });
    expect(() => synth(g)).not.toThrow();
  });

  test('tasks are PipelineTask constructs under the pipeline', () => {
    const f = platformWithPools();
    const { pipeline, a } = seedPipeline(f);
    expect(a).toBeInstanceOf(ContainerTask);
    expect(a).toBeInstanceOf(PipelineTask);
    expect(a.node.path).toBe('data/nightly/job-a');
    expect(pipeline.tasks.map((t) => t.name)).toEqual(['job-a', 'job-b', 'job-c', 'job-d', 'job-e', 'job-f']);
  });

  test("steps that run as their image's user share one frozen security context; runAsUser gets its own", () => {
    const f = platformWithPools();
    const { c, e } = seedPipeline(f);
    const own = new Pipeline(f.platform, 'own', {}).container('step', { ...sqlStep(f, 'o.sql'), runAsUser: 1000 });
    const context = (task: ContainerTask) => task._template().container?.securityContext;
    expect(context(e)).toBe(context(c));
    expect(Object.isFrozen(context(c))).toBe(true);
    expect(Object.isFrozen(context(c)?.capabilities)).toBe(true);
    expect(context(c)?.runAsUser).toBeUndefined();
    expect(context(own)).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(Object.isFrozen(context(own))).toBe(false);
  });

  test('steps of the default scratch size share one frozen scratch volume and mount list', () => {
    const f = platformWithPools();
    const { c, e } = seedPipeline(f);
    const sized = new Pipeline(f.platform, 'sized', {}).container('step', { ...sqlStep(f, 's.sql'), scratchSize: '2Gi' });
    expect(e._template().volumes?.[0]).toBe(c._template().volumes?.[0]);
    expect(Object.isFrozen(c._template().volumes?.[0]?.emptyDir)).toBe(true);
    expect(e._template().container?.volumeMounts).toBe(c._template().container?.volumeMounts);
    expect(Object.isFrozen(c._template().container?.volumeMounts[0])).toBe(true);
    expect(sized._template().volumes).toEqual([{ name: 'scratch', emptyDir: { sizeLimit: '2Gi' } }]);
  });
});

describe('errors', () => {
  test('bad task names', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    expect(() => p.container('bad_name', pythonStep(f.general, 'x.py'))).toThrow(
      '[data/p/bad_name] name: got "bad_name", expected letters, digits and "-", starting with a letter or digit',
    );
    expect(() => p.container('main', pythonStep(f.general, 'x.py'))).toThrow("a task name other than 'main'");
    // A failed task leaves nothing behind: the same id can be used again.
    expect(p.container('bad-name', pythonStep(f.general, 'x.py')).name).toBe('bad-name');
  });

  test('duplicate task ids', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    p.container('a', pythonStep(f.general, 'x.py'));
    expect(() => p.container('a', pythonStep(f.general, 'x.py'))).toThrow(BatchplaneError);
    expect(() => p.container('a', pythonStep(f.general, 'x.py'))).toThrow(
      '[data/p/a] name: got "a", expected a task name not already used in pipeline p (used by another task)',
    );
    expect(() => p.container('Rbac', pythonStep(f.general, 'x.py'))).toThrow("used by the pipeline's own objects");
  });

  test('dependsOn and depends together', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    const a = p.container('a', pythonStep(f.general, 'x.py'));
    expect(() => p.container('b', { ...pythonStep(f.general, 'x.py'), dependsOn: [a], depends: Depends.on(a).failed() })).toThrow(
      '[data/p/b] depends: got "a.Failed", expected either dependsOn or depends, not both',
    );
  });

  test('a task of another pipeline', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    const q = new Pipeline(f.platform, 'q');
    const foreign = q.container('a', pythonStep(f.general, 'x.py'));
    expect(() => p.container('b', { ...pythonStep(f.general, 'x.py'), dependsOn: [foreign] })).toThrow(
      '[data/p/b] dependsOn[0]: got "data/q/a", expected a task of this pipeline (data/p); tasks cannot depend across pipelines',
    );
    expect(() => p.container('c', { ...pythonStep(f.general, 'x.py'), depends: Depends.on(foreign).failed() })).toThrow('depends(a)');
  });

  test('bad depends text', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    expect(() => p.container('b', { ...pythonStep(f.general, 'x.py'), depends: 'a and b' })).toThrow(
      "[data/p/b] depends: got \"a and b\", expected a depends expression (column 3: word operator 'and' is not supported; use '&&')",
    );
  });

  test('201 tasks', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'big');
    for (let i = 0; i < 201; i++) p.container(`t${i}`, pythonStep(f.general, 'x.py'));
    expect(() => synth(f)).toThrow('[data/big] tasks: got 201, expected at most 200 tasks in one DAG');
  });

  test('leading digit and expr built-ins once depends is used', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    const first = p.container('5a', pythonStep(f.general, 'x.py'));
    const split = p.container('split', { ...pythonStep(f.general, 'x.py'), dependsOn: [first] });
    p.container('after', { ...pythonStep(f.general, 'x.py'), depends: Depends.on(split).succeeded() });
    expect(() => synth(f)).toThrow(/\[data\/p\/5a\] name: got "5a", expected a name that does not begin with a digit/);
    expect(() => synth(f)).toThrow(/\[data\/p\/split\] name: got "split", expected a name that is not an expr-lang built-in/);
  });

  test('a built-in name is fine while no depends names it', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    const a = p.container('a', pythonStep(f.general, 'x.py'));
    p.container('first', { ...pythonStep(f.general, 'x.py'), dependsOn: [a] });
    expect(dagTasks(argoObject(f)).map((t) => t.name)).toEqual(['a', 'first']);
  });

  test('a leading digit is fine without dependencies', () => {
    const f = platformWithPools();
    new Pipeline(f.platform, 'p').container('5a', pythonStep(f.general, 'x.py'));
    expect(dagTasks(argoObject(f))[0].name).toBe('5a');
  });

  test('the DAG-wide rules see tasks added after an earlier check', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    const first = p.container('5a', pythonStep(f.general, 'x.py'));
    expect(f.app.synthYaml()).toContain('name: 5a');
    p.container('after', { ...pythonStep(f.general, 'x.py'), dependsOn: [first] });
    expect(() => synth(f)).toThrow(/\[data\/p\/5a\] name: got "5a", expected a name that does not begin with a digit/);
  });

  test('name lengths by kind: 63 for workflows, 52 for CronWorkflows', () => {
    const f = platformWithPools();
    expect(() => new Pipeline(f.platform, 'w'.repeat(63))).not.toThrow();
    expect(() => new Pipeline(f.platform, 'x'.repeat(64))).toThrow('at most 63 characters for a Workflow');
    expect(() => new Pipeline(f.platform, 'c', { name: 'c'.repeat(53), schedule: '@daily' })).toThrow(
      /\[data\/c\] name: got "c{53}", expected at most 52 characters for a CronWorkflow/,
    );
    expect(() => new Pipeline(f.platform, 'd', { name: 'd'.repeat(52), schedule: '@daily' })).not.toThrow();
  });

  test('bad cron schedule and time zone', () => {
    const f = platformWithPools();
    expect(() => new Pipeline(f.platform, 'a', { schedule: '0 25 * * *' })).toThrow(/\[data\/a\] schedule: got "0 25 \* \* \*"/);
    expect(() => new Pipeline(f.platform, 'b', { schedules: ['@daily', 'every day'] })).toThrow(/\[data\/b\] schedules\[1\]/);
    expect(() => new Pipeline(f.platform, 'c', { schedule: '@daily', timezone: 'Mars/Base' })).toThrow(/\[data\/c\] timezone/);
  });

  test('props that do not fit the kind', () => {
    const f = platformWithPools();
    expect(() => new Pipeline(f.platform, 'a', { concurrencyPolicy: 'Allow' })).toThrow(
      '[data/a] concurrencyPolicy: got "Allow", expected nothing: concurrencyPolicy applies only to a CronWorkflow',
    );
    expect(() => new Pipeline(f.platform, 'b', { kind: 'Workflow', schedule: '@daily' })).toThrow('CronWorkflow (or no kind)');
    expect(() => new Pipeline(f.platform, 'c', { kind: 'CronWorkflow' })).toThrow('expected a schedule for a CronWorkflow');
    expect(() => new Pipeline(f.platform, 'd', { template: true, generateName: true })).toThrow('only a Workflow is named by generateName');
  });

  test('task argument errors', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    expect(() => p.container('a', { ...pythonStep(f.general, 'x.py'), cpu: '-1' })).toThrow('[data/p/a] cpu');
    expect(() => p.container('b', { ...pythonStep(f.general, 'x.py'), memoryLimit: '1Gi' })).toThrow(
      '[data/p/b] memoryLimit: got "1Gi", expected a limit at least the request (2Gi)',
    );
    expect(() => p.container('c', { ...pythonStep(f.general, 'x.py'), pool: undefined as unknown as NodePool })).toThrow('[data/p/c] pool');
    expect(() => p.container('d', { ...pythonStep(f.general, 'x.py'), parameters: { 'a.b': 'x' } })).toThrow('[data/p/d] parameters["a.b"]');
    expect(() => p.container('e', { ...pythonStep(f.general, 'x.py'), timeout: '10' })).toThrow('[data/p/e] timeout');
    expect(() => p.container('g', { ...pythonStep(f.general, 'x.py'), retryStrategy: { limit: -1 } })).toThrow('[data/p/g] retryStrategy.limit');
    expect(() => p.script('h', { ...pythonStep(f.general, 'x.py'), source: '' })).toThrow('[data/p/h] source');
    expect(() => p.templateRef('i', { workflowTemplate: p })).toThrow('[data/p/i] workflowTemplate: got "data/p", expected a Pipeline of kind WorkflowTemplate');
    expect(p.tasks).toEqual([]);
  });

  test('env references and envFrom: bad names and keys are located at the task and variable', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    expect(() => p.container('a', { ...pythonStep(f.general, 'x.py'), env: { DB_PASSWORD: EnvValue.fromSecret('Warehouse_DB', 'password') } })).toThrow(
      '[data/p/a] env["DB_PASSWORD"].valueFrom.secretKeyRef.name: got "Warehouse_DB", expected a lowercase RFC 1123 subdomain',
    );
    expect(() => p.container('b', { ...pythonStep(f.general, 'x.py'), env: { TOKEN: EnvValue.fromConfigMap('settings', 'a/b') } })).toThrow(
      '[data/p/b] env["TOKEN"].valueFrom.configMapKeyRef.key: got "a/b"',
    );
    expect(() => p.container('c', { ...pythonStep(f.general, 'x.py'), env: { NODE: EnvValue.fromField('spec.nodeNam') } })).toThrow(
      '[data/p/c] env["NODE"].valueFrom.fieldRef.fieldPath: got "spec.nodeNam", expected a pod field the downward API exposes',
    );
    expect(() => p.container('d', { ...pythonStep(f.general, 'x.py'), env: { N: 3 as unknown as string } })).toThrow(
      '[data/p/d] env["N"]: got 3, expected a string or an EnvValue',
    );
    expect(() => p.container('e', { ...pythonStep(f.general, 'x.py'), envFrom: [{ secret: 'a', configMap: 'b' }] })).toThrow(
      '[data/p/e] envFrom[0]: got {"secret":"a","configMap":"b"}, expected exactly one of secret and configMap',
    );
    expect(() => p.container('g', { ...pythonStep(f.general, 'x.py'), envFrom: [{ configMap: 'Settings' }] })).toThrow('[data/p/g] envFrom[0].configMap: got "Settings"');
    expect(p.tasks).toEqual([]);
  });

  test('a templateRef to a template the called pipeline lacks', () => {
    const f = platformWithPools();
    const shared = new Pipeline(f.platform, 'shared', { template: true });
    shared.container('load', pythonStep(f.general, 'x.py'));
    new Pipeline(f.platform, 'p').templateRef('call', { workflowTemplate: shared, template: 'nope' });
    expect(() => synth(f)).toThrow('[data/p/call] template: got "nope", expected a template of shared: main, load');
  });

  test('an empty pipeline', () => {
    const f = platformWithPools();
    new Pipeline(f.platform, 'empty');
    expect(() => synth(f)).toThrow('[data/empty] tasks: got 0, expected at least one task');
  });

  test('labels and annotations of the object are checked (fuzz findings)', () => {
    const f = platformWithPools();
    const props = (extra: object) => extra as PipelineProps;
    expect(() => new Pipeline(f.platform, 'a', props({ labels: { team: 7 } }))).toThrow('[data/a] labels["team"]: got 7, expected a label value');
    expect(() => new Pipeline(f.platform, 'b', { labels: { 'bad key!': 'x' } })).toThrow('[data/b] labels["bad key!"]: got "bad key!", expected a label key');
    expect(() => new Pipeline(f.platform, 'c', { annotations: { 'bad key!': 'x' } })).toThrow(
      '[data/c] annotations["bad key!"]: got "bad key!", expected a qualified name',
    );
    expect(() => new Pipeline(f.platform, 'd', props({ annotations: { owner: 1 } }))).toThrow('[data/d] annotations["owner"]: got 1, expected a string');
  });

  test('service account options are checked before anything is created (fuzz findings)', () => {
    const f = platformWithPools();
    const cases: [unknown, string][] = [
      [{ annotations: { a: 1 } }, '[data/p] serviceAccount.annotations["a"]: got 1, expected a string'],
      [{ annotations: { 'bad key!': 'x' } }, '[data/p] serviceAccount.annotations["bad key!"]: got "bad key!", expected a qualified name'],
      [{ create: 'yes' }, '[data/p] serviceAccount.create: got "yes", expected true or false'],
      ['sa', '[data/p] serviceAccount: got "sa", expected an object'],
    ];
    for (const [serviceAccount, message] of cases) {
      expect(() => new Pipeline(f.platform, 'p', { serviceAccount } as PipelineProps)).toThrow(message);
      f.platform.node.tryRemoveChild('p');
    }
  });

  test('suspend and other typed props refuse values of the wrong type', () => {
    const f = platformWithPools();
    const props = (extra: object) => extra as PipelineProps;
    expect(() => new Pipeline(f.platform, 'a', props({ schedule: '@daily', suspend: 'true' }))).toThrow('[data/a] suspend: got "true", expected true or false');
    expect(() => new Pipeline(f.platform, 'b', props({ priority: 2 ** 31 }))).toThrow('[data/b] priority: got 2147483648, expected an integer <= 2147483647 (an int32 field)');
    expect(() => new Pipeline(f.platform, 'c', props({ schedule: '@daily', failedJobsHistoryLimit: 2 ** 31 }))).toThrow(
      '[data/c] failedJobsHistoryLimit: got 2147483648, expected an integer <= 2147483647 (an int32 field)',
    );
    expect(() => new Pipeline(f.platform, 'd', props({ ttl: '1d' }))).toThrow('[data/d] ttl: got "1d", expected an object');
  });

  test('a task without a usable id is located at the task, leaving the pipeline whole', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'p');
    expect(() => p.container(undefined as unknown as string, pythonStep(f.general, 'x.py'))).toThrow('[data/p/<task>] id: got undefined, expected a non-empty task name');
    p.container('ok', pythonStep(f.general, 'x.py'));
    expect(p.tasks.map((t) => t.name)).toEqual(['ok']);
    expect(synth(f).filter((m) => m.kind === 'Workflow')).toHaveLength(1);
  });
});

describeConformance('conformance', () => {
  test('every manifest of the seed pipeline (all three kinds) passes the strict schemas', () => {
    for (const props of [{ schedule: '0 23 * * *' }, { template: true }, {}] as PipelineProps[]) {
      const f = platformWithPools();
      seedPipeline(f, props);
      const objects = synth(f);
      expect(objects.some((m) => m.kind === (props.schedule ? 'CronWorkflow' : props.template ? 'WorkflowTemplate' : 'Workflow'))).toBe(true);
      expect(validateManifests(objects)).toEqual([]);
      const spark = objects
        .filter((m) => m.apiVersion === 'argoproj.io/v1alpha1')
        .flatMap((m) => workflowSpec(m).templates)
        .filter((t: { resource?: unknown }) => t.resource)
        .map((t: { resource: { manifest: string } }) => JSON.parse(t.resource.manifest));
      expect(spark).toHaveLength(1);
      // The embedded application is valid once the name Kubernetes generates is filled in.
      const { generateName, ...metadata } = spark[0].metadata;
      expect(validateManifests([{ ...spark[0], metadata: { ...metadata, name: `${generateName}abcde` } }])).toEqual([]);
    }
  });

  test('a pipeline with every option passes the strict schemas', () => {
    const f = platformWithPools();
    const p = new Pipeline(f.platform, 'full', {
      parameters: { mode: 'full' },
      parallelism: 3,
      activeDeadline: '6h',
      retryStrategy: { limit: 2, backoff: { duration: 10, factor: 2, maxDuration: '1h' } },
      priority: 5,
      podPriorityTier: PriorityTier.DEFAULT,
      podGC: 'OnWorkflowSuccess',
      ttl: { afterSuccess: '1h', afterFailure: '2d' },
      labels: { team: 'data' },
      annotations: { owner: 'data-eng' },
    });
    const a = p.container('a', {
      ...pythonStep(f.general, 'x.py'),
      pool: f.spot,
      env: { X: '1', DB_PASSWORD: EnvValue.fromSecret('db', 'password'), REGION: EnvValue.fromConfigMap('settings', 'region'), IP: EnvValue.fromField('status.podIP') },
      envFrom: [{ secret: 'db', prefix: 'DB_' }, { configMap: 'settings' }],
      parameters: { day: 'x' },
      runAsUser: 1000,
    });
    p.script('b', { ...pythonStep(f.general, ''), command: ['python'], source: 'print(1)', depends: Depends.on(a).failed(), when: 'true' });
    p.templateRef('c', { workflowTemplate: 'other', template: 'run' }, { dependsOn: [a] });
    p.onExit('done', sqlStep(f, 'done.sql'));
    expect(validateManifests(synth(f))).toEqual([]);
  });
});
