/**
 * Test support for the Pulumi layer: literal pool specs (independent of the instance-type catalogue) and
 * Pulumi mocks that record every resource, with outputs shaped like the real providers'.
 */
import * as pulumi from '@pulumi/pulumi';
import { createNodePoolSpec, type NodePoolSpec } from '../../lib/model/node-pool';
import { resources } from '../../lib/model/resources';
import type { InstanceType } from '../../lib/model/instance-types';

/** An instance type literal (`arch` amd64, no GPU unless given). */
export function instance(name: string, vcpu: number, memoryMiB: number, extra: Partial<InstanceType> = {}): InstanceType {
  return { name, vcpu, memoryMiB, gpus: 0, enis: 4, ipv4PerEni: 15, arch: 'amd64', ...extra };
}

/**
 * A pool spec literal with the pool label set; override any field. Literals (not `createNodePoolSpec`) so
 * tests can hand the Pulumi layer pools the model would reject, as JavaScript callers might.
 */
export function poolSpec(name: string, overrides: Partial<NodePoolSpec> = {}): NodePoolSpec {
  return {
    name,
    instanceTypes: [instance('m6i.2xlarge', 8, 32768)],
    capacityType: 'ON_DEMAND',
    minNodes: 0,
    maxNodes: 10,
    zones: [],
    taints: [],
    daemonSetOverhead: resources({ cpuMillis: 200, memoryBytes: 256 * 2 ** 20, pods: 4 }),
    diskSizeGiB: 20,
    ...overrides,
    labels: { 'batchplane.io/pool': name, ...overrides.labels },
  };
}

/** The spark-on-spot pool falling back to an on-demand general pool, as in the design example. */
export function designPools(): { general: NodePoolSpec; spot: NodePoolSpec } {
  const general = createNodePoolSpec({ name: 'general', instanceTypes: ['m6i.2xlarge'], minNodes: 1, maxNodes: 10, labels: { team: 'data' } });
  const spot = createNodePoolSpec({
    name: 'spark-spot',
    instanceTypes: ['r6i.2xlarge', 'r5.2xlarge'],
    capacityType: 'SPOT',
    maxNodes: 40,
    zones: ['eu-west-1a'],
    taints: [{ key: 'dedicated', value: 'spark', effect: 'NoSchedule' }],
    fallback: 'general',
    diskSizeGiB: 100,
  });
  return { general, spot };
}

/** Subnets of the test VPC, one per zone. */
export const SUBNETS: Readonly<Record<string, string>> = {
  'eu-west-1a': 'subnet-aaa',
  'eu-west-1b': 'subnet-bbb',
  'eu-west-1c': 'subnet-ccc',
};

export const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** A resource the mocks saw. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** Options of a resource as a transformation saw them. */
export interface RecordedOptions {
  readonly type: string;
  readonly name: string;
  readonly opts: pulumi.ResourceOptions;
  readonly resource: pulumi.Resource;
}

/** The Auto Scaling group name the mocks give the node group named `name`. */
export function asgName(nodeGroupName: string): string {
  return `eks-${nodeGroupName}-0ac6d7e2-1111-2222-3333-444455556666`;
}

function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case 'aws:iam/role:Role':
      return { ...inputs, name, arn: `arn:aws:iam::123456789012:role/${name}` };
    case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
      return { ...inputs, arn: `arn:aws:iam::123456789012:oidc-provider/${String(inputs.url).replace('https://', '')}` };
    case 'aws:eks/cluster:Cluster':
      return {
        ...inputs,
        endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        certificateAuthority: { data: 'Q0VSVA==' },
        identities: [{ oidcs: [{ issuer: ISSUER }] }],
      };
    case 'aws:eks/nodeGroup:NodeGroup':
      return { ...inputs, nodeGroupName: name, resources: [{ autoscalingGroups: [{ name: asgName(name) }], remoteAccessSecurityGroupId: '' }] };
    default:
      return inputs;
  }
}

/** Installs Pulumi mocks that record resources into the returned array. Call before importing lib code. */
export async function recordResources(): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        recorded.push({ type: args.type, name: args.name, inputs });
        return { id: `${args.name}-id`, state: mockState(args.type, args.name, inputs) };
      },
      call: (args) => {
        switch (args.token) {
          case 'aws:index/getRegion:getRegion':
            return { region: 'eu-west-1', name: 'eu-west-1', id: 'eu-west-1' };
          case 'aws:eks/getCluster:getCluster':
            return {
              name: (args.inputs as { name: string }).name,
              endpoint: 'https://EXISTING.gr7.eu-west-1.eks.amazonaws.com',
              certificateAuthorities: [{ data: 'RVhJU1RJTkc=' }],
              identities: [{ oidcs: [{ issuer: ISSUER }] }],
            };
          default:
            return args.inputs as Record<string, unknown>;
        }
      },
    },
    'batchplane-test',
    'test',
  );
  return recorded;
}

/** A transformation that records every resource's options (the mocks do not see `dependsOn`). */
export function optionsRecorder(into: RecordedOptions[]): pulumi.ResourceTransformation {
  return (args) => {
    into.push({ type: args.type, name: args.name, opts: args.opts, resource: args.resource });
    return undefined;
  };
}

/** The value of an output. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until every recorded resource has been registered with the mocks. */
export async function registered(options: readonly RecordedOptions[]): Promise<void> {
  await Promise.all(options.map((entry) => valueOf(entry.resource.urn)));
}
