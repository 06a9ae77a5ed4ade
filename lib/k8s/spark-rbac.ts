/**
 * The identity a Spark driver runs as: a ServiceAccount, a namespaced Role with exactly the permissions a
 * driver needs to run its executors, and the RoleBinding between them (research/spark-operator.md §7).
 * One per application by default; several applications may share one.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { check, withPath } from '../model/errors';
import { isRecord } from '../model/input';
import { checkDns1123Subdomain } from '../model/names';
import { Platform } from './platform';

/** The annotation EKS reads to give pods of a service account an IAM role (IRSA). */
export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * The only rule a Spark driver needs: it creates, watches and deletes executor pods, its headless
 * Service, executor ConfigMaps and on-demand PVCs. No wildcards, no cluster scope.
 */
export const SPARK_DRIVER_RULE = Object.freeze({
  apiGroups: Object.freeze(['']),
  resources: Object.freeze(['pods', 'services', 'configmaps', 'persistentvolumeclaims']),
  verbs: Object.freeze(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']),
});

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Props of {@link SparkServiceAccount}. */
export interface SparkServiceAccountProps {
  /** The name of the ServiceAccount, Role and RoleBinding, a DNS-1123 subdomain. */
  readonly name: string;
  /**
   * An IAM role for the driver and executors (IRSA), e.g. for S3 access.
   * @default - no IAM role
   */
  readonly awsRoleArn?: string;
}

/** A service account for Spark drivers (and executors) with a least-privilege namespaced Role. */
export class SparkServiceAccount extends Construct {
  /** The ServiceAccount name. */
  public readonly name: string;
  /** The IAM role, when one is attached. */
  public readonly awsRoleArn?: string;

  constructor(scope: Construct, id: string, props: SparkServiceAccountProps) {
    super(scope, id);
    withPath(this.node.path, () => {
      check(isRecord(props), 'props', props, 'an object with a name');
      checkDns1123Subdomain('name', props.name);
      const arn = props.awsRoleArn;
      checkRoleArn('awsRoleArn', arn);
    });
    this.name = props.name;
    this.awsRoleArn = props.awsRoleArn;
    const namespace = Platform.of(this).namespace;
    const annotations = this.awsRoleArn === undefined ? undefined : { [IRSA_ANNOTATION]: this.awsRoleArn };
    // Plain ApiObjects with the JSON the cdk8s-plus L1 classes write (keys sorted either way): the L1
    // classes convert their props at construction and again at synth, per application.
    new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: annotations === undefined ? { name: this.name } : { name: this.name, annotations },
    });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: this.name },
      rules: [{ apiGroups: [...SPARK_DRIVER_RULE.apiGroups], resources: [...SPARK_DRIVER_RULE.resources], verbs: [...SPARK_DRIVER_RULE.verbs] }],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: this.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace }],
    });
  }
}

/** Checks an optional IAM role ARN (for IRSA). */
export function checkRoleArn(field: string, arn: unknown): void {
  check(arn === undefined || (typeof arn === 'string' && ROLE_ARN.test(arn)), field, arn, 'an IAM role ARN such as "arn:aws:iam::123456789012:role/spark"');
}
