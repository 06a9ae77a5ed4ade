/**
 * The security policy every synthesized manifest must pass, including objects users add by hand.
 *
 * The core, {@link checkPolicy}, is a pure function over plain manifest JSON. {@link registerPolicyValidation}
 * runs it as a construct validation of a chart, so `cdk8s synth` fails with one line per violation.
 *
 * An object opts out of one rule with the annotation `batchplane.io/policy-exempt.<rule-id>: "<reason>"`
 * (see `exemptFromPolicy`); the reason is required, and an exemption without one is itself a violation.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import {
  asList,
  asObject,
  ContainerSite,
  fieldOf,
  JsonObject,
  manifestSites,
  ManifestSites,
  PodSite,
  ResourceSlotName,
  SettingSite,
} from './pod-sites';
import { RenderedObjects } from './rendered-objects';

/** The rules of the policy, with what each requires. */
export const POLICY_RULES = {
  'run-as-non-root': 'every container runs as a non-root user (runAsNonRoot true, runAsUser not 0)',
  'no-privilege-escalation': 'every container sets allowPrivilegeEscalation false and is not privileged',
  'drop-all-capabilities': 'every container drops ALL capabilities and adds none but NET_BIND_SERVICE',
  'seccomp-runtime-default': 'every container runs under the RuntimeDefault (or a Localhost) seccomp profile',
  'read-only-root-filesystem': 'every container has a read-only root filesystem (write to size-limited emptyDirs)',
  'resources-required': 'every container requests and limits cpu and memory (Spark: cores and memory; coreLimit optional)',
  'emptydir-size-limit': 'every emptyDir volume has a sizeLimit',
  'image-tag': 'every image is pinned by a tag other than latest, or by a digest',
  'rbac-no-wildcards': "Roles and ClusterRoles list exact verbs, resources and API groups (no '*')",
  'rbac-namespaced': 'RBAC is namespaced: no ClusterRole or ClusterRoleBinding unless allowed',
  'no-secret-literals': 'no credentials in manifests: use IRSA or Secret references instead of literal values',
  'automount-token': 'pods whose service account holds no RBAC grant set automountServiceAccountToken false',
  'embedded-manifest': 'manifests embedded in Argo resource templates can be parsed, so they are checked too',
} as const;

/** The id of a policy rule that can be exempted. */
export type PolicyRuleId = keyof typeof POLICY_RULES;

/** The rule reported for a malformed exemption annotation; it cannot itself be exempted. */
export const EXEMPTION_RULE = 'policy-exemption';

/** Annotation prefix of an exemption: `batchplane.io/policy-exempt.<rule-id>`. */
export const EXEMPTION_ANNOTATION_PREFIX = 'batchplane.io/policy-exempt.';

/** Whether `rule` names a policy rule. */
export function isPolicyRuleId(rule: unknown): rule is PolicyRuleId {
  return typeof rule === 'string' && Object.prototype.hasOwnProperty.call(POLICY_RULES, rule);
}

/** One manifest to check, with the construct path that produced it. */
export interface PolicyInput {
  /** The construct path of the object (`data/job-b/Resource`). */
  readonly path: string;
  /** The manifest as plain JSON. */
  readonly manifest: Readonly<Record<string, unknown>>;
}

