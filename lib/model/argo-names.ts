/**
 * Naming rules of Argo Workflows, checked before anything is written: template and task names,
 * parameter names, object name lengths per kind and the DAG size cap. Each check throws a
 * {@link BatchplaneError} that says which rule was broken and why it exists.
 */
import { BatchplaneError } from './errors';
import { checkDns1123Subdomain } from './names';

/** Template and DAG task names (Argo's validator and the full CRD pattern). */
export const TEMPLATE_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;

/** Parameter and artifact names; unlike task names they allow `_` and a leading `-` or `_`. */
const PARAMETER_NAME = /^[-a-zA-Z0-9_]+$/;

/** The longest template or task name Argo accepts. */
export const MAX_TEMPLATE_NAME_LENGTH = 128;

/** The most tasks one DAG template may hold (the full CRD's `maxItems`). */
export const MAX_DAG_TASKS = 200;

/** The Argo object kinds batchplane writes. */
export type ArgoKind = 'Workflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';

/** The {@link ArgoKind}s, for telling Argo objects apart by their `kind`. */
export const ARGO_KINDS: ReadonlySet<string> = new Set<ArgoKind>(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']);

/**
 * The longest `metadata.name` per kind. Workflow names end up in pod label values (63); a CronWorkflow
 * names each run `<cron>-<unix seconds>`, 11 characters more, so it gets 52.
 */
export const MAX_OBJECT_NAME_LENGTH: Readonly<Record<ArgoKind, number>> = {
  Workflow: 63,
  WorkflowTemplate: 63,
  ClusterWorkflowTemplate: 63,
  CronWorkflow: 52,
};

/**
 * Names that clash with functions, operators and literals of expr-lang, the language Argo evaluates
 * `depends` and `when` in. A task named like one of them (after Argo swaps `-` for `_`, so only names
 * without a hyphen can clash) is read as the built-in, not as the task (argoproj/argo-workflows#12037).
 */
export const EXPR_RESERVED_NAMES: ReadonlySet<string> = new Set([
  // literals and word operators
  'true', 'false', 'nil', 'not', 'and', 'or', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else',
  // predicates and collection functions
  'all', 'none', 'any', 'one', 'filter', 'map', 'find', 'findIndex', 'findLast', 'findLastIndex', 'count', 'sum',
  'groupBy', 'sortBy', 'reduce', 'len', 'type', 'first', 'last', 'get', 'take', 'keys', 'values', 'toPairs', 'fromPairs',
  'sort', 'reverse', 'uniq', 'concat', 'flatten', 'join',
  // maths and conversion
  'abs', 'ceil', 'floor', 'round', 'int', 'float', 'string', 'max', 'min', 'mean', 'median',
  'bitand', 'bitor', 'bitxor', 'bitnand', 'bitnot', 'bitshl', 'bitshr', 'bitushr',
  // strings, encoding, time
  'trim', 'trimPrefix', 'trimSuffix', 'upper', 'lower', 'split', 'splitAfter', 'replace', 'repeat', 'indexOf',
  'lastIndexOf', 'hasPrefix', 'hasSuffix', 'toJSON', 'fromJSON', 'toBase64', 'fromBase64', 'now', 'duration', 'date',
  'timezone',
]);

/** Whether `name` is a valid Argo template or task name. */
export function isArgoTemplateName(name: string): boolean {
  return typeof name === 'string' && name.length <= MAX_TEMPLATE_NAME_LENGTH && TEMPLATE_NAME.test(name);
}

/**
 * Checks a template or DAG task name: letters, digits and `-`, starting with a letter or digit, at most
 * 128 characters. Upper case is allowed.
 */
export function checkArgoTemplateName(field: string, name: unknown): string {
  if (typeof name !== 'string' || !TEMPLATE_NAME.test(name)) {
    throw new BatchplaneError(field, name, 'letters, digits and "-", starting with a letter or digit (^[a-zA-Z0-9][-a-zA-Z0-9]*$)');
  }
  if (name.length > MAX_TEMPLATE_NAME_LENGTH) {
    throw new BatchplaneError(field, name, `at most ${MAX_TEMPLATE_NAME_LENGTH} characters (got ${name.length})`);
  }
  return name;
}

/**
 * Checks the name of a task in a DAG that uses `depends`: no leading digit, because Argo substitutes
 * names into an expression where `5a` or `1e5` reads as a number (argoproj/argo-workflows#4199).
 */
export function checkNoLeadingDigit(field: string, name: string): string {
  if (/^[0-9]/.test(name)) {
    throw new BatchplaneError(
      field,
      name,
      'a name that does not begin with a digit once the DAG uses depends: Argo reads a leading digit as a number in the expression',
    );
  }
  return name;
}

/**
 * Checks a task name that appears in a `depends` expression: no leading digit (see
 * {@link checkNoLeadingDigit}) and no expr-lang built-in name.
 */
export function checkDependsTaskName(field: string, name: string): string {
  checkNoLeadingDigit(field, name);
  return checkNotExprBuiltin(field, name);
}

/** Checks that a task name named in a `depends` expression is not an expr-lang built-in ({@link EXPR_RESERVED_NAMES}). */
export function checkNotExprBuiltin(field: string, name: string): string {
  if (EXPR_RESERVED_NAMES.has(name)) {
    throw new BatchplaneError(
      field,
      name,
      `a name that is not an expr-lang built-in: Argo evaluates depends with expr-lang, where '${name}' is a function or keyword ` +
        `(argoproj/argo-workflows#12037); add a hyphenated word, e.g. '${name}-step'`,
    );
  }
  return name;
}

/** Checks a parameter or artifact name: letters, digits, `-` and `_`. */
export function checkParameterName(field: string, name: unknown): string {
  if (typeof name !== 'string' || !PARAMETER_NAME.test(name)) {
    throw new BatchplaneError(field, name, 'letters, digits, "-" and "_" (^[-a-zA-Z0-9_]+$)');
  }
  return name;
}

/** Checks the `metadata.name` of an Argo object: a DNS-1123 subdomain no longer than the kind allows. */
export function checkArgoObjectName(kind: ArgoKind, field: string, name: unknown): string {
  checkDns1123Subdomain(field, name as string);
  const max = MAX_OBJECT_NAME_LENGTH[kind];
  const text = name as string;
  if (text.length > max) {
    throw new BatchplaneError(field, name, `at most ${max} characters for a ${kind}${kindReason(kind)} (got ${text.length})`);
  }
  return text;
}

function kindReason(kind: ArgoKind): string {
  return kind === 'CronWorkflow'
    ? ', because each run is named <name>-<unix seconds>, 11 characters more, and must stay within 63'
    : ', because the name is copied into pod label values';
}

/** Checks that a DAG holds at most {@link MAX_DAG_TASKS} tasks. */
export function checkDagSize(field: string, taskCount: number): void {
  if (taskCount > MAX_DAG_TASKS) {
    throw new BatchplaneError(
      field,
      taskCount,
      `at most ${MAX_DAG_TASKS} tasks in one DAG (the Argo CRD limit); split the pipeline or move groups into WorkflowTemplates`,
    );
  }
}
