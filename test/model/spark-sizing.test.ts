import * as fc from 'fast-check';
import { BatchplaneError } from '../../lib/model/errors';
import {
  effectiveOverheadFactor,
  MIN_MEMORY_OVERHEAD_MIB,
  SparkPodSizingSpec,
  sparkPodResources,
  SparkType,
} from '../../lib/model/spark-sizing';

const MIB = 1024 * 1024;

function size(spec: Partial<SparkPodSizingSpec> & { memory: string }) {
  return sparkPodResources({ role: 'driver', type: SparkType.SCALA, ...spec });
}

describe('memory: the worked examples of research §2.3', () => {
  test.each([
    ['512m', SparkType.SCALA, undefined, '896Mi'],
    ['512m', SparkType.PYTHON, undefined, '896Mi'],
    ['4g', SparkType.JAVA, undefined, '4505Mi'],
    ['4g', SparkType.SCALA, undefined, '4505Mi'],
    ['4g', SparkType.PYTHON, undefined, '5734Mi'],
    ['4g', SparkType.R, undefined, '5734Mi'],
    ['2048m', SparkType.SCALA, undefined, '2432Mi'],
    ['4g', SparkType.SCALA, '1g', '5120Mi'],
    ['4g', SparkType.PYTHON, '1g', '5120Mi'],
  ])('%s %s overhead %s -> %s', (memory, type, memoryOverhead, expected) => {
    for (const role of ['driver', 'executor'] as const) {
      const r = sparkPodResources({ role, type, memory, memoryOverhead });
      expect(r.memory).toBe(expected);
      expect(r.requests.memoryBytes).toBe(parseInt(expected, 10) * MIB);
    }
  });

  test('breaks the result down into heap and overhead', () => {
    expect(size({ memory: '4g' })).toMatchObject({ heapMiB: 4096, overheadMiB: 409, memoryMiB: 4505 });
  });

  test('a bare number is MiB, like Spark', () => {
    expect(size({ memory: '1024' }).memory).toBe('1408Mi');
  });
});

describe('overhead factor', () => {
  test('role factor wins over the application factor, which wins over the type default', () => {
    expect(effectiveOverheadFactor({ type: SparkType.PYTHON })).toBe(0.4);
    expect(effectiveOverheadFactor({ type: SparkType.JAVA })).toBe(0.1);
    expect(effectiveOverheadFactor({ type: SparkType.PYTHON, appMemoryOverheadFactor: 0.2 })).toBe(0.2);
    expect(effectiveOverheadFactor({ type: SparkType.PYTHON, appMemoryOverheadFactor: 0.2, memoryOverheadFactor: 0.3 })).toBe(0.3);
  });

  test('applies the chosen factor with truncation, then the 384 MiB floor', () => {
    expect(size({ memory: '10g', appMemoryOverheadFactor: 0.25 }).overheadMiB).toBe(2560);
    expect(size({ memory: '1g', memoryOverheadFactor: 0.2 }).overheadMiB).toBe(384);
    expect(size({ memory: '3g', memoryOverheadFactor: 0.15 }).overheadMiB).toBe(460); // 460.8 -> 460
  });

  test('the Spark 4 floor is configurable', () => {
    expect(size({ memory: '1g', minMemoryOverhead: '512m' }).overheadMiB).toBe(512);
  });

  test('an explicit overhead ignores factor and floor', () => {
    expect(size({ memory: '1g', memoryOverhead: '100m', memoryOverheadFactor: 0.9 }).overheadMiB).toBe(100);
  });

  test('rejects a factor that is not a positive number', () => {
    expect(() => size({ memory: '1g', memoryOverheadFactor: 0 })).toThrow('memoryOverheadFactor: got 0, expected a number > 0');
    expect(() => size({ memory: '1g', appMemoryOverheadFactor: Number.NaN })).toThrow(/appMemoryOverheadFactor: got NaN/);
  });
});

describe('executor extras', () => {
  test('PySpark memory counts for Python executors only', () => {
    const base = { memory: '2g', pysparkMemory: '512m' } as const;
    expect(sparkPodResources({ ...base, role: 'executor', type: SparkType.PYTHON }).memoryMiB).toBe(2048 + 819 + 512);
    expect(sparkPodResources({ ...base, role: 'driver', type: SparkType.PYTHON }).memoryMiB).toBe(2048 + 819);
    expect(sparkPodResources({ ...base, role: 'executor', type: SparkType.SCALA }).memoryMiB).toBe(2048 + 384);
  });

  test('off-heap memory counts for executors; a bare number is bytes', () => {
    expect(sparkPodResources({ role: 'executor', type: SparkType.SCALA, memory: '2g', offHeapMemory: '1g' }).memoryMiB).toBe(2048 + 384 + 1024);
    expect(sparkPodResources({ role: 'executor', type: SparkType.SCALA, memory: '2g', offHeapMemory: String(3 * MIB + 5) }).memoryMiB).toBe(2048 + 384 + 3);
    expect(sparkPodResources({ role: 'driver', type: SparkType.SCALA, memory: '2g', offHeapMemory: '1g' }).memoryMiB).toBe(2048 + 384);
  });
});

