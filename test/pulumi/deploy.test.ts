import { ApiObject, App, Chart } from 'cdk8s';
import { namedCharts } from '../../lib/pulumi/deploy';

const chart = (id: string, objs: unknown[] = []) => ({ node: { id }, toJson: () => objs });

describe('namedCharts', () => {
  test('an app yields its charts named by construct id, in order', () => {
    const named = namedCharts({ charts: [chart('data'), chart('priority')] });
    expect(named.map((entry) => entry.name)).toEqual(['data', 'priority']);
  });

  test('a single chart is accepted; a chart without node is named by index', () => {
    expect(namedCharts(chart('data')).map((entry) => entry.name)).toEqual(['data']);
    expect(namedCharts({ charts: [{ toJson: () => [] }] }).map((entry) => entry.name)).toEqual(['chart-0']);
  });

  test('anything else is an error', () => {
    expect(() => namedCharts({} as never)).toThrow(/^app: got \{\}, expected a cdk8s App \(with charts\) or a Chart/);
    expect(() => namedCharts({ charts: [42] } as never)).toThrow(/^app\.charts\[0\]: got 42/);
    expect(() => namedCharts({ charts: [chart('a'), chart('a')] })).toThrow(/charts with unique ids/);
  });
});

describe('namedCharts with real cdk8s objects', () => {
  test('a cdk8s App and Chart satisfy the duck types', () => {
    const app = new App();
    const chart = new Chart(app, 'platform');
    new ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    const [entry] = namedCharts(app);
    expect(entry.name).toBe('platform');
    expect(entry.chart.toJson()).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } }]);
    expect(namedCharts(chart).map((e) => e.name)).toEqual(['platform']);
  });
});
