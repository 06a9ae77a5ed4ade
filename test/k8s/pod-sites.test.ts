import { asList, asObject, fieldOf, manifestSites } from '../../lib/k8s/pod-sites';

describe('fieldOf', () => {
  test('joins identifiers with dots and quotes other keys', () => {
    expect(fieldOf('spec', 'driver')).toBe('spec.driver');
    expect(fieldOf('', 'data')).toBe('data');
    expect(fieldOf('spec.sparkConf', 'spark.executor.cores')).toBe('spec.sparkConf["spark.executor.cores"]');
  });
});

describe('asObject / asList', () => {
  test('replace values of the wrong shape with empty ones', () => {
    expect(asObject([1])).toEqual({});
    expect(asObject(null)).toEqual({});
    expect(asList('x')).toEqual([]);
    expect(asList([1])).toEqual([1]);
  });

  test('hand out one frozen empty object and list, so no caller can change what another sees', () => {
    expect(asObject(undefined)).toBe(asObject('x'));
    expect(asList(undefined)).toBe(asList({}));
    expect(Object.isFrozen(asObject(undefined))).toBe(true);
    expect(Object.isFrozen(asList(undefined))).toBe(true);
    const value = { a: 1 };
    expect(asObject(value)).toBe(value);
  });
});

describe('manifestSites', () => {
  test('finds the pod of every core workload kind', () => {
    const podSpec = { containers: [{ name: 'c' }] };
    const template = { spec: podSpec };
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['v1', 'Pod', { spec: podSpec }, 'spec'],
      ['v1', 'PodTemplate', { template }, 'template.spec'],
      ['apps/v1', 'StatefulSet', { spec: { template } }, 'spec.template.spec'],
      ['apps/v1', 'DaemonSet', { spec: { template } }, 'spec.template.spec'],
      ['batch/v1', 'Job', { spec: { template } }, 'spec.template.spec'],
      ['batch/v1', 'CronJob', { spec: { jobTemplate: { spec: { template } } } }, 'spec.jobTemplate.spec.template.spec'],
    ];
    for (const [apiVersion, kind, body, field] of cases) {
      const sites = manifestSites({ apiVersion, kind, ...body });
      expect(sites.pods.map((pod) => pod.containers.map((c) => c.field))).toEqual([[`${field}.containers[0]`]]);
      expect(sites.pods[0].serviceAccount).toEqual({ automount: undefined, field: `${field}.automountServiceAccountToken`, name: 'default' });
    }
  });

  test('a kind of the same name in another group has no pods', () => {
    expect(manifestSites({ apiVersion: 'example.com/v1', kind: 'Job', spec: { template: { spec: { containers: [{}] } } } }).pods).toEqual([]);
  });

  test('Argo pods are the templates that run containers; steps and resources are not pods', () => {
    const sites = manifestSites({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      spec: {
        volumes: [{ name: 'v' }],
        templates: [
          { name: 'main', steps: [] },
          { name: 'set', containerSet: { containers: [{ name: 'a' }, { name: 'b' }] }, initContainers: [{ name: 'i' }] },
          { name: 'r', resource: { action: 'create', manifest: '{}' } },
        ],
      },
    });
    expect(sites.pods.map((pod) => [pod.field, pod.containers.map((c) => c.field)])).toEqual([
      [
        'spec.templates[1]',
        ['spec.templates[1].initContainers[0]', 'spec.templates[1].containerSet.containers[0]', 'spec.templates[1].containerSet.containers[1]'],
      ],
    ]);
    expect(sites.pods[0].securityContextField).toBe('spec.securityContext');
    expect(sites.pods[0].serviceAccount).toBeUndefined();
    expect(sites.volumes.map((v) => v.field)).toEqual(['spec.volumes[0]']);
    expect(sites.embedded).toEqual([{ field: 'spec.templates[2].resource.manifest', text: '{}' }]);
  });

  test('Spark roles become pods whose Spark container carries the derived resource slots', () => {
    const sites = manifestSites({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      spec: { image: 'spark:3.5.3', driver: { cores: 1, memory: '1g' }, executor: { envVars: { A: 'b' } }, sparkConf: { 'spark.x': '1' } },
    });
    const driver = sites.pods[0].containers[0];
    expect(driver).toMatchObject({ flavour: 'spark', field: 'spec.driver', image: 'spark:3.5.3', imageField: 'spec.image' });
    expect(driver.resources).toEqual([
      { name: 'requests.cpu', set: true, field: 'spec.driver.cores' },
      { name: 'requests.memory', set: true, field: 'spec.driver.memory' },
      { name: 'limits.cpu', set: false, field: 'spec.driver.coreLimit' },
      { name: 'limits.memory', set: true, field: 'spec.driver.memory' },
    ]);
    expect(sites.pods[1].securityContextField).toBe('spec.executor.podSecurityContext');
    expect(sites.settings.map((s) => s.field)).toEqual(['spec.sparkConf["spark.x"]', 'spec.executor.envVars.A']);
  });

  test('Spark pod templates: extra containers and volumes are sites; the Spark container merges into the role', () => {
    const template = {
      spec: {
        securityContext: { runAsNonRoot: true },
        initContainers: [{ name: 'fetch', image: 'busybox:1' }],
        containers: [
          { name: 'log', image: 'fluent-bit:3' },
          { name: 'spark-kubernetes-executor', securityContext: { readOnlyRootFilesystem: true }, env: [{ name: 'DB_PASSWORD', value: 'x' }] },
        ],
        volumes: [{ name: 'buffer', emptyDir: {} }],
      },
    };
    const sites = manifestSites({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      spec: { template: { image: 'spark:3.5.3', driver: { podSecurityContext: { fsGroup: 185 } }, executor: { template } } },
    });
    const [driver, executor] = sites.pods;
    expect(driver.containers.map((c) => c.field)).toEqual(['spec.template.driver']);
    expect(driver.securityContextField).toBe('spec.template.driver.podSecurityContext');
    const base = 'spec.template.executor.template.spec';
    expect(executor.containers.map((c) => [c.flavour, c.field])).toEqual([
      ['spark', 'spec.template.executor'],
      ['container', `${base}.initContainers[0]`],
      ['container', `${base}.containers[0]`],
    ]);
    // Without the role's own contexts, the template's apply.
    expect(executor).toMatchObject({ securityContext: { runAsNonRoot: true }, securityContextField: `${base}.securityContext` });
    expect(executor.containers[0]).toMatchObject({ securityContext: { readOnlyRootFilesystem: true }, securityContextField: `${base}.containers[1].securityContext` });
    expect(sites.volumes.map((v) => v.field)).toEqual([`${base}.volumes[0]`]);
    expect(sites.settings).toEqual([{ field: `${base}.containers[1].env[0].value`, key: 'DB_PASSWORD', value: 'x' }]);
  });

  test('a role security context wins over its template', () => {
    const sites = manifestSites({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      spec: {
        driver: {
          podSecurityContext: { runAsUser: 185 },
          securityContext: { privileged: false },
          template: { spec: { securityContext: { runAsUser: 0 }, containers: [{ name: 'spark-kubernetes-driver', securityContext: { privileged: true } }] } },
        },
      },
    });
    expect(sites.pods[0]).toMatchObject({ securityContext: { runAsUser: 185 }, securityContextField: 'spec.driver.podSecurityContext' });
    expect(sites.pods[0].containers).toHaveLength(1);
    expect(sites.pods[0].containers[0]).toMatchObject({ securityContext: { privileged: false }, securityContextField: 'spec.driver.securityContext' });
  });

  test('ConfigMap data are settings; other kinds have no sites', () => {
    expect(manifestSites({ apiVersion: 'v1', kind: 'ConfigMap', data: { b: '2', a: '1' } }).settings.map((s) => s.key)).toEqual(['a', 'b']);
    expect(manifestSites({ apiVersion: 'v1', kind: 'Service' })).toEqual({ pods: [], volumes: [], settings: [], embedded: [] });
  });
});
