import * as path from 'path';
import { conformanceMode, describeConformance, expectConformant, schemasDir, validateManifests } from './conformance';
import { cronWorkflowManifest, deploymentManifest, ManifestJson, sparkApplicationManifest, workflowManifest } from './fixtures';

/** A Deployment that satisfies the core schema. */
function deployment(container: ManifestJson = {}): ManifestJson {
  return deploymentManifest('headroom', {
    containers: [
      { name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: 1, memory: '1Gi' } }, ...container },
    ],
  });
}

function sparkApplication(driver: ManifestJson = {}): ManifestJson {
  return sparkApplicationManifest({
    driver: { cores: 1, memory: '2g', ...driver },
    executor: { cores: 4, memory: '12g', instances: 2 },
  });
}

function workflow(task: ManifestJson): ManifestJson {
  return workflowManifest({
    templates: [
      { name: 'main', dag: { tasks: [{ name: 'a', template: 'step' }, { name: 'b', template: 'step', ...task }] } },
      { name: 'step', container: { image: 'python:3.12', command: ['python', '-c', 'pass'] } },
    ],
  });
}

describeConformance('validateManifests', () => {
  describe('core kinds', () => {
    test('a valid Deployment passes (int-or-string quantities accepted)', () => {
      expect(validateManifests([deployment()])).toEqual([]);
    });

    test('an unknown field fails with its JSON pointer', () => {
      expect(validateManifests([deployment({ foo: 1 })])).toEqual([
        'Deployment data/headroom: /spec/template/spec/containers/0/foo: must NOT have additional properties',
      ]);
    });

    test('an unknown metadata field fails', () => {
      const obj = deployment();
      obj.metadata = { name: 'headroom', namespace: 'data', label: { a: 'b' } };
      expect(validateManifests([obj])).toEqual([
        'Deployment data/headroom: /metadata/label: must NOT have additional properties',
      ]);
    });

    test('a wrong type fails', () => {
      expect(validateManifests([deployment({ image: 3 })])).toEqual([
        'Deployment data/headroom: /spec/template/spec/containers/0/image: must be string',
      ]);
    });

    test('the Kubernetes version selects the definitions', () => {
      const obj = deployment();
      const spec = (obj.spec as { template: { spec: Record<string, unknown> } }).template.spec;
      // Native sidecars (restartPolicy on init containers) arrived in 1.28.
      spec.initContainers = [{ name: 'sidecar', image: 'busybox:1.36', restartPolicy: 'Always' }];
      expect(validateManifests([obj])).toEqual([]);
      expect(validateManifests([obj], { kubernetesVersion: '1.27' })).toEqual([
        'Deployment data/headroom: /spec/template/spec/initContainers/0/restartPolicy: must NOT have additional properties',
      ]);
    });

    test('a cluster-scoped kind is named without a namespace', () => {
      const obj = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'batch-default' }, value: 'x' };
      expect(validateManifests([obj])).toEqual(['PriorityClass batch-default: /value: must be integer']);
    });
  });

  describe('object identity', () => {
    test('an unknown kind is an error', () => {
      expect(validateManifests([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual([
        'Widget w: unknown kind Widget in example.com/v1 (no schema declares it)',
      ]);
    });

    test('a known kind under the wrong apiVersion is unknown', () => {
      const obj = { ...deployment(), apiVersion: 'apps/v1beta1' };
      expect(validateManifests([obj])).toEqual([
        'Deployment data/headroom: unknown kind Deployment in apps/v1beta1 (no schema declares it)',
      ]);
    });

    test('metadata.name or generateName is required', () => {
      const obj = { ...deployment(), metadata: { namespace: 'data' } };
      expect(validateManifests([obj])).toEqual(['Deployment data/<unnamed>: /metadata/name: must be set (or generateName)']);
    });

    test('non-objects and objects without kind are reported, not thrown', () => {
      expect(validateManifests(['text', { metadata: { name: 'x' } }])).toEqual([
        'object #0: not an object',
        'undefined x: apiVersion and kind must be strings',
      ]);
    });
  });

  describe('SparkApplication', () => {
    test('a valid application passes', () => {
      expect(validateManifests([sparkApplication()])).toEqual([]);
    });

    test('an unknown field in spec.driver fails', () => {
      expect(validateManifests([sparkApplication({ coresLimit: '1200m' })])).toEqual([
        'SparkApplication data/job-b: /spec/driver/coresLimit: must NOT have additional properties',
      ]);
    });

    test('schemaless nodes (preserve-unknown-fields) accept anything', () => {
      expect(validateManifests([sparkApplication({ template: { spec: { anything: true } } })])).toEqual([]);
    });
  });

  describe('Argo Workflows', () => {
    test('a minimal Workflow with a DAG passes', () => {
      expect(validateManifests([workflow({ depends: 'a' })])).toEqual([]);
    });

    test('a misspelt dependency field fails', () => {
      expect(validateManifests([workflow({ dependsOn: 'a' })])).toEqual([
        'Workflow data/nightly-: /spec/templates/0/dag/tasks/1/dependsOn: must NOT have additional properties',
      ]);
    });

    test('a CronWorkflow without schedules fails', () => {
      const cron = cronWorkflowManifest({ schedule: '0 23 * * *', workflowSpec: (workflow({}) as { spec: unknown }).spec });
      expect(validateManifests([cron])).toEqual([
        "CronWorkflow data/nightly: /spec: must have required property 'schedules'",
        'CronWorkflow data/nightly: /spec/schedule: must NOT have additional properties',
      ]);
    });
  });

  test('present schemas always run', () => {
    expect(conformanceMode({ CI: 'true' })).toBe('run');
  });

  test('expectConformant lists every error', () => {
    expect(() => expectConformant([deployment({ foo: 1 }), sparkApplication({ bar: 2 })])).toThrow(
      /2 schema conformance error\(s\):\n {2}- Deployment .*\/foo: .*\n {2}- SparkApplication .*\/bar: /,
    );
    expect(() => expectConformant([deployment()])).not.toThrow();
  });
});

describe('conformanceMode', () => {
  const saved = process.env.BATCHPLANE_SCHEMAS;
  afterEach(() => {
    if (saved === undefined) delete process.env.BATCHPLANE_SCHEMAS;
    else process.env.BATCHPLANE_SCHEMAS = saved;
  });

  test('BATCHPLANE_SCHEMAS overrides the schemas directory', () => {
    process.env.BATCHPLANE_SCHEMAS = '/nonexistent/schemas';
    expect(schemasDir()).toBe('/nonexistent/schemas');
  });

  test('the default directory is the repository sibling shared/schemas', () => {
    delete process.env.BATCHPLANE_SCHEMAS;
    expect(schemasDir()).toBe(path.resolve(__dirname, '../../../shared/schemas'));
  });

  test('absent schemas skip locally and fail on CI', () => {
    process.env.BATCHPLANE_SCHEMAS = '/nonexistent/schemas';
    expect(conformanceMode({})).toBe('skip');
    expect(conformanceMode({ CI: 'false' })).toBe('skip');
    expect(conformanceMode({ CI: 'true' })).toBe('fail');
    expect(conformanceMode({ CI: '1' })).toBe('fail');
  });
});
