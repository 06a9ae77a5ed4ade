/**
 * The fuzz harness shared by `test/k8s/fuzz-*.test.ts`: drives one public construct with arbitrary
 * props and checks that every case ends in one of two ways.
 *
 * - The construct (or synthesis) refuses the input with a library error: a `BatchplaneError` whose
 *   message starts with the construct path in brackets and names the field, or cdk8s's
 *   `Validation failed with the following errors:` whose every line starts with a construct path and
 *   names a field.
 * - Synthesis succeeds and every manifest passes the strict schema checks and the security policy
 *   (minus the rules the input itself can break, such as an untagged image given by the user).
 *
 * Anything else fails the property: a TypeError or other foreign error, an error without a path or
 * field, a rejected input that left objects of the failed construct in the tree (partial output), a
 * schema error or a policy violation in the output.
 */
import { App, ApiObject, Testing } from 'cdk8s';
import fc from 'fast-check';
import { IConstruct } from 'constructs';
import { NodePool } from '../../lib/k8s/node-pool';
import { checkPolicy, formatViolation, PolicyRuleId } from '../../lib/k8s/policy';
import { BatchplaneError } from '../../lib/model/errors';
import { validateManifests } from './conformance';
import { platformWithPools, PlatformWithPools } from './fixtures';

/** The type of the values an arbitrary generates. */
export type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** The id of the construct under test in the fuzz platform; errors must name `data/subject` (or below). */
export const SUBJECT = 'subject';

/** The platform every case builds in, with two pools (`general`, and `spot` falling back to it) the props can point at. */
export type FuzzScope = PlatformWithPools;

/** A fuzz target: how to generate inputs and build the construct under test from them. */
export interface FuzzTarget<I> {
  /** Generates one input. */
  readonly input: fc.Arbitrary<I>;
  /**
   * Creates the construct(s) under test from the input. `scope.platform` exists already unless
   * {@link FuzzTarget.createsPlatform} is set.
   */
  readonly build: (scope: FuzzScope, input: I) => void;
  /** The construct path library errors must name (that path or one below it). @default 'data/subject' */
  readonly path?: (input: I) => string;
  /** Set when `build` creates the platform itself (the Platform fuzz); `scope` then has an empty app only. */
  readonly createsPlatform?: boolean;
  /** Policy rules the input may legitimately break (the user chose the value). @default ['image-tag'] */
  readonly userRules?: readonly PolicyRuleId[];
}

/** How a case ended, for statistics. */
export type FuzzOutcome = 'rejected at construction' | 'rejected at synthesis' | 'synthesized';

/** A case that broke the contract: what went wrong, for the report. */
export class FuzzFinding extends Error {
  public override readonly name = 'FuzzFinding';
}

/**
 * A copy of fuzzed props with pool references (`'general'`, `'spot'`) under `keys` replaced by the
 * pools of `scope`, at the top level and in the `driver` and `executor` sections. Anything else is
 * left as generated (a wrong value stays wrong).
 */
export function resolvePools(props: unknown, scope: FuzzScope, keys: readonly string[] = ['pool']): unknown {
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return props;
  const pools: Readonly<Record<string, NodePool>> = { general: scope.general, spot: scope.spot };
  const copy: Record<string, unknown> = { ...props };
  for (const key of keys) {
    const ref = copy[key];
    if (typeof ref === 'string' && pools[ref]) copy[key] = pools[ref];
  }
  for (const role of ['driver', 'executor']) {
    if (copy[role] !== undefined) copy[role] = resolvePools(copy[role], scope, keys);
  }
  return copy;
}

/** What {@link fromFactory} passes on when a value factory refuses its arguments. */
export const REFUSED_BY_FACTORY = Object.freeze({ refusedByFactory: true });

