import { BatchplaneError, check, describeValue, renameField, underField, withPath } from '../../lib/model/errors';

describe('BatchplaneError', () => {
  test('names the path, the field, the value and what was expected', () => {
    const error = new BatchplaneError('maxNodes', -1, 'an integer >= minNodes (0)', 'data/spark-spot');
    expect(error.message).toBe('[data/spark-spot] maxNodes: got -1, expected an integer >= minNodes (0)');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BatchplaneError');
  });

  test('withPath relocates model errors and prefixes the field', () => {
    expect(() =>
      withPath('data/job-b', () => {
        throw new BatchplaneError('memory', '1.5g', 'a whole number of bytes with a unit such as 512m or 4g');
      }, 'executor'),
    ).toThrow('[data/job-b] executor.memory: got "1.5g", expected a whole number of bytes with a unit such as 512m or 4g');
  });

  test('withPath keeps an existing path and passes other errors through', () => {
    const located = new BatchplaneError('cpu', 'x', 'a quantity', 'data/a');
    expect(() => withPath('data/b', () => { throw located; })).toThrow('[data/a] cpu');
    expect(() => withPath('data/b', () => { throw new RangeError('boom'); })).toThrow(RangeError);
    expect(withPath('data/b', () => 42)).toBe(42);
  });

  test('withPath puts the fields of located errors under no prefix', () => {
    const located = new BatchplaneError('cpu', 'x', 'a quantity', 'data/a/task');
    expect(() => withPath('data/a', () => { throw located; }, 'executor')).toThrow('[data/a/task] cpu: got "x"');
  });

  test('underField prefixes the field of errors without a path and keeps the rest', () => {
    expect(() => underField('executor', () => {
      throw new BatchplaneError('memory', '1.5g', 'a JVM size');
    })).toThrow(new BatchplaneError('executor.memory', '1.5g', 'a JVM size').message);
    const located = new BatchplaneError('memory', '1.5g', 'a JVM size', 'data/a');
    expect(() => underField('executor', () => { throw located; })).toThrow(located);
    expect(() => underField('executor', () => { throw new RangeError('boom'); })).toThrow(RangeError);
    expect(underField('executor', () => 'ok')).toBe('ok');
  });

  test('underField nests', () => {
    expect(() => underField('scratch', () => underField('tmp', () => {
      throw new BatchplaneError('sizeLimit', 'big', 'a quantity');
    }))).toThrow('scratch.tmp.sizeLimit: got "big"');
  });

  test('renameField replaces the field of errors without a path', () => {
    expect(() => renameField('tmpSizeLimit', () => {
      throw new BatchplaneError('sizeLimit', 'big', 'a positive Kubernetes quantity');
    })).toThrow('tmpSizeLimit: got "big", expected a positive Kubernetes quantity');
    const located = new BatchplaneError('sizeLimit', 'big', 'a quantity', 'data/h');
    expect(() => renameField('tmpSizeLimit', () => { throw located; })).toThrow('[data/h] sizeLimit');
  });

  test('check throws only when the condition is false', () => {
    expect(() => check(true, 'replicas', 1, 'a positive integer')).not.toThrow();
    expect(() => check(false, 'replicas', 0, 'a positive integer')).toThrow('replicas: got 0, expected a positive integer');
  });

  test('describeValue renders any value without throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
    expect(describeValue(cyclic)).toBe('[object Object]');
    expect(describeValue({ long: 'x'.repeat(200) })).toHaveLength(120);
    expect(describeValue(() => 1)).toContain('=>');
  });
});
