import { deepFreeze } from '../../lib/model/freeze';

describe('deepFreeze', () => {
  test('freezes the value and every nested object and array, and returns the value', () => {
    const value = { a: { b: [{ c: 1 }] }, d: 'x' };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a.b)).toBe(true);
    expect(Object.isFrozen(value.a.b[0])).toBe(true);
  });

  test('a frozen value cannot be changed, not even deep inside', () => {
    const value = deepFreeze({ list: [{ name: 'a' }] });
    expect(() => { (value.list as { name: string }[]).push({ name: 'b' }); }).toThrow(TypeError);
    expect(() => { (value.list[0] as { name: string }).name = 'b'; }).toThrow(TypeError);
    expect(value).toEqual({ list: [{ name: 'a' }] });
  });

  test('returns primitives, null and undefined as they are', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze('x')).toBe('x');
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze(undefined)).toBeUndefined();
  });

  test('takes an object that is already frozen as it is, and ends on cycles', () => {
    const shared = Object.freeze({ inner: { n: 1 } });
    const value = deepFreeze({ shared });
    expect(value.shared).toBe(shared);
    expect(Object.isFrozen(shared.inner)).toBe(false);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(deepFreeze(cyclic)).toBe(cyclic);
    expect(Object.isFrozen(cyclic)).toBe(true);
  });
});