/**
 * Calls a value factory that runs outside any construct (`SparkEventLogStorage.s3(uri)`). It may
 * refuse its arguments with a BatchplaneError naming a field (it has no construct path to give); the
 * marker {@link REFUSED_BY_FACTORY} then stands for the value, so the construct still sees a wrong one.
 * Any other error is a finding.
 */
export function fromFactory(factory: () => unknown): unknown {
  try {
    return factory();
  } catch (error) {
    if (error instanceof BatchplaneError && error.field.trim() !== '' && error.message.startsWith(`${error.field}: got `)) return REFUSED_BY_FACTORY;
    throw new FuzzFinding(`a value factory threw something else than a BatchplaneError naming a field: ${String(error).slice(0, 400)}`);
  }
}

/** A fresh app with the fuzz platform and its pools. */
export function fuzzScope(): FuzzScope {
  return platformWithPools({
    app: new App(),
    general: { minNodes: undefined },
    spotId: 'spot',
    spot: { instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'] },
  });
}

const BRACKETED_PATH = /^\[([^\]]+)\] /;
/** `field: got <value>, expected <what>` — the BatchplaneError shape, the field free of spaces. */
const FIELD_MESSAGE = /^[^\s:]+: got [\s\S]*, expected [\s\S]+$/;
/** `rule <id>: <Kind> <namespace/name> <field>: <message>` — a policy violation line. */
const POLICY_MESSAGE = /^rule [a-z-]+: \S+ \S+ \S+: \S[\s\S]*$/;
/** `<finding-code>: <job/pod/pool message> — fix: <what to do>` — a capacity or graph finding of the resolver. */
const RESOLVER_MESSAGE = /^[a-z]+(?:-[a-z]+)+: \S[\s\S]*$/;

/** The innermost construct path of a validation line and the message after it (cdk8s prefixes the validating construct). */
function splitValidationLine(line: string): { path?: string; message: string } {
  let path: string | undefined;
  let message = line;
  for (let match = BRACKETED_PATH.exec(message); match; match = BRACKETED_PATH.exec(message)) {
    path = match[1];
    message = message.slice(match[0].length);
  }
  return { path, message };
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/**
 * Throws a {@link FuzzFinding} unless `error` is a BatchplaneError at `root` (or below) naming a field;
 * returns the path it names.
 */
function checkLibraryError(error: unknown, root: string): string {
  if (!(error instanceof BatchplaneError)) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new FuzzFinding(`threw a non-library error: ${what.slice(0, 400)}`);
  }
  const located = BRACKETED_PATH.exec(error.message);
  if (!located || !isUnder(located[1], root) || error.field.trim() === '') {
    throw new FuzzFinding(`BatchplaneError without construct path ${root} or field: ${error.message.slice(0, 400)}`);
  }
  return located[1];
}

const VALIDATION_HEADER = 'Validation failed with the following errors:\n';

/** Throws a {@link FuzzFinding} unless a synthesis error is a library error or cdk8s's validation list of located, field-naming lines. */
function checkSynthError(error: unknown, root: string): void {
  if (error instanceof BatchplaneError) {
    checkLibraryError(error, root);
    return;
  }
  const message = error instanceof Error ? error.message : '';
  if (error instanceof Error && error.name === 'Error' && message.startsWith(VALIDATION_HEADER)) {
    const lines = message.slice(VALIDATION_HEADER.length).split('\n  ').map((line) => line.trim());
    const bad = lines.filter((line) => {
      const { path, message: rest } = splitValidationLine(line);
      return path === undefined || !(FIELD_MESSAGE.test(rest) || POLICY_MESSAGE.test(rest) || RESOLVER_MESSAGE.test(rest));
    });
    if (bad.length === 0) return;
    throw new FuzzFinding(`validation error lines without a construct path or field: ${bad.join(' | ').slice(0, 400)}`);
  }
  checkLibraryError(error, root);
}

/** The construct at a path (`data/subject/task`), when the tree holds one. */
function findByPath(app: App, path: string): IConstruct | undefined {
  return path.split('/').reduce<IConstruct | undefined>((node, id) => node?.node.tryFindChild(id), app);
}

