import { EnvValue, renderEnvFrom, renderEnvVar } from '../../lib/k8s/env-value';
import { BatchplaneError } from '../../lib/model/errors';

describe('renderEnvVar', () => {
  test('a string and fromValue are literal values', () => {
    expect(renderEnvVar('env', 'LOG_LEVEL', 'info')).toEqual({ name: 'LOG_LEVEL', value: 'info' });
    expect(renderEnvVar('env', 'EMPTY', EnvValue.fromValue(''))).toEqual({ name: 'EMPTY', value: '' });
  });

  test('references render valueFrom', () => {
    expect(renderEnvVar('env', 'PASSWORD', EnvValue.fromSecret('warehouse-db', 'password'))).toEqual({
      name: 'PASSWORD',
      valueFrom: { secretKeyRef: { name: 'warehouse-db', key: 'password' } },
    });
    expect(renderEnvVar('env', 'REGION', EnvValue.fromConfigMap('platform.settings', 'aws_region.v-1'))).toEqual({
      name: 'REGION',
      valueFrom: { configMapKeyRef: { name: 'platform.settings', key: 'aws_region.v-1' } },
    });
    for (const path of ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.podIP', "metadata.annotations['example.com/owner']", "metadata.labels['team']"]) {
      expect(renderEnvVar('env', 'F', EnvValue.fromField(path))).toEqual({ name: 'F', valueFrom: { fieldRef: { fieldPath: path } } });
    }
  });

  const errors: [string, string, unknown, string][] = [
    ['a variable name with a space', 'BAD NAME', 'x', 'env["BAD NAME"]: got "BAD NAME", expected an environment variable name'],
    ['a variable name starting with a digit', '1X', 'x', 'env["1X"]: got "1X"'],
    ['a number', 'N', 3, 'env["N"]: got 3, expected a string or an EnvValue (EnvValue.fromSecret, fromConfigMap, fromField)'],
    ['a look-alike object', 'N', { secretKeyRef: { name: 'a', key: 'b' } }, 'env["N"]: got {"secretKeyRef":{"name":"a","key":"b"}}, expected a string or an EnvValue'],
    ['a Secret name with capitals', 'P', EnvValue.fromSecret('DB', 'p'), 'env["P"].valueFrom.secretKeyRef.name: got "DB", expected a lowercase RFC 1123 subdomain'],
    ['an empty key', 'P', EnvValue.fromSecret('db', ''), 'env["P"].valueFrom.secretKeyRef.key: got "", expected a key of at most 253'],
    ['a key with a slash', 'P', EnvValue.fromConfigMap('db', 'a/b'), 'env["P"].valueFrom.configMapKeyRef.key: got "a/b"'],
    ['the key ..', 'P', EnvValue.fromConfigMap('db', '..'), 'env["P"].valueFrom.configMapKeyRef.key: got ".."'],
    ['a key too long', 'P', EnvValue.fromSecret('db', 'k'.repeat(254)), 'env["P"].valueFrom.secretKeyRef.key'],
    ['a ConfigMap name not a string', 'P', EnvValue.fromConfigMap(undefined as unknown as string, 'k'), 'env["P"].valueFrom.configMapKeyRef.name: got undefined'],
    ['an unknown pod field', 'F', EnvValue.fromField('spec.containers'), 'env["F"].valueFrom.fieldRef.fieldPath: got "spec.containers", expected a pod field the downward API exposes'],
    ['a bad label key in a field path', 'F', EnvValue.fromField("metadata.labels['bad key']"), 'env["F"].valueFrom.fieldRef.fieldPath: got "bad key", expected a qualified name'],
    ['a literal that is not a string', 'V', EnvValue.fromValue(5 as unknown as string), 'env["V"].value: got 5, expected a string'],
  ];
  test.each(errors)('%s', (_, name, value, message) => {
    let thrown: unknown;
    try {
      renderEnvVar('env', name, value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BatchplaneError);
    expect((thrown as Error).message.startsWith(message)).toBe(true);
  });

  test('isEnvValue', () => {
    expect(EnvValue.isEnvValue(EnvValue.fromField('metadata.uid'))).toBe(true);
    expect(EnvValue.isEnvValue({ source: { kind: 'value', value: 'x' } })).toBe(false);
  });
});

describe('renderEnvFrom', () => {
  test('a Secret or a ConfigMap, with an optional prefix', () => {
    expect(renderEnvFrom('envFrom', 0, { secret: 'warehouse-db' })).toEqual({ secretRef: { name: 'warehouse-db' } });
    expect(renderEnvFrom('envFrom', 1, { configMap: 'etl.defaults', prefix: 'ETL_' })).toEqual({ prefix: 'ETL_', configMapRef: { name: 'etl.defaults' } });
  });

  const errors: [string, unknown, string][] = [
    ['both', { secret: 'a', configMap: 'b' }, 'envFrom[2]: got {"secret":"a","configMap":"b"}, expected exactly one of secret and configMap'],
    ['neither', { prefix: 'X_' }, 'envFrom[2]: got {"prefix":"X_"}, expected exactly one of secret and configMap'],
    ['not an object', 'db', 'envFrom[2]: got "db", expected an object { secret } or { configMap }'],
    ['a bad Secret name', { secret: 'db_1' }, 'envFrom[2].secret: got "db_1", expected a lowercase RFC 1123 subdomain'],
    ['a bad prefix', { configMap: 'a', prefix: '1 X' }, 'envFrom[2].prefix: got "1 X", expected a prefix that makes valid variable names'],
  ];
  test.each(errors)('%s', (_, source, message) => {
    expect(() => renderEnvFrom('envFrom', 2, source as { secret: string })).toThrow(message);
  });
});
