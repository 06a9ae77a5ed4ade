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
import { withEmbeddedManifests } from './embedded-manifests';
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

/** One object under check, with what the rules need to know about it. */
interface PolicyUnit {
  readonly manifest: JsonObject;
  readonly sites: ManifestSites;
  /** Namespace used to match service accounts (`''` when unset). */
  readonly namespace: string;
}

/** Facts gathered across all manifests, and memos that live for one check. */
interface PolicyContext {
  readonly options: PolicyOptions;
  /** `namespace/name` of service accounts that are bound to a role, or that turn token mounting off. */
  readonly accountsWithGrants: ReadonlySet<string>;
  readonly accountsWithoutToken: ReadonlySet<string>;
  /** {@link imageProblem} of each image string met so far (a platform runs a handful of images). */
  readonly imageProblems: Map<string, string | undefined>;
  /** {@link looksLikeCredential} of each setting name met so far (Spark conf keys repeat in every app). */
  readonly credentialNames: Map<string, boolean>;
}

/** Receives one violation found by a rule: the offending field and what is wrong with it. */
type Report = (field: string, message: string) => void;

/** A rule: reports each violation of one object under check. */
type Rule = (unit: PolicyUnit, context: PolicyContext, report: Report) => void;

/** A rule about one container of a pod. */
type ContainerRule = (container: ContainerSite, pod: PodSite, report: Report, context: PolicyContext) => void;

// ---------------------------------------------------------------------------------------------------
// Container security context rules

/** The rule that runs `check` on every container of every pod of the unit. */
function perContainer(check: ContainerRule): Rule {
  return (unit, context, report) => {
    for (const pod of unit.sites.pods) for (const container of pod.containers) check(container, pod, report, context);
  };
}

/** A security setting as it applies to a container: its own value, else the pod's. */
function effectiveSetting(container: ContainerSite, pod: PodSite, key: string): unknown {
  return container.securityContext[key] ?? pod.securityContext[key];
}

const runAsNonRoot = perContainer((container, pod, report) => {
  if (effectiveSetting(container, pod, 'runAsNonRoot') !== true) {
    report(`${container.securityContextField}.runAsNonRoot`, 'must be true (on the container or the pod security context) so the kubelet refuses to start root');
  }
  if (effectiveSetting(container, pod, 'runAsUser') === 0) {
    const own = container.securityContext.runAsUser !== undefined;
    report(`${own ? container.securityContextField : pod.securityContextField}.runAsUser`, 'is 0 (root); use a non-zero user id');
  }
});

const noPrivilegeEscalation = perContainer((container, _pod, report) => {
  const context = container.securityContext;
  if (context.allowPrivilegeEscalation !== false) report(`${container.securityContextField}.allowPrivilegeEscalation`, 'must be false');
  if (context.privileged === true) report(`${container.securityContextField}.privileged`, 'must not be true');
});

/** The only capability a restricted container may add (binding ports below 1024). */
const ALLOWED_ADDED_CAPABILITY = 'NET_BIND_SERVICE';

function isForbiddenCapability(capability: unknown): boolean {
  return capability !== ALLOWED_ADDED_CAPABILITY;
}

const dropAllCapabilities = perContainer((container, _pod, report) => {
  const capabilities = asObject(container.securityContext.capabilities);
  if (!asList(capabilities.drop).includes('ALL')) report(`${container.securityContextField}.capabilities.drop`, "must include 'ALL'");
  const add = asList(capabilities.add);
  if (add.some(isForbiddenCapability)) {
    const added = add.filter(isForbiddenCapability).join(', ');
    report(`${container.securityContextField}.capabilities.add`, `adds ${added}; only ${ALLOWED_ADDED_CAPABILITY} may be added`);
  }
});

const ALLOWED_SECCOMP_TYPES: readonly unknown[] = ['RuntimeDefault', 'Localhost'];