/**
 * The ApiObjects a rejected construct left in the tree: the user may catch the error and synthesize
 * anyway, and must not get half of the construct.
 */
function leftovers(app: App, path: string): string[] {
  const failed = findByPath(app, path);
  return failed === undefined ? [] : failed.node.findAll().filter(ApiObject.isApiObject).map((obj) => obj.node.path);
}

/** Runs one case and says how it ended; throws a {@link FuzzFinding} when it broke the contract. */
export function runFuzzCase<I>(target: FuzzTarget<I>, input: I): FuzzOutcome {
  const root = target.path?.(input) ?? `data/${SUBJECT}`;
  const scope: FuzzScope = target.createsPlatform ? ({ app: new App() } as FuzzScope) : fuzzScope();
  try {
    target.build(scope, input);
  } catch (error) {
    if (error instanceof FuzzFinding) throw error;
    const left = leftovers(scope.app, checkLibraryError(error, root));
    if (left.length > 0) throw new FuzzFinding(`the rejected construct left objects in the tree (partial output): ${left.join(', ')}`);
    return 'rejected at construction';
  }
  const charts = scope.app.charts;
  let manifests: Record<string, unknown>[];
  try {
    manifests = charts.flatMap((chart) => Testing.synth(chart) as Record<string, unknown>[]);
  } catch (error) {
    checkSynthError(error, root);
    return 'rejected at synthesis';
  }
  const schemaErrors = validateManifests(manifests);
  if (schemaErrors.length > 0) throw new FuzzFinding(`schema errors in the output: ${schemaErrors.slice(0, 5).join(' | ')}`);
  const userRules = new Set<string>(target.userRules ?? ['image-tag']);
  const violations = checkPolicy(charts.flatMap((chart) => chart.node.findAll().filter(ApiObject.isApiObject))
    .map((obj) => ({ path: obj.node.path, manifest: obj.toJson() as Record<string, unknown> })))
    .filter((violation) => !userRules.has(violation.rule));
  if (violations.length > 0) throw new FuzzFinding(`policy violations in the output: ${violations.slice(0, 5).map(formatViolation).join(' | ')}`);
  return 'synthesized';
}

/** Options of {@link fuzzConstruct}. */
export interface FuzzOptions {
  /** Cases to run (`BATCHPLANE_FUZZ_RUNS` overrides, to dig deeper locally). @default 1000 */
  readonly numRuns?: number;
  /** A fixed seed reproduces a run (`BATCHPLANE_FUZZ_SEED` overrides). @default - random */
  readonly seed?: number;
}

/** Case counts by outcome, filled while a property runs. */
export type FuzzStats = Record<FuzzOutcome, number>;

/**
 * Runs the property over `numRuns` inputs and returns how the cases ended. On a finding, fast-check
 * shrinks the input and the thrown error shows the smallest failing input and the seed.
 */
export function checkFuzzTarget<I>(target: FuzzTarget<I>, options: FuzzOptions = {}): FuzzStats {
  const stats: FuzzStats = { 'rejected at construction': 0, 'rejected at synthesis': 0, 'synthesized': 0 };
  const envSeed = Number(process.env.BATCHPLANE_FUZZ_SEED);
  const seed = Number.isInteger(envSeed) ? envSeed : options.seed;
  fc.assert(
    fc.property(target.input, (input) => {
      stats[runFuzzCase(target, input)] += 1;
    }),
    { numRuns: Number(process.env.BATCHPLANE_FUZZ_RUNS) || (options.numRuns ?? 1000), ...(seed === undefined ? {} : { seed }) },
  );
  if (process.env.BATCHPLANE_FUZZ_STATS) process.stderr.write(`fuzz ${expect.getState().currentTestName}: ${JSON.stringify(stats)}\n`);
  return stats;
}
