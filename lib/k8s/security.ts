/**
 * Secure defaults shared by every pod the library emits: a restricted container security context, a
 * restricted pod security context and a size-limited scratch volume for the paths a process writes to
 * once its root filesystem is read-only.
 *
 * The shapes are Kubernetes JSON (camelCase, no tokens), so they fit both the typed L1 objects of
 * cdk8s-plus-27 and custom resources (SparkApplication, Argo templates) written with `ApiObject`. Their
 * keys are in alphabetical order, the order manifests are written in, so that writers which sort keys
 * can take them as they are.
 */
import { k8s } from 'cdk8s-plus-27';
import { BatchplaneError } from '../model/errors';
import { INT32_MAX, optional } from '../model/input';
import { checkDns1123Label } from '../model/names';
import { Quantity } from '../model/quantity';

/** The largest user or group id Kubernetes accepts (int32). */
const MAX_ID = INT32_MAX;

/** Which user and group a process runs as. */
export interface RunAsOptions {
  /**
   * The numeric user id. Must not be 0 (root): the context sets `runAsNonRoot`.
   * @default - the image's user, which the kubelet checks is not root.
   */
  readonly runAsUser?: number;
  /**
   * The numeric primary group id.
   * @default - the image's group.
   */
  readonly runAsGroup?: number;
}

/** Options of {@link restrictedPodSecurityContext}. */
export interface PodSecurityOptions extends RunAsOptions {
  /**
   * The group that owns mounted volumes and is added to every container's supplementary groups.
   * @default - volumes keep their own ownership.
   */
  readonly fsGroup?: number;
}

/** An `emptyDir` volume with a size limit, in manifest shape. */
export interface ScratchVolume {
  /** The volume name, a DNS-1123 label. */
  readonly name: string;
  /** The `emptyDir` source; `sizeLimit` is a canonical Kubernetes quantity. */
  readonly emptyDir: { readonly sizeLimit: string };
}

/**
 * A container security context in the Kubernetes "restricted" profile: not root, no privilege
 * escalation, every capability dropped, read-only root filesystem, the runtime's default seccomp profile.
 *
 * @throws BatchplaneError when a user or group id is not an integer in range (`runAsUser` 0 is rejected).
 */
export function restrictedContainerSecurityContext(options: RunAsOptions = {}): k8s.SecurityContext {
  const { runAsUser, runAsGroup } = runAs(options);
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    ...optional('runAsGroup', runAsGroup),
    runAsNonRoot: true,
    ...optional('runAsUser', runAsUser),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * A pod security context that refuses root and applies the runtime's default seccomp profile to
 * every container.
 *
 * @throws BatchplaneError when an id is not an integer in range (`runAsUser` 0 is rejected).
 */
export function restrictedPodSecurityContext(options: PodSecurityOptions = {}): k8s.PodSecurityContext {
  const fsGroup = options.fsGroup === undefined ? undefined : checkId('fsGroup', options.fsGroup, 0);
  const { runAsUser, runAsGroup } = runAs(options);
  return {
    ...optional('fsGroup', fsGroup),
    ...optional('runAsGroup', runAsGroup),
    runAsNonRoot: true,
    ...optional('runAsUser', runAsUser),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * An `emptyDir` volume limited to `sizeLimit`, for scratch space (`/tmp`, Spark local dirs) under a
 * read-only root filesystem. The kubelet evicts a pod that writes more than the limit, instead of
 * letting it fill the node's disk.
 *
 * @param name the volume name, a DNS-1123 label.
 * @param sizeLimit a positive Kubernetes quantity such as `'1Gi'`.
 * @throws BatchplaneError on a malformed name or a size limit that is not a positive quantity.
 */
export function scratchVolume(name: string, sizeLimit: string): ScratchVolume {
  checkDns1123Label('name', name);
  const limit = typeof sizeLimit === 'string' ? Quantity.tryParse(sizeLimit) : undefined;
  if (limit === undefined || limit.isNegative() || limit.isZero()) {
    throw new BatchplaneError('sizeLimit', sizeLimit, "a positive Kubernetes quantity such as '1Gi'");
  }
  return { emptyDir: { sizeLimit: limit.toString() }, name };
}

/** The checked user and group ids (the user first, as errors report them). */
function runAs(options: RunAsOptions): { runAsUser?: number; runAsGroup?: number } {
  return {
    runAsUser: options.runAsUser === undefined ? undefined : checkId('runAsUser', options.runAsUser, 1),
    runAsGroup: options.runAsGroup === undefined ? undefined : checkId('runAsGroup', options.runAsGroup, 0),
  };
}

function checkId(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_ID) {
    throw new BatchplaneError(field, value, `an integer between ${min} and ${MAX_ID}`);
  }
  return value;
}
