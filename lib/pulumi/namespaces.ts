/**
 * The namespaces jobs run in, created before the operators: the Spark operator chart writes a Role and
 * RoleBinding for its controller into every job namespace, so the namespace must exist when the release
 * is installed, which is before the cdk8s charts (which may also declare it) are applied.
 */
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/** A Kubernetes object as cdk8s renders it, reduced to what identifies a Namespace. */
interface ManifestHead {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown };
}

/** The name of `obj` when it is a core/v1 Namespace, else undefined. */
export function namespaceName(obj: unknown): string | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const head = obj as ManifestHead;
  const name = head.metadata?.name;
  return head.apiVersion === 'v1' && head.kind === 'Namespace' && typeof name === 'string' ? name : undefined;
}

/** Creates a Namespace resource (`${name}-ns-${namespace}`) per job namespace, keyed by namespace. */
export function createJobNamespaces(
  name: string,
  namespaces: readonly string[],
  parent: pulumi.Resource,
  provider: k8s.Provider,
): Record<string, k8s.core.v1.Namespace> {
  return Object.fromEntries(
    [...new Set(namespaces)].map((namespace) => [
      namespace,
      new k8s.core.v1.Namespace(`${name}-ns-${namespace}`, { metadata: { name: namespace } }, { parent, provider }),
    ]),
  );
}
