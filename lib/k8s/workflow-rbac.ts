/**
 * The identity a pipeline's pods run as: a ServiceAccount, a namespaced Role granting exactly the API
 * calls its tasks make, and the RoleBinding between them.
 *
 * Argo pods talk to the API from Argo's own containers, not from user code: the `wait` container
 * reports each step's outputs as a `workflowtaskresults` object, and the main container of a resource
 * template runs the create/get of the object it manages (a SparkApplication). That is why the token stays
 * mounted (the Kubernetes default; the ServiceAccount does not set `automountServiceAccountToken`).
 * Rights are kept to those calls: no wildcards, no pod access, no cluster scope.
 */
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { BatchplaneError, check, withPath } from '../model/errors';
import { annotationMap, compareStrings, isRecord, nonEmpty, optional, optionalBoolean } from '../model/input';
import { checkDns1123Subdomain } from '../model/names';

/** One grant of a Role: some verbs on one resource of one API group. */
export interface WorkflowPermission {
  /** The API group (`argoproj.io`). */
  readonly apiGroup: string;
  /** The resource, plural (`workflowtaskresults`). */
  readonly resource: string;
  /** The verbs. */
  readonly verbs: readonly string[];
}

/** What Argo's executor needs in every workflow (v3.4 and later): writing step results. */
export const EXECUTOR_PERMISSION: WorkflowPermission = Object.freeze({
  apiGroup: 'argoproj.io',
  resource: 'workflowtaskresults',
  verbs: Object.freeze(['create', 'patch']),
});

/** What a resource template that creates a SparkApplication and polls its status needs. */
export const SPARK_SUBMIT_PERMISSION: WorkflowPermission = Object.freeze({
  apiGroup: 'sparkoperator.k8s.io',
  resource: 'sparkapplications',
  verbs: Object.freeze(['create', 'get']),
});

/** How a pipeline gets its ServiceAccount. */
export interface WorkflowServiceAccountOptions {
  /**
   * The ServiceAccount name, a DNS-1123 subdomain.
   * @default - `<pipeline name>-workflow`
   */
  readonly name?: string;
  /**
   * Annotations on the ServiceAccount, e.g. `eks.amazonaws.com/role-arn` for IRSA.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Whether to emit the ServiceAccount, Role and RoleBinding. Turn off when the account is managed
   * elsewhere; it then needs at least the permissions listed by {@link WorkflowRbac.permissions}.
   * @default true
   */
  readonly create?: boolean;
}

/** {@link WorkflowServiceAccountOptions} once checked, with the default of `create` applied. */
export interface CheckedServiceAccountOptions {
  readonly name?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly create: boolean;
}

/**
 * Checks the service account options of a pipeline; errors name `serviceAccount.<field>`
 * (annotations: `serviceAccount.annotations["key"]`).
 */
export function checkServiceAccountOptions(options: unknown): CheckedServiceAccountOptions {
  if (options === undefined) return { create: true };
  check(isRecord(options), 'serviceAccount', options, 'an object { name?, annotations?, create? }');
  return {
    ...optional('name', options.name === undefined ? undefined : checkDns1123Subdomain('serviceAccount.name', options.name)),
    ...optional('annotations', annotationMap('serviceAccount.annotations', options.annotations)),
    create: optionalBoolean('serviceAccount.create', options.create, true),
  };
}

/** Props of {@link WorkflowRbac}. */
export interface WorkflowRbacProps {
  /** The ServiceAccount name (also the Role and RoleBinding name). */
  readonly serviceAccountName: string;
  /**
   * Annotations on the ServiceAccount.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Whether to emit the objects.
   * @default true
   */
  readonly create?: boolean;
}

/**
 * The ServiceAccount, Role and RoleBinding of one pipeline. The Role starts with
 * {@link EXECUTOR_PERMISSION}; tasks add what they need with {@link WorkflowRbac.allow}. Rules are
 * rendered at synthesis, merged per resource and sorted.
 */
export class WorkflowRbac extends Construct {
  /** The ServiceAccount the pipeline's pods run as. */
  public readonly serviceAccountName: string;
  private readonly grants = new Map<string, Set<string>>();

  constructor(scope: Construct, id: string, props: WorkflowRbacProps) {
    super(scope, id);
    const checked = withPath(this.node.path, () => {
      check(isRecord(props), 'props', props, 'an object with a serviceAccountName');
      checkDns1123Subdomain('serviceAccount.name', props.serviceAccountName);
      return checkServiceAccountOptions({ annotations: props.annotations, create: props.create });
    });
    this.serviceAccountName = props.serviceAccountName;
    this.allow(EXECUTOR_PERMISSION);
    if (checked.create) this.emit(checked.annotations);
  }

  /** Grants `verbs` on a resource; repeated grants merge. Wildcards are refused. */
  public allow(permission: WorkflowPermission): void {
    if (permission.verbs.length === 0 || [...permission.verbs, permission.resource, permission.apiGroup].includes('*')) {
      throw new BatchplaneError('permission', permission, 'named verbs on a named resource and API group (no wildcards)', this.node.path);
    }
    const key = `${permission.apiGroup}\u0000${permission.resource}`;
    const verbs = this.grants.get(key) ?? new Set<string>();
    permission.verbs.forEach((v) => verbs.add(v));
    this.grants.set(key, verbs);
  }

  /** The permissions granted so far, one per resource with sorted verbs, sorted by group then resource. */
  public permissions(): WorkflowPermission[] {
    return [...this.grants.entries()]
      .map(([key, verbs]) => {
        const [apiGroup, resource] = key.split('\u0000');
        return { apiGroup, resource, verbs: [...verbs].sort() };
      })
      .sort((a, b) => compareStrings(a.apiGroup, b.apiGroup) || compareStrings(a.resource, b.resource));
  }

  private emit(annotations: Readonly<Record<string, string>> | undefined): void {
    const name = this.serviceAccountName;
    // Plain ApiObjects with the JSON the cdk8s-plus L1 classes write (keys sorted either way), without
    // their prop conversions at construction and at synth.
    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, ...optional('annotations', nonEmpty(annotations)) },
    });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name },
      rules: Lazy.any({
        produce: () => this.permissions().map((p) => ({ apiGroups: [p.apiGroup], resources: [p.resource], verbs: [...p.verbs] })),
      }),
    });
    const namespace = Chart.of(this).namespace;
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      // Without a namespace, a ServiceAccount subject of a RoleBinding means the binding's own namespace.
      subjects: [{ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) }],
    });
  }
}