/** A broken rule. */
export interface PolicyViolation {
  /** The rule id (a {@link PolicyRuleId}, or {@link EXEMPTION_RULE}). */
  readonly rule: string;
  /** The object, as `Kind namespace/name` (`Kind name` when it has no namespace). */
  readonly object: string;
  /** The construct path of the object. */
  readonly path: string;
  /** The offending field, e.g. `spec.template.spec.containers[0].securityContext.runAsNonRoot`. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Options of {@link checkPolicy}. */
export interface PolicyOptions {
  /**
   * Allow ClusterRoles and ClusterRoleBindings (rule `rbac-namespaced`).
   * @default false
   */
  readonly allowClusterRbac?: boolean;
  /**
   * Require `coreLimit` on Spark drivers and executors. Off by default: Spark sizes its task slots from
   * `cores`, and a CPU limit on a JVM mostly adds CFS throttling; the memory limit is always set by Spark.
   * @default false
   */
  readonly requireSparkCpuLimit?: boolean;
  /**
   * Parses the text of a manifest embedded in an Argo resource template into one object or a list of
   * objects.
   * @default {@link parseManifestText}: YAML (one or more documents), which covers JSON too
   */
  readonly parseEmbedded?: (text: string) => unknown;
}

/** A violation found by a rule, before it is tied to an object. */
interface Finding {
  readonly field: string;
  readonly message: string;
}

/** One object under check, with what the rules need to know about it. */
interface PolicyUnit {
  readonly manifest: JsonObject;
  readonly sites: ManifestSites;
  /** Namespace used to match service accounts (`''` when unset). */
  readonly namespace: string;
}

/** Facts gathered across all manifests. */
interface PolicyContext {
  readonly options: PolicyOptions;
  /** `namespace/name` of service accounts that are bound to a role, or that turn token mounting off. */
  readonly accountsWithGrants: ReadonlySet<string>;
  readonly accountsWithoutToken: ReadonlySet<string>;
}

type Rule = (unit: PolicyUnit, context: PolicyContext) => Finding[];

// ---------------------------------------------------------------------------------------------------
// Container security context rules

/** Runs `check` on every container of every pod of the unit. */
function forEachContainer(unit: PolicyUnit, check: (container: ContainerSite, pod: PodSite) => Finding[]): Finding[] {
  return unit.sites.pods.flatMap((pod) => pod.containers.flatMap((container) => check(container, pod)));
}

/** A security setting as it applies to a container: its own value, else the pod's. */
function effectiveSetting(container: ContainerSite, pod: PodSite, key: string): unknown {
  return container.securityContext[key] ?? pod.securityContext[key];
}

const runAsNonRoot: Rule = (unit) =>
  forEachContainer(unit, (container, pod) => {
    const findings: Finding[] = [];
    if (effectiveSetting(container, pod, 'runAsNonRoot') !== true) {
      findings.push({
        field: `${container.securityContextField}.runAsNonRoot`,
        message: 'must be true (on the container or the pod security context) so the kubelet refuses to start root',
      });
    }
    if (effectiveSetting(container, pod, 'runAsUser') === 0) {
      const own = container.securityContext.runAsUser !== undefined;
      findings.push({
        field: `${own ? container.securityContextField : pod.securityContextField}.runAsUser`,
        message: 'is 0 (root); use a non-zero user id',
      });
    }
    return findings;
  });

const noPrivilegeEscalation: Rule = (unit) =>
  forEachContainer(unit, (container) => {
    const context = container.securityContext;
    const findings: Finding[] = [];
    if (context.allowPrivilegeEscalation !== false) {
      findings.push({ field: `${container.securityContextField}.allowPrivilegeEscalation`, message: 'must be false' });
    }
    if (context.privileged === true) {
      findings.push({ field: `${container.securityContextField}.privileged`, message: 'must not be true' });
    }
    return findings;
  });

/** The only capability a restricted container may add (binding ports below 1024). */
const ALLOWED_ADDED_CAPABILITY = 'NET_BIND_SERVICE';

const dropAllCapabilities: Rule = (unit) =>
  forEachContainer(unit, (container) => {
    const capabilities = asObject(container.securityContext.capabilities);
    const field = `${container.securityContextField}.capabilities`;
    const findings: Finding[] = [];
    if (!asList(capabilities.drop).includes('ALL')) {
      findings.push({ field: `${field}.drop`, message: "must include 'ALL'" });
    }
    const added = asList(capabilities.add).filter((cap) => cap !== ALLOWED_ADDED_CAPABILITY);
    if (added.length > 0) {
      findings.push({ field: `${field}.add`, message: `adds ${added.join(', ')}; only ${ALLOWED_ADDED_CAPABILITY} may be added` });
    }
    return findings;
  });

const ALLOWED_SECCOMP_TYPES: readonly unknown[] = ['RuntimeDefault', 'Localhost'];

const seccompRuntimeDefault: Rule = (unit) =>
  forEachContainer(unit, (container, pod) => {
    const type = asObject(effectiveSetting(container, pod, 'seccompProfile')).type;
    if (ALLOWED_SECCOMP_TYPES.includes(type)) return [];
    const where = type === undefined ? pod.securityContextField : container.securityContextField;
    const got = type === undefined ? 'is not set' : `is ${String(type)}`;
    return [{ field: `${where}.seccompProfile.type`, message: `${got}; set RuntimeDefault` }];
  });

const readOnlyRootFilesystem: Rule = (unit) =>
  forEachContainer(unit, (container) =>
    container.securityContext.readOnlyRootFilesystem === true
      ? []
      : [
          {
            field: `${container.securityContextField}.readOnlyRootFilesystem`,
            message: 'must be true; mount a size-limited emptyDir where the process writes (/tmp, Spark local dirs)',
          },
        ],
  );

// ---------------------------------------------------------------------------------------------------
// Resources, volumes, images

/** `a cpu request`, `a memory limit`. */
function describeSlot(name: ResourceSlotName): string {
  const [group, resource] = name.split('.');
  return `a ${resource} ${group === 'requests' ? 'request' : 'limit'}`;
}

const resourcesRequired: Rule = (unit, context) =>
  forEachContainer(unit, (container) =>
    container.resources
      .filter((slot) => !slot.set)
      .filter((slot) => !(container.flavour === 'spark' && slot.name === 'limits.cpu' && !context.options.requireSparkCpuLimit))
      .map((slot) => ({ field: slot.field, message: `is not set; every container needs ${describeSlot(slot.name)}` })),
  );

const emptyDirSizeLimit: Rule = (unit) =>
  unit.sites.volumes
    .filter(({ volume }) => volume.emptyDir !== undefined && asObject(volume.emptyDir).sizeLimit === undefined)
    .map(({ field }) => ({
      field: `${field}.emptyDir.sizeLimit`,
      message: 'is not set; an unbounded emptyDir can fill the node disk',
    }));

/** Whether a value is a template placeholder (`{{inputs.parameters.x}}`, `${VAR}`) rather than a literal. */
function isPlaceholder(value: string): boolean {
  return /^\s*(\{\{[^}]*\}\}|\$\{[^}]*\})\s*$/.test(value);
}

