/**
 * The EKS control plane (a new cluster, or an existing one looked up by name), the IAM roles of the
 * control plane and of the nodes, the OIDC provider that enables IRSA, and a Kubernetes provider.
 */
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { check } from '../model/errors';
import type { OidcIdentity, PolicyDocument } from './irsa';
import { STS_AUDIENCE } from './irsa';

/** Managed policies the control plane role needs. */
export const CLUSTER_POLICY_ARNS: readonly string[] = ['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy'];

/** Managed policies the node role of EKS managed node groups needs. */
export const NODE_POLICY_ARNS: readonly string[] = [
  'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
];

/** A trust policy that lets an AWS service assume a role. */
export function serviceTrustPolicy(service: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}

/** Throws unless `value` is a valid EKS cluster name. */
export function checkClusterName(value: unknown): asserts value is string {
  check(
    typeof value === 'string' && /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(value),
    'clusterName',
    value,
    'an EKS cluster name (letters, digits, "-" and "_", at most 100 characters, starting with a letter or digit)',
  );
}

/** The connection details a kubeconfig needs. */
export interface ClusterEndpoint {
  /** Cluster name. */
  readonly name: string;
  /** API server URL. */
  readonly endpoint: string;
  /** Base64 certificate authority data. */
  readonly certificateAuthority: string;
  /** AWS region of the cluster. */
  readonly region: string;
}

/**
 * A kubeconfig that authenticates with `aws eks get-token` (the AWS CLI must be on the PATH of whoever
 * runs Pulumi), as a JSON string.
 */
export function kubeconfigJson(cluster: ClusterEndpoint): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster.name, cluster: { server: cluster.endpoint, 'certificate-authority-data': cluster.certificateAuthority } }],
    contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: cluster.name } }],
    'current-context': cluster.name,
    users: [
      {
        name: cluster.name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', cluster.region, '--output', 'json'],
          },
        },
      },
    ],
  });
}

