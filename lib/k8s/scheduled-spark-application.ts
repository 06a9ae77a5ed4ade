/**
 * ScheduledSparkApplication: a SparkApplication template run on a cron schedule by the operator.
 * The template is rendered and validated by the same code as SparkApplication. Facts: research §6.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { check, withPath } from '../model/errors';
import { checkTimeZone, parseCron } from '../model/cron';
import { integerInRange, oneOf, optional, optionalBoolean } from '../model/input';
import { SPARK_OPERATOR_API_VERSION, SparkApplicationBase, SparkApplicationProps } from './spark-application';

/**
 * The longest name of a ScheduledSparkApplication: runs are named `<name>-<timestamp>` with a 19-digit
 * nanosecond timestamp (the operator's default precision) and must stay a 63-character DNS-1035 label.
 */
export const SCHEDULED_SPARK_APPLICATION_MAX_NAME_LENGTH = 63 - 20;

/** What to do when a run is due while the previous one is still running. */
export enum SparkConcurrencyPolicy {
  /** Start the new run anyway. */
  ALLOW = 'Allow',
  /** Skip the new run. */
  FORBID = 'Forbid',
  /** Delete the running one, then start the new run. */
  REPLACE = 'Replace',
}

/** Props of {@link ScheduledSparkApplication}: a SparkApplication plus its schedule. */
export interface ScheduledSparkApplicationProps extends SparkApplicationProps {
  /** A standard 5-field cron expression or a descriptor (`@daily`, `@every 2h`). */
  readonly schedule: string;
  /**
   * The IANA time zone of the schedule, `'UTC'` or `'Local'`.
   * @default - the operator pod's zone (`Local`)
   */
  readonly timeZone?: string;
  /**
   * Always written: the operator treats an empty policy as "start only if no run exists yet".
   * @default SparkConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: SparkConcurrencyPolicy;
  /**
   * Completed runs kept. The latest success is enough to see that the job works.
   * @default 1
   */
  readonly successfulRunHistoryLimit?: number;
  /**
   * Failed runs kept, with their driver pods and logs, for diagnosis.
   * @default 3
   */
  readonly failedRunHistoryLimit?: number;
  /**
   * Stop starting new runs.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Spark application run on a schedule by the Spark operator. */
export class ScheduledSparkApplication extends SparkApplicationBase {
  /** The schedule as written. */
  public readonly schedule: string;

  constructor(scope: Construct, id: string, props: ScheduledSparkApplicationProps) {
    super(scope, id, props, SCHEDULED_SPARK_APPLICATION_MAX_NAME_LENGTH);
    const scheduling = this.rejectingInvalid(() => withPath(this.node.path, () => schedulingFields(props)));
    this.schedule = props.schedule;
    const metadata = this.metadata();
    new ApiObject(this, 'Resource', {
      apiVersion: SPARK_OPERATOR_API_VERSION,
      kind: 'ScheduledSparkApplication',
      metadata: { name: metadata.name, labels: metadata.labels },
      spec: Lazy.any({ produce: () => ({ ...scheduling, template: this.render().spec }) }),
    });
  }
}

function schedulingFields(props: ScheduledSparkApplicationProps): Record<string, unknown> {
  const schedule = props.schedule;
  check(typeof schedule === 'string', 'schedule', schedule, 'a cron expression such as "0 23 * * *"');
  check(!/^\s*(CRON_)?TZ=/.test(schedule), 'schedule', schedule, 'a schedule without a CRON_TZ= or TZ= prefix (set timeZone instead)');
  parseCron(schedule);
  if (props.timeZone !== undefined) checkTimeZone('timeZone', props.timeZone);
  return {
    schedule,
    ...optional('timeZone', props.timeZone),
    concurrencyPolicy: oneOf('concurrencyPolicy', props.concurrencyPolicy ?? SparkConcurrencyPolicy.FORBID, Object.values(SparkConcurrencyPolicy)),
    successfulRunHistoryLimit: integerInRange('successfulRunHistoryLimit', props.successfulRunHistoryLimit ?? 1, 0),
    failedRunHistoryLimit: integerInRange('failedRunHistoryLimit', props.failedRunHistoryLimit ?? 3, 0),
    suspend: optionalBoolean('suspend', props.suspend, false),
  };
}
