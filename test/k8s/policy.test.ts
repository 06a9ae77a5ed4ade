import { ApiObject, ApiObjectProps, App, Chart, Lazy, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { stringify as stringifyYaml } from 'yaml';
import { BatchplaneError } from '../../lib/model/errors';
import {
  checkPolicy,
  describeManifest,
  formatViolation,
  looksLikeCredential,
  parseManifestText,
  PolicyOptions,
  PolicyRuleId,
  PolicyViolation,
  policyMessages,
  registerPolicyValidation,
} from '../../lib/k8s/policy';
import { embeddedManifestText } from '../../lib/k8s/embedded-manifests';
import { exemptFromPolicy } from '../../lib/k8s/policy-exemption';
import { describeConformance, expectConformant } from '../support/conformance';
import { cronWorkflowManifest, deploymentManifest, sparkApplicationManifest, workflowManifest } from '../support/fixtures';

type Manifest = Record<string, unknown>;

const SECURE_CONTEXT = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  seccompProfile: { type: 'RuntimeDefault' },
};
const POD_CONTEXT = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const RESOURCES = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
const SCRATCH = { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } };

function container(overrides: Manifest = {}): Manifest {
  return { name: 'main', image: 'python:3.12', securityContext: SECURE_CONTEXT, resources: RESOURCES, ...overrides };
}

function deployment(pod: Manifest = {}, main: Manifest = {}): Manifest {
  return deploymentManifest('web', {
    automountServiceAccountToken: false,
    securityContext: POD_CONTEXT,
    containers: [container(main)],
    volumes: [SCRATCH],
    ...pod,
  });
}

function sparkRole(overrides: Manifest = {}): Manifest {
  return { cores: 1, memory: '2g', securityContext: SECURE_CONTEXT, podSecurityContext: POD_CONTEXT, ...overrides };
}

function sparkApp(spec: Manifest = {}, metadata: Manifest = {}): Manifest {
  return sparkApplicationManifest({
    sparkConf: { 'spark.hadoop.fs.s3a.aws.credentials.provider': 'com.amazonaws.auth.WebIdentityTokenCredentialsProvider' },
    volumes: [SCRATCH],
    driver: sparkRole(),
    executor: sparkRole({ instances: 2 }),
    ...spec,
  }, metadata);
}

function workflow(step: Manifest = {}, extraTemplates: Manifest[] = []): Manifest {
  return workflowManifest({
    securityContext: POD_CONTEXT,
    templates: [
      { name: 'main', dag: { tasks: [{ name: 'a', template: 'step' }] } },
      { name: 'step', container: container(), ...step },
      ...extraTemplates,
    ],
  });
}

function role(rules: Manifest[], kind = 'Role'): Manifest {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'spark', namespace: 'data' }, rules };
}

function check(manifests: Manifest[], options?: PolicyOptions) {
  return checkPolicy(
    manifests.map((manifest, i) => ({ path: `test/obj${i}`, manifest })),
    options,
  );
}

/** `rule field` of each violation, for compact assertions. */
function found(manifests: Manifest[], options?: PolicyOptions): string[] {
  return check(manifests, options).map((v) => `${v.rule} ${v.field}`);
}

const POD = 'spec.template.spec';
const MAIN = `${POD}.containers[0]`;

describe('compliant manifests', () => {
  test('pass every rule', () => {
    const ok = [deployment(), sparkApp(), workflow(), role([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }])];
    expect(check(ok)).toEqual([]);
  });

  describeConformance('compliant fixtures are schema-valid', () => {
    test('Deployment, SparkApplication, Workflow and Role conform', () => {
      expectConformant([deployment(), sparkApp(), workflow(), role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])]);
    });
  });
});

