import { Chart, Testing } from 'cdk8s';
import {
  EXECUTOR_PERMISSION,
  SPARK_SUBMIT_PERMISSION,
  WorkflowRbac,
} from '../../lib/k8s/workflow-rbac';
import { BatchplaneError } from '../../lib/model/errors';
import { describeConformance, validateManifests } from '../support/conformance';

type Obj = { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [k: string]: unknown };

function chart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
}

function byKind(objects: Obj[], kind: string): Obj {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('WorkflowRbac', () => {
  test('ServiceAccount, Role and RoleBinding share the account name; the Role starts with the executor right', () => {
    const c = chart('data');
    const rbac = new WorkflowRbac(c, 'Rbac', { serviceAccountName: 'nightly-workflow' });
    expect(rbac.serviceAccountName).toBe('nightly-workflow');
    const objects = Testing.synth(c) as Obj[];
    expect(objects.map((o) => o.kind).sort()).toEqual(['Role', 'RoleBinding', 'ServiceAccount']);
    expect(byKind(objects, 'ServiceAccount').metadata).toEqual({ name: 'nightly-workflow', namespace: 'data' });
    expect(byKind(objects, 'Role').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
    expect(byKind(objects, 'RoleBinding')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'nightly-workflow' },
      subjects: [{ kind: 'ServiceAccount', name: 'nightly-workflow', namespace: 'data' }],
    });
  });

  test('grants added later merge per resource, sorted, without duplicates', () => {
    const c = chart('data');
    const rbac = new WorkflowRbac(c, 'Rbac', { serviceAccountName: 'wf' });
    rbac.allow(SPARK_SUBMIT_PERMISSION);
    rbac.allow(SPARK_SUBMIT_PERMISSION);
    rbac.allow({ apiGroup: 'argoproj.io', resource: 'workflowtaskresults', verbs: ['patch', 'create'] });
    rbac.allow({ apiGroup: '', resource: 'configmaps', verbs: ['get'] });
    expect(rbac.permissions()).toEqual([
      { apiGroup: '', resource: 'configmaps', verbs: ['get'] },
      EXECUTOR_PERMISSION,
      SPARK_SUBMIT_PERMISSION,
    ]);
    expect(byKind(Testing.synth(c) as Obj[], 'Role').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications'], verbs: ['create', 'get'] },
    ]);
  });

  test('wildcards are refused', () => {
    const rbac = new WorkflowRbac(chart('data'), 'Rbac', { serviceAccountName: 'wf' });
    expect(() => rbac.allow({ apiGroup: '*', resource: 'pods', verbs: ['get'] })).toThrow(BatchplaneError);
    expect(() => rbac.allow({ apiGroup: '', resource: 'pods', verbs: ['*'] })).toThrow('[test/Rbac] permission');
    expect(() => rbac.allow({ apiGroup: '', resource: 'pods', verbs: [] })).toThrow('no wildcards');
  });

  test('annotations (IRSA) go on the ServiceAccount', () => {
    const c = chart('data');
    new WorkflowRbac(c, 'Rbac', { serviceAccountName: 'wf', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/r' } });
    expect(byKind(Testing.synth(c) as Obj[], 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/r',
    });
  });

  test('create: false emits nothing but still records the permissions needed', () => {
    const c = chart('data');
    const rbac = new WorkflowRbac(c, 'Rbac', { serviceAccountName: 'external', create: false });
    rbac.allow(SPARK_SUBMIT_PERMISSION);
    expect(Testing.synth(c)).toEqual([]);
    expect(rbac.permissions()).toHaveLength(2);
  });

  test('without a chart namespace the subject names the binding namespace implicitly', () => {
    const c = chart();
    new WorkflowRbac(c, 'Rbac', { serviceAccountName: 'wf' });
    expect(byKind(Testing.synth(c) as Obj[], 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'wf' }]);
  });

  test('an invalid account name is rejected with the construct path', () => {
    expect(() => new WorkflowRbac(chart('data'), 'Rbac', { serviceAccountName: 'Bad_Name' })).toThrow(
      /\[test\/Rbac\] serviceAccount\.name: got "Bad_Name"/,
    );
  });

  test('annotations are checked and written sorted', () => {
    const bad = (annotations: unknown) => () =>
      new WorkflowRbac(chart('data'), 'Rbac', { serviceAccountName: 'wf', annotations } as { serviceAccountName: string });
    expect(bad({ a: 1 })).toThrow('[test/Rbac] serviceAccount.annotations["a"]: got 1, expected a string');
    expect(bad({ 'bad key!': 'x' })).toThrow('[test/Rbac] serviceAccount.annotations["bad key!"]: got "bad key!", expected a qualified name');
    const c = chart('data');
    new WorkflowRbac(c, 'Rbac', { serviceAccountName: 'wf', annotations: { 'z.io/b': '2', 'a.io/a': '1' } });
    expect(Object.keys(byKind(Testing.synth(c) as Obj[], 'ServiceAccount').metadata.annotations ?? {})).toEqual(['a.io/a', 'z.io/b']);
  });

  test('create must be a boolean; false emits nothing', () => {
    expect(() => new WorkflowRbac(chart('data'), 'Rbac', { serviceAccountName: 'wf', create: 0 as unknown as boolean })).toThrow(
      '[test/Rbac] serviceAccount.create: got 0, expected true or false',
    );
    const c = chart('data');
    new WorkflowRbac(c, 'Rbac', { serviceAccountName: 'wf', create: false });
    expect(Testing.synth(c)).toEqual([]);
  });
});

describeConformance('conformance', () => {
  test('the RBAC objects pass the strict Kubernetes schemas', () => {
    const c = chart('data');
    const rbac = new WorkflowRbac(c, 'Rbac', { serviceAccountName: 'wf', annotations: { a: 'b' } });
    rbac.allow(SPARK_SUBMIT_PERMISSION);
    expect(validateManifests(Testing.synth(c))).toEqual([]);
  });
});