/** What is wrong with an image reference, or undefined when it is pinned. */
function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || image.trim() === '') return 'no image is set; pin one by tag or digest';
  if (isPlaceholder(image) || /@[a-z0-9]+([+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return `${image} has no tag, so it means :latest; pin a version tag or a digest`;
  if (lastSegment.slice(colon + 1) === 'latest') return `${image} uses :latest; pin a version tag or a digest`;
  return undefined;
}

const imageTag: Rule = (unit) =>
  forEachContainer(unit, (container) => {
    const problem = imageProblem(container.image);
    return problem ? [{ field: container.imageField, message: problem }] : [];
  });

// ---------------------------------------------------------------------------------------------------
// RBAC

const RBAC_GROUP = 'rbac.authorization.k8s.io/';
const RBAC_RULE_LISTS = ['apiGroups', 'resources', 'verbs', 'resourceNames', 'nonResourceURLs'];

function isRbac(manifest: JsonObject, kinds: readonly string[]): boolean {
  return String(manifest.apiVersion).startsWith(RBAC_GROUP) && kinds.includes(String(manifest.kind));
}

const rbacNoWildcards: Rule = (unit) => {
  if (!isRbac(unit.manifest, ['Role', 'ClusterRole'])) return [];
  return asList(unit.manifest.rules).flatMap((rule, i) =>
    RBAC_RULE_LISTS.filter((key) => asList(asObject(rule)[key]).some((v) => typeof v === 'string' && v.includes('*'))).map(
      (key) => ({ field: `rules[${i}].${key}`, message: `contains a wildcard; list the exact ${key}` }),
    ),
  );
};

const rbacNamespaced: Rule = (unit, context) =>
  !context.options.allowClusterRbac && isRbac(unit.manifest, ['ClusterRole', 'ClusterRoleBinding'])
    ? [{ field: 'kind', message: `${String(unit.manifest.kind)} grants cluster-wide; use a Role and RoleBinding in the namespace` }]
    : [];

// ---------------------------------------------------------------------------------------------------
// Secrets

/** Words that mark a setting as a credential. */
const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'apikey']);
/** Word pairs that mark a setting as a credential (`fs.s3a.access.key`, `AWS_ACCESS_KEY_ID`). */
const CREDENTIAL_PAIRS: readonly (readonly [string, string])[] = [
  ['access', 'key'],
  ['private', 'key'],
  ['api', 'key'],
];
/** Last words that mark a setting as pointing at a credential rather than holding one (`..._TOKEN_FILE`). */
const REFERENCE_WORDS = new Set([
  'file', 'path', 'dir', 'provider', 'providers', 'name', 'ref', 'type', 'class', 'audience', 'location', 'mount',
  'url', 'uri', 'endpoint', 'enabled', 'length', 'ttl', 'expiry',
]);

