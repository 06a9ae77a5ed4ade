import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Lazy, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { Platform, PlatformProps, clusterScoped } from '../../lib/k8s/platform';
import { PreemptionPolicy, PriorityTier } from '../../lib/k8s/priority-tiers';
import { describeConformance, validateManifests } from '../support/conformance';

type Manifest = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

function synth(props: Partial<PlatformProps> = {}, id = 'data'): { platform: Platform; manifests: Manifest[] } {
  const platform = new Platform(Testing.app(), id, { namespace: 'batch', ...props });
  return { platform, manifests: Testing.synth(platform) as Manifest[] };
}

describe('Platform', () => {
  test('emits the namespace first, then the standard priority tiers, all labelled', () => {
    const { manifests } = synth();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Namespace/batch',
      'PriorityClass/batch-critical',
      'PriorityClass/batch-default',
      'PriorityClass/batch-preemptible',
    ]);
    for (const manifest of manifests) {
      expect(manifest.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'batchplane', 'app.kubernetes.io/part-of': 'data' });
      expect(manifest.metadata.namespace).toBeUndefined();
    }
  });

  test('resolves defaults into fields', () => {
    const { platform } = synth();
    expect([platform.name, platform.namespace, platform.strict, platform.description]).toEqual(['data', 'batch', false, undefined]);
    expect(platform.namespaceObject).toBeInstanceOf(k8s.KubeNamespace);
    expect(platform.priorityClassSpecs).toEqual([...PriorityTier.STANDARD]);
  });

  test('adds user labels, the description annotation, strict mode', () => {
    const { platform, manifests } = synth({ labels: { team: 'data-eng' }, description: 'Nightly ETL', strict: true });
    expect(platform.strict).toBe(true);
    expect(manifests[0].metadata.annotations).toEqual({ 'batchplane.io/description': 'Nightly ETL' });
    expect(manifests[0].metadata.labels?.team).toBe('data-eng');
  });

  test('can leave out the namespace and the tiers', () => {
    const { platform, manifests } = synth({ createNamespace: false, priorityTiers: false });
    expect(manifests).toEqual([]);
    expect(platform.namespaceObject).toBeUndefined();
    expect(platform.priorityClassSpecs).toEqual([]);
  });

  test('namespaced objects get the platform namespace', () => {
    const { platform } = synth({ priorityTiers: false, createNamespace: false });
    new k8s.KubeConfigMap(platform, 'cm', { metadata: { name: 'settings' }, data: { a: '1' } });
    const [configMap] = Testing.synth(platform) as Manifest[];
    expect(configMap.metadata).toEqual({
      name: 'settings',
      namespace: 'batch',
      labels: { 'app.kubernetes.io/managed-by': 'batchplane', 'app.kubernetes.io/part-of': 'data' },
    });
  });

  describe('priority classes', () => {
    test('a custom tier is emitted once, with its settings', () => {
      const { platform } = synth({ createNamespace: false, priorityTiers: false });
      const urgent = PriorityTier.custom('batch-urgent', 50_000, { description: 'Urgent reruns.' });
      const first = platform.addPriorityTier(urgent);
      expect(platform.addPriorityTier(urgent)).toBe(first);
      expect(Testing.synth(platform)).toEqual([{
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'batch-urgent', labels: { 'app.kubernetes.io/managed-by': 'batchplane', 'app.kubernetes.io/part-of': 'data' } },
        value: 50000,
        globalDefault: false,
        preemptionPolicy: 'PreemptLowerPriority',
        description: 'Urgent reruns.',
      }]);
    });

    test('a name reused with other settings is an error at the platform path', () => {
      const { platform } = synth();
      expect(() => platform.addPriorityClass({
        className: 'batch-default', value: 5, preemptionPolicy: PreemptionPolicy.NEVER, description: 'x',
      })).toThrow('priorityClassName: got "batch-default", expected a PriorityClass name not already used with other settings (it has value 1000');
    });

    test('addPriorityTier refuses something that is not a tier', () => {
      const { platform } = synth();
      expect(() => platform.addPriorityTier({ className: 'x' } as PriorityTier)).toThrow('tier: got {"className":"x"}, expected a PriorityTier');
    });
  });

  describe('Platform.of', () => {
    test('finds the enclosing platform', () => {
      const { platform } = synth();
      const inner = new Construct(new Construct(platform, 'a'), 'b');
      expect(Platform.of(inner)).toBe(platform);
      expect(Platform.of(platform)).toBe(platform);
    });

    test('throws outside a platform', () => {
      const chart = new Chart(Testing.app(), 'plain');
      const orphan = new Construct(chart, 'orphan');
      expect(() => Platform.of(orphan)).toThrow('[plain/orphan] scope: got "plain/orphan", expected a construct created inside a Platform');
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<PlatformProps>, string]>([
      ['bad namespace', { namespace: 'Batch' }, '[data] namespace: got "Batch"'],
      ['missing namespace', { namespace: undefined }, '[data] namespace: got undefined'],
      ['bad label value', { labels: { team: 'a b' } }, '[data] labels["team"]: got "a b"'],
      ['overriding part-of', { labels: { 'app.kubernetes.io/part-of': 'x' } }, 'which the platform sets'],
      ['non-boolean strict', { strict: 'yes' as unknown as boolean }, '[data] strict: got "yes", expected true or false'],
      ['non-boolean priorityTiers', { priorityTiers: 1 as unknown as boolean }, '[data] priorityTiers: got 1'],
      ['non-string description', { description: 3 as unknown as string }, '[data] description: got 3, expected a string'],
    ])('rejects %s', (_, props, message) => {
      expect(() => synth(props)).toThrow(message);
    });

    test('rejects an id that cannot name cluster objects', () => {
      expect(() => new Platform(new App(), 'DataPlatform', { namespace: 'batch' })).toThrow('[DataPlatform] id: got "DataPlatform"');
    });
  });
});

