/**
 * Argo Workflows `depends` expressions as typed values: an expression tree, a fluent builder, a parser
 * for the grammar Argo evaluates (`&&`, `||`, `!`, parentheses, `task` and `task.Result`), a renderer
 * that writes the fewest parentheses, and an evaluator for tests and schedule simulation.
 *
 * Argo itself does not check the syntax of `depends` (a dangling `&&` fails only at run time), so the
 * parser here is the first place a mistake can be caught.
 */
import { TEMPLATE_NAME } from './argo-names';
import { BatchplaneError } from './errors';

/** The result selectors Argo accepts after a task name (`job-a.Failed`). */
export type DependsResult =
  | 'Succeeded'
  | 'Failed'
  | 'Errored'
  | 'Skipped'
  | 'Omitted'
  | 'Daemoned'
  | 'AnySucceeded'
  | 'AllFailed';

/** Every {@link DependsResult}, in Argo's documentation order. */
export const DEPENDS_RESULTS: readonly DependsResult[] = Object.freeze([
  'Succeeded',
  'Failed',
  'Errored',
  'Skipped',
  'Omitted',
  'Daemoned',
  'AnySucceeded',
  'AllFailed',
]);

/** The results a bare task name stands for: `a` means `a.Succeeded || a.Skipped || a.Daemoned`. */
export const BARE_TASK_RESULTS: readonly DependsResult[] = Object.freeze(['Succeeded', 'Skipped', 'Daemoned']);

/** Something that names a task: a pipeline task object or any value with a `name`. */
export interface DependsTarget {
  readonly name: string;
}

/** An operand of `and`/`or`: an expression, a task object (bare reference) or a task name. */
export type DependsOperand = DependsExpression | DependsTarget | string;

/**
 * A `depends` expression. Build one with {@link Depends}, or parse Argo text with {@link parseDepends}.
 * Expressions are immutable; `and`/`or` flatten, so `a.and(b).and(c)` is one conjunction of three.
 */
export abstract class DependsExpression {
  /** Which node of the tree this is. */
  public abstract readonly kind: 'task' | 'not' | 'and' | 'or';

  /** This expression and all `others` (`this && others...`). */
  public and(...others: DependsOperand[]): DependsExpression {
    return Depends.all(this, ...others);
  }

  /** This expression or any of `others` (`this || others...`). */
  public or(...others: DependsOperand[]): DependsExpression {
    return Depends.any(this, ...others);
  }

  /** The negation of this expression (`!this`). */
  public not(): DependsExpression {
    return new NotDepends(this);
  }

  /** Structural equality; task origins are ignored. */
  public equals(other: DependsExpression): boolean {
    return renderStructure(this) === renderStructure(other);
  }

  /** The Argo text, with the fewest parentheses. */
  public toString(): string {
    return renderDepends(this);
  }
}

/** A condition on one task: a bare name or `name.Result`. */
export class TaskCondition extends DependsExpression {
  public readonly kind = 'task' as const;

  /**
   * @param task the task name
   * @param result the selector; undefined for a bare name
   * @param origin the task object the reference was built from, when built from one (not part of equality)
   */
  public constructor(
    public readonly task: string,
    public readonly result?: DependsResult,
    public readonly origin?: DependsTarget,
  ) {
    super();
  }
}

/** A bare reference to a task, with methods that select one of its results. */
export class TaskReference extends TaskCondition {
  public constructor(task: string, origin?: DependsTarget) {
    super(task, undefined, origin);
  }

  /** `task.Succeeded`: the task finished successfully. */
  public succeeded(): TaskCondition {
    return this.select('Succeeded');
  }

  /** `task.Failed`: the task failed (non-zero exit or failed children). */
  public failed(): TaskCondition {
    return this.select('Failed');
  }

  /** `task.Errored`: the task ended in Error (an infrastructure or controller error). */
  public errored(): TaskCondition {
    return this.select('Errored');
  }

  /** `task.Skipped`: the task's own `when` was false. */
  public skipped(): TaskCondition {
    return this.select('Skipped');
  }

  /** `task.Omitted`: the task did not run because its own `depends` was false. */
  public omitted(): TaskCondition {
    return this.select('Omitted');
  }

  /** `task.Daemoned`: the task is a daemon and no longer Pending. */
  public daemoned(): TaskCondition {
    return this.select('Daemoned');
  }

  /** `task.AnySucceeded`: for a fan-out task, at least one child succeeded. */
  public anySucceeded(): TaskCondition {
    return this.select('AnySucceeded');
  }