/** Lower-case words of a setting name, split at separators and camelCase humps. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

function hasPair(list: readonly string[], [first, second]: readonly [string, string]): boolean {
  return list.some((word, i) => word === first && list[i + 1] === second);
}

/**
 * Whether a setting name looks like it holds a credential (`fs.s3a.secret.key`, `DB_PASSWORD`), and not
 * like a reference to one (`AWS_WEB_IDENTITY_TOKEN_FILE`, Spark `secrets.*` mounts, `secretKeyRef.*`).
 */
export function looksLikeCredential(name: string): boolean {
  const list = words(name);
  if (list.length === 0 || REFERENCE_WORDS.has(list[list.length - 1])) return false;
  if (list.includes('secrets') || hasPair(list, ['key', 'ref'])) return false;
  return list.some((word) => CREDENTIAL_WORDS.has(word)) || CREDENTIAL_PAIRS.some((pair) => hasPair(list, pair));
}

function isLiteral(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '' && !isPlaceholder(value)) || typeof value === 'number';
}

const SECRET_FIX = 'is a credential written into the manifest; use IRSA for AWS access or a Secret reference';

function envSettings(container: ContainerSite): SettingSite[] {
  return container.env.map((entry, i) => {
    const env = asObject(entry);
    return { field: `${container.envField}[${i}].value`, key: String(env.name ?? ''), value: env.value };
  });
}

function secretObjectFindings(manifest: JsonObject): Finding[] {
  if (manifest.kind !== 'Secret' || manifest.apiVersion !== 'v1') return [];
  return ['data', 'stringData']
    .filter((key) => Object.keys(asObject(manifest[key])).length > 0)
    .map((key) => ({
      field: key,
      message: 'holds secret values in the manifest; create the Secret out of band (External Secrets, Sealed Secrets)',
    }));
}

const noSecretLiterals: Rule = (unit) => {
  const settings = [...unit.sites.settings, ...unit.sites.pods.flatMap((pod) => pod.containers.flatMap(envSettings))];
  return [
    ...settings
      .filter((setting) => isLiteral(setting.value) && looksLikeCredential(setting.key))
      .map((setting) => ({ field: setting.field, message: `${setting.key} ${SECRET_FIX}` })),
    ...secretObjectFindings(unit.manifest),
  ];
};

// ---------------------------------------------------------------------------------------------------
// Service account token

function accountKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

const automountToken: Rule = (unit, context) =>
  unit.sites.pods.flatMap((pod) => {
    const account = pod.serviceAccount;
    if (!account || account.automount === false) return [];
    const key = accountKey(unit.namespace, account.name);
    if (context.accountsWithGrants.has(key)) return [];
    if (account.automount === undefined && context.accountsWithoutToken.has(key)) return [];
    return [
      {
        field: account.field,
        message: `must be false: service account ${account.name} is bound to no role, so the pod does not need an API token`,
      },
    ];
  });

function namespaceOf(manifest: JsonObject): string {
  const namespace = asObject(manifest.metadata).namespace;
  return typeof namespace === 'string' ? namespace : '';
}

/** Service accounts named as subjects of RoleBindings or ClusterRoleBindings. */
function accountsWithGrants(manifests: readonly JsonObject[]): Set<string> {
  const bindings = manifests.filter((m) => isRbac(m, ['RoleBinding', 'ClusterRoleBinding']));
  return new Set(
    bindings.flatMap((binding) =>
      asList(binding.subjects)
        .map(asObject)
        .filter((subject) => subject.kind === 'ServiceAccount')
        .map((subject) => accountKey(String(subject.namespace ?? namespaceOf(binding)), String(subject.name))),
    ),
  );
}

/** ServiceAccounts that turn token mounting off for their pods. */
function accountsWithoutToken(manifests: readonly JsonObject[]): Set<string> {
  return new Set(
    manifests
      .filter((m) => m.kind === 'ServiceAccount' && m.apiVersion === 'v1' && m.automountServiceAccountToken === false)
      .map((m) => accountKey(namespaceOf(m), String(asObject(m.metadata).name))),
  );
}

// ---------------------------------------------------------------------------------------------------
// Rule table, exemptions, embedded manifests