describe('violation records', () => {
  test('name the rule, object, construct path, field and fix', () => {
    expect(check([deployment({}, { securityContext: { ...SECURE_CONTEXT, readOnlyRootFilesystem: false } })])).toEqual([
      {
        rule: 'read-only-root-filesystem',
        object: 'Deployment data/web',
        path: 'test/obj0',
        field: `${MAIN}.securityContext.readOnlyRootFilesystem`,
        message: 'must be true; mount a size-limited emptyDir where the process writes (/tmp, Spark local dirs)',
      },
    ]);
  });

  test('formatViolation renders one line', () => {
    const [violation] = check([deployment({}, { image: 'python' })]);
    expect(formatViolation(violation)).toBe(
      `[test/obj0] rule image-tag: Deployment data/web ${MAIN}.image: python has no tag, so it means :latest; pin a version tag or a digest`,
    );
  });

  test('describeManifest uses generateName and omits an absent namespace', () => {
    expect(describeManifest({ kind: 'Workflow', metadata: { generateName: 'nightly-', namespace: 'data' } })).toBe('Workflow data/nightly-');
    expect(describeManifest({ kind: 'ClusterRole', metadata: { name: 'x' } })).toBe('ClusterRole x');
  });
});

describe('container security context rules', () => {
  const cases: [PolicyRuleId, Manifest, string[]][] = [
    ['run-as-non-root', { runAsNonRoot: false }, [`${MAIN}.securityContext.runAsNonRoot`]],
    ['run-as-non-root', { runAsUser: 0 }, [`${MAIN}.securityContext.runAsUser`]],
    ['no-privilege-escalation', { allowPrivilegeEscalation: undefined }, [`${MAIN}.securityContext.allowPrivilegeEscalation`]],
    ['no-privilege-escalation', { privileged: true }, [`${MAIN}.securityContext.privileged`]],
    ['drop-all-capabilities', { capabilities: { drop: ['NET_RAW'] } }, [`${MAIN}.securityContext.capabilities.drop`]],
    ['drop-all-capabilities', { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN', 'NET_BIND_SERVICE'] } }, [`${MAIN}.securityContext.capabilities.add`]],
    ['seccomp-runtime-default', { seccompProfile: { type: 'Unconfined' } }, [`${MAIN}.securityContext.seccompProfile.type`]],
    ['read-only-root-filesystem', { readOnlyRootFilesystem: undefined }, [`${MAIN}.securityContext.readOnlyRootFilesystem`]],
  ];
  test.each(cases)('%s catches %j', (rule, change, fields) => {
    const manifest = deployment({}, { securityContext: { ...SECURE_CONTEXT, ...change } });
    expect(found([manifest])).toEqual(fields.map((field) => `${rule} ${field}`));
  });

  test('pod-level runAsNonRoot and seccomp cover containers; their absence is reported', () => {
    const bare = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true };
    expect(found([deployment({}, { securityContext: bare })])).toEqual([]);
    expect(found([deployment({ securityContext: {} }, { securityContext: bare })])).toEqual([
      `run-as-non-root ${MAIN}.securityContext.runAsNonRoot`,
      `seccomp-runtime-default ${POD}.securityContext.seccompProfile.type`,
    ]);
  });

  test('a root user on the pod is reported at the pod', () => {
    expect(found([deployment({ securityContext: { ...POD_CONTEXT, runAsUser: 0 } })])).toEqual([
      `run-as-non-root ${POD}.securityContext.runAsUser`,
    ]);
  });

  test('init containers are checked too', () => {
    const init = container({ name: 'init', securityContext: {} });
    expect(found([deployment({ initContainers: [init] })]).filter((f) => f.includes('initContainers'))).toEqual([
      `no-privilege-escalation ${POD}.initContainers[0].securityContext.allowPrivilegeEscalation`,
      `drop-all-capabilities ${POD}.initContainers[0].securityContext.capabilities.drop`,
      `read-only-root-filesystem ${POD}.initContainers[0].securityContext.readOnlyRootFilesystem`,
    ]);
  });
});

describe('resources-required', () => {
  test('each missing request or limit is reported', () => {
    const manifest = deployment({}, { resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } } });
    expect(found([manifest])).toEqual([
      `resources-required ${MAIN}.resources.requests.memory`,
      `resources-required ${MAIN}.resources.limits.cpu`,
    ]);
  });

  test('CronJob pods are found under the job template', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'data' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: (deployment({}, { resources: {} }).spec as { template: unknown }).template } } },
    };
    expect(found([cron]).filter((f) => f.startsWith('resources-required'))).toHaveLength(4);
    expect(found([cron])[0]).toBe('resources-required spec.jobTemplate.spec.template.spec.containers[0].resources.requests.cpu');
  });

  test('Spark: cores and memory are required, coreLimit only on request', () => {
    const app = sparkApp({ driver: sparkRole({ cores: undefined, memory: undefined }) });
    expect(found([app])).toEqual(['resources-required spec.driver.cores', 'resources-required spec.driver.memory', 'resources-required spec.driver.memory']);
    expect(found([sparkApp()], { requireSparkCpuLimit: true })).toEqual([
      'resources-required spec.driver.coreLimit',
      'resources-required spec.executor.coreLimit',
    ]);
    const limited = sparkApp({ driver: sparkRole({ coreLimit: '1' }), executor: sparkRole({ coreLimit: '1' }) });
    expect(found([limited], { requireSparkCpuLimit: true })).toEqual([]);
  });

  test('Spark: coreRequest counts as the cpu request; sidecars need resources', () => {
    const driver = sparkRole({ cores: undefined, coreRequest: '500m', sidecars: [container({ name: 'log', resources: undefined })] });
    expect(found([sparkApp({ driver })])).toEqual([
      'resources-required spec.driver.sidecars[0].resources.requests.cpu',
      'resources-required spec.driver.sidecars[0].resources.requests.memory',
      'resources-required spec.driver.sidecars[0].resources.limits.cpu',
      'resources-required spec.driver.sidecars[0].resources.limits.memory',
    ]);
  });
});

