/**
 * Spark History Server: a Deployment reading Spark event logs from S3 or a shared PVC, a Service on
 * port 18080, a PodDisruptionBudget and a token-less service account (IRSA for S3). Applications write
 * to the same location with `eventLog: historyServer` or `app.withEventLog(historyServer)`.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { check, renameField, withPath } from '../model/errors';
import { entryField, integerInRange, isRecord, stringMap } from '../model/input';
import { formatJvmMemory } from '../model/jvm-memory';
import { checkDns1035Label, checkDns1123Label } from '../model/names';
import { bytes, cpuMillis } from '../model/quantity';
import { NodePool, placementManifest } from './node-pool';
import { PriorityTier } from './priority-tiers';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, scratchVolume } from './security';
import { SPARK_IMAGE_USER } from './spark-pod-spec';
import { checkRoleArn, IRSA_ANNOTATION } from './spark-rbac';

/** The port the history server UI listens on. */
export const HISTORY_SERVER_PORT = 18080;
/** The default history server image (pinned). */
export const DEFAULT_HISTORY_SERVER_IMAGE = 'apache/spark:3.5.3';

/** Where event logs are: the `spark.eventLog.dir` of writers, and a volume the driver must mount, if any. */
export interface SparkEventLogLocation {
  /** The directory URI (`s3a://bucket/prefix/`, `file:///mnt/spark-events`). */
  readonly dir: string;
  /** A PersistentVolumeClaim to mount at `mountPath` (PVC storage only). */
  readonly volume?: { readonly claimName: string; readonly mountPath: string };
}

/** Something applications can write their event log to. */
export interface ISparkEventLog {
  readonly eventLog: SparkEventLogLocation;
}

/** Event log storage, shared by the applications that write and the history server that reads. */
export class SparkEventLogStorage implements ISparkEventLog {
  /**
   * An S3 prefix, read and written through S3A (the image needs hadoop-aws; the service accounts need
   * IAM access, e.g. IRSA with `awsRoleArn`).
   * @param uri `s3a://bucket/prefix/`
   */
  public static s3(uri: string): SparkEventLogStorage {
    check(typeof uri === 'string' && /^s3a:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(uri), 'eventLog', uri, 'an S3A URI such as "s3a://bucket/spark-events/"');
    return new SparkEventLogStorage({ dir: uri.endsWith('/') ? uri : `${uri}/` });
  }

  /**
   * A ReadWriteMany PersistentVolumeClaim, mounted on the history server and on every driver.
   * @param claimName the claim's name
   * @param mountPath where to mount it (default `/mnt/spark-events`)
   */
  public static persistentVolumeClaim(claimName: string, mountPath = '/mnt/spark-events'): SparkEventLogStorage {
    checkDns1123Label('eventLog.claimName', claimName);
    check(typeof mountPath === 'string' && /^\/[^:]*$/.test(mountPath) && mountPath !== '/', 'eventLog.mountPath', mountPath, 'an absolute path other than "/"');
    return new SparkEventLogStorage({ dir: `file://${mountPath}`, volume: { claimName, mountPath } });
  }

  private constructor(public readonly eventLog: SparkEventLogLocation) {}
}

/** Props of {@link SparkHistoryServer}. */
export interface SparkHistoryServerProps {
  /** Where event logs are read from. */
  readonly storage: SparkEventLogStorage;
  /**
   * The name of the Deployment, Service and service account, a DNS-1035 label.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The image. For S3 storage it must contain hadoop-aws and the AWS SDK.
   * @default 'apache/spark:3.5.3'
   */
  readonly image?: string;
  /**
   * Replicas. Each replica parses logs on its own; more than one only buys availability.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * An IAM role for reading S3 (IRSA).
   * @default - no IAM role
   */
  readonly awsRoleArn?: string;
  /**
   * The CPU request.
   * @default '500m'
   */
  readonly cpu?: string;
  /**
   * The CPU limit.
   * @default '1'
   */
  readonly cpuLimit?: string;
  /**
   * Memory (request = limit), a Kubernetes quantity. The JVM heap is three quarters of it.
   * @default '2Gi'
   */
  readonly memory?: string;
  /**
   * Size limit of `/tmp`, which holds the history server's local cache and its logs.
   * @default '2Gi'
   */
  readonly tmpSizeLimit?: string;
  /**
   * Extra history server properties (`spark.history.*`), e.g. `spark.history.fs.cleaner.enabled`.
   * @default - none
   */
  readonly options?: Readonly<Record<string, string>>;
  /**
   * The node pool to run on.
   * @default - no placement constraints
   */
  readonly pool?: NodePool;
  /**
   * The priority tier.
   * @default PriorityTier.DEFAULT
   */
  readonly priorityTier?: PriorityTier;
}

