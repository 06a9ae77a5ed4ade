/**
 * Strict schema conformance for synthesized manifests.
 *
 * Every manifest a test produces is checked against the upstream schemas kept beside the repository in
 * `../shared/schemas` (override with the `BATCHPLANE_SCHEMAS` environment variable):
 * - core Kubernetes kinds against `kubernetes/v<version>-definitions.json` (picked by `x-kubernetes-group-version-kind`);
 * - SparkApplication / ScheduledSparkApplication against `spark-operator/*.schema.json`;
 * - Argo Workflow / WorkflowTemplate / CronWorkflow / ClusterWorkflowTemplate against the `openAPIV3Schema`
 *   of the served version in the full CRDs under `argo-workflows/`.
 *
 * The check is stricter than the API server: an unknown field anywhere is an error (the server would
 * silently prune it, which hides typos such as `dependsOn` for `depends`). Schemas are compiled lazily,
 * one kind at a time, and cached for the life of the process, because the Argo CRDs are large.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/** Kubernetes API versions whose core definitions are available. */
export type KubernetesVersion = '1.27' | '1.31';

/** Options of {@link validateManifests}. */
export interface ConformanceOptions {
  /**
   * Which core Kubernetes definitions to validate against.
   * @default '1.31'
   */
  readonly kubernetesVersion?: KubernetesVersion;
}

/** A JSON Schema node as read from disk. */
type SchemaNode = { [keyword: string]: unknown };

/** Where the schema of a custom resource kind lives, relative to the schemas directory. */
interface CustomKindSource {
  /** File holding the schema. */
  readonly file: string;
  /** `json`: a JSON Schema of the object; `crd`: a CustomResourceDefinition in YAML. */
  readonly format: 'json' | 'crd';
}

/** Custom resource kinds we validate, keyed by `apiVersion|kind`. */
const CUSTOM_KINDS: Readonly<Record<string, CustomKindSource>> = {
  'sparkoperator.k8s.io/v1beta2|SparkApplication': { file: 'spark-operator/sparkapplication.schema.json', format: 'json' },
  'sparkoperator.k8s.io/v1beta2|ScheduledSparkApplication': {
    file: 'spark-operator/scheduledsparkapplication.schema.json',
    format: 'json',
  },
  'argoproj.io/v1alpha1|Workflow': { file: 'argo-workflows/argoproj.io_workflows.yaml', format: 'crd' },
  'argoproj.io/v1alpha1|WorkflowTemplate': { file: 'argo-workflows/argoproj.io_workflowtemplates.yaml', format: 'crd' },
  'argoproj.io/v1alpha1|CronWorkflow': { file: 'argo-workflows/argoproj.io_cronworkflows.yaml', format: 'crd' },
  'argoproj.io/v1alpha1|ClusterWorkflowTemplate': {
    file: 'argo-workflows/argoproj.io_clusterworkflowtemplates.yaml',
    format: 'crd',
  },
};

/** The `$id` under which the core definitions are registered with ajv. */
const CORE_SCHEMA_ID = 'kubernetes-definitions.json';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Keywords whose value is a map from names to schemas. */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
/** Keywords whose value is a list of alternative or combined schemas. */
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
/** Keywords whose value is a single schema. */
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not', 'additionalItems']);

/** The directory holding the upstream schemas. */
export function schemasDir(): string {
  return process.env.BATCHPLANE_SCHEMAS ?? path.resolve(__dirname, '../../../shared/schemas');
}

/** Whether the upstream schemas are present, so strict checks can run. */
export function schemasAvailable(): boolean {
  return fs.existsSync(path.join(schemasDir(), 'kubernetes'));
}