describe('Spark security contexts', () => {
  test('driver and executor contexts are checked at their own fields', () => {
    const app = sparkApp({ executor: sparkRole({ securityContext: undefined, podSecurityContext: undefined }) });
    expect(found([app])).toEqual([
      'run-as-non-root spec.executor.securityContext.runAsNonRoot',
      'no-privilege-escalation spec.executor.securityContext.allowPrivilegeEscalation',
      'drop-all-capabilities spec.executor.securityContext.capabilities.drop',
      'seccomp-runtime-default spec.executor.podSecurityContext.seccompProfile.type',
      'read-only-root-filesystem spec.executor.securityContext.readOnlyRootFilesystem',
    ]);
  });

  test('pod template containers and volumes are checked; env of the Spark container in the template too', () => {
    const template = {
      spec: {
        containers: [
          { name: 'spark-kubernetes-executor', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] },
          container({ name: 'log', securityContext: { ...SECURE_CONTEXT, privileged: true } }),
        ],
        volumes: [{ name: 'buffer', emptyDir: {} }],
      },
    };
    const base = 'spec.executor.template.spec';
    expect(found([sparkApp({ executor: sparkRole({ template }) })])).toEqual([
      `no-privilege-escalation ${base}.containers[1].securityContext.privileged`,
      `emptydir-size-limit ${base}.volumes[0].emptyDir.sizeLimit`,
      `no-secret-literals ${base}.containers[0].env[0].value`,
    ]);
  });

  test('ScheduledSparkApplication is checked under spec.template', () => {
    const app = sparkApp({ executor: sparkRole({ securityContext: { ...SECURE_CONTEXT, privileged: true } }) });
    const scheduled = { ...app, kind: 'ScheduledSparkApplication', spec: { schedule: '@daily', template: app.spec } };
    expect(found([scheduled])).toEqual(['no-privilege-escalation spec.template.executor.securityContext.privileged']);
  });
});

