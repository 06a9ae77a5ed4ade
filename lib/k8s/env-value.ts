/**
 * Values of environment variables for the containers batchplane renders: a plain string, or a
 * reference that the kubelet resolves when the pod starts (a key of a Secret or ConfigMap, a field of
 * the pod). References keep credentials out of the manifests: the manifest names the Secret, never
 * its content.
 *
 * Factories only record their arguments; the task that uses a value checks them, so an error names
 * the variable and the construct (`[data/nightly/load] env["DB_PASSWORD"].valueFrom.secretKeyRef.name: ...`).
 */
import { k8s } from 'cdk8s-plus-27';
import { check, underField } from '../model/errors';
import { entryField, isRecord } from '../model/input';
import { checkDns1123Subdomain, checkQualifiedName } from '../model/names';

/** What an {@link EnvValue} holds. */
type EnvValueSource =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'secret' | 'configMap'; readonly name: string; readonly key: string }
  | { readonly kind: 'field'; readonly fieldPath: string };

/** Pod fields the downward API exposes to environment variables, besides single labels and annotations. */
const POD_FIELDS: readonly string[] = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** `metadata.labels['<key>']` or `metadata.annotations['<key>']`. */
const POD_MAP_ENTRY = /^metadata\.(labels|annotations)\['([^']*)'\]$/;
/** Keys of Secrets and ConfigMaps: letters, digits, '-', '_' and '.'. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const DATA_KEY_MAX_LENGTH = 253;
/** Names of environment variables (and envFrom prefixes), as Kubernetes accepts them. */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The value of an environment variable: a literal, or a reference resolved by the kubelet.
 *
 * ```ts
 * pipeline.container('load', {
 *   ...,
 *   env: {
 *     LOG_LEVEL: 'info',                                          // same as EnvValue.fromValue('info')
 *     DB_PASSWORD: EnvValue.fromSecret('warehouse-db', 'password'),
 *     POD_NAME: EnvValue.fromField('metadata.name'),
 *   },
 * });
 * ```
 */
export class EnvValue {
  /** A literal value, written into the manifest as is. Never use it for credentials. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ kind: 'value', value });
  }

  /**
   * The value of `key` in the Secret `secretName` of the pod's namespace (`valueFrom.secretKeyRef`).
   * The pod does not start until the Secret and key exist.
   * @param secretName a DNS-1123 subdomain
   * @param key letters, digits, '-', '_' and '.'
   */
  public static fromSecret(secretName: string, key: string): EnvValue {
    return new EnvValue({ kind: 'secret', name: secretName, key });
  }

  /**
   * The value of `key` in the ConfigMap `configMapName` of the pod's namespace (`valueFrom.configMapKeyRef`).
   * The pod does not start until the ConfigMap and key exist.
   * @param configMapName a DNS-1123 subdomain
   * @param key letters, digits, '-', '_' and '.'
   */
  public static fromConfigMap(configMapName: string, key: string): EnvValue {
    return new EnvValue({ kind: 'configMap', name: configMapName, key });
  }

  /**
   * A field of the pod, through the downward API (`valueFrom.fieldRef`): `metadata.name`,
   * `metadata.namespace`, `metadata.uid`, `metadata.labels['<key>']`, `metadata.annotations['<key>']`,
   * `spec.nodeName`, `spec.serviceAccountName`, `status.hostIP(s)` or `status.podIP(s)`.
   */
  public static fromField(fieldPath: string): EnvValue {
    return new EnvValue({ kind: 'field', fieldPath });
  }

  /** Whether `value` is an {@link EnvValue}. */
  public static isEnvValue(value: unknown): value is EnvValue {
    return value instanceof EnvValue;
  }

  private constructor(private readonly source: EnvValueSource) {}