function isObject(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns a Kubernetes OpenAPI schema node into a strict JSON Schema node:
 * - `x-kubernetes-int-or-string` becomes `anyOf: [integer, string]` (when not already spelled out);
 * - `x-kubernetes-preserve-unknown-fields` leaves the node open (unknown fields allowed there);
 * - other `x-kubernetes-*` keys are dropped;
 * - an object node with `properties` and no `additionalProperties` gets `additionalProperties: false`.
 * Branches of `allOf`/`anyOf`/`oneOf` are not closed, since they only add constraints to their parent.
 */
function strictSchema(node: unknown, isBranch = false): unknown {
  if (Array.isArray(node)) return node.map((item) => strictSchema(item));
  if (!isObject(node)) return node;
  const out: SchemaNode = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword.startsWith('x-kubernetes-')) continue;
    out[keyword] = strictKeyword(keyword, value);
  }
  if (node['x-kubernetes-int-or-string'] === true && out.anyOf === undefined && out.oneOf === undefined) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const open = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!isBranch && !open && isObject(out.properties) && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function strictKeyword(keyword: string, value: unknown): unknown {
  if (SCHEMA_MAP_KEYWORDS.has(keyword) && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, strictSchema(schema)]));
  }
  if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) {
    return value.map((branch) => strictSchema(branch, true));
  }
  if (SCHEMA_KEYWORDS.has(keyword)) return strictSchema(value);
  return value;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The `openAPIV3Schema` of the served `version` of a CustomResourceDefinition file. */
function crdSchema(file: string, version: string): SchemaNode {
  const crd: unknown = parseYaml(fs.readFileSync(file, 'utf8'));
  const versions = isObject(crd) && isObject(crd.spec) && Array.isArray(crd.spec.versions) ? crd.spec.versions : [];
  for (const entry of versions) {
    if (!isObject(entry) || entry.name !== version || entry.served !== true) continue;
    const schema = isObject(entry.schema) ? entry.schema.openAPIV3Schema : undefined;
    if (isObject(schema)) return schema;
  }
  throw new Error(`conformance: ${file} serves no version ${version} with a schema`);
}

/** The JSON Schema of a custom kind: strict, with `metadata` checked as a core ObjectMeta. */
function customKindSchema(source: CustomKindSource, apiVersion: string): SchemaNode {
  const file = path.join(schemasDir(), source.file);
  const raw = source.format === 'crd' ? crdSchema(file, apiVersion.split('/')[1]) : readJson(file);
  const strict = strictSchema(raw);
  if (!isObject(strict) || !isObject(strict.properties)) throw new Error(`conformance: ${file} is not an object schema`);
  const { $schema: _schema, $id: _id, ...schema } = strict;
  return {
    ...schema,
    properties: { ...strict.properties, metadata: { $ref: `${CORE_SCHEMA_ID}#/definitions/${OBJECT_META}` } },
  };
}

/** `apiVersion|kind` → definition name, for every kind the core definitions declare. */
function indexCoreKinds(definitions: SchemaNode): Map<string, string> {
  const index = new Map<string, string>();
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = isObject(definition) ? definition['x-kubernetes-group-version-kind'] : undefined;
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks) {
      if (!isObject(gvk)) continue;
      const apiVersion = gvk.group ? `${String(gvk.group)}/${String(gvk.version)}` : String(gvk.version);
      const key = `${apiVersion}|${String(gvk.kind)}`;
      if (!index.has(key)) index.set(key, name);
    }
  }
  return index;
}

/** Compiled validators for one Kubernetes version, built on first use. */
class SchemaRegistry {
  private readonly ajv: Ajv;
  private readonly coreKinds: Map<string, string>;
  private readonly validators = new Map<string, ValidateFunction | undefined>();

  constructor(version: KubernetesVersion) {
    const file = path.join(schemasDir(), 'kubernetes', `v${version}.0-definitions.json`);
    const raw = readJson(file);
    if (!isObject(raw) || !isObject(raw.definitions)) throw new Error(`conformance: ${file} has no definitions`);
    // Index before strictSchema drops the x-kubernetes-group-version-kind markers.
    this.coreKinds = indexCoreKinds(raw.definitions);
    const definitions = strictSchema(raw) as SchemaNode;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...definitions, $id: CORE_SCHEMA_ID });
  }

  /** The validator for a kind, or undefined when no schema declares it. */
  public validator(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = `${apiVersion}|${kind}`;
    if (!this.validators.has(key)) this.validators.set(key, this.compile(key, apiVersion));
    return this.validators.get(key);
  }

  private compile(key: string, apiVersion: string): ValidateFunction | undefined {
    const custom = CUSTOM_KINDS[key];
    if (custom) return this.ajv.compile(customKindSchema(custom, apiVersion));
    const definition = this.coreKinds.get(key);
    if (!definition) return undefined;
    return this.ajv.compile({ $ref: `${CORE_SCHEMA_ID}#/definitions/${definition}` });
  }
}

