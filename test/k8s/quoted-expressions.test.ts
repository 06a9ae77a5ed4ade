import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { NodePool } from '../../lib/k8s/node-pool';
import { Pipeline } from '../../lib/k8s/pipeline';
import { Platform } from '../../lib/k8s/platform';
import { quoteDagExpressions } from '../../lib/k8s/quoted-expressions';
import { Depends } from '../../lib/model/depends';

function nightly(schedule?: string) {
  const app = Testing.app();
  const platform = new Platform(app, 'data', { namespace: 'data', priorityTiers: false, createNamespace: false });
  const pool = new NodePool(platform, 'general', { instanceTypes: ['m6i.2xlarge'], maxNodes: 4 });
  const pipeline = new Pipeline(platform, 'nightly', schedule ? { schedule } : {});
  const step = { image: 'python:3.12.7-slim', pool, cpu: '1', memory: '1Gi' };
  const a = pipeline.container('a', step);
  const b = pipeline.container('b', { ...step, dependsOn: [a] });
  pipeline.container('alert', { ...step, depends: Depends.not(Depends.on(b).succeeded()), when: '{{workflow.status}} != Succeeded' });
  return { app, platform };
}

describe('quoted depends and when', () => {
  test.each([['a CronWorkflow', '0 23 * * *'], ['a Workflow', undefined]])('%s written to YAML quotes every expression', (_kind, schedule) => {
    const yaml = nightly(schedule).app.synthYaml();
    expect(yaml).toContain('depends: "a"');
    expect(yaml).toContain('depends: "!b.Succeeded"');
    expect(yaml).toContain('when: "{{workflow.status}} != Succeeded"');
    const tasks = parseAllDocuments(yaml).map((doc) => doc.toJSON()).flatMap((m) => {
      const spec = m.kind === 'CronWorkflow' ? m.spec.workflowSpec : m.spec;
      return spec?.templates?.flatMap((t: { dag?: { tasks: unknown[] } }) => t.dag?.tasks ?? []) ?? [];
    });
    expect(tasks.map((t: { depends?: string }) => t.depends)).toEqual([undefined, '!b.Succeeded', 'a']);
  });

  test('manifests read as JSON keep plain strings', () => {
    const manifests = Testing.synth(nightly('0 23 * * *').platform);
    const cron = manifests.find((m) => m.kind === 'CronWorkflow');
    expect(JSON.stringify(cron)).toContain('"depends":"a"');
  });

  test('other kinds and malformed Argo objects are left alone', () => {
    const deployment = { kind: 'Deployment', spec: { templates: [{ dag: { tasks: [{ depends: 'x' }] } }] } };
    expect(quoteDagExpressions(deployment)).toEqual(deployment);
    expect(quoteDagExpressions({ kind: 'Workflow', spec: { templates: 'none' } })).toEqual({ kind: 'Workflow', spec: { templates: 'none' } });
  });
});
