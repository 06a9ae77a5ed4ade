import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, parseArgs, render } from '../../lib/cli/main';
import { CliError, appCommandFromConfig, resolveAppCommand, runApp } from '../../lib/cli/plan';
import { PlanFile } from '../../lib/model/planner';
import { samplePlan } from '../model/support/sample-plan';

const file: PlanFile = { version: 1, plans: [{ platform: 'data', plan: samplePlan() }] };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batchplane-cli-'));

/** A stand-in for a cdk8s app: writes `plan` to the plan file the CLI asks for, exits with `status`. */
function fakeApp(plan: PlanFile | undefined, status = 0): string {
  const script = path.join(dir, `app-${Math.random().toString(36).slice(2)}.js`);
  const write = plan ? `require('fs').writeFileSync(process.env.BATCHPLANE_PLAN_FILE, ${JSON.stringify(JSON.stringify(plan))});` : '';
  fs.writeFileSync(script, `${write}\nconsole.log('synth output goes to stderr');\nprocess.exit(${status});\n`);
  return `"${process.execPath}" "${script}"`;
}

function capture(fn: () => number): { status: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (err.push(String(c)), true));
  try {
    return { status: fn(), stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('parseArgs', () => {
  test('defaults and options', () => {
    expect(parseArgs(['plan'])).toEqual({ format: 'table', app: undefined, out: undefined, platform: undefined });
    expect(parseArgs(['plan', '--app', 'node x.js', '--format=svg', '--out', 'p.svg'])).toMatchObject({ app: 'node x.js', format: 'svg', out: 'p.svg' });
  });

  test.each([[[]], [['synth']], [['plan', '--format', 'png']], [['plan', '--color']], [['plan', '--out']]])('rejects %j', (argv) => {
    expect(() => parseArgs(argv)).toThrow(CliError);
  });
});

describe('app command', () => {
  test('read from cdk8s.yaml', () => {
    expect(appCommandFromConfig('language: typescript\napp: node build/main.js\n')).toBe('node build/main.js');
    expect(appCommandFromConfig("app: 'npx ts-node main.ts'")).toBe('npx ts-node main.ts');
    expect(appCommandFromConfig('language: typescript')).toBeUndefined();
    expect(resolveAppCommand('explicit', dir)).toBe('explicit');
    expect(() => resolveAppCommand(undefined, dir)).toThrow(/no app to run/);
  });
});

describe('render', () => {
  test('each format', () => {
    expect(JSON.parse(render(file, { format: 'json' }))).toEqual(JSON.parse(JSON.stringify(file)));
    expect(render(file, { format: 'svg' })).toMatch(/^<svg /);
    expect(render(file, { format: 'mermaid' })).toMatch(/^gantt\n/);
    const table = render(file, { format: 'table' });
    expect(table).toMatch(/^Platform data\n\nPools\n/);
    expect(table).toContain('\nSchedule\nnightly: makespan 1h5m');
    expect(() => render(file, { format: 'table', platform: 'other' })).toThrow('no platform other; the app has data');
  });
});

describe('main', () => {
  test('runs the app and prints the plan; warnings only: exit 0', () => {
    const result = capture(() => main(['plan', '--app', fakeApp(file), '--format', 'mermaid'], dir));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^gantt\n/);
  });

  test('errors: exit 1 with the errors on stderr, output still written', () => {
    const failing: PlanFile = { version: 1, plans: [{ platform: 'data', plan: { ...samplePlan(), findings: [{ severity: 'error', path: 'data/x', code: 'cycle', message: 'dependency cycle a → b → a' }] } }] };
    const out = path.join(dir, 'plan.svg');
    const result = capture(() => main(['plan', '--app', fakeApp(failing, 1), '--format', 'svg', '--out', out], dir));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error [data/x] dependency cycle a → b → a\n');
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^<svg /);
  });

  test('an app that writes no plan: exit 2', () => {
    const result = capture(() => main(['plan', '--app', fakeApp(undefined, 3)], dir));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the app wrote no plan (exit status 3)');
  });

  test('usage errors: exit 2 with the usage line', () => {
    const result = capture(() => main(['plan', '--format', 'png'], dir));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: batchplane plan');
  });

  test('runApp removes its temporary directory', () => {
    const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('batchplane-plan-')).length;
    expect(runApp(fakeApp(file), dir).planFile?.plans).toHaveLength(1);
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('batchplane-plan-')).length).toBe(before);
  });
});
