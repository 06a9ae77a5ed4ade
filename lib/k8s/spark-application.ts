/**
 * SparkApplication (sparkoperator.k8s.io/v1beta2): typed props, validation at construction, explicit
 * defaults (the operator's defaulting webhook may be off), cluster-friendly scratch space, placement on
 * node pools, a least-privilege service account, and the demand the capacity planner checks.
 * Facts: research/spark-operator.md.
 */
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { ImagePullPolicy, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { check, renameField, underField, withPath } from '../model/errors';
import { deepFreeze } from '../model/freeze';
import { parseDuration } from '../model/duration';
import {
  integerInRange, isRecord, labelMap, list, nonEmpty, oneOf, optional, optionalBoolean, optionalInteger, optionalString, optionalStringList,
  requiredString, stringMap,
} from '../model/input';
import { checkDns1035Label } from '../model/names';
import {
  checkSparkConf,
  mergeSparkConf,
  renderDynamicAllocation,
  SparkConf,
  SparkConfPart,
  SparkDynamicAllocationOptions,
} from '../model/spark-conf';
import { SparkType } from '../model/spark-sizing';
import { JobDemand, PodGroup } from '../model/workload';
import { Platform } from './platform';
import type { ISparkEventLog } from './spark-history-server';
import { RenderedSparkPod, renderSparkPod, SparkDriverProps, SparkExecutorProps } from './spark-pod-spec';
import { SparkServiceAccount } from './spark-rbac';
import { scratchVolume } from './security';

/** The API version of SparkApplication and ScheduledSparkApplication. */
export const SPARK_OPERATOR_API_VERSION = 'sparkoperator.k8s.io/v1beta2';

/** Where the driver runs. */
export enum SparkDeployMode {
  /** The driver runs in its own pod (the normal case). */
  CLUSTER = 'cluster',
  /** The driver runs inside the submitting process. */
  CLIENT = 'client',
}

/** When the operator reruns an application. */
export enum SparkRestartPolicyType {
  /** Never rerun. */
  NEVER = 'Never',
  /** Rerun after a failure, up to the retry counts. */
  ON_FAILURE = 'OnFailure',
  /** Always rerun, even after success: never completes. */
  ALWAYS = 'Always',
}

/** The operator's restart policy. */
export interface SparkRestartPolicy {
  /** When to rerun. */
  readonly type: SparkRestartPolicyType;
  /**
   * Reruns after the application failed.
   * @default - none
   */
  readonly onFailureRetries?: number;
  /**
   * Seconds between reruns after a failure (the wait grows linearly with the attempt).
   * @default 5 (for OnFailure and Always)
   */
  readonly onFailureRetryInterval?: number;
  /**
   * Resubmissions after spark-submit failed.
   * @default - none
   */
  readonly onSubmissionFailureRetries?: number;
  /**
   * Seconds between resubmissions.
   * @default 5 (for OnFailure and Always)
   */
  readonly onSubmissionFailureRetryInterval?: number;
}

/** Dependencies passed to spark-submit. */
export interface SparkDependencies {
  /** `--jars`. @default - none */
  readonly jars?: readonly string[];
  /** `--files`. @default - none */
  readonly files?: readonly string[];
  /** `--py-files`. @default - none */
  readonly pyFiles?: readonly string[];
  /** `--packages` (Maven coordinates). @default - none */
  readonly packages?: readonly string[];
  /** `--exclude-packages`. @default - none */
  readonly excludePackages?: readonly string[];
  /** `--repositories`. @default - none */
  readonly repositories?: readonly string[];
  /** `--archives`. @default - none */
  readonly archives?: readonly string[];
}

/** The Prometheus JMX exporter of the operator's monitoring support. */
export interface SparkPrometheus {
  /** Path of the JMX exporter jar in the image. */
  readonly jmxExporterJar: string;
  /**
   * The metrics port, 1024 to 49151.
   * @default 8090
   */
  readonly port?: number;
  /**
   * The port name.
   * @default 'jmx-exporter'
   */
  readonly portName?: string;
  /**
   * Path of an exporter configuration file in the image.
   * @default - the operator's built-in configuration
   */
  readonly configFile?: string;
  /**
   * Exporter configuration content.
   * @default - the operator's built-in configuration
   */
  readonly configuration?: string;
}

/** Metrics exposure. */
export interface SparkMonitoring {
  /** @default true */
  readonly exposeDriverMetrics?: boolean;
  /** @default true */
  readonly exposeExecutorMetrics?: boolean;
  /** Content of a metrics.properties. @default - the image's */
  readonly metricsProperties?: string;
  /** Path of a metrics.properties in the image. @default - /etc/metrics/conf/metrics.properties */
  readonly metricsPropertiesFile?: string;
  /** The Prometheus JMX exporter. @default - none */
  readonly prometheus?: SparkPrometheus;
}

/** Options for a batch scheduler (Volcano, YuniKorn). */
export interface SparkBatchSchedulerOptions {
  /** @default - none */
  readonly queue?: string;
  /** @default - none */
  readonly priorityClassName?: string;
  /** Kubernetes quantities by resource name. @default - none */
  readonly resources?: Readonly<Record<string, string>>;
}

/** Size limits of the scratch volumes every Spark pod gets under its read-only root filesystem. */
export interface SparkScratchSpace {
  /**
   * The Spark local dir (`spark-local-dir-1`, shuffle and spill files).
   * @default '20Gi'
   */
  readonly localDirSizeLimit?: string;
  /**
   * `/tmp`.
   * @default '1Gi'
   */
  readonly tmpSizeLimit?: string;
  /**
   * The working directory `/opt/spark/work-dir`, where `--files` are downloaded.
   * @default '2Gi'
   */
  readonly workDirSizeLimit?: string;
}

/** Props of a SparkApplication (and the template of a ScheduledSparkApplication). */
export interface SparkApplicationProps {
  /**
   * The object name, a DNS-1035 label (63 characters; 43 for a ScheduledSparkApplication).
   * @default - the construct id
   */
  readonly name?: string;
  /** The language of the main resource. */
  readonly type: SparkType;
  /** The Spark version of the image, e.g. `'3.5.3'`. */
  readonly sparkVersion: string;
  /** The Spark image. */
  readonly image: string;
  /** The main file: a jar, `.py` or `.R`, local (`local://`) or remote (`s3a://`). */
  readonly mainApplicationFile: string;
  /** The main class of a JVM application. @default - from the jar's manifest */
  readonly mainClass?: string;
  /** Application arguments. @default - none */
  readonly arguments?: readonly string[];
  /** @default SparkDeployMode.CLUSTER */
  readonly mode?: SparkDeployMode;
  /** @default - Kubernetes' default for the image tag */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Names of image pull Secrets. @default - none */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Spark properties. Keys the operator rejects and keys a typed prop owns are refused.
   * @default - none
   */
  readonly sparkConf?: Readonly<Record<string, string>>;
  /** Hadoop properties (`spark.hadoop.*`). @default - none */
  readonly hadoopConf?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly deps?: SparkDependencies;
  /** @default - type Never */
  readonly restartPolicy?: SparkRestartPolicy;
  /** Delete the object this long after it finished. @default - kept until deleted */
  readonly timeToLiveSeconds?: number;
  /** Extra volumes, mounted through a role's `volumeMounts`. @default - only the scratch volumes */
  readonly volumes?: readonly k8s.Volume[];
  /** @default - no metrics exposure */
  readonly monitoring?: SparkMonitoring;
  /** A batch scheduler name (`volcano`, `yunikorn`). @default - the default scheduler */
  readonly batchScheduler?: string;
  /** @default - none */
  readonly batchSchedulerOptions?: SparkBatchSchedulerOptions;
  /**
   * The application's memory overhead factor (`spark.kubernetes.memoryOverheadFactor`).
   * @default - 0.1 for Java/Scala, 0.4 for Python/R (Spark's defaults)
   */
  readonly memoryOverheadFactor?: number;
  /** @default - 1 core, '1g' */
  readonly driver?: SparkDriverProps;
  /** @default - 1 executor, 1 core, '1g' */
  readonly executor?: SparkExecutorProps;
  /**
   * Dynamic allocation of executors with shuffle tracking and graceful decommissioning.
   * @default - a fixed number of executors (`executor.instances`)
   */
  readonly dynamicAllocation?: SparkDynamicAllocationOptions;
  /**
   * A shared service account for the driver and executors.
   * @default - one per application, named `<name>-driver`
   */
  readonly serviceAccount?: SparkServiceAccount;
  /**
   * An IAM role (IRSA) for the application's own service account. Not allowed with `serviceAccount`.
   * @default - no IAM role
   */
  readonly awsRoleArn?: string;
  /** @default - see {@link SparkScratchSpace} */
  readonly scratch?: SparkScratchSpace;
  /**
   * Where to write the event log, typically a SparkHistoryServer.
   * @default - no event log
   */
  readonly eventLog?: ISparkEventLog;
  /** Labels of the object (the operator copies them onto the pods). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * How long a run is expected to take, for the capacity plan (`'45m'`, `'1h30m'`, seconds).
   * @default - unknown
   */
  readonly estimatedDuration?: string | number;
}

/** A SparkApplication object as plain JSON. */
export interface SparkApplicationManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

/** The scratch volumes' names and mount paths. */
export const SPARK_LOCAL_DIR_VOLUME = 'spark-local-dir-1';
const SCRATCH_MOUNTS: readonly { name: string; mountPath: string; size: keyof SparkScratchSpace; default: string }[] = [
  { name: SPARK_LOCAL_DIR_VOLUME, mountPath: '/var/data/spark-local-dir-1', size: 'localDirSizeLimit', default: '20Gi' },
  { name: 'spark-tmp', mountPath: '/tmp', size: 'tmpSizeLimit', default: '1Gi' },
  { name: 'spark-work-dir', mountPath: '/opt/spark/work-dir', size: 'workDirSizeLimit', default: '2Gi' },
];
const EVENT_LOG_VOLUME = 'spark-events';

/** Names and identity the rendering needs from the construct. */
export interface SparkApplicationContext {
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly eventLog?: ISparkEventLog;
}

/** A validated, rendered application spec and its pods. */
export interface RenderedSparkApplication {
  /** The SparkApplication `spec` (also a ScheduledSparkApplication `template`). */
  readonly spec: Record<string, unknown>;
  readonly driver: RenderedSparkPod;
  readonly executor: RenderedSparkPod;
  /** Executors that must run at once (instances, or minExecutors with dynamic allocation). */
  readonly executorCount: number;
  /** The most executors that may run (maxExecutors with dynamic allocation). */
  readonly executorMaxCount: number;
}

/**
 * Validates props and renders a SparkApplication spec. Errors are {@link BatchplaneError}s naming the
 * field (no construct path; callers add it).
 */
export function renderSparkApplicationSpec(props: SparkApplicationProps, context: SparkApplicationContext): RenderedSparkApplication {
  oneOf('type', props.type, Object.values(SparkType));
  const sparkVersion = checkSparkVersion(props.sparkVersion);
  const userConf = props.sparkConf ?? {};
  checkSparkConf('sparkConf', userConf, context.namespace);
  const factor = props.memoryOverheadFactor;
  const validFactor = factor === undefined || (typeof factor === 'number' && Number.isFinite(factor) && factor > 0);
  check(validFactor, 'memoryOverheadFactor', factor, 'a number > 0 (e.g. 0.2)');
  const scratch = scratchSpace(props.scratch);
  const eventLog = context.eventLog?.eventLog;
  const podContext = { type: props.type, appMemoryOverheadFactor: factor, sparkConf: userConf, serviceAccountName: context.serviceAccountName };
  const driverMounts = eventLog?.volume ? [...scratch.mounts, { mountPath: eventLog.volume.mountPath, name: EVENT_LOG_VOLUME }] : scratch.mounts;
  const driver = renderSparkPod(props.driver ?? {}, { role: 'driver', scratchMounts: driverMounts, ...podContext });
  const executor = renderSparkPod(props.executor ?? {}, { role: 'executor', scratchMounts: scratch.mounts, ...podContext });
  checkVersionGates(props, sparkVersion);
  const dynamic = props.dynamicAllocation === undefined ? undefined : renderDynamicAllocation(props.dynamicAllocation);
  const instances = executorInstances(props.executor?.instances, dynamic !== undefined);
  const eventLogVolumes = eventLog?.volume ? [{ name: EVENT_LOG_VOLUME, persistentVolumeClaim: { claimName: eventLog.volume.claimName } }] : [];
  const volumes = [...scratch.volumes, ...eventLogVolumes, ...userVolumes(props.volumes)];
  checkMounts(volumes, driver, executor);
  const sparkConf = mergeSparkConf(confParts(props, userConf, driver, executor, dynamic?.conf, eventLog?.dir));
  const spec: Record<string, unknown> = {
    type: props.type,
    mode: oneOf('mode', props.mode ?? SparkDeployMode.CLUSTER, Object.values(SparkDeployMode)),
    image: requiredString('image', props.image),
    ...optional('imagePullPolicy', props.imagePullPolicy === undefined ? undefined : oneOf('imagePullPolicy', props.imagePullPolicy, Object.values(ImagePullPolicy))),
    ...optional('imagePullSecrets', nonEmpty(optionalStringList('imagePullSecrets', props.imagePullSecrets))),
    mainApplicationFile: requiredString('mainApplicationFile', props.mainApplicationFile),
    ...optional('mainClass', optionalString('mainClass', props.mainClass)),
    ...optional('arguments', nonEmpty(optionalStringList('arguments', props.arguments))),
    sparkVersion,
    ...optional('sparkConf', Object.keys(sparkConf).length === 0 ? undefined : sparkConf),
    ...optional('hadoopConf', nonEmpty(stringMap('hadoopConf', props.hadoopConf))),
    ...optional('deps', deps(props.deps)),
    restartPolicy: restartPolicy(props.restartPolicy ?? { type: SparkRestartPolicyType.NEVER }),
    ...optional('timeToLiveSeconds', optionalInteger('timeToLiveSeconds', props.timeToLiveSeconds, 0)),
    volumes,
    ...optional('monitoring', props.monitoring === undefined ? undefined : monitoring(props.monitoring)),
    ...optional('batchScheduler', optionalString('batchScheduler', props.batchScheduler)),
    ...optional('batchSchedulerOptions', props.batchSchedulerOptions === undefined ? undefined : batchSchedulerOptions(props.batchSchedulerOptions)),
    ...optional('memoryOverheadFactor', factor === undefined ? undefined : String(factor)),
    ...optional('dynamicAllocation', dynamic?.spec),
    driver: driver.spec,
    executor: { ...executor.spec, ...optional('instances', instances) },
  };
  return {
    spec,
    driver,
    executor,
    executorCount: dynamic ? dynamic.spec.minExecutors : (instances ?? 1),
    executorMaxCount: dynamic ? dynamic.spec.maxExecutors : (instances ?? 1),
  };
}

function confParts(
  props: SparkApplicationProps,
  userConf: SparkConf,
  driver: RenderedSparkPod,
  executor: RenderedSparkPod,
  dynamicConf: SparkConf | undefined,
  eventLogDir: string | undefined,
): SparkConfPart[] {
  const parts: SparkConfPart[] = [
    { source: 'sparkConf', conf: userConf },
    { source: 'driver.memoryOverheadFactor', conf: driver.conf },
    { source: 'executor.memoryOverheadFactor', conf: executor.conf },
  ];
  if (dynamicConf) parts.push({ source: 'dynamicAllocation', conf: dynamicConf });
  if (eventLogDir !== undefined) parts.push({ source: 'eventLog', conf: { 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': eventLogDir } });
  // The driver resolves --packages with Ivy under $HOME, which the read-only root filesystem forbids.
  if ((props.deps?.packages?.length ?? 0) > 0 && userConf['spark.jars.ivy'] === undefined) {
    parts.push({ source: 'deps.packages', conf: { 'spark.jars.ivy': '/tmp/.ivy2' } });
  }
  return parts;
}

/** The scratch volumes of an application and where its pods mount them. */
interface ScratchSpace {
  readonly volumes: readonly Readonly<Record<string, unknown>>[];
  readonly mounts: readonly k8s.VolumeMount[];
}

/** Where every Spark pod mounts the scratch volumes, whatever their sizes (keys in manifest order). Shared, so frozen. */
const SCRATCH_VOLUME_MOUNTS: readonly k8s.VolumeMount[] = deepFreeze(SCRATCH_MOUNTS.map((m) => ({ mountPath: m.mountPath, name: m.name })));

/** The scratch volumes for the given sizes. */
function scratchVolumes(scratch: SparkScratchSpace): ScratchSpace['volumes'] {
  check(isRecord(scratch), 'scratch', scratch, 'an object');
  return SCRATCH_MOUNTS.map((m) => underField('scratch', () => renameField(m.size, () => ({ ...scratchVolume(m.name, scratch[m.size] ?? m.default) }))));
}

/** The scratch space of an application that sizes none: the same for all of them, so built once, shared and frozen. */
const DEFAULT_SCRATCH_SPACE: ScratchSpace = deepFreeze({ volumes: scratchVolumes({}), mounts: SCRATCH_VOLUME_MOUNTS });

/** The scratch space for the sizes given; none (or a JavaScript caller's null) means the defaults. */
function scratchSpace(scratch: SparkScratchSpace | undefined): ScratchSpace {
  return scratch === undefined || scratch === null ? DEFAULT_SCRATCH_SPACE : { volumes: scratchVolumes(scratch), mounts: SCRATCH_VOLUME_MOUNTS };
}

function userVolumes(volumes: readonly k8s.Volume[] | undefined): Record<string, unknown>[] {
  if (volumes === undefined) return [];
  check(Array.isArray(volumes), 'volumes', volumes, 'an array of volumes');
  for (const v of volumes) {
    check(typeof v?.name === 'string', 'volumes', v, 'volumes with a name');
    const reserved = SCRATCH_MOUNTS.some((m) => m.name === v.name) || v.name === EVENT_LOG_VOLUME;
    check(!reserved, 'volumes', v.name, 'a name other than the scratch and event log volumes batchplane adds');
  }
  return (list('volumes', volumes, k8s.toJson_Volume) ?? []) as Record<string, unknown>[];
}

function checkMounts(volumes: readonly Record<string, unknown>[], ...pods: RenderedSparkPod[]): void {
  const names = volumes.map((v) => v.name);
  const listed = names.join(', ');
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  check(duplicate === undefined, 'volumes', duplicate, 'unique volume names');
  for (const [role, pod] of [['driver', pods[0]], ['executor', pods[1]]] as const) {
    for (const mount of (pod.spec.volumeMounts ?? []) as { name: string }[]) {
      check(names.includes(mount.name), `${role}.volumeMounts`, mount.name, `the name of a volume in volumes (${listed})`);
    }
    // The operator and Spark add the application's volumes to the pod built from a template: a second volume of the same name fails it.
    const template = (pod.spec.template ?? {}) as { spec?: { volumes?: { name?: unknown }[] } };
    for (const volume of template.spec?.volumes ?? []) {
      check(!names.includes(volume.name), `${role}.template.spec.volumes`, volume.name, `a name other than those of volumes (${listed})`);
    }
  }
}

function executorInstances(instances: number | undefined, dynamic: boolean): number | undefined {
  if (dynamic) {
    check(instances === undefined, 'executor.instances', instances, 'no value with dynamicAllocation (set dynamicAllocation.initialExecutors)');
    return undefined;
  }
  return integerInRange('executor.instances', instances ?? 1, 1);
}

function checkSparkVersion(version: unknown): string {
  check(typeof version === 'string' && /^\d+\.\d+\.\d+([-+.][0-9A-Za-z.-]+)?$/.test(version), 'sparkVersion', version, 'a Spark version such as "3.5.3"');
  return version;
}

/** True when `version` is at least `minimum` (numeric comparison of major.minor.patch). */
export function sparkVersionAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string) => v.split(/[-+]/)[0].split('.').map(Number);
  const [a, b] = [parse(version), parse(minimum)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** Features that Spark silently ignores on older versions. */
function checkVersionGates(props: SparkApplicationProps, version: string): void {
  const gate = (used: boolean, field: string, minimum: string, what: string) =>
    check(!used || sparkVersionAtLeast(version, minimum), 'sparkVersion', version, `>= ${minimum} when ${field} is set (${what})`);
  gate(props.driver?.coreRequest !== undefined, 'driver.coreRequest', '3.0.0', 'older Spark ignores the driver CPU request');
  for (const role of ['driver', 'executor'] as const) {
    gate(props[role]?.memoryOverheadFactor !== undefined, `${role}.memoryOverheadFactor`, '3.3.0', 'older Spark has no per-role factor');
    gate(props[role]?.template !== undefined, `${role}.template`, '3.0.0', "the operator's validating webhook refuses a pod template for older Spark");
  }
  gate(props.dynamicAllocation !== undefined, 'dynamicAllocation', '3.1.0', 'shuffle tracking and decommissioning');
}

function restartPolicy(policy: SparkRestartPolicy): Record<string, unknown> {
  check(isRecord(policy), 'restartPolicy', policy, 'an object with a type');
  const type = oneOf('restartPolicy.type', policy.type, Object.values(SparkRestartPolicyType));
  const retrying = type !== SparkRestartPolicyType.NEVER;
  return {
    type,
    ...optional('onFailureRetries', optionalInteger('restartPolicy.onFailureRetries', policy.onFailureRetries, 0)),
    ...optional('onFailureRetryInterval', optionalInteger('restartPolicy.onFailureRetryInterval', policy.onFailureRetryInterval ?? (retrying ? 5 : undefined), 1)),
    ...optional('onSubmissionFailureRetries', optionalInteger('restartPolicy.onSubmissionFailureRetries', policy.onSubmissionFailureRetries, 0)),
    ...optional(
      'onSubmissionFailureRetryInterval',
      optionalInteger('restartPolicy.onSubmissionFailureRetryInterval', policy.onSubmissionFailureRetryInterval ?? (retrying ? 5 : undefined), 1),
    ),
  };
}

function deps(value: SparkDependencies | undefined): Readonly<Record<string, readonly string[]>> | undefined {
  if (value === undefined) return undefined;
  check(isRecord(value), 'deps', value, 'an object');
  const keys = ['jars', 'files', 'pyFiles', 'packages', 'excludePackages', 'repositories', 'archives'] as const;
  return nonEmpty(Object.fromEntries(keys.flatMap((k) => Object.entries(optional(k, nonEmpty(optionalStringList(`deps.${k}`, value[k])))))));
}

function monitoring(value: SparkMonitoring): Record<string, unknown> {
  check(isRecord(value), 'monitoring', value, 'an object');
  const prometheus = value.prometheus;
  return {
    exposeDriverMetrics: optionalBoolean('monitoring.exposeDriverMetrics', value.exposeDriverMetrics, true),
    exposeExecutorMetrics: optionalBoolean('monitoring.exposeExecutorMetrics', value.exposeExecutorMetrics, true),
    ...optional('metricsProperties', optionalString('monitoring.metricsProperties', value.metricsProperties)),
    ...optional('metricsPropertiesFile', optionalString('monitoring.metricsPropertiesFile', value.metricsPropertiesFile)),
    ...optional(
      'prometheus',
      prometheus === undefined
        ? undefined
        : {
          jmxExporterJar: requiredString('monitoring.prometheus.jmxExporterJar', prometheus.jmxExporterJar),
          port: integerInRange('monitoring.prometheus.port', prometheus.port ?? 8090, 1024, 49151),
          portName: optionalString('monitoring.prometheus.portName', prometheus.portName) ?? 'jmx-exporter',
          ...optional('configFile', optionalString('monitoring.prometheus.configFile', prometheus.configFile)),
          ...optional('configuration', optionalString('monitoring.prometheus.configuration', prometheus.configuration)),
        },
    ),
  };
}

function batchSchedulerOptions(value: SparkBatchSchedulerOptions): Record<string, unknown> {
  check(isRecord(value), 'batchSchedulerOptions', value, 'an object');
  return {
    ...optional('queue', optionalString('batchSchedulerOptions.queue', value.queue)),
    ...optional('priorityClassName', optionalString('batchSchedulerOptions.priorityClassName', value.priorityClassName)),
    ...optional('resources', stringMap('batchSchedulerOptions.resources', value.resources)),
  };
}

// ---------------------------------------------------------------------------------------------
// Constructs

/**
 * What a SparkApplication and a ScheduledSparkApplication share: the service account, the validated
 * spec rendering, the event log and the demand.
 */
export abstract class SparkApplicationBase extends Construct {
  /** The object name. */
  public readonly name: string;
  /** The namespace (the platform's). */
  public readonly namespace: string;
  /** The service account the driver and executors run as. */
  public readonly serviceAccount: SparkServiceAccount;
  /** The service account's name. */
  public readonly serviceAccountName: string;

  /** @internal */
  protected readonly _props: SparkApplicationProps;
  private _eventLog?: ISparkEventLog;
  private readonly estimatedDurationSeconds?: number;
  /** The last rendering; cleared by the only thing that changes it, {@link withEventLog}. */
  private rendered?: RenderedSparkApplication;

  protected constructor(scope: Construct, id: string, props: SparkApplicationProps, maxNameLength: number) {
    super(scope, id);
    this._props = props;
    this.namespace = Platform.of(this).namespace;
    const checked = withPath(this.node.path, () => {
      check(isRecord(props), 'props', props, 'an object');
      const name = props.name ?? id;
      checkDns1035Label('name', name, maxNameLength);
      const roleArn = props.awsRoleArn;
      check(props.serviceAccount === undefined || roleArn === undefined, 'awsRoleArn', roleArn, 'no value with serviceAccount (attach the role to the shared one)');
      const estimate = props.estimatedDuration === undefined ? undefined : parseDuration(props.estimatedDuration, 'estimatedDuration');
      return { name, estimate };
    });
    this.name = checked.name;
    this.estimatedDurationSeconds = checked.estimate;
    this.serviceAccount = props.serviceAccount ?? new SparkServiceAccount(this, 'ServiceAccount', { name: `${this.name}-driver`, awsRoleArn: props.awsRoleArn });
    this.serviceAccountName = this.serviceAccount.name;
    this._eventLog = props.eventLog;
    this.rejectingInvalid(() => {
      this.render();
      this.metadata();
    });
  }

  /**
   * Runs a validation of the constructor; when it throws, removes the objects already created (the
   * application's own service account and RBAC) so that a caller who catches the error and
   * synthesizes anyway gets no half of the application.
   */
  protected rejectingInvalid<T>(validate: () => T): T {
    try {
      return validate();
    } catch (error) {
      for (const child of [...this.node.children]) this.node.tryRemoveChild(child.node.id);
      throw error;
    }
  }

  /** Writes the event log where `target` (typically a SparkHistoryServer) reads it. */
  public withEventLog(target: ISparkEventLog): this {
    const previous = { eventLog: this._eventLog, rendered: this.rendered };
    this._eventLog = target;
    this.rendered = undefined;
    try {
      this.render();
    } catch (error) {
      this._eventLog = previous.eventLog;
      this.rendered = previous.rendered;
      throw error;
    }
    return this;
  }

  /** The pods a run needs, for the capacity planner. */
  public demand(): JobDemand {
    const rendered = this.render();
    const group = (role: string, pod: RenderedSparkPod, count: number, maxCount: number): PodGroup => ({
      role,
      count,
      ...(maxCount === count ? {} : { maxCount }),
      requests: pod.resources.requests,
      placement: pod.placement,
      ...optional('pool', pod.pool),
    });
    return {
      name: this.name,
      path: this.node.path,
      pods: [group('driver', rendered.driver, 1, 1), group('executor', rendered.executor, rendered.executorCount, rendered.executorMaxCount)],
      ...optional('estimatedDurationSeconds', this.estimatedDurationSeconds),
    };
  }

  /** The object's metadata: name, namespace and labels (the platform's and the app's own). */
  protected metadata(): { name: string; namespace: string; labels: Record<string, string> } {
    const own = withPath(this.node.path, () => labelMap('labels', this._props.labels));
    return { name: this.name, namespace: this.namespace, labels: { ...Chart.of(this).labels, ...own } };
  }

  /**
   * Validates and renders the spec, errors located at this construct. The constructor renders once
   * (to validate); the demand, the manifest and the synthesized object reuse that rendering, which
   * only {@link withEventLog} changes: the props, namespace and service account are fixed at
   * construction. The rendering is shared, so it is read-only for every caller.
   */
  protected render(): RenderedSparkApplication {
    this.rendered ??= withPath(this.node.path, () =>
      renderSparkApplicationSpec(this._props, { namespace: this.namespace, serviceAccountName: this.serviceAccountName, eventLog: this._eventLog }),
    );
    return this.rendered;
  }
}

/**
 * A Spark application run by the Kubeflow Spark operator.
 *
 * ```ts
 * new SparkApplication(platform, 'job-b', {
 *   type: SparkType.PYTHON, sparkVersion: '3.5.3', image: 'apache/spark:3.5.3', mainApplicationFile: 's3a://bucket/b.py',
 *   driver: { cores: 1, memory: '2g', pool: onDemand },
 *   executor: { cores: 4, memory: '12g', pool: spot },
 *   dynamicAllocation: { minExecutors: 2, maxExecutors: 20 },
 * });
 * ```
 */
export class SparkApplication extends SparkApplicationBase {
  /** The construct path of the pipeline that runs this application, once adopted. */
  public get owner(): string | undefined {
    return this._owner;
  }

  private _owner?: string;

  constructor(scope: Construct, id: string, props: SparkApplicationProps) {
    super(scope, id, props, 63);
    const metadata = this.metadata();
    new ApiObject(this, 'Resource', {
      apiVersion: SPARK_OPERATOR_API_VERSION,
      kind: 'SparkApplication',
      metadata: { name: metadata.name, labels: metadata.labels },
      spec: Lazy.any({ produce: () => this.toManifest().spec }),
    });
  }

  /**
   * The SparkApplication object as plain JSON (for embedding in a workflow). Its spec is the
   * application's own rendering, which its written manifest also uses, and parts of it are frozen and
   * shared with other applications: read it, or change a copy (`structuredClone`).
   */
  public toManifest(): SparkApplicationManifest {
    return { apiVersion: SPARK_OPERATOR_API_VERSION, kind: 'SparkApplication', metadata: this.metadata(), spec: this.render().spec };
  }

  /**
   * Hands creation of the object to a pipeline (construct path `ownerPath`): the standalone object is
   * removed; the service account and its RBAC stay.
   */
  public adopt(ownerPath: string): void {
    withPath(this.node.path, () => {
      check(typeof ownerPath === 'string' && ownerPath.length > 0, 'adopt', ownerPath, 'the construct path of the pipeline');
      check(this._owner === undefined || this._owner === ownerPath, 'adopt', ownerPath, `a single pipeline: already run by ${this._owner}`);
      check(
        this._props.restartPolicy?.type !== SparkRestartPolicyType.ALWAYS,
        'restartPolicy.type',
        SparkRestartPolicyType.ALWAYS,
        'Never or OnFailure when a pipeline runs the application: with Always it never completes and the step waits forever',
      );
    });
    this._owner = ownerPath;
    this.node.tryRemoveChild('Resource');
  }
}