/**
 * The Spark History Server.
 *
 * Disruption budget: `maxUnavailable: 1`. With the default single replica it never blocks a node drain
 * (a budget of `minAvailable: 1` would, forever, stalling cluster-autoscaler scale-down and node
 * upgrades), which is right for a UI that restarts in seconds; with more replicas it keeps all but one
 * serving during drains.
 */
export class SparkHistoryServer extends Construct implements ISparkEventLog {
  /** The name of the Deployment, Service and service account. */
  public readonly name: string;
  /** Where event logs are read from; applications write here. */
  public readonly eventLog: SparkEventLogLocation;
  /** The Service's in-cluster URL. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: SparkHistoryServerProps) {
    super(scope, id);
    const settings = withPath(this.node.path, () => resolveSettings(props, id));
    this.name = settings.name;
    this.eventLog = props.storage.eventLog;
    this.url = `http://${this.name}:${HISTORY_SERVER_PORT}`;
    const selector = { 'app.kubernetes.io/name': 'spark-history-server', 'app.kubernetes.io/instance': this.name };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, annotations: props.awsRoleArn === undefined ? undefined : { [IRSA_ANNOTATION]: props.awsRoleArn } },
      automountServiceAccountToken: false,
    });
    new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: this.name, labels: selector },
      spec: {
        replicas: settings.replicas,
        selector: { matchLabels: selector },
        template: {
          // The /tmp emptyDir is a cache: let cluster-autoscaler move the pod off a node it wants to remove.
          metadata: { labels: selector, annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes': 'tmp' } },
          spec: this.podSpec(props, settings),
        },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: this.name, labels: selector },
      spec: { selector, ports: [{ name: 'http', port: HISTORY_SERVER_PORT, targetPort: k8s.IntOrString.fromString('http') }] },
    });
    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: this.name, labels: selector },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }

  private podSpec(props: SparkHistoryServerProps, settings: Settings): k8s.PodSpec {
    const placement = props.pool === undefined ? {} : placementManifest(props.pool.placement());
    const volumes: k8s.Volume[] = [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(settings.tmp.emptyDir.sizeLimit) } }];
    const mounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
    const pvc = this.eventLog.volume;
    if (pvc) {
      volumes.push({ name: 'spark-events', persistentVolumeClaim: { claimName: pvc.claimName, readOnly: true } });
      mounts.push({ name: 'spark-events', mountPath: pvc.mountPath, readOnly: true });
    }
    const quantity = (v: string) => k8s.Quantity.fromString(v);
    return {
      ...placement,
      serviceAccountName: this.name,
      automountServiceAccountToken: false,
      priorityClassName: (props.priorityTier ?? PriorityTier.DEFAULT).className,
      securityContext: restrictedPodSecurityContext({ runAsUser: SPARK_IMAGE_USER, runAsGroup: SPARK_IMAGE_USER, fsGroup: SPARK_IMAGE_USER }),
      containers: [
        {
          name: 'history-server',
          image: settings.image,
          command: ['/opt/spark/sbin/start-history-server.sh'],
          env: [
            { name: 'SPARK_NO_DAEMONIZE', value: 'true' },
            { name: 'SPARK_HISTORY_OPTS', value: settings.historyOpts },
            { name: 'SPARK_DAEMON_MEMORY', value: settings.heap },
            { name: 'SPARK_LOG_DIR', value: '/tmp/spark-logs' },
            { name: 'SPARK_PID_DIR', value: '/tmp' },
          ],
          ports: [{ name: 'http', containerPort: HISTORY_SERVER_PORT }],
          readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
          livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('http') }, initialDelaySeconds: 60, periodSeconds: 30 },
          resources: {
            requests: { 'cpu': quantity(settings.cpu), 'memory': quantity(settings.memory), 'ephemeral-storage': quantity(settings.tmp.emptyDir.sizeLimit) },
            limits: { cpu: quantity(settings.cpuLimit), memory: quantity(settings.memory) },
          },
          securityContext: restrictedContainerSecurityContext({ runAsUser: SPARK_IMAGE_USER, runAsGroup: SPARK_IMAGE_USER }),
          volumeMounts: mounts,
        },
      ],
      volumes,
    };
  }
}

interface Settings {
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  readonly cpu: string;
  readonly cpuLimit: string;
  readonly memory: string;
  readonly heap: string;
  readonly tmp: ReturnType<typeof scratchVolume>;
  readonly historyOpts: string;
}

function resolveSettings(props: SparkHistoryServerProps, id: string): Settings {
  check(isRecord(props), 'props', props, 'an object with storage');
  check(props.storage instanceof SparkEventLogStorage, 'storage', props.storage, 'SparkEventLogStorage.s3(...) or SparkEventLogStorage.persistentVolumeClaim(...)');
  const name = checkDns1035Label('name', props.name ?? id);
  checkRoleArn('awsRoleArn', props.awsRoleArn);
  if (props.pool !== undefined) NodePool.check('pool', props.pool);
  check(props.priorityTier === undefined || props.priorityTier instanceof PriorityTier, 'priorityTier', props.priorityTier, 'a PriorityTier');
  const image = props.image ?? DEFAULT_HISTORY_SERVER_IMAGE;
  check(typeof image === 'string' && image.length > 0, 'image', image, 'an image reference');
  const replicas = integerInRange('replicas', props.replicas ?? 1, 1);
  const cpu = props.cpu ?? '500m';
  const cpuLimit = props.cpuLimit ?? '1';
  check(cpuMillis(cpu, 'cpu') > 0, 'cpu', cpu, 'a positive CPU quantity');
  check(cpuMillis(cpuLimit, 'cpuLimit') >= cpuMillis(cpu, 'cpu'), 'cpuLimit', cpuLimit, `a CPU quantity >= cpu (${cpu})`);
  const memory = props.memory ?? '2Gi';
  const heapMiB = Math.floor((bytes(memory, 'memory') / (1024 * 1024)) * 0.75);
  check(heapMiB >= 256, 'memory', memory, 'at least 342Mi (the JVM heap is three quarters of it)');
  const tmp = renameField('tmpSizeLimit', () => scratchVolume('tmp', props.tmpSizeLimit ?? '2Gi'));
  // Option names are Spark property names (checked below), which may be longer than annotation keys.
  const options = stringMap('options', props.options) ?? {};
  for (const [key, value] of Object.entries(options)) checkHistoryOption(key, value);
  const all: Record<string, string> = { ...options, 'spark.history.fs.logDirectory': props.storage.eventLog.dir, 'spark.history.ui.port': String(HISTORY_SERVER_PORT) };
  const historyOpts = Object.keys(all).sort().map((k) => `-D${k}=${all[k]}`).join(' ');
  return { name, image, replicas, cpu, cpuLimit, memory, heap: formatJvmMemory(heapMiB), tmp, historyOpts };
}

/** Options go into SPARK_HISTORY_OPTS, which the launch script splits on whitespace. */
function checkHistoryOption(key: string, value: string): void {
  const field = entryField('options', key);
  check(/^spark\.[\w.-]+$/.test(key), field, key, 'a Spark property name (spark.*)');
  check(!['spark.history.fs.logDirectory', 'spark.history.ui.port'].includes(key), field, value, 'no value: set by batchplane from storage and the fixed port');
  check(value.length > 0 && !/\s/.test(value), field, value, 'a non-empty value without whitespace');
}
