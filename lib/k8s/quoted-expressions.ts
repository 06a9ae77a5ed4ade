/**
 * Argo reads a task's `depends` and `when` as expressions. Written without quotes, an expression that
 * starts with `!` reads as a YAML tag and one like `1e5` as a number; the YAML writer quotes only where
 * the plain form would change the value, so these are marked to be written double-quoted always.
 * The marks are YAML scalar nodes, which cdk8s's YAML writer keeps as they are; they are added only to
 * manifests on their way into a YAML file.
 */
import { Scalar } from 'yaml';
import { ARGO_KINDS } from '../model/argo-names';
import { asList, asObject } from './pod-sites';

const EXPRESSION_FIELDS = ['depends', 'when'] as const;

/** Marks the `depends` and `when` strings of every DAG task of an Argo manifest to be written quoted. */
export function quoteDagExpressions(manifest: Record<string, unknown>): Record<string, unknown> {
  if (!ARGO_KINDS.has(String(manifest.kind))) return manifest;
  const spec = asObject(manifest.spec);
  const workflowSpec = manifest.kind === 'CronWorkflow' ? asObject(spec.workflowSpec) : spec;
  for (const template of asList(workflowSpec.templates)) {
    for (const task of asList(asObject(asObject(template).dag).tasks)) quoteFields(asObject(task) as Record<string, unknown>);
  }
  return manifest;
}

function quoteFields(task: Record<string, unknown>): void {
  for (const field of EXPRESSION_FIELDS) {
    const value = task[field];
    if (typeof value !== 'string') continue;
    const quoted = new Scalar(value);
    quoted.type = Scalar.QUOTE_DOUBLE;
    task[field] = quoted;
  }
}
