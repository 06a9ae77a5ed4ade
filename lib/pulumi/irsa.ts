/**
 * IAM roles for Kubernetes service accounts (IRSA): a role whose trust policy admits only web-identity
 * tokens the cluster's OIDC issuer minted for the named service accounts, for the STS audience.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BatchplaneError, check } from '../model/errors';
import { checkDns1123Label, checkDns1123Subdomain } from '../model/names';

/** A Kubernetes service account, by namespace and name. */
export interface ServiceAccountRef {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account. */
  readonly name: string;
}

/** The cluster's OIDC identity provider, as IRSA trust policies need it. */
export interface OidcIdentity {
  /** ARN of the IAM OIDC provider registered for the cluster. */
  readonly providerArn: pulumi.Input<string>;
  /** Issuer URL of the cluster (`https://oidc.eks.<region>.amazonaws.com/id/<id>`). */
  readonly issuerUrl: pulumi.Input<string>;
}

/** An IAM policy statement. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** The audience EKS service account tokens are issued for when they are exchanged with STS. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** Annotation that binds a Kubernetes service account to an IAM role. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The `sub` claim of a service account token: `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountSubject(account: ServiceAccountRef): string {
  const namespace = checkDns1123Label('serviceAccounts.namespace', account?.namespace);
  const name = checkDns1123Subdomain('serviceAccounts.name', account?.name);
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The issuer as IAM condition keys spell it: the URL without its scheme. */
export function issuerHostPath(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, '');
}

/**
 * The trust policy of an IRSA role: `sts:AssumeRoleWithWebIdentity` for the OIDC provider, only when the
 * token's `aud` is STS and its `sub` is one of the service accounts.
 */
export function irsaTrustPolicy(providerArn: string, issuerUrl: string, serviceAccounts: readonly ServiceAccountRef[]): PolicyDocument {
  check(Array.isArray(serviceAccounts) && serviceAccounts.length > 0, 'serviceAccounts', serviceAccounts, 'at least one service account');
  const subjects = [...new Set(serviceAccounts.map(serviceAccountSubject))].sort();
  const issuer = issuerHostPath(issuerUrl);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuer}:aud`]: STS_AUDIENCE,
            [`${issuer}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
          },
        },
      },
    ],
  };
}

/**
 * Least-privilege S3 access for Spark through S3A: list the bucket and its multipart uploads, and read,
 * write and delete objects in it.
 */
export function sparkS3Policy(bucketArn: string): PolicyDocument {
  check(typeof bucketArn === 'string' && /^arn:aws[a-z-]*:s3:::[^/*]+$/.test(bucketArn), 'bucketArn', bucketArn, 'an S3 bucket ARN (arn:aws:s3:::<bucket>)');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ListBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: bucketArn,
      },
      {
        Sid: 'ReadWriteObjects',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: `${bucketArn}/*`,
      },
    ],
  };
}

/** Arguments of {@link createIrsaRole}. */
export interface IrsaRoleArgs {
  /** The cluster's OIDC provider. */
  readonly oidc: OidcIdentity;
  /** The service accounts allowed to assume the role. */
  readonly serviceAccounts: readonly ServiceAccountRef[];
  /**
   * Inline policy of the role.
   * @default - no inline policy
   */
  readonly policy?: pulumi.Input<PolicyDocument>;
  /**
   * Managed policies to attach.
   * @default []
   */
  readonly managedPolicyArns?: readonly pulumi.Input<string>[];
  /**
   * Tags of the role.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** An IRSA role and its policies. */
export interface IrsaRole {
  /** The role; annotate the service accounts with its ARN ({@link IRSA_ROLE_ANNOTATION}). */
  readonly role: aws.iam.Role;
  /** The inline policy, when one was given. */
  readonly policy?: aws.iam.RolePolicy;
  /** The managed policy attachments. */
  readonly attachments: readonly aws.iam.RolePolicyAttachment[];
}

/** Creates an IAM role (`${name}`) that only the given service accounts can assume through IRSA. */
export function createIrsaRole(name: string, args: IrsaRoleArgs, parent: pulumi.Resource): IrsaRole {
  const subjects = args.serviceAccounts.map(serviceAccountSubject);
  if (subjects.length === 0) throw new BatchplaneError('serviceAccounts', args.serviceAccounts, 'at least one service account', name);
  const assumeRolePolicy = pulumi
    .all([args.oidc.providerArn, args.oidc.issuerUrl])
    .apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, args.serviceAccounts)));
  const role = new aws.iam.Role(name, { assumeRolePolicy, tags: { ...args.tags } }, { parent });
  const policy =
    args.policy === undefined
      ? undefined
      : new aws.iam.RolePolicy(
          `${name}-policy`,
          { role: role.name, policy: pulumi.output(args.policy).apply((doc) => JSON.stringify(doc)) },
          { parent },
        );
  const attachments = (args.managedPolicyArns ?? []).map(
    (policyArn, index) => new aws.iam.RolePolicyAttachment(`${name}-attach-${index}`, { role: role.name, policyArn }, { parent }),
  );
  return { role, policy, attachments };
}

/** Arguments of {@link createSparkS3Role}. */
export interface SparkS3RoleArgs {
  /** The cluster's OIDC provider. */
  readonly oidc: OidcIdentity;
  /** ARN of the bucket Spark reads and writes. */
  readonly bucketArn: pulumi.Input<string>;
  /** The Spark driver and executor service accounts. */
  readonly serviceAccounts: readonly ServiceAccountRef[];
}

/** An IRSA role for Spark service accounts with read-write access to one S3 bucket ({@link sparkS3Policy}). */
export function createSparkS3Role(name: string, args: SparkS3RoleArgs, parent: pulumi.Resource): IrsaRole {
  return createIrsaRole(
    name,
    { oidc: args.oidc, serviceAccounts: args.serviceAccounts, policy: pulumi.output(args.bucketArn).apply(sparkS3Policy) },
    parent,
  );
}
