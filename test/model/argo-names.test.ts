import {
  checkArgoObjectName,
  checkArgoTemplateName,
  checkDagSize,
  checkDependsTaskName,
  checkNoLeadingDigit,
  checkNotExprBuiltin,
  checkParameterName,
  EXPR_RESERVED_NAMES,
  isArgoTemplateName,
  MAX_DAG_TASKS,
} from '../../lib/model/argo-names';
import { BatchplaneError } from '../../lib/model/errors';

describe('template and task names', () => {
  test.each(['a', 'Job-A', '5a', 'a-', 'x'.repeat(128)])('accepts %j', (name) => {
    expect(checkArgoTemplateName('name', name)).toBe(name);
    expect(isArgoTemplateName(name)).toBe(true);
  });

  test.each(['', '-a', 'a_b', 'a.b', 'a b', 'ä'])('rejects %j', (name) => {
    expect(() => checkArgoTemplateName('tasks.x', name)).toThrow(BatchplaneError);
    expect(() => checkArgoTemplateName('tasks.x', name)).toThrow('starting with a letter or digit (^[a-zA-Z0-9][-a-zA-Z0-9]*$)');
    expect(isArgoTemplateName(name)).toBe(false);
  });

  test('at most 128 characters', () => {
    expect(() => checkArgoTemplateName('name', 'x'.repeat(129))).toThrow('expected at most 128 characters (got 129)');
  });

  test('non-strings are rejected without a TypeError', () => {
    expect(() => checkArgoTemplateName('name', 7)).toThrow('name: got 7, expected letters');
  });
});

describe('names used in depends', () => {
  test('no leading digit, with the reason', () => {
    expect(() => checkDependsTaskName('tasks.5a', '5a')).toThrow(
      'tasks.5a: got "5a", expected a name that does not begin with a digit once the DAG uses depends',
    );
    expect(checkDependsTaskName('tasks.a5', 'a5')).toBe('a5');
  });

  test('expr-lang built-ins are refused with an explanation and a suggestion', () => {
    expect(() => checkDependsTaskName('tasks.split', 'split')).toThrow(
      /'split' is a function or keyword \(argoproj\/argo-workflows#12037\); add a hyphenated word, e.g. 'split-step'/,
    );
    for (const name of ['map', 'filter', 'len', 'all', 'any', 'none', 'one']) expect(EXPR_RESERVED_NAMES.has(name)).toBe(true);
    expect(checkDependsTaskName('t', 'split-files')).toBe('split-files');
    expect(checkDependsTaskName('t', 'Split')).toBe('Split');
    expect(() => checkNotExprBuiltin('t', 'len')).toThrow("'len' is a function or keyword");
    expect(checkNotExprBuiltin('t', '5a')).toBe('5a');
    expect(checkNoLeadingDigit('t', 'len')).toBe('len');
  });
});

describe('parameter names', () => {
  test.each(['a', '_x', '-y', 'a_b-C9'])('accepts %j', (name) => expect(checkParameterName('p', name)).toBe(name));
  test.each(['', 'a.b', 'a b', '{x}'])('rejects %j', (name) => {
    expect(() => checkParameterName('parameters', name)).toThrow('expected letters, digits, "-" and "_" (^[-a-zA-Z0-9_]+$)');
  });
});

describe('object names', () => {
  test('63 characters for workflows and templates', () => {
    expect(checkArgoObjectName('Workflow', 'name', 'a'.repeat(63))).toHaveLength(63);
    expect(checkArgoObjectName('WorkflowTemplate', 'name', 'a'.repeat(63))).toHaveLength(63);
    expect(() => checkArgoObjectName('Workflow', 'name', 'a'.repeat(64))).toThrow(
      'expected at most 63 characters for a Workflow, because the name is copied into pod label values (got 64)',
    );
  });

  test('52 characters for a CronWorkflow', () => {
    expect(checkArgoObjectName('CronWorkflow', 'name', 'a'.repeat(52))).toHaveLength(52);
    expect(() => checkArgoObjectName('CronWorkflow', 'name', 'a'.repeat(53))).toThrow(
      /at most 52 characters for a CronWorkflow, because each run is named <name>-<unix seconds>.*\(got 53\)/,
    );
  });

  test('DNS-1123 subdomain', () => {
    expect(() => checkArgoObjectName('Workflow', 'name', 'Nightly')).toThrow(BatchplaneError);
    expect(() => checkArgoObjectName('Workflow', 'name', 'a_b')).toThrow(BatchplaneError);
    expect(checkArgoObjectName('Workflow', 'name', 'etl.nightly-1')).toBe('etl.nightly-1');
  });
});

test('DAG size cap', () => {
  expect(() => checkDagSize('tasks', MAX_DAG_TASKS)).not.toThrow();
  expect(() => checkDagSize('tasks', 201)).toThrow('tasks: got 201, expected at most 200 tasks in one DAG (the Argo CRD limit)');
});
