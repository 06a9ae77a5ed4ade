import * as fc from 'fast-check';
import { add, equals, exceeded, fits, max, resources, ResourceVector, scale, subtract, ZERO } from '../../lib/model/resources';

const GiB = 1024 ** 3;
const arbVector: fc.Arbitrary<ResourceVector> = fc.record({
  cpuMillis: fc.nat(1_000_000),
  memoryBytes: fc.nat(2 ** 40),
  ephemeralStorageBytes: fc.nat(2 ** 40),
  gpus: fc.nat(16),
  pods: fc.nat(250),
});

describe('resource vectors', () => {
  test('resources() fills missing components with zero', () => {
    expect(resources({ cpuMillis: 500 })).toEqual({ cpuMillis: 500, memoryBytes: 0, ephemeralStorageBytes: 0, gpus: 0, pods: 0 });
  });

  test('a driver and eight executors add up component by component', () => {
    const driver = resources({ cpuMillis: 1000, memoryBytes: 2432 * 1024 ** 2, pods: 1 });
    const executor = resources({ cpuMillis: 4000, memoryBytes: 4505 * 1024 ** 2, pods: 1 });
    const job = add(driver, scale(executor, 8));
    expect(job).toEqual(resources({ cpuMillis: 33000, memoryBytes: (2432 + 8 * 4505) * 1024 ** 2, pods: 9 }));
  });

  test('fits compares every component, pods included', () => {
    const node = resources({ cpuMillis: 7910, memoryBytes: 31775 * 1024 ** 2, pods: 58 });
    expect(fits(resources({ cpuMillis: 7910, memoryBytes: 31 * GiB, pods: 1 }), node)).toBe(true);
    expect(fits(resources({ cpuMillis: 7911, pods: 1 }), node)).toBe(false);
    expect(fits(resources({ pods: 59 }), node)).toBe(false);
    expect(fits(resources({ gpus: 1 }), node)).toBe(false);
    expect(exceeded(resources({ cpuMillis: 8000, gpus: 1 }), node)).toEqual(['cpuMillis', 'gpus']);
  });

  test('subtract and max', () => {
    const a = resources({ cpuMillis: 3, memoryBytes: 10 });
    const b = resources({ cpuMillis: 5, memoryBytes: 4 });
    expect(subtract(a, b)).toEqual(resources({ cpuMillis: -2, memoryBytes: 6 }));
    expect(max(a, b)).toEqual(resources({ cpuMillis: 5, memoryBytes: 10 }));
  });

  test('laws: add is commutative and associative, ZERO is neutral, subtract undoes add', () => {
    fc.assert(
      fc.property(arbVector, arbVector, arbVector, (a, b, c) => {
        expect(equals(add(a, b), add(b, a))).toBe(true);
        expect(equals(add(add(a, b), c), add(a, add(b, c)))).toBe(true);
        expect(equals(add(a, ZERO), a)).toBe(true);
        expect(equals(subtract(add(a, b), b), a)).toBe(true);
      }),
    );
  });

  test('laws: a vector fits in any sum containing it, and in the maximum with another', () => {
    fc.assert(
      fc.property(arbVector, arbVector, (a, b) => {
        expect(fits(a, add(a, b))).toBe(true);
        expect(fits(a, max(a, b))).toBe(true);
        expect(exceeded(a, add(a, b))).toEqual([]);
      }),
    );
  });
});
