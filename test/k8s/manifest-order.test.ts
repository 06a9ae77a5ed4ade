import { ApiObject, Chart, Testing } from 'cdk8s';
import { orderManifests } from '../../lib/k8s/manifest-order';
import { NodePool } from '../../lib/k8s/node-pool';
import { OverProvisioning } from '../../lib/k8s/over-provisioning';
import { Platform } from '../../lib/k8s/platform';

function kindsAndNames(manifests: readonly Record<string, unknown>[]): string[] {
  return manifests.map((m) => `${m.kind}/${(m.metadata as { name?: string }).name}`);
}

describe('orderManifests', () => {
  test('setup kinds come first, then workloads; each kind by name', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'w', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w' } });
    new ApiObject(chart, 'd2', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'zeta' } });
    new ApiObject(chart, 'd1', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'alpha' } });
    new ApiObject(chart, 'x', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } });
    new ApiObject(chart, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } });
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data' } });
    expect(kindsAndNames(orderManifests(chart, (object) => object.toJson()))).toEqual([
      'Namespace/data',
      'ServiceAccount/sa',
      'Deployment/alpha',
      'Deployment/zeta',
      'Workflow/w',
      'Widget/x',
    ]);
  });

  test('an explicit dependency comes before its dependent, whatever the kind order says', () => {
    const chart = Testing.chart();
    const deployment = new ApiObject(chart, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } });
    const widget = new ApiObject(chart, 'x', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } });
    deployment.addDependency(widget);
    expect(kindsAndNames(orderManifests(chart, (object) => object.toJson()))).toEqual(['Widget/x', 'Deployment/d']);
  });

  test('objects of nested charts are left to their own chart', () => {
    const chart = Testing.chart();
    const nested = new Chart(chart, 'nested');
    new ApiObject(nested, 'n', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } });
    new ApiObject(chart, 'c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(kindsAndNames(orderManifests(chart, (object) => object.toJson()))).toEqual(['ConfigMap/c']);
  });
});

describe('Platform output order', () => {
  function build(reversed: boolean): string {
    const app = Testing.app();
    const platform = new Platform(app, 'data', { namespace: 'data' });
    const declare = [
      () => new NodePool(platform, 'general', { instanceTypes: ['m6i.2xlarge'], maxNodes: 4 }),
      () => new NodePool(platform, 'batch', { instanceTypes: ['m6i.4xlarge'], maxNodes: 4 }),
    ];
    const pools = (reversed ? [...declare].reverse() : declare).map((create) => create());
    const headroom = pools.map((pool) => () => new OverProvisioning(platform, `headroom-${pool.name}`, { pool, replicas: 1, cpu: '1', memory: '1Gi' }));
    (reversed ? headroom.reverse() : headroom).forEach((create) => create());
    return app.synthYaml();
  }

  test('does not depend on the order pools and placeholders are declared', () => {
    expect(build(true)).toBe(build(false));
  });

  test('keeps each placeholder Deployment after its PriorityClass', () => {
    const app = Testing.app();
    const platform = new Platform(app, 'data', { namespace: 'data', priorityTiers: false, createNamespace: false });
    const pool = new NodePool(platform, 'general', { instanceTypes: ['m6i.2xlarge'], maxNodes: 4 });
    new OverProvisioning(platform, 'headroom', { pool, replicas: 1, cpu: '1', memory: '1Gi' });
    expect(kindsAndNames(platform.toJson())).toEqual(['PriorityClass/data-overprovisioning', 'Deployment/headroom']);
  });
});