  /**
   * The `env` entry for a variable named `name`, with the value's arguments checked. Errors name fields
   * under `field` (`env["X"]`).
   * @internal
   */
  public _toEnvVar(name: string, field: string): k8s.EnvVar {
    return underField(field, () => {
      const source = this.source;
      switch (source.kind) {
        case 'value':
          check(typeof source.value === 'string', 'value', source.value, 'a string');
          return { name, value: source.value };
        case 'secret':
          return { name, valueFrom: { secretKeyRef: keyReference('valueFrom.secretKeyRef', source) } };
        case 'configMap':
          return { name, valueFrom: { configMapKeyRef: keyReference('valueFrom.configMapKeyRef', source) } };
        case 'field':
          return { name, valueFrom: { fieldRef: { fieldPath: checkPodField('valueFrom.fieldRef.fieldPath', source.fieldPath) } } };
      }
    });
  }
}

/** A Secret or ConfigMap whose every key becomes an environment variable (`envFrom`). Set exactly one of `secret` and `configMap`. */
export interface EnvFromSource {
  /**
   * The name of a Secret in the pod's namespace.
   * @default - none (set configMap)
   */
  readonly secret?: string;
  /**
   * The name of a ConfigMap in the pod's namespace.
   * @default - none (set secret)
   */
  readonly configMap?: string;
  /**
   * A prefix put before every key to make the variable name.
   * @default - the keys as they are
   */
  readonly prefix?: string;
}

/**
 * Checks and renders a variable of an `env` map: a string (a literal) or an {@link EnvValue}. Errors name
 * `<field>["<name>"]`.
 */
export function renderEnvVar(field: string, name: string, value: unknown): k8s.EnvVar {
  const at = entryField(field, name);
  check(ENV_VAR_NAME.test(name), at, name, "an environment variable name: letters, digits, '-', '_' and '.', not starting with a digit");
  if (typeof value === 'string') return EnvValue.fromValue(value)._toEnvVar(name, at);
  check(EnvValue.isEnvValue(value), at, value, 'a string or an EnvValue (EnvValue.fromSecret, fromConfigMap, fromField)');
  return value._toEnvVar(name, at);
}

/** Checks and renders one `envFrom` source; errors name `<field>[<index>]`. */
export function renderEnvFrom(field: string, index: number, source: EnvFromSource): k8s.EnvFromSource {
  const at = `${field}[${index}]`;
  check(isRecord(source), at, source, 'an object { secret } or { configMap }, with an optional prefix');
  const { secret, configMap, prefix } = source;
  check((secret === undefined) !== (configMap === undefined), at, source, 'exactly one of secret and configMap');
  return underField(at, () => {
    if (prefix !== undefined) check(typeof prefix === 'string' && ENV_VAR_NAME.test(prefix), 'prefix', prefix, 'a prefix that makes valid variable names');
    return {
      ...(prefix === undefined ? {} : { prefix }),
      ...(secret === undefined
        ? { configMapRef: { name: checkDns1123Subdomain('configMap', configMap) } }
        : { secretRef: { name: checkDns1123Subdomain('secret', secret) } }),
    };
  });
}

function keyReference(field: string, source: { readonly name: unknown; readonly key: unknown }): { name: string; key: string } {
  const name = checkDns1123Subdomain(`${field}.name`, source.name);
  const key = source.key;
  const validKey = typeof key === 'string' && key.length <= DATA_KEY_MAX_LENGTH && DATA_KEY.test(key) && key !== '.' && key !== '..';
  check(validKey, `${field}.key`, key, `a key of at most ${DATA_KEY_MAX_LENGTH} letters, digits, '-', '_' and '.' (not '.' or '..')`);
  return { name, key };
}

function checkPodField(field: string, path: unknown): string {
  const expected = `a pod field the downward API exposes: ${POD_FIELDS.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`;
  check(typeof path === 'string', field, path, expected);
  const entry = POD_MAP_ENTRY.exec(path);
  if (entry) {
    checkQualifiedName(field, entry[2]);
    return path;
  }
  check(POD_FIELDS.includes(path), field, path, expected);
  return path;
}