const RULES: Readonly<Record<Exclude<PolicyRuleId, 'embedded-manifest'>, Rule>> = {
  'run-as-non-root': runAsNonRoot,
  'no-privilege-escalation': noPrivilegeEscalation,
  'drop-all-capabilities': dropAllCapabilities,
  'seccomp-runtime-default': seccompRuntimeDefault,
  'read-only-root-filesystem': readOnlyRootFilesystem,
  'resources-required': resourcesRequired,
  'emptydir-size-limit': emptyDirSizeLimit,
  'image-tag': imageTag,
  'rbac-no-wildcards': rbacNoWildcards,
  'rbac-namespaced': rbacNamespaced,
  'no-secret-literals': noSecretLiterals,
  'automount-token': automountToken,
};

/** The rules with their ids, in the order their violations are listed. */
const RULE_LIST = Object.entries(RULES);

/** Exemption annotations of a manifest: rule suffix → reason, as written. */
function exemptionAnnotations(manifest: JsonObject): [string, unknown][] {
  const annotations = asObject(asObject(manifest.metadata).annotations);
  return Object.keys(annotations)
    .filter((key) => key.startsWith(EXEMPTION_ANNOTATION_PREFIX))
    .sort()
    .map((key) => [key.slice(EXEMPTION_ANNOTATION_PREFIX.length), annotations[key]]);
}

/** Whether an exemption's reason is given: a string with a non-blank character. */
function isReason(reason: unknown): reason is string {
  return typeof reason === 'string' && reason.trim() !== '';
}

/** Rules a manifest is validly exempted from (a non-empty reason given). */
function exemptedRules(manifest: JsonObject): Set<string> {
  return new Set(
    exemptionAnnotations(manifest)
      .filter(([rule, reason]) => isPolicyRuleId(rule) && isReason(reason))
      .map(([rule]) => rule),
  );
}

/** Malformed exemptions: unknown rule ids and missing reasons. */
function exemptionFindings(manifest: JsonObject): Finding[] {
  return exemptionAnnotations(manifest).flatMap(([rule, reason]): Finding[] => {
    const field = `metadata.annotations${fieldOf('', EXEMPTION_ANNOTATION_PREFIX + rule)}`;
    if (!isPolicyRuleId(rule)) {
      return [{ field, message: `names no policy rule; known rules: ${Object.keys(POLICY_RULES).join(', ')}` }];
    }
    if (!isReason(reason)) {
      return [{ field, message: 'has no reason; an exemption must say why the rule does not apply' }];
    }
    return [];
  });
}

/** `Kind namespace/name` of a manifest. */
export function describeManifest(manifest: Readonly<Record<string, unknown>>): string {
  const metadata = asObject(manifest.metadata);
  const name = String(metadata.name ?? metadata.generateName ?? '<unnamed>');
  const namespace = namespaceOf(manifest);
  return `${String(manifest.kind)} ${namespace ? `${namespace}/${name}` : name}`;
}

/** An object to check, where it came from, and the exemptions that cover it. */
interface Subject {
  readonly path: string;
  readonly manifest: JsonObject;
  /** Prefix of every field (the embedding field, for an embedded manifest). */
  readonly fieldPrefix: string;
  /** Rules exempted by the object or by the manifest embedding it. */
  readonly exempted: ReadonlySet<string>;
}

/**
 * The objects of a manifest text as Argo reads it: YAML, one document or several separated by `---`
 * (JSON is YAML, so JSON text parses too). Empty documents are skipped.
 *
 * Text that opens with `{` or `[` (as pipelines embed their Spark applications) is read with the JSON
 * parser first, many times faster than the YAML one and giving the same value; when it is not JSON
 * after all (a YAML flow mapping, or a mapping followed by more documents), the YAML parser reads it.
 * @throws Error when any document is not well-formed YAML.
 */
export function parseManifestText(text: string): unknown[] {
  const first = text.trimStart().charAt(0);
  const json = first === '{' || first === '[' ? parseJson(text) : undefined;
  const documents = json ?? parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as unknown;
  });
  return documents.filter((value) => value !== null && value !== undefined);
}

/** The value of a JSON text, wrapped as one document; undefined when the text is not JSON. */
function parseJson(text: string): [unknown] | undefined {
  try {
    return [JSON.parse(text)];
  } catch {
    return undefined;
  }
}

