import { BatchplaneError } from '../../lib/model/errors';
import {
  annotationMap,
  compareStrings,
  entryField,
  INT32_MAX,
  INT32_MIN,
  INT64_SAFE_MAX,
  integerInRange,
  isRecord,
  labelMap,
  list,
  nonEmpty,
  oneOf,
  optional,
  optionalBoolean,
  optionalInteger,
  optionalString,
  optionalStringList,
  positiveQuantity,
  requiredString,
  stringMap,
} from '../../lib/model/input';

/** The message a checker throws, or undefined when it accepts. */
function messageOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof BatchplaneError) return error.message;
    throw error;
  }
}

describe('isRecord', () => {
  test.each<[unknown, boolean]>([
    [{}, true],
    [{ a: 1 }, true],
    [null, false],
    [[], false],
    ['a', false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });
});

describe('strings', () => {
  test('optionalString passes undefined and non-blank strings', () => {
    expect(optionalString('image', undefined)).toBeUndefined();
    expect(optionalString('image', 'spark:3.5.3')).toBe('spark:3.5.3');
  });

  test.each<[unknown, string]>([
    ['', 'image: got "", expected a non-empty string'],
    ['   ', 'image: got "   ", expected a non-empty string'],
    [3, 'image: got 3, expected a non-empty string'],
    [null, 'image: got null, expected a non-empty string'],
  ])('optionalString refuses %j', (value, message) => {
    expect(messageOf(() => optionalString('image', value))).toBe(message);
  });

  test('allowBlank accepts any string but still only strings', () => {
    expect(optionalString('description', '', { allowBlank: true })).toBe('');
    expect(messageOf(() => optionalString('description', 3, { allowBlank: true }))).toBe('description: got 3, expected a string');
  });

  test('requiredString refuses a missing value', () => {
    expect(requiredString('image', 'x')).toBe('x');
    expect(messageOf(() => requiredString('image', undefined))).toBe('image: got undefined, expected a non-empty string');
  });
});

describe('optionalBoolean', () => {
  test('applies the fallback only to a missing value', () => {
    expect(optionalBoolean('strict', undefined, true)).toBe(true);
    expect(optionalBoolean('strict', false, true)).toBe(false);
    expect(optionalBoolean('strict', undefined)).toBeUndefined();
  });

  test.each<unknown>(['true', 1, 0, null])('refuses %j', (value) => {
    expect(messageOf(() => optionalBoolean('strict', value, false))).toBe(`strict: got ${JSON.stringify(value)}, expected true or false`);
  });
});

describe('oneOf', () => {
  test('returns an allowed value and lists the allowed ones otherwise', () => {
    expect(oneOf('policy', 'Forbid', ['Allow', 'Forbid'])).toBe('Forbid');
    expect(messageOf(() => oneOf('policy', 'forbid', ['Allow', 'Forbid']))).toBe('policy: got "forbid", expected one of Allow, Forbid');
  });
});

describe('integerInRange', () => {
  test('accepts the bounds themselves', () => {
    expect(integerInRange('replicas', 1, 1)).toBe(1);
    expect(integerInRange('replicas', INT32_MAX, 1)).toBe(INT32_MAX);
    expect(integerInRange('priority', INT32_MIN, INT32_MIN)).toBe(INT32_MIN);
    expect(integerInRange('port', 49151, 1024, 49151)).toBe(49151);
  });

  test.each<[unknown, string]>([
    [0, 'replicas: got 0, expected an integer >= 1'],
    [1.5, 'replicas: got 1.5, expected an integer >= 1'],
    ['3', 'replicas: got "3", expected an integer >= 1'],
    [Number.NaN, 'replicas: got NaN, expected an integer >= 1'],
    [Number.POSITIVE_INFINITY, 'replicas: got Infinity, expected an integer >= 1'],
    [undefined, 'replicas: got undefined, expected an integer >= 1'],
    [INT32_MAX + 1, 'replicas: got 2147483648, expected an integer <= 2147483647 (an int32 field)'],
    [2 ** 53, 'replicas: got 9007199254740992, expected an integer <= 2147483647 (an int32 field)'],
  ])('the int32 default refuses %j', (value, message) => {
    expect(messageOf(() => integerInRange('replicas', value, 1))).toBe(message);
  });

  test('an int64 field is bounded by what a number holds exactly', () => {
    expect(integerInRange('parallelism', 2 ** 40, 1, INT64_SAFE_MAX)).toBe(2 ** 40);
    expect(messageOf(() => integerInRange('parallelism', 2 ** 60, 1, INT64_SAFE_MAX))).toBe(
      'parallelism: got 1152921504606847000, expected an integer <= 9007199254740991 (the largest integer a JavaScript number holds exactly)',
    );
  });

  test('another upper bound gives the whole range in both messages', () => {
    expect(messageOf(() => integerInRange('port', 80, 1024, 49151))).toBe('port: got 80, expected an integer between 1024 and 49151');
    expect(messageOf(() => integerInRange('port', 50000, 1024, 49151))).toBe('port: got 50000, expected an integer between 1024 and 49151');
  });

  test('optionalInteger lets a missing value through', () => {
    expect(optionalInteger('ttl', undefined, 0)).toBeUndefined();
    expect(optionalInteger('ttl', 0, 0)).toBe(0);
    expect(messageOf(() => optionalInteger('ttl', -1, 0))).toBe('ttl: got -1, expected an integer >= 0');
  });
});

describe('positiveQuantity', () => {
  test('parses strings and numbers', () => {
    expect(positiveQuantity('cpu', '500m').milliValue()).toBe(500);
    expect(positiveQuantity('cpu', 2).toString()).toBe('2');
  });

  test.each<unknown>(['0', '-1', '4 cores', undefined, null])('refuses %j', (value) => {
    expect(messageOf(() => positiveQuantity('cpu', value))).toMatch(/^cpu: got .*, expected a positive Kubernetes quantity such as/);
  });
});

describe('lists', () => {
  test('optionalStringList copies a list of strings', () => {
    const given = ['a', 'b'];
    const checked = optionalStringList('args', given);
    expect(checked).toEqual(['a', 'b']);
    expect(checked).not.toBe(given);
    expect(optionalStringList('args', undefined)).toBeUndefined();
    expect(optionalStringList('args', [])).toEqual([]);
  });

  test.each<unknown>([[1], 'a', [null], {}])('optionalStringList refuses %j', (value) => {
    expect(messageOf(() => optionalStringList('args', value))).toBe(`args: got ${JSON.stringify(value)}, expected an array of strings`);
  });

  test('list converts objects and drops an empty list', () => {
    const toJson = (item: { n: number }) => ({ n: item.n * 2 });
    expect(list('volumes', [{ n: 1 }], toJson)).toEqual([{ n: 2 }]);
    expect(list('volumes', [], toJson)).toBeUndefined();
    expect(list('volumes', undefined, toJson)).toBeUndefined();
    expect(messageOf(() => list('volumes', [1] as unknown as { n: number }[], toJson))).toBe('volumes: got [1], expected an array of objects');
  });
});

describe('string maps', () => {
  test('entryField quotes the key', () => {
    expect(entryField('labels', 'app.kubernetes.io/name')).toBe('labels["app.kubernetes.io/name"]');
    expect(entryField('env', 'A B')).toBe('env["A B"]');
  });

  test('each map checker returns a sorted copy and passes undefined through', () => {
    for (const checker of [stringMap, labelMap, annotationMap]) {
      const given = { 'b.io/x': 'v', 'a': 'w' };
      const checked = checker('m', given);
      expect(Object.keys(checked ?? {})).toEqual(['a', 'b.io/x']);
      expect(checked).not.toBe(given);
      expect(checker('m', undefined)).toBeUndefined();
      expect(checker('m', {})).toEqual({});
    }
  });

  test.each<[string, (field: string, value: unknown) => unknown, string]>([
    ['stringMap', stringMap, 'an object of string keys to string values'],
    ['labelMap', labelMap, 'an object of label keys to label values'],
    ['annotationMap', annotationMap, 'an object of annotation keys to string values'],
  ])('%s refuses what is not a map', (_, checker, expected) => {
    for (const value of [null, [], 'team=data', 3]) {
      expect(messageOf(() => checker('m', value))).toBe(`m: got ${JSON.stringify(value)}, expected ${expected}`);
    }
  });

  test('stringMap takes any key but only string values', () => {
    expect(stringMap('hadoopConf', { 'fs s3a': '' })).toEqual({ 'fs s3a': '' });
    expect(messageOf(() => stringMap('hadoopConf', { 'fs.s3a.fast.upload': true }))).toBe(
      'hadoopConf["fs.s3a.fast.upload"]: got true, expected a string',
    );
  });

  test('labelMap checks keys and values by the label rules', () => {
    expect(labelMap('labels', { 'team': '', 'example.com/tier': 'gold' })).toEqual({ 'example.com/tier': 'gold', 'team': '' });
    expect(messageOf(() => labelMap('labels', { team: 7 }))).toMatch(/^labels\["team"\]: got 7, expected a label value/);
    expect(messageOf(() => labelMap('labels', { team: 'has space' }))).toMatch(/^labels\["team"\]: got "has space", expected a label value/);
    expect(messageOf(() => labelMap('labels', { 'bad key!': 'x' }))).toMatch(/^labels\["bad key!"\]: got "bad key!", expected a label key/);
    expect(messageOf(() => labelMap('labels', { 'a/b/c': 'x' }))).toMatch(/^labels\["a\/b\/c"\]: got "a\/b\/c"/);
  });

  test('annotationMap checks keys as qualified names and takes any string value', () => {
    const role = 'arn:aws:iam::123456789012:role/etl';
    expect(annotationMap('annotations', { 'eks.amazonaws.com/role-arn': role, 'note': 'free text, with spaces' })).toEqual({
      'eks.amazonaws.com/role-arn': role,
      'note': 'free text, with spaces',
    });
    expect(messageOf(() => annotationMap('annotations', { a: 1 }))).toBe('annotations["a"]: got 1, expected a string');
    expect(messageOf(() => annotationMap('annotations', { 'bad key!': 'x' }))).toMatch(
      /^annotations\["bad key!"\]: got "bad key!", expected a qualified name/,
    );
  });
});

describe('shaping output', () => {
  test('optional leaves out undefined only', () => {
    expect(optional('a', undefined)).toEqual({});
    expect(optional('a', 0)).toEqual({ a: 0 });
    expect(optional('a', '')).toEqual({ a: '' });
  });

  test('nonEmpty drops empty lists and maps', () => {
    expect(nonEmpty([])).toBeUndefined();
    expect(nonEmpty(['x'])).toEqual(['x']);
    expect(nonEmpty({})).toBeUndefined();
    expect(nonEmpty({ a: 1 })).toEqual({ a: 1 });
    expect(nonEmpty(undefined as readonly string[] | undefined)).toBeUndefined();
  });

  test('compareStrings orders by code unit, not by locale', () => {
    expect(['b', 'B', 'a', 'Z'].sort(compareStrings)).toEqual(['B', 'Z', 'a', 'b']);
    expect(compareStrings('x', 'x')).toBe(0);
  });
});
