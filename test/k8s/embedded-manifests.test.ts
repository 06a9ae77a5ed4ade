import { embeddedManifestText, withEmbeddedManifests } from '../../lib/k8s/embedded-manifests';

const MANIFEST = {
  kind: 'SparkApplication',
  apiVersion: 'sparkoperator.k8s.io/v1beta2',
  metadata: { namespace: 'data', generateName: 'job-' },
  spec: { sparkConf: { 'spark.b': '1', 'spark.a': '2' }, volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1Gi' } }], cores: 1 },
};

describe('embeddedManifestText', () => {
  test('writes JSON with keys sorted at every level, indented by two spaces', () => {
    const text = embeddedManifestText(MANIFEST);
    expect(text).toBe(JSON.stringify(JSON.parse(text), undefined, 2));
    expect(Object.keys(JSON.parse(text))).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(JSON.parse(text).spec.sparkConf)).toEqual(['spark.a', 'spark.b']);
    expect(text.startsWith('{\n  "apiVersion"')).toBe(true);
  });

  test('leaves the manifest it is given unchanged', () => {
    const copy = JSON.parse(JSON.stringify(MANIFEST)) as unknown;
    embeddedManifestText(MANIFEST);
    expect(MANIFEST).toEqual(copy);
    expect(Object.keys(MANIFEST)).toEqual(['kind', 'apiVersion', 'metadata', 'spec']);
  });
});

describe('withEmbeddedManifests', () => {
  test('gives back, for a text written during the call, a value equal to parsing the text', () => {
    withEmbeddedManifests((valueOf) => {
      const text = embeddedManifestText(MANIFEST);
      expect(valueOf(text)).toEqual(JSON.parse(text));
      // The same text from another string instance is found too.
      expect(valueOf(`${text} `.slice(0, -1))).toEqual(JSON.parse(text));
    });
  });

  test('finds texts read back in any order, also texts written after the first out-of-order read', () => {
    const app = (i: number): object => ({ ...MANIFEST, metadata: { generateName: `job-${i}-` } });
    withEmbeddedManifests((valueOf) => {
      const texts = Array.from({ length: 100 }, (_, i) => embeddedManifestText(app(i)));
      const reversed = [...texts].reverse();
      expect(reversed.map(valueOf)).toEqual(reversed.map((text) => JSON.parse(text)));
      const later = embeddedManifestText(app(100));
      expect(valueOf(later)).toEqual(JSON.parse(later));
      expect(valueOf(texts[0])).toEqual(JSON.parse(texts[0]));
    });
  });

  test('knows no text written before or after the call', () => {
    const before = embeddedManifestText(MANIFEST);
    let lookup: ((text: string) => unknown) | undefined;
    withEmbeddedManifests((valueOf) => {
      expect(valueOf(before)).toBeUndefined();
      lookup = valueOf;
    });
    const other = { ...MANIFEST, kind: 'ScheduledSparkApplication' };
    const after = embeddedManifestText(other);
    expect(lookup?.(after)).toBeUndefined();
  });

  test('drops the record when the call ends, also when it throws', () => {
    expect(() =>
      withEmbeddedManifests(() => {
        embeddedManifestText(MANIFEST);
        throw new Error('stop');
      }),
    ).toThrow('stop');
    withEmbeddedManifests((valueOf) => expect(valueOf(embeddedManifestText({ kind: 'B' }))).toEqual({ kind: 'B' }));
    const text = embeddedManifestText(MANIFEST);
    withEmbeddedManifests((valueOf) => expect(valueOf(text)).toBeUndefined());
  });

  test('a nested call shares the outer record', () => {
    withEmbeddedManifests((outer) => {
      const text = withEmbeddedManifests((inner) => {
        const written = embeddedManifestText(MANIFEST);
        expect(inner(written)).toBeDefined();
        return written;
      });
      expect(outer(text)).toEqual(JSON.parse(text));
    });
  });

  test.each([
    ['an undefined field', { kind: 'A', spec: { a: undefined } }],
    ['an undefined list item', { kind: 'A', spec: { list: [1, undefined] } }],
    ['a number JSON cannot hold', { kind: 'A', spec: { n: Number.NaN } }],
    ['a negative zero (JSON reads it back as 0)', { kind: 'A', spec: { n: -0 } }],
    ['an object that writes itself', { kind: 'A', spec: { at: new Date(0) } }],
    ['a class instance', { kind: 'A', spec: new (class Spec { public n = 1; })() }],
  ])('does not stand in for a value with %s (parsing its text gives another value)', (_, manifest) => {
    withEmbeddedManifests((valueOf) => expect(valueOf(embeddedManifestText(manifest))).toBeUndefined());
  });
});
