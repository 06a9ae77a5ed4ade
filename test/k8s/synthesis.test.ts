import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { isSynthesizing, onSynthesisEnd } from '../../lib/k8s/synthesis';

describe('synthesis tracking', () => {
  test('an app is synthesizing exactly while synth() or synthYaml() runs, and each end is reported', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bp-synthesis-')) });
    const seen: boolean[] = [];
    let ends = 0;
    app.node.addValidation({ validate: () => { seen.push(isSynthesizing(app)); return []; } });
    onSynthesisEnd(app, () => ends++);
    expect(isSynthesizing(app)).toBe(false);
    app.synth();
    app.synthYaml();
    expect(seen).toEqual([true, true]);
    expect(isSynthesizing(app)).toBe(false);
    expect(ends).toBe(2);
  });

  test('a failing synthesis still ends', () => {
    const app = Testing.app();
    let ends = 0;
    app.node.addValidation({ validate: () => ['broken'] });
    onSynthesisEnd(app, () => ends++);
    onSynthesisEnd(app, () => ends++);
    expect(() => app.synthYaml()).toThrow('broken');
    expect(isSynthesizing(app)).toBe(false);
    expect(ends).toBe(2);
  });

  test('untracked apps are never synthesizing', () => {
    const app = Testing.app();
    const seen: boolean[] = [];
    app.node.addValidation({ validate: () => { seen.push(isSynthesizing(app)); return []; } });
    app.synthYaml();
    expect(seen).toEqual([false]);
  });
});