describe('emptydir-size-limit', () => {
  test('emptyDirs without sizeLimit fail, in pods, Spark and Argo', () => {
    const bare = { name: 'tmp', emptyDir: {} };
    expect(found([deployment({ volumes: [SCRATCH, bare] })])).toEqual([`emptydir-size-limit ${POD}.volumes[1].emptyDir.sizeLimit`]);
    expect(found([sparkApp({ volumes: [bare] })])).toEqual(['emptydir-size-limit spec.volumes[0].emptyDir.sizeLimit']);
    expect(found([workflow({ volumes: [{ name: 'm', emptyDir: { medium: 'Memory' } }] })])).toEqual([
      'emptydir-size-limit spec.templates[1].volumes[0].emptyDir.sizeLimit',
    ]);
  });

  test('other volume types are not concerned', () => {
    expect(found([deployment({ volumes: [{ name: 'c', configMap: { name: 'x' } }] })])).toEqual([]);
  });
});

describe('image-tag', () => {
  test.each(['spark:latest', 'spark', 'registry.example.com:5000/team/spark'])('%s fails', (image) => {
    expect(found([sparkApp({ image })])).toEqual(['image-tag spec.image', 'image-tag spec.image']);
  });

  test.each(['spark:3.5.3', `spark@sha256:${'a'.repeat(64)}`, 'registry.example.com:5000/team/spark:3.5.3', '{{inputs.parameters.image}}'])(
    '%s passes',
    (image) => {
      expect(found([deployment({}, { image })])).toEqual([]);
    },
  );

  test('Spark images fall back from role to application to sparkConf', () => {
    expect(found([sparkApp({ driver: sparkRole({ image: 'spark:latest' }) })])).toEqual(['image-tag spec.driver.image']);
    const fromConf = sparkApp({ image: undefined, sparkConf: { 'spark.kubernetes.container.image': 'spark' } });
    expect(found([fromConf])).toEqual([
      'image-tag spec.sparkConf["spark.kubernetes.container.image"]',
      'image-tag spec.sparkConf["spark.kubernetes.container.image"]',
    ]);
    expect(found([sparkApp({ image: undefined })])).toEqual(['image-tag spec.driver.image', 'image-tag spec.executor.image']);
    const roleConf = sparkApp({ image: undefined, sparkConf: { 'spark.kubernetes.driver.container.image': 'spark:3.5.3', 'spark.kubernetes.container.image': 'spark' } });
    expect(found([roleConf])).toEqual(['image-tag spec.sparkConf["spark.kubernetes.container.image"]']);
  });

  test('an image or setting name met again is judged as the first time (judgements are remembered per check)', () => {
    const objects = [deployment({}, { image: 'python' }), sparkApp({ image: 'python', hadoopConf: { 'fs.s3a.secret.key': 'x' } }), deployment({}, { image: 'python:3.12' })];
    const withoutPath = ({ path: _path, ...violation }: PolicyViolation): Omit<PolicyViolation, 'path'> => violation;
    const alone = objects.flatMap((object) => check([object]).map(withoutPath));
    expect(check([...objects, ...objects]).map(withoutPath)).toEqual([...alone, ...alone]);
    expect(alone.map((v) => v.rule)).toEqual(['image-tag', 'image-tag', 'image-tag', 'no-secret-literals']);
  });
});