const seccompRuntimeDefault = perContainer((container, pod, report) => {
  const type = asObject(effectiveSetting(container, pod, 'seccompProfile')).type;
  if (ALLOWED_SECCOMP_TYPES.includes(type)) return;
  const where = type === undefined ? pod.securityContextField : container.securityContextField;
  const got = type === undefined ? 'is not set' : `is ${String(type)}`;
  report(`${where}.seccompProfile.type`, `${got}; set RuntimeDefault`);
});

const readOnlyRootFilesystem = perContainer((container, _pod, report) => {
  if (container.securityContext.readOnlyRootFilesystem !== true) {
    report(
      `${container.securityContextField}.readOnlyRootFilesystem`,
      'must be true; mount a size-limited emptyDir where the process writes (/tmp, Spark local dirs)',
    );
  }
});

// ---------------------------------------------------------------------------------------------------
// Resources, volumes, images

/** `a cpu request`, `a memory limit`. */
function describeSlot(name: ResourceSlotName): string {
  const [group, resource] = name.split('.');
  return `a ${resource} ${group === 'requests' ? 'request' : 'limit'}`;
}

const resourcesRequired = perContainer((container, _pod, report, context) => {
  for (const slot of container.resources) {
    if (slot.set) continue;
    if (container.flavour === 'spark' && slot.name === 'limits.cpu' && !context.options.requireSparkCpuLimit) continue;
    report(slot.field, `is not set; every container needs ${describeSlot(slot.name)}`);
  }
});

const emptyDirSizeLimit: Rule = (unit, _context, report) => {
  for (const { volume, field } of unit.sites.volumes) {
    if (volume.emptyDir !== undefined && asObject(volume.emptyDir).sizeLimit === undefined) {
      report(`${field}.emptyDir.sizeLimit`, 'is not set; an unbounded emptyDir can fill the node disk');
    }
  }
};

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

/** `compute(key)`, worked out once per key while `memo` lives (one check). */
function remembered<V>(memo: Map<string, V>, key: string, compute: (key: string) => V): V {
  if (memo.has(key)) return memo.get(key) as V;
  const value = compute(key);
  memo.set(key, value);
  return value;
}

const imageTag = perContainer((container, _pod, report, context) => {
  const image = container.image;
  const problem = typeof image === 'string' ? remembered(context.imageProblems, image, imageProblem) : imageProblem(image);
  if (problem) report(container.imageField, problem);
});

// ---------------------------------------------------------------------------------------------------
// RBAC

const RBAC_GROUP = 'rbac.authorization.k8s.io/';
const RBAC_RULE_LISTS = ['apiGroups', 'resources', 'verbs', 'resourceNames', 'nonResourceURLs'];
const ROLE_KINDS: readonly string[] = ['Role', 'ClusterRole'];
const CLUSTER_KINDS: readonly string[] = ['ClusterRole', 'ClusterRoleBinding'];
const BINDING_KINDS: readonly string[] = ['RoleBinding', 'ClusterRoleBinding'];

function isRbac(manifest: JsonObject, kinds: readonly string[]): boolean {
  return String(manifest.apiVersion).startsWith(RBAC_GROUP) && kinds.includes(String(manifest.kind));
}

function hasWildcard(list: readonly unknown[]): boolean {
  return list.some((v) => typeof v === 'string' && v.includes('*'));
}

const rbacNoWildcards: Rule = (unit, _context, report) => {
  if (!isRbac(unit.manifest, ROLE_KINDS)) return;
  asList(unit.manifest.rules).forEach((rule, i) => {
    for (const key of RBAC_RULE_LISTS) {
      if (hasWildcard(asList(asObject(rule)[key]))) report(`rules[${i}].${key}`, `contains a wildcard; list the exact ${key}`);
    }
  });
};

const rbacNamespaced: Rule = (unit, context, report) => {
  if (!context.options.allowClusterRbac && isRbac(unit.manifest, CLUSTER_KINDS)) {
    report('kind', `${String(unit.manifest.kind)} grants cluster-wide; use a Role and RoleBinding in the namespace`);
  }
};

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

