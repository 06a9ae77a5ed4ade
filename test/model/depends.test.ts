import * as fc from 'fast-check';
import {
  Depends,
  DEPENDS_RESULTS,
  DependsExpression,
  DependsResult,
  evaluateDepends,
  JunctionDepends,
  NotDepends,
  parseDepends,
  referencedTasks,
  renderDepends,
  TaskCondition,
  TaskOutcome,
  TaskPhase,
} from '../../lib/model/depends';
import { BatchplaneError } from '../../lib/model/errors';

describe('builder', () => {
  const a = { name: 'job-a' };

  test('bare references and selectors', () => {
    expect(Depends.on(a).toString()).toBe('job-a');
    expect(Depends.on('job-b').failed().toString()).toBe('job-b.Failed');
    expect(Depends.on(a).succeeded().result).toBe('Succeeded');
    expect(Depends.on(a).anySucceeded().toString()).toBe('job-a.AnySucceeded');
    expect(Depends.on(a).select('Omitted').toString()).toBe('job-a.Omitted');
  });

  test('all / any flatten and keep the origin', () => {
    const expr = Depends.all(a, 'job-b', Depends.all('job-c', 'job-d'));
    expect(expr).toBeInstanceOf(JunctionDepends);
    expect((expr as JunctionDepends).operands).toHaveLength(4);
    expect(expr.toString()).toBe('job-a && job-b && job-c && job-d');
    expect(((expr as JunctionDepends).operands[0] as TaskCondition).origin).toBe(a);
  });

  test('fluent and / or / not render with the fewest parentheses', () => {
    const expr = Depends.on(a).succeeded().or(Depends.on('b').failed()).and('c');
    expect(expr.toString()).toBe('(job-a.Succeeded || b.Failed) && c');
    expect(Depends.not(Depends.any('x', 'y')).toString()).toBe('!(x || y)');
    expect(Depends.on('x').not().not().toString()).toBe('!!x');
    expect(Depends.any(Depends.all('a', 'b'), Depends.not('c')).toString()).toBe('a && b || !c');
  });

  test('a single operand is returned unchanged; none is an error', () => {
    const x = Depends.on('x');
    expect(Depends.all(x)).toBe(x);
    expect(() => Depends.any()).toThrow('Depends.any: got [], expected at least one operand');
  });

  test('invalid names and selectors are rejected', () => {
    expect(() => Depends.on('a && b')).toThrow(BatchplaneError);
    expect(() => Depends.on('a && b')).toThrow(/use parseDepends/);
    expect(() => Depends.on('x').select('Done' as DependsResult)).toThrow(/one of Succeeded, Failed/);
    expect(() => Depends.on(42 as unknown as string)).toThrow('depends: got 42, expected a task or a task name');
  });
});

describe('parseDepends', () => {
  test('precedence: ! over && over ||', () => {
    const expr = parseDepends('a || b && !c.Failed');
    expect(expr.equals(Depends.any('a', Depends.all('b', Depends.on('c').failed().not())))).toBe(true);
  });

  test('parentheses, whitespace and chains', () => {
    expect(parseDepends(' ( A.Succeeded||B ) &&c ').toString()).toBe('(A.Succeeded || B) && c');
    expect(parseDepends('((a))').toString()).toBe('a');
    expect(parseDepends('a && b && c').toString()).toBe('a && b && c');
    expect(parseDepends('!(!a)').toString()).toBe('!!a');
  });

  test('names may start with a digit and end with a hyphen (grammar only)', () => {
    expect(referencedTasks(parseDepends('5a- || job-b.Errored || job-b'))).toEqual(['5a-', 'job-b']);
  });

  test.each([
    ['a.succeeded', "column 3: result 'succeeded' must be written 'Succeeded'"],
    ['a.Done', "column 3: unknown result 'Done'; use one of Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed"],
    ['a.', 'column 3: a result after the dot'],
    ['a and b', "column 3: word operator 'and' is not supported; use '&&'"],
    ['a or b', "word operator 'or' is not supported; use '||'"],
    ['not a', "column 1: word operator 'not' is not supported; use '!'"],
    ['a &', "column 3: '&' must be doubled: use '&&'"],
    ['a | b', "'|' must be doubled"],
    ['a == b', 'comparisons are not part of depends'],
    ['a &&', 'column 5: expected a task name, \'!\' or \'(\', found the end'],
    ['(a || b', "column 8: expected ')' to close the '(' at column 1, found the end"],
    ['a)', "column 2: expected an operator (&& or ||) or the end, found ')'"],
    ['a b', "column 3: expected an operator (&& or ||) or the end, found 'b'"],
    ['&& a', "column 1: expected a task name, '!' or '(', found '&&'"],
    ['a_b', 'column 2: unexpected character "_"'],
    ['-a', 'column 1: unexpected character "-"'],
  ])('rejects %j', (text, message) => {
    expect(() => parseDepends(text)).toThrow(BatchplaneError);
    expect(() => parseDepends(text)).toThrow(message);
  });

  test('empty and non-string input', () => {
    expect(() => parseDepends('  ')).toThrow('expected a non-empty depends expression');
    expect(() => parseDepends(undefined as unknown as string)).toThrow('depends: got undefined, expected a string');
  });

  test('error message shape', () => {
    expect(() => parseDepends('a &&& b')).toThrow(
      "depends: got \"a &&& b\", expected a depends expression (column 5: '&' must be doubled: use '&&')",
    );
  });
});