/**
 * Kubernetes objects parsed from an embedded manifest text: undefined when the text cannot be parsed
 * or holds no object with a kind (then the policy cannot tell what it creates).
 */
function parseEmbedded(text: string, options: PolicyOptions): JsonObject[] | undefined {
  let parsed: unknown;
  try {
    parsed = (options.parseEmbedded ?? parseManifestText)(text);
  } catch {
    return undefined;
  }
  const objects = (Array.isArray(parsed) ? parsed : [parsed]).map(asObject);
  return objects.length > 0 && objects.every((obj) => typeof obj.kind === 'string') ? objects : undefined;
}

/** Violations of one subject, including those of the manifests it embeds. */
function checkSubject(subject: Subject, context: PolicyContext): PolicyViolation[] {
  const { manifest, exempted } = subject;
  const unit: PolicyUnit = { manifest, sites: manifestSites(manifest), namespace: namespaceOf(manifest) };
  const violations: PolicyViolation[] = [];
  const report = (rule: string, findings: readonly Finding[]): void => {
    if (findings.length === 0) return;
    const object = describeManifest(manifest);
    for (const { field, message } of findings) violations.push({ rule, object, path: subject.path, field: subject.fieldPrefix + field, message });
  };
  report(EXEMPTION_RULE, exemptionFindings(manifest));
  for (const [rule, check] of RULE_LIST) if (!exempted.has(rule)) report(rule, check(unit, context));
  const unreadable: Finding[] = [];
  const nested: PolicyViolation[][] = [];
  for (const site of unit.sites.embedded) {
    if (typeof site.text !== 'string') continue;
    const objects = parseEmbedded(site.text, context.options);
    if (!objects) {
      unreadable.push({ field: site.field, message: 'is not YAML or JSON holding Kubernetes objects with a kind, so the policy cannot check it' });
      continue;
    }
    for (const embedded of objects) {
      const rules = new Set([...exempted, ...exemptedRules(embedded)]);
      nested.push(checkSubject({ path: subject.path, manifest: embedded, fieldPrefix: `${subject.fieldPrefix}${site.field} > `, exempted: rules }, context));
    }
  }
  if (!exempted.has('embedded-manifest')) report('embedded-manifest', unreadable);
  return violations.concat(...nested);
}

/**
 * Checks manifests against the security policy and returns every violation (empty when all pass).
 * Service accounts bound by RoleBindings among `manifests` count as needing an API token.
 */
export function checkPolicy(manifests: readonly PolicyInput[], options: PolicyOptions = {}): PolicyViolation[] {
  const all = manifests.map((input) => asObject(input.manifest));
  const context: PolicyContext = {
    options,
    accountsWithGrants: accountsWithGrants(all),
    accountsWithoutToken: accountsWithoutToken(all),
  };
  return manifests.flatMap((input, index) => {
    const manifest = all[index];
    return checkSubject({ path: input.path, manifest, fieldPrefix: '', exempted: exemptedRules(manifest) }, context);
  });
}

/** One line per violation: `[construct/path] rule <id>: <Kind ns/name> <field>: <message>`. */
export function formatViolation(violation: PolicyViolation): string {
  return `[${violation.path}] rule ${violation.rule}: ${violation.object} ${violation.field}: ${violation.message}`;
}

/**
 * The policy messages for every ApiObject under `scope`, each rendered by `render`; an object `render`
 * cannot render (undefined) is left out, since synth reports the rendering error itself and the policy
 * should not hide the other validations' messages.
 */
export function policyMessages(
  scope: IConstruct,
  render: (object: ApiObject) => Record<string, unknown> | undefined,
  options: PolicyOptions = {},
): string[] {
  const inputs = scope.node.findAll().filter(ApiObject.isApiObject).flatMap((object): PolicyInput[] => {
    const manifest = render(object);
    return manifest === undefined ? [] : [{ path: object.node.path, manifest }];
  });
  return checkPolicy(inputs, options).map(formatViolation);
}

/**
 * Adds a construct validation to `chart` that renders every ApiObject under it and checks the result
 * against the policy, so synth fails with one message per violation. (A Platform does this itself.)
 */
export function registerPolicyValidation(chart: Chart, options: PolicyOptions = {}): void {
  chart.node.addValidation({
    validate: () => {
      const rendered = new RenderedObjects();
      return policyMessages(chart, (object) => rendered.render(object), options);
    },
  });
}
