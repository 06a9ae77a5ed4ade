/**
 * BatchCluster under Pulumi mocks: every child resource is recorded with its inputs (no CLI, no cloud);
 * resource options such as `dependsOn` are recorded through a transformation on the component.
 */
import * as pulumi from '@pulumi/pulumi';
import type { NodePoolSpec } from '../../lib/model/node-pool';
import type * as batchplane from '../../lib/pulumi';
import type { RecordedOptions, RecordedResource } from './fixtures';
import { asgName, designPools, ISSUER, optionsRecorder, poolSpec, recordResources, registered, SUBNETS, valueOf } from './fixtures';

let recorded: RecordedResource[];
let lib: typeof batchplane;

beforeAll(async () => {
  recorded = await recordResources();
  lib = await import('../../lib/pulumi');
});

const HOST = ISSUER.replace('https://', '');

interface Built {
  readonly cluster: batchplane.BatchCluster;
  readonly resources: RecordedResource[];
  readonly options: RecordedOptions[];
}

/** Builds a cluster and waits until the mocks have seen all of its resources. */
async function build(name: string, pools: readonly NodePoolSpec[], extra: Partial<batchplane.BatchClusterArgs> = {}): Promise<Built> {
  const options: RecordedOptions[] = [];
  const before = recorded.length;
  const cluster = new lib.BatchCluster(
    name,
    { pools: pools.map((spec) => ({ spec })), subnetIds: SUBNETS, jobNamespaces: ['data'], ...extra },
    { transformations: [optionsRecorder(options)] },
  );
  await valueOf(cluster.urn);
  await registered(options);
  return { cluster, resources: recorded.slice(before), options };
}

function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

