import { ApiObject, Lazy, Testing } from 'cdk8s';
import { RenderedObjects } from '../../lib/k8s/rendered-objects';

function counted(): { object: ApiObject; renders: () => number } {
  let count = 0;
  const chart = Testing.chart();
  const object = new ApiObject(chart, 'cm', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm' },
    data: Lazy.any({ produce: () => ({ renders: String(++count) }) }),
  });
  return { object, renders: () => count };
}

describe('RenderedObjects', () => {
  test('renders an object once until it is taken', () => {
    const { object, renders } = counted();
    const cache = new RenderedObjects();
    expect(cache.render(object)).toMatchObject({ data: { renders: '1' } });
    expect(cache.render(object)).toMatchObject({ data: { renders: '1' } });
    expect(cache.take(object)).toMatchObject({ data: { renders: '1' } });
    expect(renders()).toBe(1);
    expect(cache.take(object)).toMatchObject({ data: { renders: '2' } });
  });

  test('clear forgets the manifests', () => {
    const { object, renders } = counted();
    const cache = new RenderedObjects();
    cache.render(object);
    cache.clear();
    cache.render(object);
    expect(renders()).toBe(2);
  });

  test('an object that fails to render is not cached', () => {
    const chart = Testing.chart();
    const object = new ApiObject(chart, 'bad', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bad' },
      data: Lazy.any({ produce: () => { throw new Error('cannot render'); } }),
    });
    const cache = new RenderedObjects();
    expect(cache.render(object)).toBeUndefined();
    expect(() => cache.take(object)).toThrow('cannot render');
  });
});
