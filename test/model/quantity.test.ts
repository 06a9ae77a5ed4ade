import { isDeepStrictEqual } from 'util';
import * as fc from 'fast-check';
import { BatchplaneError } from '../../lib/model/errors';
import {
  bytes,
  cpuMillis,
  formatBytes,
  formatCpu,
  Quantity,
  QuantityFormat,
  resourcesFromList,
  resourcesToList,
} from '../../lib/model/quantity';
import { resources } from '../../lib/model/resources';

const canonical = (s: string | number): string => Quantity.parse(s).toString();

describe('Quantity.parse', () => {
  // Inputs from Kubernetes' TestQuantityParse; expected canonical text and format worked out by hand
  // from the value Kubernetes' table gives for each input.
  it.each<[string, string, QuantityFormat]>([
    ['0', '0', 'DecimalSI'],
    ['0n', '0', 'DecimalSI'],
    ['0Ki', '0', 'BinarySI'],
    ['0Mi', '0', 'BinarySI'],
    ['1', '1', 'DecimalSI'],
    ['1Ki', '1Ki', 'BinarySI'],
    ['8Ki', '8Ki', 'BinarySI'],
    ['7Mi', '7Mi', 'BinarySI'],
    ['6Gi', '6Gi', 'BinarySI'],
    ['5Ti', '5Ti', 'BinarySI'],
    ['4Pi', '4Pi', 'BinarySI'],
    ['3Ei', '3Ei', 'BinarySI'],
    ['100Ti', '100Ti', 'BinarySI'],
    ['5n', '5n', 'DecimalSI'],
    ['4u', '4u', 'DecimalSI'],
    ['3m', '3m', 'DecimalSI'],
    ['8k', '8k', 'DecimalSI'],
    ['50k', '50k', 'DecimalSI'],
    ['7M', '7M', 'DecimalSI'],
    ['6G', '6G', 'DecimalSI'],
    ['40T', '40T', 'DecimalSI'],
    ['300T', '300T', 'DecimalSI'],
    ['2P', '2P', 'DecimalSI'],
    ['1E', '1E', 'DecimalSI'],
    ['1E-3', '1e-3', 'DecimalExponent'],
    ['1e3', '1e3', 'DecimalExponent'],
    ['1E6', '1e6', 'DecimalExponent'],
    ['1e14', '100e12', 'DecimalExponent'],
    ['100.035k', '100035', 'DecimalSI'],
    ['0.001', '1m', 'DecimalSI'],
    ['0.0005k', '500m', 'DecimalSI'],
    ['0.5', '500m', 'DecimalSI'],
    ['0.50000', '500m', 'DecimalSI'],
    ['0.5e0', '500e-3', 'DecimalExponent'],
    ['0.5e-2', '5e-3', 'DecimalExponent'],
    ['10.035M', '10035k', 'DecimalSI'],
    ['1.2e3', '1200', 'DecimalExponent'],
    ['1.3E+6', '1300e3', 'DecimalExponent'],
    ['1.53E12', '1530e9', 'DecimalExponent'],
    ['9.01', '9010m', 'DecimalSI'],
    ['7.123456M', '7123456', 'DecimalSI'],
    ['6.987654321G', '6987654321', 'DecimalSI'],
    ['2.5P', '2500T', 'DecimalSI'],
    ['1.01E', '1010P', 'DecimalSI'],
    // Values finer than a nano round up, away from zero.
    ['3.001n', '4n', 'DecimalSI'],
    ['1.1E-9', '2e-9', 'DecimalExponent'],
    ['0.0000000001', '1n', 'DecimalSI'],
    ['0.9n', '1n', 'DecimalSI'],
    ['0.00000012345', '124n', 'DecimalSI'],
    // Binary values are capped at 2^63-1.
    ['9Ei', '9223372036854775807', 'BinarySI'],
    ['9223372036854775807Ki', '9223372036854775807', 'BinarySI'],
    ['12E', '12E', 'DecimalSI'],
    // Fractional binary values.
    ['100.035Ki', '102435840m', 'BinarySI'],
    ['0.5Mi', '512Ki', 'BinarySI'],
    ['0.05Gi', '53687091200m', 'BinarySI'],
    ['0.000000000001Ki', '2n', 'DecimalSI'],
    ['.001', '1m', 'DecimalSI'],
    ['.0001k', '100m', 'DecimalSI'],
    ['1.', '1', 'DecimalSI'],
    ['1.G', '1G', 'DecimalSI'],
  ])('%s → %s (%s)', (input, text, format) => {
    const q = Quantity.parse(input);
    expect(q.toString()).toBe(text);
    expect(q.format).toBe(format);
    // The sign is optional and symmetric.
    expect(Quantity.parse(`+${input}`).equals(q)).toBe(true);
    expect(Quantity.parse(`-${input}`).toString()).toBe(q.isZero() ? '0' : `-${text}`);
  });

  it('keeps a decimal quantity beyond 2^63 exactly', () => {
    expect(canonical('18446744073709551616')).toBe('18446744073709551616');
    expect(canonical('1.2345')).toBe('1234500u');
  });

  it('reads numbers as their JSON text', () => {
    expect(canonical(2)).toBe('2');
    expect(canonical(0.5)).toBe('500m');
    expect(canonical(1.5)).toBe('1500m');
    expect(Quantity.parse(1e21).format).toBe('DecimalExponent');
  });

  it.each([
    // Kubernetes' invalid list.
    '1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', '1e4294967297', ' 1', '1 ',
    // Ours.
    '1.5.5', 'Mi', '1mi', '--1', '', '1 Gi', '1K', '1e', '1Ki3', '1e3.5', '.', '+', '-.', '1E2147483648',
  ])('rejects %j', (input) => {
    expect(() => Quantity.parse(input)).toThrow(BatchplaneError);
    expect(() => Quantity.parse(input)).toThrow('expected a Kubernetes quantity such as 500m, 2, 1.5Gi');
    expect(Quantity.tryParse(input)).toBeUndefined();
  });

  it('names the field and the value in the error', () => {
    expect(() => Quantity.parse('1mi', 'executor.memory')).toThrow(
      'executor.memory: got "1mi", expected a Kubernetes quantity such as 500m, 2, 1.5Gi',
    );
  });

  it.each([NaN, Infinity, -Infinity])('rejects the number %p', (n) => {
    expect(() => Quantity.parse(n)).toThrow(BatchplaneError);
  });

  it('rejects non-strings from JavaScript callers', () => {
    expect(() => Quantity.parse({} as unknown as string)).toThrow(BatchplaneError);
    expect(Quantity.tryParse(null)).toBeUndefined();
  });

  it('hands out one frozen quantity per recently parsed text, equal to a freshly built one', () => {
    const first = Quantity.parse('1.5Gi');
    expect(Quantity.parse('1.5Gi')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const fresh = Quantity.fromBytes(1536 * 1024 ** 2);
    expect(first.equals(fresh)).toBe(true);
    expect(first.format).toBe(fresh.format);
    expect(first.toString()).toBe(fresh.toString());
    // The number is read as its JSON text, so it shares the result of that text.
    expect(Quantity.parse(0.25)).toBe(Quantity.parse('0.25'));
  });

  it('remembers only the last 1024 texts', () => {
    // Texts no other test parses, so each one is a new entry.
    const first = Quantity.parse('12345m');
    for (let i = 0; i < 1023; i++) Quantity.parse(`+${i}e-7`);
    expect(Quantity.parse('12345m')).toBe(first);
    for (let i = 0; i < 1024; i++) Quantity.parse(`+${i}e-8`);
    const again = Quantity.parse('12345m');
    expect(again).not.toBe(first);
    expect(again.equals(first)).toBe(true);
  });

  it('does not remember a failure: the field of each call is in its error', () => {
    expect(() => Quantity.parse('1mi', 'a')).toThrow('a: got "1mi"');
    expect(() => Quantity.parse('1mi', 'b')).toThrow('b: got "1mi"');
  });

  it('accepts extreme exponents without building huge numbers', () => {
    expect(canonical('1e-2147483647')).toBe('1e-9');
    expect(canonical('0.0000000000000000001m')).toBe('1n');
    expect(canonical('0e2147483647')).toBe('0');
    expect(() => Quantity.parse('1e2147483647')).toThrow('too large');
  });
});

describe('Quantity.toString', () => {
  // Kubernetes' TestQuantityString and TestQuantityParseEmit: each alternate spelling prints canonically.
  it.each([
    ['1024Mi', '1Gi'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['1000E', '1e21'],
    ['5000E', '5e21'],
    ['1000000E', '1e24'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['00', '0'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['1.5Gi', '1536Mi'],
    ['1000m', '1'],
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['1.5Ki', '1536'],
    ['1025Ki', '1025Ki'],
    ['2048', '2048'],
  ])('%s prints as %s', (input, text) => {
    expect(canonical(input)).toBe(text);
  });

  it('prints binary values below 1024 in decimal form', () => {
    expect(Quantity.fromBytes(5).toString()).toBe('5');
    expect(Quantity.fromBytes(1000).toString()).toBe('1k');
    expect(Quantity.fromBytes(1025).toString()).toBe('1025');
    expect(Quantity.fromBytes(6 * 1024).toString()).toBe('6Ki');
  });

  it('falls back to decimal past Ei, as Kubernetes does', () => {
    const ei = Quantity.parse('1Ei');
    let q = Quantity.fromBytes(0);
    for (let i = 0; i < 1024; i++) q = q.add(ei);
    expect(q.format).toBe('BinarySI');
    expect(q.toString()).toBe('1180591620717411303424');
    expect(Quantity.parse(q.toString()).equals(q)).toBe(true);
  });

  it('prints the same text every time, frozen or not', () => {
    const built = Quantity.fromMillis(1500);
    expect(built.toString()).toBe('1500m');
    expect(built.toString()).toBe('1500m');
    expect(Quantity.parse('1.5').toString()).toBe('1500m');
    expect(built.add(Quantity.parse('500m')).toString()).toBe('2');
  });

  it('prints after a caller froze it, and stays deep-equal to an equal quantity whether printed or not', () => {
    const frozen = Object.freeze(Quantity.fromBytes(1024));
    expect(frozen.toString()).toBe('1Ki');
    expect(JSON.stringify(frozen)).toBe('"1Ki"');
    expect(isDeepStrictEqual(Quantity.fromBytes(1024), Quantity.parse('1Ki'))).toBe(true);
  });

  it('serializes to JSON as its text', () => {
    expect(JSON.stringify({ cpu: Quantity.parse('0.5') })).toBe('{"cpu":"500m"}');
  });
});

describe('rounding accessors', () => {
  it.each<[string, number, number]>([
    ['9.01', 9010, 10],
    ['100m', 100, 1],
    ['1.0001m', 2, 1],
    ['1Gi', 1073741824000, 1073741824],
    ['1n', 1, 1],
    ['0', 0, 0],
    // Away from zero, as int64Amount.AsScaledInt64 rounds.
    ['-9.01', -9010, -10],
    ['-1n', -1, -1],
  ])('%s: milliValue %d, value %d', (input, millis, value) => {
    const q = Quantity.parse(input);
    expect(q.milliValue()).toBe(millis);
    expect(q.value()).toBe(value);
  });

  it('throws rather than lose precision in a JavaScript number', () => {
    expect(() => Quantity.parse('9Ei').value()).toThrow(BatchplaneError);
    expect(() => Quantity.parse('9007199254740993').value()).toThrow(BatchplaneError);
  });
});

describe('arithmetic', () => {
  it('adds and subtracts exactly', () => {
    expect(Quantity.parse('0.1').add(Quantity.parse('0.2')).toString()).toBe('300m');
    expect(Quantity.parse('1Gi').sub(Quantity.parse('512Mi')).toString()).toBe('512Mi');
    expect(Quantity.parse('100m').sub(Quantity.parse('1')).toString()).toBe('-900m');
  });

  it('keeps the suffix when adding or subtracting zero (TestQuantityAddZeroPreservesSuffix)', () => {
    const zero = Quantity.parse('0');
    for (const text of ['100m', '1Gi']) {
      const q = Quantity.parse(text);
      expect(q.add(zero).toString()).toBe(text);
      expect(zero.add(q).toString()).toBe(text);
      expect(q.sub(zero).toString()).toBe(text);
      expect(zero.sub(q).toString()).toBe(`-${text}`);
    }
  });

  it('compares like Kubernetes (TestQuantityCmp)', () => {
    expect(Quantity.parse('0').cmp(Quantity.parse('0'))).toBe(0);
    expect(Quantity.parse('100m').cmp(Quantity.parse('50m'))).toBe(1);
    expect(Quantity.parse('50m').cmp(Quantity.parse('100m'))).toBe(-1);
    expect(Quantity.parse('10000T').cmp(Quantity.parse('100Gi'))).toBe(1);
    expect(Quantity.parse('1Ki').equals(Quantity.parse('1024'))).toBe(true);
  });

  it('reports sign', () => {
    expect(Quantity.parse('-1m').isNegative()).toBe(true);
    expect(Quantity.parse('0Gi').isZero()).toBe(true);
    expect(Quantity.parse('1n').isZero()).toBe(false);
  });
});

describe('properties', () => {
  const suffix = fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e3', 'e-4', 'E12');
  const quantityText = fc
    .tuple(fc.constantFrom('', '-', '+'), fc.nat({ max: 10_000_000 }), fc.option(fc.nat({ max: 99_999 }), { nil: undefined }), suffix)
    .map(([sign, whole, fraction, s]) => `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}${s}`);
  const quantity = quantityText.map((text) => Quantity.parse(text));

  it('parse(toString(q)) equals q and prints the same', () => {
    fc.assert(
      fc.property(quantity, (q) => {
        const again = Quantity.parse(q.toString());
        return again.equals(q) && again.toString() === q.toString();
      }),
    );
  });

  it('add is commutative and associative', () => {
    fc.assert(
      fc.property(quantity, quantity, quantity, (a, b, c) => {
        return a.add(b).equals(b.add(a)) && a.add(b).add(c).equals(a.add(b.add(c)));
      }),
    );
  });

  it('cmp is a total order consistent with add', () => {
    fc.assert(
      fc.property(quantity, quantity, quantity, (a, b, c) => {
        const antisymmetric = a.cmp(b) === -b.cmp(a);
        const reflexive = a.cmp(a) === 0;
        const transitive = !(a.cmp(b) <= 0 && b.cmp(c) <= 0) || a.cmp(c) <= 0;
        const translationInvariant = a.add(c).cmp(b.add(c)) === a.cmp(b);
        const subInverse = a.add(b).sub(b).equals(a);
        return antisymmetric && reflexive && transitive && translationInvariant && subInverse;
      }),
    );
  });
});

describe('helpers', () => {
  it('converts CPU and memory', () => {
    expect(cpuMillis('500m')).toBe(500);
    expect(cpuMillis(2)).toBe(2000);
    expect(cpuMillis('0.1')).toBe(100);
    expect(bytes('1Gi')).toBe(1073741824);
    expect(bytes('1G')).toBe(1e9);
    expect(bytes('0.5')).toBe(1);
    expect(() => cpuMillis('1 core', 'driver.cores')).toThrow('driver.cores: got "1 core"');
  });

  it('formats CPU and memory canonically', () => {
    expect(formatCpu(500)).toBe('500m');
    expect(formatCpu(2000)).toBe('2');
    expect(formatCpu(1500)).toBe('1500m');
    expect(formatCpu(0)).toBe('0');
    expect(formatBytes(896 * 1024 * 1024)).toBe('896Mi');
    expect(formatBytes(4505 * 1024 * 1024)).toBe('4505Mi');
    expect(formatBytes(16 * 1024 ** 3)).toBe('16Gi');
    expect(() => formatCpu(0.5)).toThrow(BatchplaneError);
  });

  it('reads a resource list', () => {
    expect(resourcesFromList({ cpu: '1500m', memory: '2Gi', 'ephemeral-storage': '10Gi', 'nvidia.com/gpu': 1, pods: '110' })).toEqual({
      cpuMillis: 1500,
      memoryBytes: 2 * 1024 ** 3,
      ephemeralStorageBytes: 10 * 1024 ** 3,
      gpus: 1,
      pods: 110,
    });
    expect(resourcesFromList({ cpu: 1 })).toEqual(resources({ cpuMillis: 1000 }));
    expect(resourcesFromList({ 'amd.com/gpu': '2' }, { gpuResource: 'amd.com/gpu' })).toEqual(resources({ gpus: 2 }));
  });

  it('rejects bad resource lists with the key as field', () => {
    expect(() => resourcesFromList({ cpus: '1' })).toThrow('cpus: got "1", expected a resource named one of cpu, memory');
    expect(() => resourcesFromList({ memory: '-1Gi' })).toThrow('memory: got "-1Gi", expected a quantity of at least 0');
    expect(() => resourcesFromList({ 'nvidia.com/gpu': '500m' })).toThrow('nvidia.com/gpu: got "500m", expected a whole number');
    expect(() => resourcesFromList({ cpu: 'lots' })).toThrow('cpu: got "lots"');
    expect(() => resourcesFromList('cpu=1' as unknown as Record<string, string>)).toThrow(BatchplaneError);
  });

  it('writes a resource list, omitting zero optional resources', () => {
    expect(resourcesToList(resources({ cpuMillis: 500, memoryBytes: 896 * 1024 ** 2 }))).toEqual({ cpu: '500m', memory: '896Mi' });
    const full = resourcesToList({ cpuMillis: 2000, memoryBytes: 1024 ** 3, ephemeralStorageBytes: 10 * 1024 ** 3, gpus: 1, pods: 110 });
    expect(full).toEqual({ cpu: '2', 'ephemeral-storage': '10Gi', memory: '1Gi', 'nvidia.com/gpu': '1', pods: '110' });
    expect(Object.keys(full)).toEqual(['cpu', 'ephemeral-storage', 'memory', 'nvidia.com/gpu', 'pods']);
    expect(Object.keys(resourcesToList(resources({ gpus: 1 }), { gpuResource: 'amd.com/gpu' }))).toEqual(['amd.com/gpu', 'cpu', 'memory']);
  });

  it('round-trips a vector through a list', () => {
    const v = { cpuMillis: 3920, memoryBytes: 15391 * 1024 ** 2, ephemeralStorageBytes: 17 * 1024 ** 3, gpus: 1, pods: 58 };
    expect(resourcesFromList(resourcesToList(v))).toEqual(v);
  });
});
