import * as fc from 'fast-check';
import { BatchplaneError } from '../../lib/model/errors';
import { formatJvmMemory, parseJvmMemory } from '../../lib/model/jvm-memory';

describe('parseJvmMemory', () => {
  // Binary multipliers and MiB default of Spark's byteStringAs with ByteUnit.MiB.
  it.each<[string, number]>([
    ['512m', 512],
    ['512mb', 512],
    ['4g', 4096],
    ['4gb', 4096],
    ['4G', 4096],
    ['1t', 1024 * 1024],
    ['1tb', 1024 * 1024],
    ['1p', 1024 ** 3],
    ['2048', 2048],
    ['0', 0],
    ['1048576k', 1024],
    ['1024kb', 1],
    ['1073741824b', 1024],
    [' 512m ', 512],
    // Smaller units convert with integer division, as ByteUnit.convertTo does.
    ['1536k', 1],
    ['1k', 0],
    ['1048575b', 0],
  ])('%j → %d MiB', (input, mib) => {
    expect(parseJvmMemory(input)).toBe(mib);
  });

  it('rejects fractions with Spark’s reason and a fix', () => {
    expect(() => parseJvmMemory('1.5g')).toThrow(BatchplaneError);
    expect(() => parseJvmMemory('1.5g')).toThrow('fractional values are not supported');
  });

  it('rejects Kubernetes suffixes and says what to write', () => {
    expect(() => parseJvmMemory('512Mi', 'executor.memory')).toThrow(
      'executor.memory: got "512Mi", expected a JVM memory size: a whole number with an optional binary suffix b, k, m, g, t or p (e.g. 512m, 4g); Kubernetes suffixes are not Spark\'s: write 512m',
    );
    expect(() => parseJvmMemory('2Gi')).toThrow('write 2g');
  });

  it.each(['', 'm', '-1g', '4 g', '4gib', '4x', '0x10', '1e3', '+5m', '9223372036854775808', '9007199254740992p'])('rejects %j', (input) => {
    expect(() => parseJvmMemory(input)).toThrow(BatchplaneError);
  });

  it('names an unknown suffix', () => {
    expect(() => parseJvmMemory('4x')).toThrow('unknown suffix "x"');
  });

  it('rejects non-strings from JavaScript callers', () => {
    expect(() => parseJvmMemory(512 as unknown as string)).toThrow('memory: got 512');
  });
});

describe('formatJvmMemory', () => {
  it.each<[number, string]>([
    [512, '512m'],
    [4096, '4g'],
    [1536, '1536m'],
    [0, '0m'],
    [1024 * 1024, '1t'],
  ])('%d MiB → %s', (mib, text) => {
    expect(formatJvmMemory(mib)).toBe(text);
  });

  it.each([-1, 1.5, NaN])('rejects %p', (mib) => {
    expect(() => formatJvmMemory(mib)).toThrow(BatchplaneError);
  });

  it('round-trips through parseJvmMemory', () => {
    fc.assert(fc.property(fc.nat({ max: 2 ** 40 }), (mib) => parseJvmMemory(formatJvmMemory(mib)) === mib));
  });
});