  /** `task.AllFailed`: for a fan-out task, it has children and all of them failed. */
  public allFailed(): TaskCondition {
    return this.select('AllFailed');
  }

  /** `task.<result>` for a selector chosen at run time. */
  public select(result: DependsResult): TaskCondition {
    if (!DEPENDS_RESULTS.includes(result)) {
      throw new BatchplaneError('depends.result', result, `one of ${DEPENDS_RESULTS.join(', ')}`);
    }
    return new TaskCondition(this.task, result, this.origin);
  }
}

/** `!operand`. */
export class NotDepends extends DependsExpression {
  public readonly kind = 'not' as const;

  public constructor(public readonly operand: DependsExpression) {
    super();
  }
}

/** A conjunction (`kind: 'and'`) or disjunction (`kind: 'or'`) of two or more operands, none of the same kind. */
export class JunctionDepends extends DependsExpression {
  /** @internal use {@link Depends.all} / {@link Depends.any}, which flatten and check arity. */
  public constructor(
    public readonly kind: 'and' | 'or',
    public readonly operands: readonly DependsExpression[],
  ) {
    super();
  }
}

/** Factories for `depends` expressions. */
export class Depends {
  /** A bare reference to a task (`job-a`), from a task object or its name. Select a result with `.failed()` etc. */
  public static on(task: DependsTarget | string): TaskReference {
    if (typeof task === 'string') return new TaskReference(checkTaskName(task));
    if (typeof task !== 'object' || task === null || typeof task.name !== 'string') {
      throw new BatchplaneError('depends', task, 'a task or a task name');
    }
    return new TaskReference(checkTaskName(task.name), task);
  }

  /** All operands hold (`a && b && ...`). One operand is returned as it is. */
  public static all(...operands: DependsOperand[]): DependsExpression {
    return junction('and', operands);
  }

  /** At least one operand holds (`a || b || ...`). One operand is returned as it is. */
  public static any(...operands: DependsOperand[]): DependsExpression {
    return junction('or', operands);
  }

  /** The negation of an operand (`!a`). */
  public static not(operand: DependsOperand): DependsExpression {
    return toExpression(operand).not();
  }

  /** Parses Argo `depends` text; see {@link parseDepends}. */
  public static parse(text: string): DependsExpression {
    return parseDepends(text);
  }

  private constructor() {}
}

function checkTaskName(name: string): string {
  if (!TEMPLATE_NAME.test(name)) {
    throw new BatchplaneError('depends', name, 'a task name matching ^[a-zA-Z0-9][-a-zA-Z0-9]*$ (use parseDepends for expression text)');
  }
  return name;
}

function toExpression(operand: DependsOperand): DependsExpression {
  return operand instanceof DependsExpression ? operand : Depends.on(operand);
}

function junction(kind: 'and' | 'or', operands: readonly DependsOperand[]): DependsExpression {
  if (operands.length === 0) {
    throw new BatchplaneError(kind === 'and' ? 'Depends.all' : 'Depends.any', [], 'at least one operand');
  }
  const flat = operands
    .map(toExpression)
    .flatMap((e) => (e instanceof JunctionDepends && e.kind === kind ? e.operands : [e]));
  return flat.length === 1 ? flat[0] : new JunctionDepends(kind, flat);
}

// ---------------------------------------------------------------------------------------------
// Rendering

const PRECEDENCE: Readonly<Record<DependsExpression['kind'], number>> = { or: 1, and: 2, not: 3, task: 4 };

/** Writes an expression as Argo text with the fewest parentheses (`!` binds tighter than `&&`, which binds tighter than `||`). */
export function renderDepends(expr: DependsExpression): string {
  if (expr instanceof TaskCondition) return expr.result ? `${expr.task}.${expr.result}` : expr.task;
  if (expr instanceof NotDepends) return `!${renderOperand(expr.operand, PRECEDENCE.not)}`;
  if (expr instanceof JunctionDepends) {
    const operator = expr.kind === 'and' ? ' && ' : ' || ';
    return expr.operands.map((o) => renderOperand(o, PRECEDENCE[expr.kind])).join(operator);
  }
  throw new BatchplaneError('depends', expr, 'a DependsExpression built with Depends or parseDepends');
}

function renderOperand(operand: DependsExpression, parent: number): string {
  const text = renderDepends(operand);
  // A junction never holds a junction of its own kind, so "equal precedence" only occurs for `!!x`.
  return PRECEDENCE[operand.kind] < parent ? `(${text})` : text;
}