describe('RBAC', () => {
  test('wildcards in verbs, resources and apiGroups fail', () => {
    const wild = role([
      { apiGroups: ['*'], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/*'], verbs: ['*'] },
    ]);
    expect(found([wild])).toEqual(['rbac-no-wildcards rules[0].apiGroups', 'rbac-no-wildcards rules[1].resources', 'rbac-no-wildcards rules[1].verbs']);
  });

  test('ClusterRoles and ClusterRoleBindings fail unless allowed', () => {
    const clusterRole = role([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }], 'ClusterRole');
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: {}, subjects: [] };
    expect(found([clusterRole, binding])).toEqual(['rbac-namespaced kind', 'rbac-namespaced kind']);
    expect(found([clusterRole, binding], { allowClusterRbac: true })).toEqual([]);
  });
});

describe('no-secret-literals', () => {
  test('credential-looking env values fail; references and placeholders pass', () => {
    const env = [
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'AWS_ACCESS_KEY_ID', value: 'AKIA...' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } },
      { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/token' },
      { name: 'GITHUB_TOKEN', value: '{{workflow.parameters.token}}' },
      { name: 'LOG_LEVEL', value: 'INFO' },
    ];
    expect(found([deployment({}, { env })])).toEqual([`no-secret-literals ${MAIN}.env[0].value`, `no-secret-literals ${MAIN}.env[1].value`]);
  });

  test('Argo containers may take credentials from Secret references and envFrom', () => {
    const env = [
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'warehouse-db', key: 'password' } } },
      { name: 'API_TOKEN', valueFrom: { configMapKeyRef: { name: 'settings', key: 'token-path' } } },
    ];
    const envFrom = [{ secretRef: { name: 'warehouse-db' } }];
    expect(found([workflow({ container: container({ env, envFrom }) })])).toEqual([]);
    expect(found([workflow({ container: container({ env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }) })])).toEqual([
      'no-secret-literals spec.templates[1].container.env[0].value',
    ]);
  });

  test('credentials in sparkConf and hadoopConf fail', () => {
    const app = sparkApp({
      sparkConf: { 'spark.hadoop.fs.s3a.access.key': 'AKIA...', 'spark.hadoop.fs.s3a.aws.credentials.provider': 'x.Provider' },
      hadoopConf: { 'fs.s3a.secret.key': 'abc', 'fs.s3a.endpoint': 'https://s3' },
    });
    const violations = check([app]);
    expect(violations.map((v) => `${v.rule} ${v.field}`)).toEqual([
      'no-secret-literals spec.sparkConf["spark.hadoop.fs.s3a.access.key"]',
      'no-secret-literals spec.hadoopConf["fs.s3a.secret.key"]',
    ]);
    expect(violations[0].message).toMatch(/use IRSA/);
  });

  test('Secrets with data and credential keys in ConfigMaps fail', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'data' }, stringData: { password: 'x' } };
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'data' }, data: { 'db.password': 'x', mode: 'fast' } };
    expect(found([secret, config])).toEqual(['no-secret-literals stringData', 'no-secret-literals data["db.password"]']);
  });

  test.each([
    ['fs.s3a.access.key', true],
    ['fs.s3a.session.token', true],
    ['spark.ssl.keyStorePassword', true],
    ['spark.kubernetes.authenticate.submission.oauthToken', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['fs.s3a.aws.credentials.provider', false],
    ['spark.kubernetes.authenticate.driver.oauthTokenFile', false],
    ['spark.kubernetes.driver.secrets.db-password', false],
    ['spark.kubernetes.executor.secretKeyRef.DB_PASSWORD', false],
    ['SECRET_NAME', false],
    ['spark.executor.memory', false],
  ])('looksLikeCredential(%s) = %s', (name, expected) => {
    expect(looksLikeCredential(name)).toBe(expected);
  });
});

describe('automount-token', () => {
  test('a pod that mounts a token it does not need fails', () => {
    expect(found([deployment({ automountServiceAccountToken: undefined })])).toEqual([`automount-token ${POD}.automountServiceAccountToken`]);
    expect(found([deployment({ automountServiceAccountToken: true })])).toEqual([`automount-token ${POD}.automountServiceAccountToken`]);
  });

  test('a pod whose service account is bound to a role may mount it', () => {
    const pod = deployment({ automountServiceAccountToken: undefined, serviceAccountName: 'history' });
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'history', namespace: 'data' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'history' },
      subjects: [{ kind: 'ServiceAccount', name: 'history' }],
    };
    expect(found([pod, binding])).toEqual([]);
  });

  test('a ServiceAccount that disables mounting covers its pods', () => {
    const pod = deployment({ automountServiceAccountToken: undefined, serviceAccountName: 'quiet' });
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'data' }, automountServiceAccountToken: false };
    expect(found([pod, account])).toEqual([]);
  });

  test('Argo and Spark pods are not concerned (their executor and driver call the API)', () => {
    expect(found([workflow(), sparkApp()])).toEqual([]);
  });
});

describe('Argo Workflows', () => {
  test('templates are checked: container, script, sidecars, init containers', () => {
    const script = { name: 'py', script: container({ source: 'print(1)', image: 'python' }) };
    const sidecar = { sidecars: [container({ name: 'proxy', securityContext: { ...SECURE_CONTEXT, privileged: true } })] };
    expect(found([workflow(sidecar, [script])])).toEqual([
      'no-privilege-escalation spec.templates[1].sidecars[0].securityContext.privileged',
      'image-tag spec.templates[2].script.image',
    ]);
  });

  test('a template security context overrides the workflow one', () => {
    const bare = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true };
    expect(found([workflow({ container: container({ securityContext: bare }) })])).toEqual([]);
    expect(found([workflow({ container: container({ securityContext: bare }), securityContext: { runAsUser: 0 } })])).toEqual([
      'run-as-non-root spec.templates[1].container.securityContext.runAsNonRoot',
      'run-as-non-root spec.templates[1].securityContext.runAsUser',
      'seccomp-runtime-default spec.templates[1].securityContext.seccompProfile.type',
    ]);
  });

  test('CronWorkflow templates are under spec.workflowSpec', () => {
    const cron = cronWorkflowManifest({
      schedules: ['0 23 * * *'],
      workflowSpec: (workflow({ container: container({ image: 'python:latest' }) }) as { spec: unknown }).spec,
    });
    expect(found([cron])).toEqual(['image-tag spec.workflowSpec.templates[1].container.image']);
  });

  test('a SparkApplication embedded as JSON (as pipelines write it) in a resource template is checked', () => {
    const app = sparkApp({ sparkConf: { 'spark.hadoop.fs.s3a.secret.key': 'abc' } }, { name: undefined, generateName: 'job-b-' });
    const launch = { name: 'spark', resource: { action: 'create', manifest: JSON.stringify(app, undefined, 2) } };
    const violations = check([workflow({}, [launch])]);
    expect(violations).toEqual([
      {
        rule: 'no-secret-literals',
        object: 'SparkApplication data/job-b-',
        path: 'test/obj0',
        field: 'spec.templates[2].resource.manifest > spec.sparkConf["spark.hadoop.fs.s3a.secret.key"]',
        message: expect.stringMatching(/use IRSA/),
      },
    ]);
  });

  test('a SparkApplication embedded as YAML (as users may write it) is checked', () => {
    const app = sparkApp({ image: 'spark' }, { name: undefined, generateName: 'job-b-' });
    const launch = { name: 'spark', resource: { action: 'create', manifest: stringifyYaml(app) } };
    expect(found([workflow({}, [launch])])).toEqual(Array(2).fill('image-tag spec.templates[2].resource.manifest > spec.image'));
  });

  test('every document of a multi-document embedded manifest is checked', () => {
    const text = [sparkApp({ image: 'spark' }), sparkApp({ image: 'spark:latest' })].map((m) => stringifyYaml(m)).join('---\n');
    const launch = { name: 'spark', resource: { action: 'create', manifest: `---\n${text}---\n` } };
    // Driver and executor both run the application image: two findings per document.
    expect(found([workflow({}, [launch])])).toEqual(Array(4).fill('image-tag spec.templates[2].resource.manifest > spec.image'));
  });

  test.each([
    ['malformed YAML', 'kind: [SparkApplication\n'],
    ['a scalar', 'just some text'],
    ['an object without a kind', 'spec: {}\n'],
    ['an empty text', ''],
  ])('an embedded manifest holding %s is reported', (_what, manifest) => {
    const launch = { name: 'spark', resource: { action: 'create', manifest } };
    expect(found([workflow({}, [launch])])).toEqual(['embedded-manifest spec.templates[2].resource.manifest']);
  });

  test('a given parser replaces the YAML one', () => {
    const launch = { name: 'spark', resource: { action: 'create', manifest: 'opaque' } };
    const parseEmbedded = (): unknown => sparkApp({ image: 'spark' });
    expect(found([workflow({}, [launch])], { parseEmbedded })).toEqual(Array(2).fill('image-tag spec.templates[2].resource.manifest > spec.image'));
  });

  test('parseManifestText reads JSON and YAML, skipping empty documents', () => {
    expect(parseManifestText('{"kind": "A"}')).toEqual([{ kind: 'A' }]);
    expect(parseManifestText('---\nkind: A\n---\n---\nkind: B\n')).toEqual([{ kind: 'A' }, { kind: 'B' }]);
    expect(() => parseManifestText('kind: [A')).toThrow();
  });

  test('parseManifestText gives JSON text the value YAML would, falling back to YAML when it is not JSON', () => {
    // JSON: one document, whatever the whitespace around it.
    expect(parseManifestText('\n  {\n  "kind": "A",\n  "spec": {"n": 1}\n}\n')).toEqual([{ kind: 'A', spec: { n: 1 } }]);
    expect(parseManifestText('[{"kind": "A"}]')).toEqual([[{ kind: 'A' }]]);
    expect(parseManifestText('null')).toEqual([]);
    // Opens like JSON but is YAML: a flow mapping, several documents.
    expect(parseManifestText('{kind: A}')).toEqual([{ kind: 'A' }]);
    expect(parseManifestText('{"kind": "A"}\n---\n{"kind": "B"}\n')).toEqual([{ kind: 'A' }, { kind: 'B' }]);
    expect(() => parseManifestText('{"kind": ')).toThrow();
  });
});

describe('exemptions', () => {
  const exempt = (rule: string, reason: unknown): Manifest => {
    const manifest = deployment({}, { image: 'spark:latest' });
    return { ...manifest, metadata: { name: 'web', namespace: 'data', annotations: { [`batchplane.io/policy-exempt.${rule}`]: reason } } };
  };

  test('an exemption with a reason silences its rule only', () => {
    expect(found([exempt('image-tag', 'upstream publishes latest only')])).toEqual([]);
    expect(found([exempt('run-as-non-root', 'needs root')])).toEqual([`image-tag ${MAIN}.image`]);
  });

  test('an exemption without a reason is itself a violation and exempts nothing', () => {
    expect(found([exempt('image-tag', '  ')])).toEqual([
      'policy-exemption metadata.annotations["batchplane.io/policy-exempt.image-tag"]',
      `image-tag ${MAIN}.image`,
    ]);
  });

  test('an exemption naming an unknown rule is a violation', () => {
    expect(check([exempt('image-tags', 'typo')]).map((v) => [v.rule, v.message.slice(0, 20)])).toEqual([
      ['policy-exemption', 'names no policy rule'],
      ['image-tag', 'spark:latest uses :l'],
    ]);
  });

  test('an exemption on a workflow covers the manifests it embeds', () => {
    const launch = { name: 'spark', resource: { action: 'create', manifest: JSON.stringify(sparkApp({ image: 'spark' })) } };
    const wf = workflow({}, [launch]);
    wf.metadata = { generateName: 'nightly-', namespace: 'data', annotations: { 'batchplane.io/policy-exempt.image-tag': 'pinned by the registry' } };
    expect(found([wf])).toEqual([]);
  });
});

describe('cdk8s integration', () => {
  function insecureChart(): { app: App; chart: Chart; deployment: k8s.KubeDeployment } {
    const app = Testing.app();
    const chart = new Chart(app, 'data', { namespace: 'data' });
    const dep = new k8s.KubeDeployment(chart, 'web', {
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx' }] } },
      },
    });
    registerPolicyValidation(chart);
    return { app, chart, deployment: dep };
  }

  test('synth fails with one line per violation, naming the construct path', () => {
    const { chart } = insecureChart();
    let message = '';
    try {
      Testing.synth(chart);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('[data] [data/web] rule image-tag: Deployment data/data-web-c8');
    expect(message).toContain('spec.template.spec.containers[0].image: nginx has no tag');
    const rules = message.split('\n').flatMap((line) => /rule ([a-z-]+):/.exec(line)?.[1] ?? []);
    expect(rules).toEqual([
      'run-as-non-root',
      'no-privilege-escalation',
      'drop-all-capabilities',
      'seccomp-runtime-default',
      'read-only-root-filesystem',
      ...Array<string>(4).fill('resources-required'),
      'image-tag',
      'automount-token',
    ]);
  });

  test('exemptFromPolicy annotates every ApiObject of a construct and satisfies the rule', () => {
    const { chart, deployment: dep } = insecureChart();
    exemptFromPolicy(chart, 'image-tag', 'test image');
    expect(dep.toJson().metadata.annotations).toEqual({ 'batchplane.io/policy-exempt.image-tag': 'test image' });
    let message = '';
    try {
      Testing.synth(chart);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('rule image-tag');
    expect(message).toContain('rule run-as-non-root');
  });

  test('a compliant chart synthesizes, and the validation resolves lazy values', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'data', { namespace: 'data' });
    const obj = new ApiObject(chart, 'web', deployment() as unknown as ApiObjectProps);
    registerPolicyValidation(chart);
    expect(Testing.synth(chart)).toEqual([obj.toJson()]);
  });

  test('lazy values are resolved before the check', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'data', { namespace: 'data' });
    const image = Lazy.any({ produce: () => 'python:latest' });
    new ApiObject(chart, 'web', deployment({}, { image }) as unknown as ApiObjectProps);
    registerPolicyValidation(chart);
    expect(() => Testing.synth(chart)).toThrow('rule image-tag: Deployment data/web spec.template.spec.containers[0].image: python:latest uses :latest');
  });

  test('manifests a pipeline embeds while the check renders give the findings their text gives', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'data' });
    const exempt = { annotations: { 'batchplane.io/policy-exempt.image-tag': ' ', 'batchplane.io/policy-exempt.automount-token': 'no pods' } };
    const embedded = [sparkApp({ image: 'spark' }, exempt), sparkApp({ image: 'spark:3.5.3', hadoopConf: { 'fs.s3a.secret.key': 'x' } })];
    const launches = embedded.map((app, i) => ({ name: `spark-${i}`, resource: { action: 'create', manifest: Lazy.any({ produce: () => embeddedManifestText(app) }) } }));
    new ApiObject(chart, 'wf', workflow({}, launches) as unknown as ApiObjectProps);
    const written = policyMessages(chart, (object) => object.toJson());
    const parsed = checkPolicy(chart.node.findAll().filter(ApiObject.isApiObject).map((object) => ({ path: object.node.path, manifest: object.toJson() })));
    expect(written).toEqual(parsed.map(formatViolation));
    expect(written.map((line) => /rule ([a-z-]+)/.exec(line)?.[1])).toEqual(['policy-exemption', 'image-tag', 'image-tag', 'no-secret-literals']);
  });

  test('exemptFromPolicy rejects an unknown rule, an empty reason and a scope without objects', () => {
    const { chart, deployment: dep } = insecureChart();
    expect(() => exemptFromPolicy(dep, 'image-tags' as PolicyRuleId, 'x')).toThrow(BatchplaneError);
    expect(() => exemptFromPolicy(dep, 'image-tag', ' ')).toThrow('[data/web] reason: got " ", expected a non-empty sentence');
    const empty = new Chart(Testing.app(), 'empty');
    expect(() => exemptFromPolicy(empty, 'image-tag', 'x')).toThrow(/\[empty\] scope/);
    expect(chart.node.findAll().length).toBeGreaterThan(0);
  });
});
