import fc from 'fast-check';
import { Pipeline, PipelineProps } from '../../lib/k8s/pipeline';
import { EnvValue } from '../../lib/k8s/env-value';
import { ContainerTaskOptions, PipelineTask, ScriptTaskOptions } from '../../lib/k8s/pipeline-task';
import { SparkApplication } from '../../lib/k8s/spark-application';
import * as arb from '../support/arbitraries';
import { describeConformance } from '../support/conformance';
import { PYTHON_APP } from '../support/fixtures';
import { checkFuzzTarget, FuzzScope, FuzzTarget, Generated, resolvePools, SUBJECT } from '../support/fuzz';

const commonOptions = {
  when: arb.noisyOf(["'{{workflow.parameters.full}}' == 'true'"], ['']),
  parameters: arb.noisyOf([{ date: '2024-01-01' }], [{ 'bad name': 'x' }, { date: 3 }]),
  retryStrategy: arb.noisy(
    arb.props({ limit: arb.integer(0, 5) }, { retryPolicy: arb.noisyOf(['OnFailure', 'OnError'], ['sometimes']), backoff: arb.noisyOf([{ duration: '30s', factor: 2 }], [{ duration: -1 }]) }),
    3,
  ),
  activeDeadline: arb.duration,
  timeout: arb.duration,
  estimatedDuration: arb.duration,
};

const podOptions = arb.props(
  { image: arb.image, pool: arb.poolRef, cpu: arb.cpuQuantity, memory: arb.memoryQuantity },
  {
    ...commonOptions,
    command: arb.stringList(['python', 'etl.py', '--full']),
    args: arb.stringList(['--date', '2024-01-01']),
    env: arb.noisyOf(
      [
        { LOG_LEVEL: 'info' },
        { DB_PASSWORD: EnvValue.fromSecret('warehouse-db', 'password'), REGION: EnvValue.fromConfigMap('settings', 'aws.region') },
        { POD_NAME: EnvValue.fromField('metadata.name'), BATCH: EnvValue.fromValue('500') },
      ],
      [
        { LOG_LEVEL: 3 },
        { 'BAD NAME': 'x' },
        { DB_PASSWORD: 'hunter2' },
        { DB_PASSWORD: EnvValue.fromSecret('Bad_Name', 'password') },
        { DB_PASSWORD: EnvValue.fromSecret('db', 'a/b') },
        { NODE: EnvValue.fromField('spec.containers') },
        { DB_PASSWORD: { secretKeyRef: { name: 'db', key: 'password' } } },
      ],
    ),
    envFrom: arb.noisyOf(
      [[{ secret: 'warehouse-db' }], [{ configMap: 'settings', prefix: 'ETL_' }, { secret: 'db' }]],
      [[{ secret: 'a', configMap: 'b' }], [{}], 'db', [null], [{ secret: 'Bad_Name' }], [{ configMap: 'a', prefix: '1 X' }]],
    ),
    cpuLimit: arb.noisyOf(['4', 8], ['10m', '-1']),
    memoryLimit: arb.noisyOf(['32Gi'], ['1Mi', '2g']),
    scratchSize: arb.memoryQuantity,
    ephemeralStorage: arb.memoryQuantity,
    runAsUser: arb.integer(1, 65_535),
  },
);

/** One task: its kind, name, options and the earlier tasks (by index) it depends on. */
const task = fc.record({
  kind: fc.constantFrom('container', 'script', 'spark'),
  id: arb.noisyOf(['extract', 'load', 'job-b', 'report', 'main-step'], ['1st', 'main', 'Bad_Name', 'a'.repeat(129)]),
  pod: podOptions,
  source: arb.noisyOf(['print("ok")\n'], ['']),
  spark: arb.props({}, commonOptions),
  dependsOn: fc.uniqueArray(fc.nat({ max: 4 }), { maxLength: 3 }),
});

const input = fc.record({
  props: arb.propsOrJunk(
    arb.props(
      {},
      {
        name: arb.name,
        kind: arb.noisyOf(['Workflow', 'WorkflowTemplate'], ['CronWorkflow', 'Job']),
        schedule: arb.schedule,
        timezone: arb.timeZone,
        concurrencyPolicy: arb.noisyOf(['Allow', 'Forbid', 'Replace'], ['forbid']),
        parameters: arb.noisyOf([{ full: 'false' }], [{ full: false }]),
        serviceAccount: arb.noisy(arb.props({}, { name: arb.name, annotations: arb.noisyOf([{ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/etl' }], [{ a: 1 }]) }), 'sa'),
        parallelism: arb.integer(1, 10),
        activeDeadline: arb.duration,
        priority: arb.integer(-5, 5),
        podGC: arb.noisyOf(['OnPodCompletion', 'OnWorkflowSuccess'], ['Always']),
        ttl: arb.noisy(arb.props({}, { afterSuccess: arb.duration, afterFailure: arb.duration }), '1d'),
        labels: arb.labels,
        deadline: arb.duration,
        generateName: arb.boolean,
      },
    ),
  ),
  tasks: fc.array(task, { minLength: 1, maxLength: 4 }),
});

type PipelineInput = Generated<typeof input>;

/** A valid application for a Spark step (the SparkApplication fuzz covers its props). */
function sparkApp(scope: FuzzScope, id: string): SparkApplication {
  return new SparkApplication(scope.platform, id, {
    ...PYTHON_APP,
    driver: { cores: 1, memory: '1g', pool: scope.general },
    executor: { cores: 2, memory: '4g', instances: 2, pool: scope.spot },
  });
}

function addTasks(scope: FuzzScope, pipeline: Pipeline, tasks: PipelineInput['tasks']): void {
  const added: PipelineTask[] = [];
  tasks.forEach((spec, i) => {
    const dependsOn = spec.dependsOn.filter((index) => index < added.length).map((index) => added[index]);
    const id = spec.id as string;
    if (spec.kind === 'spark') {
      added.push(pipeline.spark(id, sparkApp(scope, `app-${i}`), { ...spec.spark, dependsOn }));
      return;
    }
    const options = { ...(resolvePools(spec.pod, scope) as ContainerTaskOptions), dependsOn };
    added.push(spec.kind === 'script'
      ? pipeline.script(id, { ...options, command: ['python'], source: spec.source } as ScriptTaskOptions)
      : pipeline.container(id, options));
  });
}

const target: FuzzTarget<PipelineInput> = {
  input,
  build: (scope, { props, tasks }) => {
    const pipeline = new Pipeline(scope.platform, SUBJECT, props as PipelineProps);
    addTasks(scope, pipeline, tasks);
  },
  userRules: ['image-tag', 'no-secret-literals'],
};

describeConformance('Pipeline fuzz', () => {
  test('arbitrary props and tasks end in a located library error or conformant, secure output', () => {
    const stats = checkFuzzTarget(target);
    expect(stats.synthesized).toBeGreaterThan(100);
  });
});