describe('evaluateDepends', () => {
  test('a bare name holds for Succeeded, Skipped and Daemoned', () => {
    const bare = Depends.on('a');
    expect(evaluateDepends(bare, { a: 'Succeeded' })).toBe(true);
    expect(evaluateDepends(bare, { a: 'Skipped' })).toBe(true);
    expect(evaluateDepends(bare, { a: { phase: 'Failed', daemoned: true } })).toBe(true);
    expect(evaluateDepends(bare, { a: 'Failed' })).toBe(false);
    expect(evaluateDepends(bare, { a: 'Omitted' })).toBe(false);
    expect(evaluateDepends(bare, { a: 'Errored' })).toBe(false);
  });

  test('fan-out selectors', () => {
    const fanOut: TaskOutcome = { phase: 'Failed', children: ['Failed', 'Succeeded'] };
    expect(evaluateDepends(parseDepends('a.AnySucceeded'), { a: fanOut })).toBe(true);
    expect(evaluateDepends(parseDepends('a.AllFailed'), { a: fanOut })).toBe(false);
    expect(evaluateDepends(parseDepends('a.AllFailed'), { a: { phase: 'Failed', children: ['Failed'] } })).toBe(true);
    expect(evaluateDepends(parseDepends('a.AllFailed'), { a: { phase: 'Failed', children: [] } })).toBe(false);
  });

  test('operators', () => {
    const expr = parseDepends('(a.Failed || a.Errored) && !b.Omitted');
    expect(evaluateDepends(expr, { a: 'Errored', b: 'Succeeded' })).toBe(true);
    expect(evaluateDepends(expr, { a: 'Errored', b: 'Omitted' })).toBe(false);
    expect(evaluateDepends(expr, { a: 'Succeeded', b: 'Succeeded' })).toBe(false);
  });

  test('a missing outcome is an error, not false', () => {
    expect(() => evaluateDepends(parseDepends('a && b'), { a: 'Succeeded' })).toThrow(
      'outcomes.b: got undefined, expected the outcome of every task the expression names',
    );
  });
});

describe('properties', () => {
  const TASKS = ['a', 'b', 'job-c', '9d'];
  const PHASES: TaskPhase[] = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted'];

  const condition: fc.Arbitrary<DependsExpression> = fc
    .tuple(fc.constantFrom(...TASKS), fc.option(fc.constantFrom(...DEPENDS_RESULTS), { nil: undefined }))
    .map(([task, result]) => (result ? Depends.on(task).select(result) : Depends.on(task)));

  const { expr } = fc.letrec<{ expr: DependsExpression }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      condition,
      tie('expr').map((e) => new NotDepends(e)),
      fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((es) => Depends.all(...es)),
      fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((es) => Depends.any(...es)),
    ),
  }));

  const outcome: fc.Arbitrary<TaskOutcome> = fc.record({
    phase: fc.constantFrom(...PHASES),
    daemoned: fc.boolean(),
    children: fc.option(fc.array(fc.constantFrom(...PHASES), { maxLength: 3 }), { nil: undefined }),
  });
  const outcomes = fc.record(Object.fromEntries(TASKS.map((t) => [t, outcome])) as Record<string, fc.Arbitrary<TaskOutcome>>);

  test('parse(render(e)) is structurally e', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = renderDepends(e);
        const back = parseDepends(text);
        expect(back.equals(e)).toBe(true);
        expect(renderDepends(back)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  test('parsing keeps the meaning of the rendered text', () => {
    fc.assert(
      fc.property(expr, outcomes, (e, o) => {
        expect(evaluateDepends(parseDepends(renderDepends(e)), o)).toBe(evaluateDepends(e, o));
      }),
      { numRuns: 500 },
    );
  });

  test('rendering never adds redundant parentheses', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = renderDepends(e);
        // Removing any single pair of parentheses must change the parsed structure.
        for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
          const close = matchingParen(text, open);
          const stripped = text.slice(0, open) + text.slice(open + 1, close) + text.slice(close + 1);
          expect(parseDepends(stripped).equals(e)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('referencedTasks lists each named task once, sorted', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const names = referencedTasks(e);
        expect(names).toEqual([...new Set(names)].sort());
        for (const name of names) expect(renderDepends(e)).toContain(name);
      }),
    );
  });
});

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced ${text}`);
}
