/**
 * Pulumi program for the example platform: the EKS cluster, one managed node group per pool of the
 * cdk8s platform, IRSA, cluster-autoscaler, the Spark operator and Argo Workflows; then the platform's
 * charts, applied once the operators' CRDs exist.
 *
 *   npm run build
 *   pulumi config set --path 'subnetIds.eu-west-1a' subnet-…   # one private subnet per zone
 *   pulumi up
 */
import * as pulumi from '@pulumi/pulumi';
import { BatchCluster } from 'batchplane/pulumi';
import { App } from 'cdk8s';
import { buildPlatform } from '../platform';

const config = new pulumi.Config();
const { app, platform, pools } = buildPlatform(new App());

const cluster = new BatchCluster('batchplane', {
  pools,
  subnetIds: config.requireObject<Record<string, string>>('subnetIds'),
  jobNamespaces: [platform.namespace],
  existingClusterName: config.get('existingClusterName') || undefined,
});
cluster.deploy(app);

export const clusterName = cluster.clusterName;
export const kubeconfig = cluster.kubeconfig;
export const autoScalingGroups = cluster.autoScalingGroupNames;