describe('cpu', () => {
  test('request = cores, no limit by default', () => {
    const r = size({ memory: '1g', cores: 4 });
    expect(r).toMatchObject({ cpuRequestMillis: 4000, cpuRequest: '4' });
    expect(r.cpuLimit).toBeUndefined();
    expect(r.requests.cpuMillis).toBe(4000);
  });

  test('coreRequest overrides cores for the request; coreLimit sets the limit', () => {
    const r = size({ memory: '1g', cores: 1, coreRequest: '500m', coreLimit: '1200m' });
    expect(r).toMatchObject({ cpuRequestMillis: 500, cpuRequest: '500m', cpuLimitMillis: 1200, cpuLimit: '1200m' });
  });

  test('rejects fractional or small cores with a hint', () => {
    expect(() => size({ memory: '1g', cores: 0.5 })).toThrow(/cores: got 0\.5, expected an integer >= 1 \(for a fraction of a CPU keep cores: 1 and set coreRequest/);
    expect(() => size({ memory: '1g', cores: 0 })).toThrow('cores: got 0');
  });

  test('rejects a request above the limit', () => {
    expect(() => size({ memory: '1g', cores: 1, coreLimit: '800m' })).toThrow('cores: got 1, expected a CPU request <= coreLimit (800m)');
    expect(() => size({ memory: '1g', coreRequest: '2', coreLimit: '1' })).toThrow('coreRequest: got "2", expected a CPU request <= coreLimit (1)');
  });

  test('rejects malformed CPU quantities', () => {
    expect(() => size({ memory: '1g', coreRequest: 'lots' })).toThrow('coreRequest: got "lots"');
    expect(() => size({ memory: '1g', coreLimit: '0' })).toThrow('coreLimit: got "0"');
  });
});

describe('memory strings Spark rejects', () => {
  test.each(['1.5g', '512Mi', '4GiB', '', 'lots', '-1g'])('%j', (memory) => {
    expect(() => size({ memory })).toThrow(BatchplaneError);
    expect(() => size({ memory })).toThrow(/^memory: got /);
  });

  test('non-strings from JavaScript callers', () => {
    expect(() => size({ memory: 512 as unknown as string })).toThrow('memory: got 512, expected a Spark memory string');
  });

  test('a bad overhead names its field', () => {
    expect(() => size({ memory: '1g', memoryOverhead: '1.5g' })).toThrow(/^memoryOverhead: got "1.5g"/);
  });
});

test('gpus land in the vector; pods is 1', () => {
  const r = size({ memory: '1g', gpus: 2 });
  expect(r.requests).toMatchObject({ gpus: 2, pods: 1, ephemeralStorageBytes: 0 });
  expect(() => size({ memory: '1g', gpus: 1.5 })).toThrow('gpu.quantity: got 1.5');
});

describe('properties', () => {
  const types = fc.constantFrom(SparkType.SCALA, SparkType.JAVA, SparkType.PYTHON, SparkType.R);
  const roles = fc.constantFrom('driver' as const, 'executor' as const);

  test('request >= memory + 384 MiB, and request = memory + max(floor(factor*memory), 384)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), types, roles, (mib, type, role) => {
        const r = sparkPodResources({ role, type, memory: `${mib}m` });
        const factor = type === SparkType.PYTHON || type === SparkType.R ? 0.4 : 0.1;
        expect(r.memoryMiB).toBeGreaterThanOrEqual(mib + MIN_MEMORY_OVERHEAD_MIB);
        expect(r.memoryMiB).toBe(mib + Math.max(Math.floor(factor * mib), MIN_MEMORY_OVERHEAD_MIB));
      }),
    );
  });

  test('monotone in memory', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), fc.integer({ min: 0, max: 1 << 16 }), types, (a, extra, type) => {
        const small = size({ memory: `${a}m`, type });
        const large = size({ memory: `${a + extra}m`, type });
        expect(large.memoryMiB).toBeGreaterThanOrEqual(small.memoryMiB);
      }),
    );
  });
});
