import { BatchplaneError } from '../../lib/model/errors';
import {
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelKey,
  checkLabelValue,
  checkQualifiedName,
  checkTaintKey,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isLabelKey,
  isLabelValue,
  isQualifiedName,
  isTaintKey,
} from '../../lib/model/names';

const a = (n: number): string => 'a'.repeat(n);

describe('DNS-1123 label', () => {
  it.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '0-a', a(63)])('accepts %j', (v) => {
    expect(isDns1123Label(v)).toBe(true);
    expect(checkDns1123Label('name', v)).toBe(v);
  });

  it.each(['', 'A', 'ABC', 'aBc', 'A1', 'a-1-', '-a-1', 'a_1', 'a.1', 'a 1', 'a@b', a(64)])('rejects %j', (v) => {
    expect(isDns1123Label(v)).toBe(false);
    expect(() => checkDns1123Label('name', v)).toThrow(BatchplaneError);
  });

  it('explains the rule', () => {
    expect(() => checkDns1123Label('metadata.name', 'My_App')).toThrow(
      "metadata.name: got \"My_App\", expected a lowercase RFC 1123 label: at most 63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit (e.g. 'my-name')",
    );
  });
});

describe('DNS-1123 subdomain', () => {
  it.each(['a', 'a.b.c.d.e', 'aaa.bbb.ccc', 'a-1.b-2', '11.22.33', `${a(63)}.${a(63)}.${a(63)}.${a(61)}`])('accepts %j', (v) => {
    expect(isDns1123Subdomain(v)).toBe(true);
    expect(checkDns1123Subdomain('name', v)).toBe(v);
  });

  it.each(['', 'A', 'a.', '.a', 'a..b', 'a_b', 'a-.b', `${a(63)}.${a(63)}.${a(63)}.${a(62)}`])('rejects %j', (v) => {
    expect(isDns1123Subdomain(v)).toBe(false);
    expect(() => checkDns1123Subdomain('name', v)).toThrow('expected a lowercase RFC 1123 subdomain');
  });
});

describe('DNS-1035 label', () => {
  it.each(['a', 'ab', 'a-1', 'a--1--2--b', a(63)])('accepts %j', (v) => {
    expect(isDns1035Label(v)).toBe(true);
    expect(checkDns1035Label('name', v)).toBe(v);
  });

  it.each(['0', '01', '0-a', '1-a', 'A', 'a-', '', a(64)])('rejects %j', (v) => {
    expect(isDns1035Label(v)).toBe(false);
    expect(() => checkDns1035Label('name', v)).toThrow(BatchplaneError);
  });

  it('applies a tighter maximum length', () => {
    expect(isDns1035Label(a(40), 40)).toBe(true);
    expect(isDns1035Label(a(41), 40)).toBe(false);
    expect(() => checkDns1035Label('name', a(41), 40)).toThrow('at most 40 characters');
    // A larger maximum cannot loosen the DNS limit.
    expect(isDns1035Label(a(64), 100)).toBe(false);
  });
});

describe('qualified names, label and taint keys', () => {
  it.each(['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', a(63), `${a(253)}/${a(63)}`, 'kubernetes.io/arch'])(
    'accepts %j',
    (v) => {
      expect(isQualifiedName(v)).toBe(true);
      expect(isLabelKey(v)).toBe(true);
      expect(isTaintKey(v)).toBe(true);
      expect(checkQualifiedName('key', v)).toBe(v);
      expect(checkLabelKey('key', v)).toBe(v);
      expect(checkTaintKey('key', v)).toBe(v);
    },
  );

  it.each(['', 'nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc', 'example.com/', '/simple', `${a(254)}/abc`, a(64), `example.com/${a(64)}`])(
    'rejects %j',
    (v) => {
      expect(isQualifiedName(v)).toBe(false);
      expect(() => checkLabelKey('labels', v)).toThrow('expected a label key, a qualified name');
      expect(() => checkTaintKey('taints[0].key', v)).toThrow('taints[0].key: got');
    },
  );

  it('rejects non-strings from JavaScript callers', () => {
    expect(isQualifiedName(7)).toBe(false);
    expect(() => checkQualifiedName('key', undefined)).toThrow('key: got undefined');
  });
});

describe('label values', () => {
  it.each(['', 'simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', a(63), 'Upper_Case.ok'])('accepts %j', (v) => {
    expect(isLabelValue(v)).toBe(true);
    expect(checkLabelValue('value', v)).toBe(v);
  });

  it.each(['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a/b', a(64)])('rejects %j', (v) => {
    expect(isLabelValue(v)).toBe(false);
    expect(() => checkLabelValue('value', v)).toThrow('expected a label value: empty, or at most 63 characters');
  });
});