test('clusterScoped leaves objects of a chart without namespace alone', () => {
  const chart = Testing.chart();
  const object = new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'x' } });
  clusterScoped(object);
  expect(Testing.synth(chart)).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }]);
});

describeConformance('platform manifests', () => {
  test('pass strict schema validation', () => {
    const { manifests } = synth({ description: 'Nightly ETL', labels: { team: 'data-eng' } });
    expect(validateManifests(manifests)).toEqual([]);
  });
});

test('instanceof Platform holds for platforms only, not for every Chart', () => {
  const app = Testing.app();
  const platform = new Platform(app, 'data', { namespace: 'batch' });
  expect(platform instanceof Platform).toBe(true);
  expect(new Chart(app, 'plain') instanceof Platform).toBe(false);
  expect(platform instanceof Chart).toBe(true);
  expect(Platform.isPlatform({})).toBe(false);
});

describe('synthesis', () => {
  function countingPlatform(): { app: App; platform: Platform; renders: () => number } {
    let count = 0;
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bp-platform-')) });
    const platform = new Platform(app, 'data', { namespace: 'data' });
    new ApiObject(platform, 'settings', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: Lazy.any({ produce: () => ({ renders: String(++count) }) }),
    });
    return { app, platform, renders: () => count };
  }

  test('app.synth() renders every object once and writes what the checks saw', () => {
    const { app, renders } = countingPlatform();
    app.synth();
    expect(renders()).toBe(1);
    const written = fs.readFileSync(path.join(app.outdir, 'data.k8s.yaml'), 'utf8');
    expect(written).toContain('renders: "1"');
  });

  test('app.synth() and Testing.synth() write the same manifests', () => {
    const app = Testing.app();
    const platform = new Platform(app, 'data', { namespace: 'data', description: 'batch' });
    const viaApp = parseAllDocuments(app.synthYaml()).map((doc) => doc.toJSON());
    expect(viaApp).toEqual(Testing.synth(platform));
    expect(viaApp.map((manifest) => manifest.kind)).toEqual(['Namespace', 'PriorityClass', 'PriorityClass', 'PriorityClass']);
  });

  test('after a failed synthesis, the next one validates again', () => {
    const app = Testing.app();
    const platform = new Platform(app, 'data', { namespace: 'data' });
    const failing = { fail: true };
    platform.node.addValidation({ validate: () => (failing.fail ? ['still broken'] : []) });
    expect(() => app.synthYaml()).toThrow('still broken');
    expect(() => Testing.synth(platform)).toThrow('still broken');
    failing.fail = false;
    expect(Testing.synth(platform).length).toBeGreaterThan(0);
  });
});