function named(resources: readonly RecordedResource[], name: string): RecordedResource {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource ${name} among ${resources.map((r) => r.name).join(', ')}`);
  return found;
}

function trustCondition(role: RecordedResource): Record<string, unknown> {
  const policy = JSON.parse(role.inputs.assumeRolePolicy as string) as {
    Statement: { Condition: { StringEquals: Record<string, unknown> }; Principal: { Federated: string } }[];
  };
  return { ...policy.Statement[0].Condition.StringEquals, principal: policy.Statement[0].Principal.Federated };
}

describe('BatchCluster with the design pools', () => {
  let built: Built;
  const { general, spot } = designPools();

  beforeAll(async () => {
    built = await build('data', [general, spot]);
  });

  test('creates the cluster with its name, role and every subnet', () => {
    const [cluster] = ofType(built.resources, 'aws:eks/cluster:Cluster');
    expect(cluster.name).toBe('data-cluster');
    expect(cluster.inputs.name).toBe('data');
    expect(cluster.inputs.roleArn).toBe('arn:aws:iam::123456789012:role/data-cluster-role');
    expect((cluster.inputs.vpcConfig as { subnetIds: string[] }).subnetIds).toEqual(['subnet-aaa', 'subnet-bbb', 'subnet-ccc']);
  });

  test('attaches the EKS managed policies to the cluster and node roles', () => {
    const attachments = ofType(built.resources, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment');
    const byRole = (role: string) =>
      attachments
        .filter((a) => a.inputs.role === role)
        .map((a) => a.inputs.policyArn)
        .sort();
    expect(byRole('data-cluster-role')).toEqual(['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
    expect(byRole('data-node-role')).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
    ]);
  });

  test('registers the cluster issuer as OIDC provider for STS', () => {
    const [oidc] = ofType(built.resources, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider');
    expect(oidc.inputs).toMatchObject({ url: ISSUER, clientIdLists: ['sts.amazonaws.com'] });
  });

  test('one node group per pool with labels, EKS taints, capacity type, scaling and subnets', () => {
    const groups = ofType(built.resources, 'aws:eks/nodeGroup:NodeGroup');
    expect(groups.map((g) => g.name).sort()).toEqual(['data-general', 'data-spark-spot']);
    const spotGroup = named(groups, 'data-spark-spot').inputs;
    expect(spotGroup).toMatchObject({
      clusterName: 'data',
      nodeRoleArn: 'arn:aws:iam::123456789012:role/data-node-role',
      capacityType: 'SPOT',
      instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'],
      labels: spot.labels,
      taints: [{ key: 'dedicated', value: 'spark', effect: 'NO_SCHEDULE' }],
      scalingConfig: { minSize: 0, maxSize: 40, desiredSize: 0 },
      subnetIds: ['subnet-aaa'],
      diskSize: 100,
    });
    const generalGroup = named(groups, 'data-general').inputs;
    expect(generalGroup).toMatchObject({ capacityType: 'ON_DEMAND', labels: general.labels, scalingConfig: { minSize: 1, maxSize: 10, desiredSize: 1 } });
    expect(generalGroup.subnetIds).toEqual(['subnet-aaa', 'subnet-bbb', 'subnet-ccc']);
  });

  test('node groups leave the desired size to the autoscaler and wait for the node role policies', () => {
    const options = built.options.find((o) => o.name === 'data-spark-spot');
    expect(options?.opts.ignoreChanges).toEqual(['scalingConfig.desiredSize']);
    const dependsOn = options?.opts.dependsOn as pulumi.Resource[];
    const names = built.options.filter((o) => dependsOn.includes(o.resource)).map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['data-node-role-AmazonEKSWorkerNodePolicy', 'data-cluster']));
  });

  test('tags each Auto Scaling group so the pool scales from zero, matching labels and taints exactly', () => {
    for (const pool of [general, spot]) {
      const asg = asgName(`data-${pool.name}`);
      const tags = ofType(built.resources, 'aws:autoscaling/tag:Tag')
        .filter((t) => t.inputs.autoscalingGroupName === asg)
        .map((t) => t.inputs.tag as { key: string; value: string; propagateAtLaunch: boolean });
      expect(tags.every((t) => t.propagateAtLaunch === false)).toBe(true);
      const byKey = Object.fromEntries(tags.map((t) => [t.key, t.value]));
      const prefix = 'k8s.io/cluster-autoscaler/node-template/';
      const labels = Object.fromEntries(
        Object.entries(byKey)
          .filter(([k]) => k.startsWith(`${prefix}label/`))
          .map(([k, v]) => [k.slice(`${prefix}label/`.length), v]),
      );
      const taints = Object.entries(byKey)
        .filter(([k]) => k.startsWith(`${prefix}taint/`))
        .map(([k, v]) => ({ key: k.slice(`${prefix}taint/`.length), value: v.split(':')[0], effect: v.split(':')[1] }));
      expect(labels).toEqual(pool.labels);
      expect(taints).toEqual(pool.taints);
      expect(byKey['k8s.io/cluster-autoscaler/enabled']).toBe('true');
      expect(byKey['k8s.io/cluster-autoscaler/data']).toBe('owned');
      expect(byKey[`${prefix}resources/ephemeral-storage`]).toBe(`${pool.diskSizeGiB}Gi`);
    }
  });

  test('installs the three operators from pinned charts', () => {
    const releases = ofType(built.resources, 'kubernetes:helm.sh/v3:Release');
    const summary = releases.map((r) => [r.inputs.name, r.inputs.chart, r.inputs.version, r.inputs.namespace, (r.inputs.repositoryOpts as { repo: string }).repo]);
    expect(summary.sort()).toEqual([
      ['argo-workflows', 'argo-workflows', '2.0.1', 'argo', 'https://argoproj.github.io/argo-helm'],
      ['cluster-autoscaler', 'cluster-autoscaler', '9.43.1', 'kube-system', 'https://kubernetes.github.io/autoscaler'],
      ['spark-operator', 'spark-operator', '2.4.0', 'spark-operator', 'https://kubeflow.github.io/spark-operator'],
    ]);
  });

  test('cluster-autoscaler discovers this cluster, runs under its IRSA role and prefers spot over its fallback', () => {
    const release = named(built.resources, 'data-cluster-autoscaler').inputs;
    const values = release.values as Record<string, Record<string, unknown>>;
    expect(values.autoDiscovery).toEqual({ clusterName: 'data' });
    expect(values.awsRegion).toBe('eu-west-1');
    expect(values.rbac.serviceAccount).toEqual({
      create: true,
      name: 'cluster-autoscaler',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/data-cluster-autoscaler-role' },
    });
    expect(values.extraArgs).toMatchObject({ expander: 'priority,least-waste' });
    expect(values.expanderPriorities).toEqual({
      1: ['.*'],
      11: [`^${asgName('data-general')}$`],
      21: [`^${asgName('data-spark-spot')}$`],
    });
  });

  test("the autoscaler role trusts only the autoscaler's service account and may scale only this cluster's groups", async () => {
    const role = named(built.resources, 'data-cluster-autoscaler-role');
    expect(trustCondition(role)).toEqual({
      [`${HOST}:sub`]: 'system:serviceaccount:kube-system:cluster-autoscaler',
      [`${HOST}:aud`]: 'sts.amazonaws.com',
      principal: `arn:aws:iam::123456789012:oidc-provider/${HOST}`,
    });
    const policy = JSON.parse(named(built.resources, 'data-cluster-autoscaler-role-policy').inputs.policy as string);
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === 'ScaleOwnGroups').Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/data': 'owned' },
    });
  });

  test('the Spark operator and Argo watch the job namespaces', () => {
    const spark = named(built.resources, 'data-spark-operator').inputs.values as { spark: { jobNamespaces: string[] } };
    expect(spark.spark.jobNamespaces).toEqual(['data']);
    const argo = named(built.resources, 'data-argo-workflows').inputs.values as { controller: { workflowNamespaces: string[] } };
    expect(argo.controller.workflowNamespaces).toEqual(['data']);
  });

  test('releases use the cluster provider and wait for the node groups', () => {
    const options = built.options.find((o) => o.name === 'data-spark-operator');
    expect(options?.opts.provider).toBe(built.cluster.provider);
    const dependsOn = options?.opts.dependsOn as pulumi.Resource[];
    expect(dependsOn).toEqual(expect.arrayContaining(Object.values(built.cluster.nodeGroups)));
  });

  test('exposes node groups and Auto Scaling groups by pool', async () => {
    expect(Object.keys(built.cluster.nodeGroups).sort()).toEqual(['general', 'spark-spot']);
    expect(await valueOf(built.cluster.autoScalingGroupNames['spark-spot'])).toBe(asgName('data-spark-spot'));
    expect(await valueOf(built.cluster.clusterName)).toBe('data');
  });

  test('the kubeconfig is a secret that targets the new cluster', async () => {
    const config = JSON.parse(await valueOf(built.cluster.kubeconfig));
    expect(config.clusters[0].cluster.server).toBe('https://ABC.gr7.eu-west-1.eks.amazonaws.com');
    expect(await pulumi.isSecret(built.cluster.kubeconfig)).toBe(true);
  });

  test('creates the job namespaces before the operators, whose charts put Roles into them', () => {
    expect(named(built.resources, 'data-ns-data').inputs).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data' } });
    const dependsOn = built.options.find((o) => o.name === 'data-spark-operator')?.opts.dependsOn as pulumi.Resource[];
    expect(dependsOn).toContain(built.cluster.namespaces.data);
  });

  test('deploy: one ConfigGroup per chart after every operator release; managed namespaces are patched', async () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data', labels: { 'app.kubernetes.io/managed-by': 'batchplane' } } };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'data' }, data: { a: '1' } };
    const app = {
      charts: [
        { node: { id: 'platform' }, toJson: () => [namespace, configMap] },
        { node: { id: 'pipelines' }, toJson: () => [] },
      ],
    };
    const before = recorded.length;
    const deployed = built.cluster.deploy(app);
    await Promise.all(deployed.flatMap((d) => [d.configGroup, ...d.namespacePatches]).map((r) => valueOf(r.urn)));
    const created = recorded.slice(before);
    expect(ofType(created, 'kubernetes:yaml/v2:ConfigGroup').map((r) => r.name).sort()).toEqual(['data-pipelines', 'data-platform']);
    expect(named(created, 'data-platform').inputs.objs).toEqual([configMap]);
    const options = built.options.find((o) => o.name === 'data-platform');
    expect(options?.opts.dependsOn).toEqual(built.cluster.operatorReleases);
    expect(options?.opts.provider).toBe(built.cluster.provider);
    expect(built.cluster.operatorReleases).toEqual([
      built.cluster.operators.clusterAutoscaler,
      built.cluster.operators.sparkOperator,
      built.cluster.operators.argoWorkflows,
    ]);
    // The platform's Namespace exists already (created before the operators): its metadata is patched in.
    const patch = ofType(created, 'kubernetes:core/v1:NamespacePatch');
    expect(patch.map((r) => [r.name, r.inputs.metadata])).toEqual([['data-platform-ns-data', namespace.metadata]]);
    expect(built.options.find((o) => o.name === 'data-platform-ns-data')?.opts.dependsOn).toEqual([built.cluster.namespaces.data]);
  });

  test('sparkS3Role: IRSA role scoped to the Spark service accounts with access to one bucket', async () => {
    const before = recorded.length;
    const { role, policy } = built.cluster.sparkS3Role('arn:aws:s3:::lake', [
      { namespace: 'data', name: 'spark-driver' },
      { namespace: 'data', name: 'spark-executor' },
    ]);
    await Promise.all([valueOf(role.urn), valueOf(policy!.urn)]);
    const created = recorded.slice(before);
    expect(trustCondition(named(created, 'data-spark-s3'))).toEqual({
      [`${HOST}:sub`]: ['system:serviceaccount:data:spark-driver', 'system:serviceaccount:data:spark-executor'],
      [`${HOST}:aud`]: 'sts.amazonaws.com',
      principal: `arn:aws:iam::123456789012:oidc-provider/${HOST}`,
    });
    const document = JSON.parse(named(created, 'data-spark-s3-policy').inputs.policy as string);
    expect(document.Statement.map((s: { Resource: string }) => s.Resource)).toEqual(['arn:aws:s3:::lake', 'arn:aws:s3:::lake/*']);
  });
});

describe('BatchCluster on an existing cluster', () => {
  let built: Built;

  beforeAll(async () => {
    built = await build('existing', [poolSpec('batch', { maxNodes: 5 })], {
      existingClusterName: 'prod',
      oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/existing',
      region: 'eu-central-1',
      operators: { argoWorkflows: { enabled: false }, sparkOperator: { version: '2.5.2', values: { controller: { workers: 20 } } } },
    });
  });

  test('creates no cluster, no cluster role and no OIDC provider', () => {
    expect(ofType(built.resources, 'aws:eks/cluster:Cluster')).toEqual([]);
    expect(ofType(built.resources, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider')).toEqual([]);
    expect(built.resources.map((r) => r.name)).not.toContain('existing-cluster-role');
  });

  test('node groups join the existing cluster and the autoscaler discovers it by name', () => {
    expect(named(built.resources, 'existing-batch').inputs.clusterName).toBe('prod');
    const values = named(built.resources, 'existing-cluster-autoscaler').inputs.values as Record<string, unknown>;
    expect(values.autoDiscovery).toEqual({ clusterName: 'prod' });
    expect(values.awsRegion).toBe('eu-central-1');
    const role = ofType(built.resources, 'aws:iam/role:Role').find((r) => r.name === 'existing-cluster-autoscaler-role')!;
    expect(trustCondition(role).principal).toBe('arn:aws:iam::123456789012:oidc-provider/existing');
  });

  test('chart overrides apply and disabled operators are skipped', () => {
    const releases = ofType(built.resources, 'kubernetes:helm.sh/v3:Release');
    expect(releases.map((r) => r.inputs.name).sort()).toEqual(['cluster-autoscaler', 'spark-operator']);
    const spark = named(built.resources, 'existing-spark-operator').inputs;
    expect(spark.version).toBe('2.5.2');
    expect(spark.values).toMatchObject({ controller: { workers: 20 }, spark: { jobNamespaces: ['data'] } });
  });

  test('the kubeconfig targets the looked-up endpoint', async () => {
    const config = JSON.parse(await valueOf(built.cluster.kubeconfig));
    expect(config.clusters[0].cluster.server).toBe('https://EXISTING.gr7.eu-west-1.eks.amazonaws.com');
    expect(config.users[0].user.exec.args).toContain('eu-central-1');
  });
});

describe('BatchCluster input errors', () => {
  const args = (pools: NodePoolSpec[]) => ({ pools: pools.map((spec) => ({ spec })), subnetIds: SUBNETS, jobNamespaces: ['data'] });

  test('a single-zone pool whose zone has no subnet fails before any resource, naming pool and field', () => {
    const before = recorded.length;
    const pools = [poolSpec('general', { minNodes: 1 }), poolSpec('spot', { zones: ['eu-west-1d'] })];
    expect(() => new lib.BatchCluster('bad', args(pools))).toThrow('[spot] zones: got "eu-west-1d"');
    expect(recorded.length).toBe(before);
  });

  test('a new cluster needs a pool that can run the operators', () => {
    const pools = [poolSpec('spot', { taints: [{ key: 'dedicated', value: 'spark', effect: 'NoSchedule' }], minNodes: 1 })];
    expect(() => new lib.BatchCluster('bad', args(pools))).toThrow(/^\[bad\] pools: got \["spot"\], expected at least one pool with minNodes >= 1/);
  });

  test('unknown fallbacks and bad namespaces are rejected', () => {
    const pools = [poolSpec('general', { minNodes: 1, fallback: 'missing' })];
    expect(() => new lib.BatchCluster('bad', args(pools))).toThrow('[general] fallback: got "missing"');
    expect(() => new lib.BatchCluster('bad', { ...args([poolSpec('general', { minNodes: 1 })]), jobNamespaces: ['Data'] })).toThrow(
      /^\[bad\] jobNamespaces\[0\]: got "Data"/,
    );
    expect(() => new lib.BatchCluster('bad', { ...args([poolSpec('general', { minNodes: 1 })]), clusterName: 'no spaces' })).toThrow(
      /^\[bad\] clusterName: got "no spaces"/,
    );
  });
});