/** Arguments of {@link createCluster}. */
export interface ClusterArgs {
  /** Name of the EKS cluster (created with exactly this name, or looked up when `existing`). */
  readonly clusterName: string;
  /** Use the existing cluster named `clusterName` instead of creating one. */
  readonly existing: boolean;
  /** Subnets of the control plane (ignored for an existing cluster). */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** AWS region, for the kubeconfig. */
  readonly region: pulumi.Input<string>;
  /**
   * Kubernetes version of a new cluster.
   * @default - the EKS default version
   */
  readonly kubernetesVersion?: pulumi.Input<string>;
  /**
   * Whether a new cluster's API server is reachable from the internet.
   * @default true
   */
  readonly endpointPublicAccess?: pulumi.Input<boolean>;
  /**
   * ARN of an IAM OIDC provider that already exists for the cluster's issuer. Existing clusters often have
   * one, and IAM refuses a second provider for the same URL.
   * @default - a provider is created
   */
  readonly oidcProviderArn?: pulumi.Input<string>;
  /**
   * Tags of every AWS resource created here.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** What {@link createCluster} returns. */
export interface ClusterResources {
  /** Cluster name. */
  readonly clusterName: pulumi.Output<string>;
  /** The cluster, when created here. */
  readonly cluster?: aws.eks.Cluster;
  /** The control plane role, when the cluster is created here. */
  readonly clusterRole?: aws.iam.Role;
  /** The role of the nodes of every node group. */
  readonly nodeRole: aws.iam.Role;
  /** The node role's managed policy attachments (node groups wait for them). */
  readonly nodeRoleAttachments: readonly aws.iam.RolePolicyAttachment[];
  /** The OIDC provider created for IRSA, unless one was given. */
  readonly oidcProvider?: aws.iam.OpenIdConnectProvider;
  /** The OIDC identity for IRSA trust policies. */
  readonly oidc: OidcIdentity;
  /** Kubeconfig (JSON). Secret: it names the cluster endpoint and certificate. */
  readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for the cluster. */
  readonly provider: k8s.Provider;
}

/** Creates a role (`${name}`) that `service` may assume, with the given managed policies attached. */
function createServiceRole(
  name: string,
  service: string,
  policyArns: readonly string[],
  tags: Readonly<Record<string, pulumi.Input<string>>> | undefined,
  parent: pulumi.Resource,
): { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
  const role = new aws.iam.Role(name, { assumeRolePolicy: JSON.stringify(serviceTrustPolicy(service)), tags: { ...tags } }, { parent });
  const attachments = policyArns.map(
    (policyArn) =>
      new aws.iam.RolePolicyAttachment(`${name}-${policyArn.slice(policyArn.lastIndexOf('/') + 1)}`, { role: role.name, policyArn }, { parent }),
  );
  return { role, attachments };
}

/**
 * Creates (or looks up) the EKS cluster and everything needed to reach it: `${name}-cluster-role`,
 * `${name}-cluster`, `${name}-node-role`, `${name}-oidc` and `${name}-k8s`.
 */
export function createCluster(name: string, args: ClusterArgs, parent: pulumi.Resource): ClusterResources {
  checkClusterName(args.clusterName);
  const nodeRole = createServiceRole(`${name}-node-role`, 'ec2.amazonaws.com', NODE_POLICY_ARNS, args.tags, parent);

  let endpoint: pulumi.Output<string>;
  let certificateAuthority: pulumi.Output<string>;
  let issuerUrl: pulumi.Output<string>;
  let clusterName: pulumi.Output<string>;
  let cluster: aws.eks.Cluster | undefined;
  let clusterRole: aws.iam.Role | undefined;
  if (args.existing) {
    const found = aws.eks.getClusterOutput({ name: args.clusterName }, { parent });
    clusterName = found.name;
    endpoint = found.endpoint;
    certificateAuthority = found.certificateAuthorities.apply((cas) => cas[0]?.data ?? '');
    issuerUrl = found.identities.apply((ids) => ids[0]?.oidcs[0]?.issuer ?? '');
  } else {
    check(args.subnetIds.length > 0, 'subnetIds', args.subnetIds, 'at least one subnet for the control plane');
    const created = createServiceRole(`${name}-cluster-role`, 'eks.amazonaws.com', CLUSTER_POLICY_ARNS, args.tags, parent);
    clusterRole = created.role;
    cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: args.clusterName,
        roleArn: clusterRole.arn,
        ...(args.kubernetesVersion !== undefined ? { version: args.kubernetesVersion } : {}),
        vpcConfig: {
          subnetIds: [...args.subnetIds],
          endpointPrivateAccess: true,
          endpointPublicAccess: args.endpointPublicAccess ?? true,
        },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
        tags: { ...args.tags },
      },
      { parent, dependsOn: created.attachments },
    );
    clusterName = cluster.name;
    endpoint = cluster.endpoint;
    certificateAuthority = cluster.certificateAuthority.apply((ca) => ca.data);
    issuerUrl = cluster.identities.apply((ids) => ids[0]?.oidcs[0]?.issuer ?? '');
  }

  let oidcProvider: aws.iam.OpenIdConnectProvider | undefined;
  let providerArn: pulumi.Input<string>;
  if (args.oidcProviderArn === undefined) {
    oidcProvider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: issuerUrl, clientIdLists: [STS_AUDIENCE], tags: { ...args.tags } }, { parent });
    providerArn = oidcProvider.arn;
  } else {
    providerArn = args.oidcProviderArn;
  }
  const oidc: OidcIdentity = { providerArn, issuerUrl };

  const kubeconfig = pulumi.secret(
    pulumi
      .all([clusterName, endpoint, certificateAuthority, args.region])
      .apply(([n, e, ca, region]) => kubeconfigJson({ name: n, endpoint: e, certificateAuthority: ca, region })),
  );
  const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig }, { parent });
  return {
    clusterName,
    cluster,
    clusterRole,
    nodeRole: nodeRole.role,
    nodeRoleAttachments: nodeRole.attachments,
    oidcProvider,
    oidc,
    kubeconfig,
    provider,
  };
}
