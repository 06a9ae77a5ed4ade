#!/usr/bin/env node
/**
 * The `batchplane` command line.
 *
 *     batchplane plan [--app "<cmd>"] [--format table|svg|mermaid|json] [--out <file>] [--platform <path>]
 *
 * Runs the cdk8s app (by default the `app` of ./cdk8s.yaml), collects the capacity plan the resolver
 * writes during synthesis and renders it. Exits 1 when the plan has errors (they are printed to
 * stderr), 2 on usage errors or when the app produced no plan.
 */
import * as fs from 'fs';
import { CapacityPlan, PlanFile, PlatformPlan, hasErrors } from '../model/planner';
import { CliError, resolveAppCommand, runApp } from './plan';
import { renderGantt } from './render-gantt';
import { renderMermaid } from './render-mermaid';
import { renderSvg } from './render-svg';
import { renderFindings, renderTable } from './render-table';

/** The output formats. */
export const FORMATS = ['table', 'svg', 'mermaid', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** Parsed `plan` options. */
export interface PlanOptions {
  readonly app?: string;
  readonly format: Format;
  readonly out?: string;
  readonly platform?: string;
}

const USAGE = `usage: batchplane plan [--app "<command>"] [--format ${FORMATS.join('|')}] [--out <file>] [--platform <path>]`;

/** Parses the arguments after the program name. */
export function parseArgs(argv: readonly string[]): PlanOptions {
  const [command, ...rest] = argv;
  if (command !== 'plan') throw new CliError(command === undefined ? 'missing command' : `unknown command ${command}`);
  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2);
    if (!['--app', '--format', '--out', '--platform'].includes(flag)) throw new CliError(`unknown option ${rest[i]}`);
    const value = inline ?? rest[++i];
    if (value === undefined) throw new CliError(`${flag} needs a value`);
    values[flag.slice(2)] = value;
  }
  const format = (values.format ?? 'table') as Format;
  if (!FORMATS.includes(format)) throw new CliError(`unknown format ${values.format}; expected one of ${FORMATS.join(', ')}`);
  return { app: values.app, format, out: values.out, platform: values.platform };
}

/** Renders the plans of a plan file in a format. */
export function render(file: PlanFile, options: Pick<PlanOptions, 'format' | 'platform'>): string {
  if (options.format === 'json') return `${JSON.stringify(file, null, 2)}\n`;
  const plans = selectPlans(file, options.platform);
  if (options.format === 'svg') return renderSvg(plans[0].plan);
  if (options.format === 'mermaid') return renderMermaid(plans[0].plan);
  return plans.map(({ platform, plan }) => `Platform ${platform}${plan.strict ? ' (strict)' : ''}\n\n${textPlan(plan)}`).join('\n');
}

/** The table and the Gantt charts. */
function textPlan(plan: CapacityPlan): string {
  const gantt = renderGantt(plan);
  return gantt === '' ? renderTable(plan) : `${renderTable(plan)}\nSchedule\n${gantt}`;
}

/** The plans to draw: the one named by `--platform`, else all for text and the first for pictures. */
function selectPlans(file: PlanFile, platform: string | undefined): readonly PlatformPlan[] {
  if (platform === undefined) return file.plans;
  const selected = file.plans.filter((entry) => entry.platform === platform);
  if (selected.length === 0) throw new CliError(`no platform ${platform}; the app has ${file.plans.map((p) => p.platform).join(', ')}`);
  return selected;
}

/** Runs the command line; returns the exit status. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  try {
    const options = parseArgs(argv);
    const run = runApp(resolveAppCommand(options.app, cwd), cwd);
    if (!run.planFile || run.planFile.plans.length === 0) {
      process.stderr.write(`batchplane: the app wrote no plan (exit status ${run.status}); does it create a Platform and call app.synth()?\n`);
      return 2;
    }
    const output = render(run.planFile, options);
    if (options.out) fs.writeFileSync(options.out, output);
    else process.stdout.write(output);
    const failed = run.planFile.plans.filter(({ plan }) => hasErrors(plan));
    for (const { plan } of failed) process.stderr.write(`${renderFindings(plan.findings.filter((f) => f.severity === 'error')).join('\n')}\n`);
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`batchplane: ${error.message}\n${USAGE}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