const registries = new Map<KubernetesVersion, SchemaRegistry>();

function registry(version: KubernetesVersion): SchemaRegistry {
  let found = registries.get(version);
  if (!found) {
    found = new SchemaRegistry(version);
    registries.set(version, found);
  }
  return found;
}

/** `Kind namespace/name` (or `Kind name` when cluster-scoped), for messages. */
function describeObject(obj: SchemaNode): string {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const name = meta.name ?? meta.generateName ?? '<unnamed>';
  const where = meta.namespace ? `${String(meta.namespace)}/${String(name)}` : String(name);
  return `${String(obj.kind)} ${where}`;
}

/** One ajv error as `/json/pointer: message`; unknown fields are named in the pointer. */
function formatError(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    return `${error.instancePath}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}: ${error.message}`;
  }
  return `${error.instancePath || '/'}: ${error.message}`;
}

/** Errors of a single object (empty when it conforms). */
function validateOne(obj: unknown, index: number, version: KubernetesVersion): string[] {
  if (!isObject(obj)) return [`object #${index}: not an object`];
  const label = describeObject(obj);
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return [`${label}: apiVersion and kind must be strings`];
  }
  const validate = registry(version).validator(obj.apiVersion, obj.kind);
  if (!validate) return [`${label}: unknown kind ${obj.kind} in ${obj.apiVersion} (no schema declares it)`];
  const errors = validate(obj) ? [] : (validate.errors ?? []).map((error) => `${label}: ${formatError(error)}`);
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  if (!meta.name && !meta.generateName) errors.push(`${label}: /metadata/name: must be set (or generateName)`);
  return [...new Set(errors)];
}

/**
 * Validates objects strictly against the upstream schemas and returns one message per problem
 * (`Deployment data/headroom: /spec/template/spec/containers/0/foo: must NOT have additional properties`);
 * an empty list means every object conforms. An object of a kind no schema declares is an error.
 */
export function validateManifests(objs: readonly unknown[], opts: ConformanceOptions = {}): string[] {
  const version = opts.kubernetesVersion ?? '1.31';
  return objs.flatMap((obj, index) => validateOne(obj, index, version));
}

/** Throws an error listing every conformance problem of `objs`. */
export function expectConformant(objs: readonly unknown[], opts: ConformanceOptions = {}): void {
  const errors = validateManifests(objs, opts);
  if (errors.length > 0) {
    throw new Error(`${errors.length} schema conformance error(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }
}

/** What {@link describeConformance} does: run the checks, skip them, or fail because CI needs them. */
export type ConformanceMode = 'run' | 'skip' | 'fail';

/**
 * Decides how strict schema checks behave here: `run` when the schemas are present; otherwise `fail`
 * when the `CI` environment variable is set (to anything but `''`, `0` or `false`), else `skip`.
 */
export function conformanceMode(env: NodeJS.ProcessEnv = process.env): ConformanceMode {
  if (schemasAvailable()) return 'run';
  const ci = env.CI;
  const onCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return onCi ? 'fail' : 'skip';
}

/**
 * A jest `describe` for strict schema checks. When the schemas directory is absent it registers one
 * skipped test (the run prints one line about it, see global-setup.ts); on CI a missing directory fails
 * instead.
 */
export function describeConformance(name: string, fn: () => void): void {
  const mode = conformanceMode();
  if (mode === 'run') {
    describe(name, fn);
    return;
  }
  if (mode === 'fail') {
    describe(name, () => {
      test('upstream schemas are present', () => {
        throw new Error(`conformance: ${schemasDir()} not found; CI must run the strict schema checks`);
      });
    });
    return;
  }
  // The one line saying so is printed by the jest global setup (test/support/global-setup.ts).
  describe(name, () => {
    test.skip('strict schema checks (schemas not found)', () => undefined);
  });
}
