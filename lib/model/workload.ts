/**
 * What a job asks of the cluster, as the resolver sees it: groups of identical pods with their
 * requests and placement. Constructs (Spark applications, pipeline tasks) produce these; the
 * capacity planner consumes them.
 */
import { ResourceVector } from './resources';
import { PodPlacement } from './scheduling-types';

/** Identical pods of one role within a job (a Spark driver, its executors, a container step). */
export interface PodGroup {
  /** The role, used in messages: `driver`, `executor`, `main`. */
  readonly role: string;
  /** How many of these pods must run at the same time for the job to make progress. */
  readonly count: number;
  /**
   * How many of these pods may run at the same time at most (dynamic allocation's maximum).
   * @default - `count`
   */
  readonly maxCount?: number;
  /** Requests of one pod (its `pods` component is 1). */
  readonly requests: ResourceVector;
  /** Where the pod may land. */
  readonly placement: PodPlacement;
  /** The name of the pool the user placed the pod on, when placed by pool. */
  readonly pool?: string;
}

/** One job: a Spark application, a container or script step. */
export interface JobDemand {
  /** The job's name, unique within its pipeline. */
  readonly name: string;
  /** The construct path, for messages. */
  readonly path: string;
  /** The pod groups. */
  readonly pods: readonly PodGroup[];
  /** The expected run time in seconds, when the user gave one. */
  readonly estimatedDurationSeconds?: number;
}