/** Whether a setting holds a credential written as a literal; names are judged once per check. */
function holdsCredential(key: string, value: unknown, context: PolicyContext): boolean {
  return isLiteral(value) && remembered(context.credentialNames, key, looksLikeCredential);
}

const SECRET_FIX = 'is a credential written into the manifest; use IRSA for AWS access or a Secret reference';
const SECRET_DATA_KEYS = ['data', 'stringData'];

const noSecretLiterals: Rule = (unit, context, report) => {
  for (const { field, key, value } of unit.sites.settings) {
    if (holdsCredential(key, value, context)) report(field, `${key} ${SECRET_FIX}`);
  }
  for (const pod of unit.sites.pods) {
    for (const container of pod.containers) {
      container.env.forEach((entry, i) => {
        const env = asObject(entry);
        const key = String(env.name ?? '');
        if (holdsCredential(key, env.value, context)) report(`${container.envField}[${i}].value`, `${key} ${SECRET_FIX}`);
      });
    }
  }
  const manifest = unit.manifest;
  if (manifest.kind !== 'Secret' || manifest.apiVersion !== 'v1') return;
  for (const key of SECRET_DATA_KEYS) {
    if (Object.keys(asObject(manifest[key])).length > 0) {
      report(key, 'holds secret values in the manifest; create the Secret out of band (External Secrets, Sealed Secrets)');
    }
  }
};

// ---------------------------------------------------------------------------------------------------
// Service account token

function accountKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

const automountToken: Rule = (unit, context, report) => {
  for (const pod of unit.sites.pods) {
    const account = pod.serviceAccount;
    if (!account || account.automount === false) continue;
    const key = accountKey(unit.namespace, account.name);
    if (context.accountsWithGrants.has(key)) continue;
    if (account.automount === undefined && context.accountsWithoutToken.has(key)) continue;
    report(account.field, `must be false: service account ${account.name} is bound to no role, so the pod does not need an API token`);
  }
};

function namespaceOf(manifest: JsonObject): string {
  const namespace = asObject(manifest.metadata).namespace;
  return typeof namespace === 'string' ? namespace : '';
}

/** Service accounts named as subjects of RoleBindings or ClusterRoleBindings. */
function accountsWithGrants(manifests: readonly JsonObject[]): Set<string> {
  const accounts = new Set<string>();
  for (const binding of manifests) {
    if (!isRbac(binding, BINDING_KINDS)) continue;
    for (const item of asList(binding.subjects)) {
      const subject = asObject(item);
      if (subject.kind === 'ServiceAccount') accounts.add(accountKey(String(subject.namespace ?? namespaceOf(binding)), String(subject.name)));
    }
  }
  return accounts;
}

