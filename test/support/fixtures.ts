/**
 * Fixtures shared by the construct tests: the usual platform with two pools, the common Spark
 * application props, a python pipeline step, and the skeletons of hand-written manifests.
 *
 * Every default is what most tests use; a test that needs a slightly different fixture passes the
 * difference instead of building its own.
 */
import { App, Testing } from 'cdk8s';
import { CapacityType, NodePool, NodePoolProps, TaintEffect } from '../../lib/k8s/node-pool';
import { Platform, PlatformProps } from '../../lib/k8s/platform';
import { SparkApplicationProps } from '../../lib/k8s/spark-application';
import { SparkType } from '../../lib/model/spark-sizing';

/** An app with a platform, an on-demand `general` pool and a tainted spot pool falling back to it. */
export interface PlatformWithPools {
  readonly app: App;
  readonly platform: Platform;
  /** An on-demand pool without taints. */
  readonly general: NodePool;
  /** A spot pool tainted `dedicated=spark:NoSchedule` that falls back to `general`. */
  readonly spot: NodePool;
}

/** Options of {@link platformWithPools}; each replaces one default. */
export interface PlatformWithPoolsOptions {
  /** @default Testing.app() */
  readonly app?: App;
  /** @default 'data' */
  readonly platformId?: string;
  /** @default { namespace: 'data', priorityTiers: false, createNamespace: false } */
  readonly platformProps?: PlatformProps;
  /** Merged over `{ instanceTypes: ['m6i.2xlarge'], minNodes: 1, maxNodes: 10 }`; a key set to `undefined` is left out. */
  readonly general?: Partial<NodePoolProps>;
  /** @default 'spark-spot' */
  readonly spotId?: string;
  /**
   * Merged over `{ instanceTypes: ['r6i.2xlarge'], capacityType: SPOT, maxNodes: 20, taints: [dedicated=spark:NoSchedule],
   * fallback: general }`; a key set to `undefined` is left out.
   */
  readonly spot?: Partial<NodePoolProps>;
}

/** The props without the keys whose value is `undefined` (as if never written). */
function defined<T extends object>(props: T): T {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined)) as T;
}

/** A fresh app with a platform and its `general` and spot pools (see {@link PlatformWithPoolsOptions}). */
export function platformWithPools(options: PlatformWithPoolsOptions = {}): PlatformWithPools {
  const app = options.app ?? Testing.app();
  const platform = new Platform(app, options.platformId ?? 'data',
    options.platformProps ?? { namespace: 'data', priorityTiers: false, createNamespace: false });
  const general = new NodePool(platform, 'general', defined({ instanceTypes: ['m6i.2xlarge'], minNodes: 1, maxNodes: 10, ...options.general }));
  const spot = new NodePool(platform, options.spotId ?? 'spark-spot', defined({
    instanceTypes: ['r6i.2xlarge'],
    capacityType: CapacityType.SPOT,
    maxNodes: 20,
    taints: [{ key: 'dedicated', value: 'spark', effect: TaintEffect.NO_SCHEDULE }],
    fallback: general,
    ...options.spot,
  }));
  return { app, platform, general, spot };
}

/** The Scala SparkPi example of the Spark image (no main class: tests add what they check). */
export const SCALA_APP: SparkApplicationProps = {
  type: SparkType.SCALA,
  sparkVersion: '3.5.3',
  image: 'apache/spark:3.5.3',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

/** A Python application from the registry image (no driver or executor: tests add their sizes and pools). */
export const PYTHON_APP: SparkApplicationProps = {
  type: SparkType.PYTHON,
  sparkVersion: '3.5.3',
  image: 'registry.example.com/spark:3.5.3',
  mainApplicationFile: 's3a://bucket/jobs/b.py',
};

/** A container step running a python script on `pool` with 1 CPU and 2Gi. */
export function pythonStep(pool: NodePool, script: string) {
  return { image: 'python:3.12-slim', command: ['python', script], pool, cpu: '1', memory: '2Gi' };
}

/** A hand-written manifest, read and written as plain JSON. */
export type ManifestJson = Record<string, unknown>;

/** A Deployment `name` in namespace `data` whose pods are labelled `app: name` and run `podSpec`. */
export function deploymentManifest(name: string, podSpec: ManifestJson): ManifestJson {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'data' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: podSpec,
      },
    },
  };
}

/** A Python SparkApplication `job-b` in namespace `data`; `spec` adds to (or replaces) its application fields. */
export function sparkApplicationManifest(spec: ManifestJson, metadata: ManifestJson = {}): ManifestJson {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'job-b', namespace: 'data', ...metadata },
    spec: {
      type: 'Python',
      mode: 'cluster',
      sparkVersion: '3.5.3',
      image: 'spark:3.5.3',
      mainApplicationFile: 's3a://bucket/b.py',
      ...spec,
    },
  };
}

/** A Workflow `nightly-…` in namespace `data` with entrypoint `main`; `spec` adds its templates and the rest. */
export function workflowManifest(spec: ManifestJson): ManifestJson {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { generateName: 'nightly-', namespace: 'data' },
    spec: { entrypoint: 'main', ...spec },
  };
}

/** A CronWorkflow `nightly` in namespace `data` with the given spec (schedules and `workflowSpec`). */
export function cronWorkflowManifest(spec: ManifestJson): ManifestJson {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: { name: 'nightly', namespace: 'data' },
    spec,
  };
}
