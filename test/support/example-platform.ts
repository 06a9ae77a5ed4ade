/**
 * A complete example platform built the way a user would: two pools (spot with an on-demand fallback),
 * over-provisioning, Spark applications, a scheduled application, a history server and a nightly
 * pipeline. Tests check the library's own output against the policy and for determinism.
 *
 * `order: 'reversed'` declares every independent item (pools, applications, tasks, dependency lists)
 * in the opposite order, which must not change a single byte of the output.
 */
import { App, Testing } from 'cdk8s';
import { CapacityType, NodePool, TaintEffect } from '../../lib/k8s/node-pool';
import { OverProvisioning } from '../../lib/k8s/over-provisioning';
import { Pipeline } from '../../lib/k8s/pipeline';
import { PipelineTask } from '../../lib/k8s/pipeline-task';
import { Platform } from '../../lib/k8s/platform';
import { PriorityTier } from '../../lib/k8s/priority-tiers';
import { ScheduledSparkApplication } from '../../lib/k8s/scheduled-spark-application';
import { SparkApplication, SparkApplicationProps } from '../../lib/k8s/spark-application';
import { SparkEventLogStorage, SparkHistoryServer } from '../../lib/k8s/spark-history-server';
import { SparkType } from '../../lib/model/spark-sizing';
import { pythonStep } from './fixtures';

/** In which order independent declarations are made. */
export type DeclarationOrder = 'written' | 'reversed';

/** The example app and its platform chart. */
export interface ExamplePlatform {
  readonly app: App;
  readonly platform: Platform;
}

/** Runs the declarations in the given order; each returns nothing the others need. */
function declare(order: DeclarationOrder, ...steps: (() => void)[]): void {
  (order === 'written' ? steps : [...steps].reverse()).forEach((step) => step());
}

function ordered<T>(order: DeclarationOrder, items: readonly T[]): T[] {
  return order === 'written' ? [...items] : [...items].reverse();
}

/** Builds the example platform in a fresh app. */
export function examplePlatform(order: DeclarationOrder = 'written'): ExamplePlatform {
  const app = Testing.app();
  const platform = new Platform(app, 'data', { namespace: 'data', description: 'Nightly batch pipelines' });
  const pools: Partial<Record<'general' | 'spot' | 'gpu', NodePool>> = {};
  const general = new NodePool(platform, 'general', { instanceTypes: ['m6i.2xlarge'], minNodes: 1, maxNodes: 10 });
  declare(
    order,
    () => {
      pools.spot = new NodePool(platform, 'spark-spot', {
        instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'],
        capacityType: CapacityType.SPOT,
        maxNodes: 40,
        zones: ['eu-west-1a'],
        taints: [{ key: 'dedicated', value: 'spark', effect: TaintEffect.NO_SCHEDULE }],
        labels: { team: 'data' },
        fallback: general,
      });
    },
    () => {
      pools.gpu = new NodePool(platform, 'gpu', {
        instanceTypes: ['g5.2xlarge'],
        maxNodes: 2,
        taints: [{ key: 'nvidia.com/gpu', effect: TaintEffect.NO_SCHEDULE }],
      });
    },
  );
  const spot = pools.spot as NodePool;
  const history = new SparkHistoryServer(platform, 'history', {
    storage: SparkEventLogStorage.s3('s3a://data-lake/spark-events/'),
    awsRoleArn: 'arn:aws:iam::123456789012:role/spark-history',
    pool: general,
  });
  new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 2, cpu: '4', memory: '16Gi' });

  const base: SparkApplicationProps = {
    type: SparkType.PYTHON,
    sparkVersion: '3.5.3',
    image: 'registry.example.com/spark:3.5.3',
    mainApplicationFile: 's3a://data-lake/jobs/placeholder.py',
    eventLog: history,
    awsRoleArn: 'arn:aws:iam::123456789012:role/spark-jobs',
  };
  const apps: Partial<Record<'b' | 'report', SparkApplication>> = {};
  declare(
    order,
    () => {
      apps.b = new SparkApplication(platform, 'job-b', {
        ...base,
        mainApplicationFile: 's3a://data-lake/jobs/b.py',
        driver: { cores: 1, memory: '2g', pool: general },
        executor: { cores: 4, memory: '12g', pool: spot, coreLimit: '4' },
        dynamicAllocation: { minExecutors: 2, maxExecutors: 20 },
      });
    },
    () => {
      apps.report = new SparkApplication(platform, 'report', {
        ...base,
        type: SparkType.SCALA,
        mainApplicationFile: 'local:///opt/spark/jobs/report.jar',
        mainClass: 'com.example.Report',
        driver: { cores: 1, memory: '1g', pool: general, priorityTier: PriorityTier.CRITICAL },
        executor: { cores: 2, memory: '4g', instances: 3, pool: spot },
      });
    },
    () => {
      new ScheduledSparkApplication(platform, 'compaction', {
        ...base,
        mainApplicationFile: 's3a://data-lake/jobs/compact.py',
        schedule: '30 2 * * *',
        timeZone: 'Europe/Paris',
        driver: { cores: 1, memory: '1g', pool: general },
        executor: { cores: 2, memory: '8g', instances: 4, pool: spot },
      });
    },
  );

  const pipeline = new Pipeline(platform, 'nightly', { schedule: '0 23 * * *', deadline: '6h' });
  const step = (script: string) => pythonStep(general, script);
  const tasks: Record<string, PipelineTask> = {};
  declare(
    order,
    () => {
      tasks.a = pipeline.container('job-a', { ...step('etl_a.py'), estimatedDuration: '20m' });
    },
    () => {
      tasks.c = pipeline.script('job-c', {
        image: 'python:3.12-slim',
        command: ['python'],
        source: 'print("compact")\n',
        pool: general,
        cpu: '500m',
        memory: '1Gi',
      });
    },
  );
  tasks.b = pipeline.spark('job-b', apps.b as SparkApplication, { dependsOn: [tasks.a], estimatedDuration: '45m' });
  tasks.d = pipeline.container('job-d', { ...step('etl_d.py'), dependsOn: ordered(order, [tasks.a, tasks.b, tasks.c]) });
  declare(
    order,
    () => {
      pipeline.container('job-e', { ...step('etl_e.py'), dependsOn: [tasks.d] });
    },
    () => {
      pipeline.spark('report', apps.report as SparkApplication, { dependsOn: [tasks.d] });
    },
  );
  return { app, platform };
}
