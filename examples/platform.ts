/**
 * The example data platform: the pools, headroom, Spark applications and the nightly pipeline a
 * data team would declare. `examples/main.ts` synthesizes it with cdk8s; `examples/pulumi/index.ts`
 * provisions the same pools on EKS and deploys the manifests.
 */
import {
  CapacityType,
  NodePool,
  OverProvisioning,
  Pipeline,
  Platform,
  PriorityTier,
  ScheduledSparkApplication,
  SparkApplication,
  SparkEventLogStorage,
  SparkHistoryServer,
  SparkType,
  TaintEffect,
} from 'batchplane';
import { App } from 'cdk8s';

/** The platform and the pools the Pulumi program provisions. */
export interface ExamplePlatform {
  readonly app: App;
  readonly platform: Platform;
  readonly pools: NodePool[];
}

const SPARK_IMAGE = 'apache/spark:3.5.3-python3';
const PYTHON_IMAGE = 'python:3.12.7-slim';
const SQL_IMAGE = 'ghcr.io/example/sql-runner:1.4.2';
const LAKE = 's3a://example-data-lake';

/** Builds the example platform into `app`. */
export function buildPlatform(app: App): ExamplePlatform {
  const platform = new Platform(app, 'data', {
    namespace: 'data',
    description: 'Nightly ETL and ad-hoc Spark jobs of the data team',
  });

  // On-demand nodes for drivers, Python and SQL steps; always one node up.
  const general = new NodePool(platform, 'general', {
    instanceTypes: ['m6i.2xlarge'],
    minNodes: 1,
    maxNodes: 10,
  });
  // Spot nodes for executors, in one zone so shuffle traffic stays local; scales to zero and falls
  // back to the on-demand pool when spot capacity is gone.
  const spot = new NodePool(platform, 'spark-spot', {
    instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'],
    capacityType: CapacityType.SPOT,
    minNodes: 0,
    maxNodes: 40,
    zones: ['eu-west-1a'],
    taints: [{ key: 'dedicated', value: 'spark', effect: TaintEffect.NO_SCHEDULE }],
    fallback: general,
  });

  // Two warm executor slots: placeholders that real executors preempt at once.
  new OverProvisioning(platform, 'headroom', { pool: spot, replicas: 2, cpu: '4', memory: '16Gi' });

  const history = new SparkHistoryServer(platform, 'history', {
    storage: SparkEventLogStorage.s3(`${LAKE}/spark-events/`),
    pool: general,
    awsRoleArn: 'arn:aws:iam::123456789012:role/data-spark-history',
  });

  const sessionize = new SparkApplication(platform, 'job-b', {
    type: SparkType.PYTHON,
    sparkVersion: '3.5.3',
    image: SPARK_IMAGE,
    mainApplicationFile: `${LAKE}/jobs/sessionize.py`,
    arguments: ['--date', '{{workflow.scheduledTime}}'],
    driver: { cores: 1, memory: '2g', pool: general },
    executor: { cores: 4, memory: '12g', pool: spot },
    dynamicAllocation: { minExecutors: 2, initialExecutors: 8, maxExecutors: 20 },
    awsRoleArn: 'arn:aws:iam::123456789012:role/data-spark-jobs',
    eventLog: history,
  });

  new ScheduledSparkApplication(platform, 'compaction', {
    schedule: '30 4 * * *',
    timeZone: 'Europe/Dublin',
    type: SparkType.SCALA,
    sparkVersion: '3.5.3',
    image: 'apache/spark:3.5.3',
    mainClass: 'com.example.lake.Compaction',
    mainApplicationFile: `${LAKE}/jars/lake-maintenance-2.3.0.jar`,
    driver: { cores: 1, memory: '2g', pool: general },
    executor: { cores: 4, memory: '12g', instances: 4, pool: spot },
    awsRoleArn: 'arn:aws:iam::123456789012:role/data-spark-jobs',
    eventLog: history,
  });

  // The nightly pipeline: A → B; C; D after A, B and C; E and F after D.
  const nightly = new Pipeline(platform, 'nightly', { schedule: '0 23 * * *', timezone: 'Europe/Dublin', deadline: '3h' });
  const python = { image: PYTHON_IMAGE, pool: general, cpu: '1', memory: '2Gi' };
  const sql = { image: SQL_IMAGE, pool: general, cpu: '500m', memory: '1Gi' };
  const extract = nightly.container('job-a', { ...python, command: ['python', '-m', 'etl.extract_events'], estimatedDuration: '20m' });
  const sessions = nightly.spark('job-b', sessionize, { dependsOn: [extract], estimatedDuration: '45m' });
  const dims = nightly.container('job-c', { ...sql, args: ['run', 'sql/refresh_dimensions.sql'], estimatedDuration: '15m' });
  const facts = nightly.container('job-d', {
    ...python,
    command: ['python', '-m', 'etl.build_facts'],
    dependsOn: [extract, sessions, dims],
    estimatedDuration: '30m',
    priorityTier: PriorityTier.CRITICAL,
  });
  nightly.container('job-e', { ...sql, args: ['run', 'sql/publish_marts.sql'], dependsOn: [facts], estimatedDuration: '10m' });
  nightly.container('job-f', { ...sql, args: ['run', 'sql/refresh_reports.sql'], dependsOn: [facts], estimatedDuration: '20m' });

  return { app, platform, pools: [general, spot] };
}
