/**
 * A cdk8s CLI validation plugin (`validations:` in cdk8s.yaml). Node pools are not in the manifests,
 * so the plugin checks what the manifests do show — the DAGs of Argo Workflows, CronWorkflows and
 * WorkflowTemplates: unknown dependencies, duplicate task names, self-dependencies and cycles — and,
 * when the synth wrote a plan file (`BATCHPLANE_PLAN_FILE`), reports the resolver's findings too.
 *
 * ```yaml
 * validations:
 *   - package: batchplane/plugin   # or ./node_modules/batchplane/build/lib/plugin
 *     class: BatchplaneValidation
 *     version: 0.1.0
 *     properties:
 *       planFile: .batchplane/plan.json   # optional; run synth with BATCHPLANE_PLAN_FILE set to it
 * ```
 *
 * Only types come from cdk8s-cli, so the plugin has no run-time dependency on it.
 */
import * as fs from 'fs';
import type { Validation, ValidationContext, ValidationViolation } from 'cdk8s-cli/lib/plugins';
import { ARGO_KINDS } from '../model/argo-names';
import { parseDepends, referencedTasks } from '../model/depends';
import { BatchplaneError } from '../model/errors';
import { JobGraph } from '../model/job-graph';
import { Finding, parsePlanFile } from '../model/planner';

/** The `properties` of the plugin in cdk8s.yaml. */
export interface BatchplaneValidationProps {
  /**
   * A plan file written during synth (run `cdk8s synth` with `BATCHPLANE_PLAN_FILE` set to the same
   * path); its errors become violations and its warnings are logged.
   * @default - graph checks of the manifests only
   */
  readonly planFile?: string;
}

/** An Argo DAG task as it appears in a manifest. */
interface DagTask {
  readonly name?: unknown;
  readonly depends?: unknown;
  readonly dependencies?: unknown;
}

/** A problem of a DAG: a graph problem or a `depends` syntax error. */
interface Problem {
  readonly code: string;
  readonly message: string;
}

/** One DAG found in a manifest, with where it is. */
export interface ManifestDag {
  readonly resourceName: string;
  readonly manifestPath: string;
  readonly location: string;
  readonly tasks: readonly DagTask[];
}

const FIXES: Readonly<Record<string, string>> = {
  'cycle': 'Remove one dependency of each cycle; a dependency shared by several cycles breaks them all.',
  'unknown-job': 'Depend on a task of the same DAG (check the spelling).',
  'duplicate-job': 'Give every task of a DAG its own name.',
  'self-edge': 'Remove the dependency of the task on itself.',
  'depends-syntax': 'Write depends with task names, .Succeeded/.Failed/... selectors, &&, || and ! only.',
};

/** The batchplane validation plugin. */
export class BatchplaneValidation implements Validation {
  private readonly planFile?: string;

  constructor(props: BatchplaneValidationProps = {}) {
    this.planFile = props.planFile;
  }

  public async validate(context: ValidationContext): Promise<void> {
    const violations = [
      ...context.manifests.flatMap((manifestPath) => dagsOf(manifestPath, context.parseManifest(manifestPath))).flatMap(checkDag),
      ...this.planViolations(context),
    ];
    violations.forEach((violation) => context.report.addViolation(violation));
    context.report.submit(violations.length > 0 ? 'failure' : 'success');
  }

  /** Errors of the plan file as violations; warnings logged. */
  private planViolations(context: ValidationContext): ValidationViolation[] {
    if (this.planFile === undefined) return [];
    const plans = fs.existsSync(this.planFile) ? parsePlanFile(fs.readFileSync(this.planFile, 'utf8')) : undefined;
    if (!plans) {
      context.logger.log(`batchplane: no plan file at ${this.planFile}; run cdk8s synth with BATCHPLANE_PLAN_FILE=${this.planFile} to check capacity`);
      return [];
    }
    const findings = plans.plans.flatMap(({ plan }) => plan.findings);
    findings.filter((f) => f.severity === 'warning').forEach((f) => context.logger.log(`batchplane warning [${f.path}]: ${f.message}`));
    return findings.filter((f) => f.severity === 'error').map((f) => planViolation(f, context.manifests[0] ?? ''));
  }
}

/** Every Argo DAG template in the documents of a manifest file. */
export function dagsOf(manifestPath: string, documents: readonly unknown[]): ManifestDag[] {
  return documents.filter(isArgoObject).flatMap((doc) => {
    const cron = doc.kind === 'CronWorkflow';
    const spec = (cron ? doc.spec?.workflowSpec : doc.spec) as { templates?: unknown } | undefined;
    const templates = Array.isArray(spec?.templates) ? (spec.templates as { name?: unknown; dag?: { tasks?: unknown } }[]) : [];
    const prefix = cron ? 'spec.workflowSpec.templates' : 'spec.templates';
    return templates.flatMap((template, index) => Array.isArray(template?.dag?.tasks)
      ? [{ resourceName: `${doc.kind}/${String(doc.metadata?.name ?? '')}`, manifestPath, location: `${prefix}[${index}].dag.tasks`, tasks: template.dag.tasks as DagTask[] }]
      : []);
  });
}

/** The graph problems of one DAG, as violations. */
export function checkDag(dag: ManifestDag): ValidationViolation[] {
  const graph = new JobGraph();
  const syntax: Problem[] = [];
  for (const task of dag.tasks) graph.addJob(String(task.name));
  for (const task of dag.tasks) {
    for (const dependency of dependenciesOf(task, syntax)) graph.addEdge(dependency, String(task.name));
  }
  return [...syntax, ...graph.problems()].map((problem) => ({
    ruleName: `batchplane-${problem.code}`,
    recommendation: `${dag.resourceName}: ${problem.message}`,
    fix: FIXES[problem.code] ?? 'See the message.',
    violatingResources: [{ resourceName: dag.resourceName, locations: [dag.location], manifestPath: dag.manifestPath }],
  }));
}

/** The tasks a task waits for, from `dependencies` and `depends`; syntax errors are collected. */
function dependenciesOf(task: DagTask, syntax: Problem[]): string[] {
  const listed = Array.isArray(task.dependencies) ? task.dependencies.map(String) : [];
  if (typeof task.depends !== 'string') return listed;
  try {
    return [...listed, ...referencedTasks(parseDepends(task.depends))];
  } catch (error) {
    if (!(error instanceof BatchplaneError)) throw error;
    syntax.push({ code: 'depends-syntax', message: `task ${String(task.name)}: ${error.message}` });
    return listed;
  }
}

function planViolation(finding: Finding, manifestPath: string): ValidationViolation {
  return {
    ruleName: `batchplane-${finding.code}`,
    recommendation: finding.message,
    fix: 'See the message; the resolver runs in cdk8s synth.',
    violatingResources: [{ resourceName: finding.path, locations: [], manifestPath }],
  };
}

function isArgoObject(doc: unknown): doc is { kind: string; metadata?: { name?: unknown }; spec?: { workflowSpec?: unknown } & Record<string, unknown> } {
  if (typeof doc !== 'object' || doc === null) return false;
  const { apiVersion, kind } = doc as { apiVersion?: unknown; kind?: unknown };
  return typeof apiVersion === 'string' && apiVersion.startsWith('argoproj.io/') && typeof kind === 'string' && ARGO_KINDS.has(kind);
}
