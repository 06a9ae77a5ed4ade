import { namespaceName } from '../../lib/pulumi/namespaces';

describe('namespaceName', () => {
  test('names core/v1 Namespace objects only', () => {
    expect(namespaceName({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data' } })).toBe('data');
    expect(namespaceName({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'data' } })).toBeUndefined();
    expect(namespaceName({ apiVersion: 'v1', kind: 'Namespace', metadata: {} })).toBeUndefined();
    expect(namespaceName(null)).toBeUndefined();
    expect(namespaceName('Namespace')).toBeUndefined();
  });
});
