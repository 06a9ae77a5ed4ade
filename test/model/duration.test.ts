import { BatchplaneError } from '../../lib/model/errors';
import { formatDuration, parseDuration } from '../../lib/model/duration';

describe('parseDuration', () => {
  test.each([
    ['45m', 2700],
    ['1h30m', 5400],
    ['90s', 90],
    ['2d', 172800],
    ['1d2h3m4s', 93784],
    ['0s', 0],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  test('a number is seconds', () => {
    expect(parseDuration(600)).toBe(600);
  });

  test.each(['', '45', '1.5h', '30m1h', '1h1h', '5 m', 'm', '-5m', '1w'])('rejects %j', (text) => {
    expect(() => parseDuration(text, 'estimatedDuration')).toThrow(BatchplaneError);
    expect(() => parseDuration(text, 'estimatedDuration')).toThrow(/^estimatedDuration: got .*, expected a non-negative number of seconds/);
  });

  test.each([-1, 1.5, Number.NaN, Infinity])('rejects the number %d', (value) => {
    expect(() => parseDuration(value)).toThrow(BatchplaneError);
  });

  test('rejects non-strings from JavaScript callers without a TypeError', () => {
    expect(() => parseDuration({} as unknown as string)).toThrow(BatchplaneError);
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [45, '45s'],
    [3300, '55m'],
    [5400, '1h30m'],
    [90061, '1d1h1m1s'],
    [59.2, '1m'],
  ])('%d seconds is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  test('round-trips', () => {
    for (const seconds of [1, 61, 3599, 86400, 123456]) expect(parseDuration(formatDuration(seconds))).toBe(seconds);
  });
});
