/**
 * `batchplane plan` without the rendering: finds the cdk8s app command, runs it with the resolver
 * told to write its plans to a temporary file, and reads them back.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PLAN_FILE_ENV, PlanFile, parsePlanFile } from '../model/planner';

/** A problem with how the command was called or what it found (exit status 2, no stack trace). */
export class CliError extends Error {}

/** The outcome of running the app. */
export interface AppRun {
  /** The plans the app wrote (undefined when it wrote none, e.g. it crashed before validation). */
  readonly planFile?: PlanFile;
  /** The app's exit status (non-zero when synthesis failed, e.g. on resolver errors). */
  readonly status: number;
}

/**
 * The `app` command of a `cdk8s.yaml` (a top-level `app:` line, quotes removed), or undefined.
 * Read with a regular expression so the CLI needs no YAML parser at run time.
 */
export function appCommandFromConfig(configText: string): string | undefined {
  const match = /^app:[ \t]*(.+?)[ \t]*$/m.exec(configText);
  if (!match) return undefined;
  const value = match[1];
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2] : value;
}

/** The app command: `--app` when given, else the `app` line of `<cwd>/cdk8s.yaml`. */
export function resolveAppCommand(explicit: string | undefined, cwd: string): string {
  if (explicit) return explicit;
  const config = path.join(cwd, 'cdk8s.yaml');
  const command = fs.existsSync(config) ? appCommandFromConfig(fs.readFileSync(config, 'utf8')) : undefined;
  if (!command) throw new CliError(`no app to run: pass --app "<command>" or run where cdk8s.yaml has an app line (looked in ${config})`);
  return command;
}

/**
 * Runs the app in a shell with `BATCHPLANE_PLAN_FILE` and `CDK8S_OUTDIR` pointing into a fresh
 * temporary directory (removed afterwards). The app's own output goes to stderr, so stdout carries
 * only the rendered plan.
 */
export function runApp(command: string, cwd: string): AppRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batchplane-plan-'));
  const planPath = path.join(dir, 'plan.json');
  try {
    const result = spawnSync(command, {
      cwd,
      shell: true,
      stdio: ['ignore', 2, 2],
      env: { ...process.env, [PLAN_FILE_ENV]: planPath, CDK8S_OUTDIR: path.join(dir, 'dist') },
    });
    if (result.error) throw result.error;
    const planFile = fs.existsSync(planPath) ? parsePlanFile(fs.readFileSync(planPath, 'utf8')) : undefined;
    return { planFile, status: result.status ?? 1 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
