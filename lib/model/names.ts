/**
 * Kubernetes name rules (`k8s.io/apimachinery/pkg/util/validation`): DNS labels and subdomains for
 * object names, qualified names for label and taint keys, label values.
 *
 * Each rule has a predicate (`isX(v)`) and a checker (`checkX(field, v)`) that throws a
 * {@link BatchplaneError} naming the field, the value and the rule, and returns the value.
 */
import { BatchplaneError } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Maximum length of a DNS-1123 or DNS-1035 label, and of a label value or the name part of a key. */
export const DNS_LABEL_MAX_LENGTH = 63;
/** Maximum length of a DNS-1123 subdomain, and of the prefix of a qualified name. */
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;

const LABEL_RULE = `at most ${DNS_LABEL_MAX_LENGTH} characters`;
const DNS1123_LABEL_RULE = `a lowercase RFC 1123 label: ${LABEL_RULE} of a-z, 0-9 and '-', starting and ending with a letter or digit (e.g. 'my-name')`;
const DNS1123_SUBDOMAIN_RULE = `a lowercase RFC 1123 subdomain: at most ${DNS_SUBDOMAIN_MAX_LENGTH} characters of RFC 1123 labels joined by '.' (e.g. 'example.com')`;
const NAME_PART_RULE = `${LABEL_RULE} of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
const QUALIFIED_NAME_RULE = `a qualified name: an optional DNS subdomain prefix and '/', then a name of ${NAME_PART_RULE} (e.g. 'app.kubernetes.io/name' or 'tier')`;
const LABEL_VALUE_RULE = `a label value: empty, or ${NAME_PART_RULE} (e.g. 'spark')`;

function dns1035Rule(maxLength: number): string {
  return `a lowercase RFC 1035 label: at most ${maxLength} characters of a-z, 0-9 and '-', starting with a letter and ending with a letter or digit (e.g. 'my-name')`;
}

/** True when `v` is a string of at most `maxLength` characters matching `pattern`. */
function matches(v: unknown, pattern: RegExp, maxLength: number): v is string {
  return typeof v === 'string' && v.length <= maxLength && pattern.test(v);
}

/** Returns `v` when `isValid(v)`, else throws for `field` with `rule` as what was expected. */
function accept(isValid: (v: unknown) => v is string, field: string, v: unknown, rule: string): string {
  if (!isValid(v)) throw new BatchplaneError(field, v, rule);
  return v;
}

/** True for an RFC 1123 label (most object names: namespaces, services...). */
export function isDns1123Label(v: unknown): v is string {
  return matches(v, DNS1123_LABEL, DNS_LABEL_MAX_LENGTH);
}

/** True for an RFC 1123 subdomain (names of most objects: ConfigMaps, PriorityClasses...). */
export function isDns1123Subdomain(v: unknown): v is string {
  return matches(v, DNS1123_SUBDOMAIN, DNS_SUBDOMAIN_MAX_LENGTH);
}

/**
 * True for an RFC 1035 label (a letter first), of at most `maxLength` characters.
 * @param maxLength a tighter limit where a name feeds a derived name.
 * @default maxLength 63
 */
export function isDns1035Label(v: unknown, maxLength: number = DNS_LABEL_MAX_LENGTH): v is string {
  return matches(v, DNS1035_LABEL, Math.min(maxLength, DNS_LABEL_MAX_LENGTH));
}

/** True for a qualified name: `[prefix/]name`, the prefix a DNS subdomain, the name 63 characters at most. */
export function isQualifiedName(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const parts = v.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || (parts[0].length > 0 && isDns1123Subdomain(parts[0]));
  return prefixOk && matches(name, QUALIFIED_NAME_PART, DNS_LABEL_MAX_LENGTH);
}

/** True for a label key, which is a qualified name. */
export function isLabelKey(v: unknown): v is string {
  return isQualifiedName(v);
}

/** True for a taint key, which follows the label key rules. */
export function isTaintKey(v: unknown): v is string {
  return isQualifiedName(v);
}

/** True for a label value: empty, or up to 63 letters, digits, `-`, `_`, `.` starting and ending alphanumeric. */
export function isLabelValue(v: unknown): v is string {
  return v === '' || matches(v, QUALIFIED_NAME_PART, DNS_LABEL_MAX_LENGTH);
}

/** Throws unless `v` is an RFC 1123 label; returns it. */
export function checkDns1123Label(field: string, v: unknown): string {
  return accept(isDns1123Label, field, v, DNS1123_LABEL_RULE);
}

/** Throws unless `v` is an RFC 1123 subdomain; returns it. */
export function checkDns1123Subdomain(field: string, v: unknown): string {
  return accept(isDns1123Subdomain, field, v, DNS1123_SUBDOMAIN_RULE);
}

/**
 * Throws unless `v` is an RFC 1035 label of at most `maxLength` characters; returns it.
 * @default maxLength 63
 */
export function checkDns1035Label(field: string, v: unknown, maxLength: number = DNS_LABEL_MAX_LENGTH): string {
  const limit = Math.min(maxLength, DNS_LABEL_MAX_LENGTH);
  return accept((x): x is string => isDns1035Label(x, limit), field, v, dns1035Rule(limit));
}

/** Throws unless `v` is a qualified name; returns it. */
export function checkQualifiedName(field: string, v: unknown): string {
  return accept(isQualifiedName, field, v, QUALIFIED_NAME_RULE);
}

/** Throws unless `k` is a label key; returns it. */
export function checkLabelKey(field: string, k: unknown): string {
  return accept(isLabelKey, field, k, `a label key, ${QUALIFIED_NAME_RULE}`);
}

/** Throws unless `k` is a taint key; returns it. */
export function checkTaintKey(field: string, k: unknown): string {
  return accept(isTaintKey, field, k, `a taint key, ${QUALIFIED_NAME_RULE}`);
}

/** Throws unless `v` is a label value (also the rule for taint values); returns it. */
export function checkLabelValue(field: string, v: unknown): string {
  return accept(isLabelValue, field, v, LABEL_VALUE_RULE);
}