/** A fully parenthesised form used for structural equality. */
function renderStructure(expr: DependsExpression): string {
  if (expr instanceof TaskCondition) return renderDepends(expr);
  if (expr instanceof NotDepends) return `!(${renderStructure(expr.operand)})`;
  if (expr instanceof JunctionDepends) return `${expr.kind}(${expr.operands.map(renderStructure).join(',')})`;
  return String(expr);
}

/** The distinct task names an expression refers to, sorted. */
export function referencedTasks(expr: DependsExpression): string[] {
  const names = new Set<string>();
  visitConditions(expr, (c) => names.add(c.task));
  return [...names].sort();
}

/** Every task condition in the expression, left to right. */
export function taskConditions(expr: DependsExpression): TaskCondition[] {
  const out: TaskCondition[] = [];
  visitConditions(expr, (c) => out.push(c));
  return out;
}

function visitConditions(expr: DependsExpression, visit: (c: TaskCondition) => void): void {
  if (expr instanceof TaskCondition) visit(expr);
  else if (expr instanceof NotDepends) visitConditions(expr.operand, visit);
  else if (expr instanceof JunctionDepends) expr.operands.forEach((o) => visitConditions(o, visit));
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Token =
  | { readonly type: '&&' | '||' | '!' | '(' | ')'; readonly column: number }
  | { readonly type: 'ref'; readonly column: number; readonly name: string; readonly selector?: string }
  | { readonly type: 'end'; readonly column: number };

const WORD_OPERATORS: Readonly<Record<string, string>> = { and: '&&', or: '||', not: '!' };

/** A parse failure at a 1-based column. */
function syntaxError(text: string, column: number, problem: string): BatchplaneError {
  return new BatchplaneError('depends', text, `a depends expression (column ${column}: ${problem})`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|&&|\|\||!|\(|\)|([a-zA-Z0-9][-a-zA-Z0-9]*)(?:\.([A-Za-z0-9_-]*))?/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    const column = index + 1;
    if (!match) throw syntaxError(text, column, unexpectedCharacter(text, index));
    index = pattern.lastIndex;
    const [lexeme, name, selector] = match;
    if (/^\s/.test(lexeme)) continue;
    if (name === undefined) {
      tokens.push({ type: lexeme as '&&' | '||' | '!' | '(' | ')', column });
    } else {
      tokens.push({ type: 'ref', column, name, selector });
    }
  }
  tokens.push({ type: 'end', column: text.length + 1 });
  return tokens;
}

function unexpectedCharacter(text: string, index: number): string {
  const char = text[index];
  if (char === '&' || char === '|') return `'${char}' must be doubled: use '${char}${char}'`;
  if (char === '=' || char === '<' || char === '>') return `comparisons are not part of depends; use task.Result selectors`;
  return `unexpected character ${JSON.stringify(char)}`;
}

function checkSelector(text: string, token: { column: number; name: string; selector?: string }): DependsResult | undefined {
  const selector = token.selector;
  if (selector === undefined) return undefined;
  const known = DEPENDS_RESULTS.find((r) => r === selector);
  if (known) return known;
  const column = token.column + token.name.length + 1;
  const caseless = DEPENDS_RESULTS.find((r) => r.toLowerCase() === selector.toLowerCase());
  if (caseless) {
    throw syntaxError(text, column, `result '${selector}' must be written '${caseless}'; Argo reads a lower-case word as another task`);
  }
  const what = selector === '' ? 'a result after the dot' : `unknown result '${selector}'`;
  throw syntaxError(text, column, `${what}; use one of ${DEPENDS_RESULTS.join(', ')}`);
}

/** Recursive descent over the token list: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | primary. */
class DependsParser {
  private position = 0;

  public constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  public parse(): DependsExpression {
    const expr = this.parseOr();
    const next = this.peek();
    if (next.type !== 'end') throw this.unexpected(next, 'an operator (&& or ||) or the end');
    return expr;
  }

  private parseOr(): DependsExpression {
    return this.parseJunction('||', () => this.parseAnd(), Depends.any);
  }

  private parseAnd(): DependsExpression {
    return this.parseJunction('&&', () => this.parseUnary(), Depends.all);
  }

  private parseJunction(
    operator: '&&' | '||',
    operand: () => DependsExpression,
    combine: (...operands: DependsExpression[]) => DependsExpression,
  ): DependsExpression {
    const operands = [operand()];
    while (this.peek().type === operator) {
      this.position++;
      operands.push(operand());
    }
    return operands.length === 1 ? operands[0] : combine(...operands);
  }

  private parseUnary(): DependsExpression {
    const token = this.next();
    switch (token.type) {
      case '!':
        return new NotDepends(this.parseUnary());
      case '(': {
        const inner = this.parseOr();
        const close = this.next();
        if (close.type !== ')') throw this.unexpected(close, "')' to close the '(' at column " + token.column);
        return inner;
      }
      case 'ref':
        return this.reference(token);
      default:
        throw this.unexpected(token, "a task name, '!' or '('");
    }
  }

  private reference(token: Extract<Token, { type: 'ref' }>): DependsExpression {
    const result = checkSelector(this.text, token);
    const word = WORD_OPERATORS[token.name];
    const following = this.peek();
    if (word && (following.type === 'ref' || following.type === '(' || following.type === '!')) {
      throw syntaxError(this.text, token.column, `word operator '${token.name}' is not supported; use '${word}'`);
    }
    return result ? new TaskCondition(token.name, result) : new TaskReference(token.name);
  }

  private unexpected(token: Token, expected: string): BatchplaneError {
    if (token.type === 'ref' && WORD_OPERATORS[token.name]) {
      return syntaxError(this.text, token.column, `word operator '${token.name}' is not supported; use '${WORD_OPERATORS[token.name]}'`);
    }
    const found = token.type === 'end' ? 'the end' : token.type === 'ref' ? `'${token.name}'` : `'${token.type}'`;
    return syntaxError(this.text, token.column, `expected ${expected}, found ${found}`);
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (token.type !== 'end') this.position++;
    return token;
  }
}

/**
 * Parses Argo `depends` text into an expression. Accepts task names (`^[a-zA-Z0-9][-a-zA-Z0-9]*$`),
 * optional `.Result` selectors, `&&`, `||`, `!` and parentheses. Rejects what Argo would accept but
 * misread: lower-case or unknown selectors, word operators (`and`, `or`, `not`), single `&`/`|`,
 * unbalanced parentheses and dangling operators.
 */
export function parseDepends(text: string): DependsExpression {
  if (typeof text !== 'string') throw new BatchplaneError('depends', text, 'a string');
  if (text.trim() === '') throw new BatchplaneError('depends', text, 'a non-empty depends expression');
  return new DependsParser(text, tokenize(text)).parse();
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** The phase a finished task ended in, as `depends` sees it. */
export type TaskPhase = 'Succeeded' | 'Failed' | 'Errored' | 'Skipped' | 'Omitted';

/** The outcome of a finished task, for {@link evaluateDepends}. */
export interface TaskOutcome {
  /** The phase the task ended in. */
  readonly phase: TaskPhase;
  /**
   * Whether the task is a daemon that left Pending.
   * @default false
   */
  readonly daemoned?: boolean;
  /**
   * Phases of a fan-out task's children (`withItems`, `withParam`, `withSequence`).
   * @default - not a fan-out task
   */
  readonly children?: readonly TaskPhase[];
}

/** Whether `result` holds for a task with this outcome. */
export function resultHolds(outcome: TaskOutcome, result: DependsResult): boolean {
  switch (result) {
    case 'Daemoned':
      return outcome.daemoned === true;
    case 'AnySucceeded':
      return (outcome.children ?? []).some((c) => c === 'Succeeded');
    case 'AllFailed':
      return (outcome.children ?? []).length > 0 && (outcome.children ?? []).every((c) => c === 'Failed');
    default:
      return outcome.phase === result;
  }
}

/**
 * Evaluates an expression the way Argo's controller does once every referenced task has finished: a bare
 * name holds when the task Succeeded, was Skipped or is Daemoned. A phase string is shorthand for `{ phase }`.
 */
export function evaluateDepends(expr: DependsExpression, outcomes: Readonly<Record<string, TaskOutcome | TaskPhase>>): boolean {
  if (expr instanceof TaskCondition) {
    const given = Object.prototype.hasOwnProperty.call(outcomes, expr.task) ? outcomes[expr.task] : undefined;
    if (given === undefined) throw new BatchplaneError(`outcomes.${expr.task}`, undefined, 'the outcome of every task the expression names');
    const outcome: TaskOutcome = typeof given === 'string' ? { phase: given } : given;
    const results = expr.result ? [expr.result] : BARE_TASK_RESULTS;
    return results.some((r) => resultHolds(outcome, r));
  }
  if (expr instanceof NotDepends) return !evaluateDepends(expr.operand, outcomes);
  if (expr instanceof JunctionDepends) {
    return expr.kind === 'and'
      ? expr.operands.every((o) => evaluateDepends(o, outcomes))
      : expr.operands.some((o) => evaluateDepends(o, outcomes));
  }
  throw new BatchplaneError('depends', expr, 'a DependsExpression built with Depends or parseDepends');
}