/** ServiceAccounts that turn token mounting off for their pods. */
function accountsWithoutToken(manifests: readonly JsonObject[]): Set<string> {
  const accounts = new Set<string>();
  for (const m of manifests) {
    if (m.kind === 'ServiceAccount' && m.apiVersion === 'v1' && m.automountServiceAccountToken === false) {
      accounts.add(accountKey(namespaceOf(m), String(asObject(m.metadata).name)));
    }
  }
  return accounts;
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

/** The rules a manifest without valid exemptions is exempted from: none. Shared, so never changed. */
const NO_EXEMPTIONS: ReadonlySet<string> = new Set();

/** Rules a manifest is validly exempted from (a non-empty reason given). */
function exemptedRules(manifest: JsonObject): ReadonlySet<string> {
  const rules = exemptionAnnotations(manifest)
    .filter(([rule, reason]) => isPolicyRuleId(rule) && isReason(reason))
    .map(([rule]) => rule);
  return rules.length === 0 ? NO_EXEMPTIONS : new Set(rules);
}

/** Reports malformed exemptions: unknown rule ids and missing reasons. */
function checkExemptions(manifest: JsonObject, report: Report): void {
  for (const [rule, reason] of exemptionAnnotations(manifest)) {
    const field = `metadata.annotations${fieldOf('', EXEMPTION_ANNOTATION_PREFIX + rule)}`;
    if (!isPolicyRuleId(rule)) {
      report(field, `names no policy rule; known rules: ${Object.keys(POLICY_RULES).join(', ')}`);
    } else if (!isReason(reason)) {
      report(field, 'has no reason; an exemption must say why the rule does not apply');
    }
  }
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

/** Appends the violations of one subject to `violations`, then those of the manifests it embeds. */
function checkSubject(subject: Subject, context: PolicyContext, violations: PolicyViolation[]): void {
  const { manifest, exempted, path, fieldPrefix } = subject;
  const unit: PolicyUnit = { manifest, sites: manifestSites(manifest), namespace: namespaceOf(manifest) };
  let rule: string = EXEMPTION_RULE;
  let object: string | undefined;
  const report: Report = (field, message) => {
    object ??= describeManifest(manifest);
    violations.push({ rule, object, path, field: fieldPrefix + field, message });
  };
  checkExemptions(manifest, report);
  for (const [id, check] of RULE_LIST) {
    if (exempted.has(id)) continue;
    rule = id;
    check(unit, context, report);
  }
  rule = 'embedded-manifest';
  const nested: Subject[] = [];
  for (const site of unit.sites.embedded) {
    if (typeof site.text !== 'string') continue;
    const objects = parseEmbedded(site.text, context.options);
    if (!objects) {
      if (!exempted.has(rule)) report(site.field, 'is not YAML or JSON holding Kubernetes objects with a kind, so the policy cannot check it');
      continue;
    }
    for (const embedded of objects) {
      const own = exemptedRules(embedded);
      const rules = own.size === 0 ? exempted : new Set([...exempted, ...own]);
      nested.push({ path, manifest: embedded, fieldPrefix: `${fieldPrefix}${site.field} > `, exempted: rules });
    }
  }
  for (const embedded of nested) checkSubject(embedded, context, violations);
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
    imageProblems: new Map(),
    credentialNames: new Map(),
  };
  const violations: PolicyViolation[] = [];
  manifests.forEach((input, index) => {
    const manifest = all[index];
    checkSubject({ path: input.path, manifest, fieldPrefix: '', exempted: exemptedRules(manifest) }, context, violations);
  });
  return violations;
}

/** One line per violation: `[construct/path] rule <id>: <Kind ns/name> <field>: <message>`. */
export function formatViolation(violation: PolicyViolation): string {
  return `[${violation.path}] rule ${violation.rule}: ${violation.object} ${violation.field}: ${violation.message}`;
}

/**
 * The policy messages for every ApiObject under `scope`, each rendered by `render`; an object `render`
 * cannot render (undefined) is left out, since synth reports the rendering error itself and the policy
 * should not hide the other validations' messages.
 *
 * Without a parser in `options`, a manifest a pipeline embedded while this rendering ran is read from
 * the value it was written from rather than parsed again (see `withEmbeddedManifests`).
 */
export function policyMessages(
  scope: IConstruct,
  render: (object: ApiObject) => Record<string, unknown> | undefined,
  options: PolicyOptions = {},
): string[] {
  return withEmbeddedManifests((writtenValue) => {
    const inputs: PolicyInput[] = [];
    for (const object of scope.node.findAll()) {
      if (!ApiObject.isApiObject(object)) continue;
      const manifest = render(object);
      if (manifest !== undefined) inputs.push({ path: object.node.path, manifest });
    }
    const parse = options.parseEmbedded ?? ((text: string): unknown => {
      const value = writtenValue(text);
      return value === undefined ? parseManifestText(text) : [value];
    });
    return checkPolicy(inputs, { ...options, parseEmbedded: parse }).map(formatViolation);
  });
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
