import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as Plugins from 'cdk8s-cli/lib/plugins';
import { stringify } from 'yaml';
import { BatchplaneValidation, checkDag, dagsOf } from '../../lib/plugin';
import { PlanFile } from '../../lib/model/planner';
import { samplePlan } from '../model/support/sample-plan';

// Jest follows the package's exports map (`cdk8s-cli/plugins`); tsc (node10 resolution) reads the file path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as typeof Plugins;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batchplane-plugin-'));

function manifest(name: string, documents: unknown[]): string {
  const file = path.join(dir, `${name}.k8s.yaml`);
  fs.writeFileSync(file, documents.map((doc) => stringify(doc)).join('---\n'));
  return file;
}

const cron = (tasks: unknown[]) => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name: 'nightly' },
  spec: { schedules: ['0 23 * * *'], workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', dag: { tasks } }, { name: 'step', container: { image: 'x' } }] } },
});

async function run(files: string[], planFile?: string) {
  const context = new ValidationContext(files, 'batchplane', '0.1.0');
  const logs: string[] = [];
  jest.spyOn(context.logger, 'log').mockImplementation((message: string) => void logs.push(message));
  await new BatchplaneValidation({ planFile }).validate(context);
  return { report: context.report.toJson(), success: context.report.success, logs };
}

afterEach(() => jest.restoreAllMocks());

describe('dagsOf', () => {
  test('finds DAG templates of Argo kinds only', () => {
    const docs = [cron([{ name: 'a', template: 'step' }]), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'lib' }, spec: { templates: [{ name: 'm', dag: { tasks: [] } }] } }];
    expect(dagsOf('m.yaml', docs).map((d) => [d.resourceName, d.location])).toEqual([
      ['CronWorkflow/nightly', 'spec.workflowSpec.templates[0].dag.tasks'],
      ['WorkflowTemplate/lib', 'spec.templates[0].dag.tasks'],
    ]);
  });
});

describe('checkDag', () => {
  const dag = (tasks: unknown[]) => dagsOf('m.yaml', [cron(tasks)])[0];

  test('a cycle through depends and dependencies', () => {
    const violations = checkDag(dag([
      { name: 'job-a', template: 'step', depends: 'job-d.Succeeded || job-c' },
      { name: 'job-c', template: 'step' },
      { name: 'job-d', template: 'step', dependencies: ['job-a'] },
    ]));
    expect(violations).toEqual([{
      ruleName: 'batchplane-cycle',
      recommendation: 'CronWorkflow/nightly: dependency cycle job-a → job-d → job-a; remove one of these dependencies',
      fix: 'Remove one dependency of each cycle; a dependency shared by several cycles breaks them all.',
      violatingResources: [{ resourceName: 'CronWorkflow/nightly', locations: ['spec.workflowSpec.templates[0].dag.tasks'], manifestPath: 'm.yaml' }],
    }]);
  });

  test('overlapping cycles: each is a violation of its own, shortest first, whatever the task order', () => {
    const tasks = [
      { name: 'c', template: 'step', depends: 'a && b' },
      { name: 'b', template: 'step', dependencies: ['a', 'c'] },
      { name: 'a', template: 'step', depends: 'b || c' },
    ];
    const expected = [
      'CronWorkflow/nightly: dependency cycle a → b → a; remove one of these dependencies',
      'CronWorkflow/nightly: dependency cycle a → c → a; remove one of these dependencies',
      'CronWorkflow/nightly: dependency cycle b → c → b; remove one of these dependencies',
      'CronWorkflow/nightly: dependency cycle a → b → c → a; remove one of these dependencies',
      'CronWorkflow/nightly: dependency cycle a → c → b → a; remove one of these dependencies',
    ];
    expect(checkDag(dag(tasks)).map((v) => v.recommendation)).toEqual(expected);
    expect(checkDag(dag([...tasks].reverse())).map((v) => v.recommendation)).toEqual(expected);
    expect(new Set(checkDag(dag(tasks)).map((v) => v.ruleName))).toEqual(new Set(['batchplane-cycle']));
  });

  test('unknown dependencies, duplicates and bad depends syntax', () => {
    const violations = checkDag(dag([
      { name: 'extract', template: 'step' },
      { name: 'extract', template: 'step' },
      { name: 'load', template: 'step', depends: 'extrct' },
      { name: 'report', template: 'step', depends: 'load and extract' },
    ]));
    expect(violations.map((v) => [v.ruleName, v.recommendation])).toEqual([
      ['batchplane-depends-syntax', expect.stringMatching(/^CronWorkflow\/nightly: task report: depends: got "load and extract"/)],
      ['batchplane-duplicate-job', 'CronWorkflow/nightly: more than one job is named extract; job names must be unique within a pipeline'],
      ['batchplane-unknown-job', 'CronWorkflow/nightly: load depends on unknown job extrct; did you mean extract?'],
    ]);
  });
});

describe('BatchplaneValidation', () => {
  test('a valid DAG passes', async () => {
    const file = manifest('ok', [cron([{ name: 'a', template: 'step' }, { name: 'b', template: 'step', depends: 'a' }])]);
    const result = await run([file]);
    expect(result.success).toBe(true);
    expect(result.report.violations).toEqual([]);
  });

  test('a cycle fails with its path', async () => {
    const file = manifest('cycle', [cron([{ name: 'a', template: 'step', depends: 'b' }, { name: 'b', template: 'step', depends: 'a' }])]);
    const result = await run([file]);
    expect(result.success).toBe(false);
    expect(result.report.violations.map((v) => v.recommendation)).toEqual(['CronWorkflow/nightly: dependency cycle a → b → a; remove one of these dependencies']);
  });

  test('plan file: errors are violations, warnings are logged', async () => {
    const plan = samplePlan();
    const planFile: PlanFile = { version: 1, plans: [{ platform: 'data', plan: { ...plan, findings: [...plan.findings, { severity: 'error', path: 'data/huge', code: 'job-exceeds-pool', message: 'huge needs 30 nodes' }] } }] };
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(planFile));
    const result = await run([manifest('empty', [])], file);
    expect(result.success).toBe(false);
    expect(result.report.violations.map((v) => [v.ruleName, v.recommendation])).toEqual([['batchplane-job-exceeds-pool', 'huge needs 30 nodes']]);
    expect(result.logs).toEqual([expect.stringMatching(/^batchplane warning \[data\/spark-spot\]: pool spark-spot: jobs that may run/)]);
  });

  test('a missing plan file is logged, not a failure', async () => {
    const result = await run([manifest('none', [])], path.join(dir, 'absent.json'));
    expect(result.success).toBe(true);
    expect(result.logs[0]).toMatch(/^batchplane: no plan file at /);
  });
});
