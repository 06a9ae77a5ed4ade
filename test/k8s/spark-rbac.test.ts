import { Testing } from 'cdk8s';
import { Platform } from '../../lib/k8s/platform';
import { SPARK_DRIVER_RULE, SparkServiceAccount } from '../../lib/k8s/spark-rbac';
import { describeConformance, validateManifests } from '../support/conformance';

type Json = Record<string, any>;

function ofKind(objects: Json[], kind: string): Json {
  const found = objects.find((m) => m.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} in the manifests`);
  return found;
}

function platform(): Platform {
  return new Platform(Testing.app(), 'data', { namespace: 'data' });
}

test('a ServiceAccount, a namespaced Role without wildcards and its RoleBinding', () => {
  const chart = platform();
  const sa = new SparkServiceAccount(chart, 'spark', { name: 'spark', awsRoleArn: 'arn:aws:iam::123456789012:role/spark-jobs' });
  expect(sa.name).toBe('spark');
  const objects = (Testing.synth(chart) as Json[]).filter((m) => m.kind !== 'Namespace' && m.kind !== 'PriorityClass');
  expect(objects.map((m) => m.kind).sort()).toEqual(['Role', 'RoleBinding', 'ServiceAccount']);
  const byKind = Object.fromEntries(objects.map((m) => [m.kind, m]));
  expect(byKind.ServiceAccount.metadata).toMatchObject({ name: 'spark', namespace: 'data', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark-jobs' } });
  expect(byKind.Role.metadata).toMatchObject({ name: 'spark', namespace: 'data' });
  expect(byKind.Role.rules).toEqual([
    {
      apiGroups: [''],
      resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
    },
  ]);
  expect(JSON.stringify(byKind.Role.rules)).not.toContain('*');
  expect(byKind.RoleBinding).toMatchObject({
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'spark' },
    subjects: [{ kind: 'ServiceAccount', name: 'spark', namespace: 'data' }],
  });
});

test('no IRSA annotation without a role', () => {
  const chart = platform();
  new SparkServiceAccount(chart, 'spark', { name: 'spark' });
  const sa = ofKind(Testing.synth(chart) as Json[], 'ServiceAccount');
  expect(sa.metadata.annotations).toBeUndefined();
});

test('the rule constant is frozen', () => {
  expect(Object.isFrozen(SPARK_DRIVER_RULE.verbs)).toBe(true);
});

test.each([
  [{ name: 'Spark' }, '[data/sa] name: got "Spark"'],
  [{ name: 'spark', awsRoleArn: 'spark-role' }, '[data/sa] awsRoleArn: got "spark-role", expected an IAM role ARN'],
])('rejects %j', (props, message) => {
  expect(() => new SparkServiceAccount(platform(), 'sa', props)).toThrow(message);
});

describeConformance('SparkServiceAccount manifests', () => {
  test('conform strictly', () => {
    const chart = platform();
    new SparkServiceAccount(chart, 'spark', { name: 'spark', awsRoleArn: 'arn:aws:iam::123456789012:role/spark' });
    expect(validateManifests(Testing.synth(chart))).toEqual([]);
  });
});
