/**
 * EC2 instance types: the figures that decide what a node can hold. vCPU, memory and GPUs come
 * from cluster-autoscaler's static list (`cloudprovider/aws/ec2_instance_types.go`); ENIs and IPv4
 * addresses per ENI from nodeadm's `instance-info.jsonl` (p3.2xlarge from the older
 * `eni-max-pods.txt`). Types outside the catalogue are described with {@link defineInstanceType}.
 */
import { BatchplaneError } from './errors';

/** CPU architecture, in Kubernetes' `kubernetes.io/arch` spelling. */
export type Architecture = 'amd64' | 'arm64';

/** The capacity figures of one instance type. */
export interface InstanceType {
  /** The EC2 name, e.g. `m6i.2xlarge`. */
  readonly name: string;
  readonly vcpu: number;
  /** Nominal memory in MiB (GiB × 1024). */
  readonly memoryMiB: number;
  readonly gpus: number;
  /** Network interfaces on the default network card. */
  readonly enis: number;
  /** IPv4 addresses per network interface. */
  readonly ipv4PerEni: number;
  readonly arch: Architecture;
}

/** What {@link defineInstanceType} needs to describe an instance type. */
export interface InstanceTypeSpec {
  /** The EC2 name, `family.size` in lowercase (it becomes a node label value). */
  readonly name: string;
  /** vCPUs, a whole number of at least 1. */
  readonly vcpu: number;
  /** Nominal memory in MiB, a whole number of at least 1. */
  readonly memoryMiB: number;
  /** @default 0 */
  readonly gpus?: number;
  /** Network interfaces on the default network card, at least 1. */
  readonly enis: number;
  /** IPv4 addresses per network interface, at least 1. */
  readonly ipv4PerEni: number;
  /** @default 'amd64' */
  readonly arch?: Architecture;
}

/** Options for {@link maxPods}. */
export interface MaxPodsOptions {
  /**
   * Whether the node belongs to an EKS managed node group without a custom AMI, which caps max
   * pods at 110 below 30 vCPU and 250 from 30 vCPU up.
   * @default true
   */
  readonly managedNodeGroup?: boolean;
}

const INSTANCE_NAME = /^[a-z0-9][a-z0-9-]*\.[a-z0-9-]+$/;
const ARCHITECTURES: readonly Architecture[] = ['amd64', 'arm64'];

function checkWhole(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new BatchplaneError(field, value, `a whole number of at least ${min}`);
  }
  return value;
}

/**
 * Describes an instance type that is not in the catalogue (or corrects one that is).
 * @throws BatchplaneError for a malformed name or a count that is not a whole number in range.
 */
export function defineInstanceType(spec: InstanceTypeSpec): InstanceType {
  if (typeof spec !== 'object' || spec === null) throw new BatchplaneError('instanceType', spec, 'an instance type description');
  if (typeof spec.name !== 'string' || !INSTANCE_NAME.test(spec.name)) {
    throw new BatchplaneError('instanceType.name', spec.name, "an EC2 instance type name such as 'm7g.2xlarge'");
  }
  const arch = spec.arch ?? 'amd64';
  if (!ARCHITECTURES.includes(arch)) throw new BatchplaneError('instanceType.arch', spec.arch, "'amd64' or 'arm64'");
  return Object.freeze({
    name: spec.name,
    vcpu: checkWhole('instanceType.vcpu', spec.vcpu, 1),
    memoryMiB: checkWhole('instanceType.memoryMiB', spec.memoryMiB, 1),
    gpus: checkWhole('instanceType.gpus', spec.gpus ?? 0, 0),
    enis: checkWhole('instanceType.enis', spec.enis, 1),
    ipv4PerEni: checkWhole('instanceType.ipv4PerEni', spec.ipv4PerEni, 1),
    arch,
  });
}

/** vCPUs and network limits of the sizes shared by the m, r and c families in the catalogue. */
const SIZES: Readonly<Record<string, { vcpu: number; enis: number; ipv4PerEni: number }>> = {
  large: { vcpu: 2, enis: 3, ipv4PerEni: 10 },
  xlarge: { vcpu: 4, enis: 4, ipv4PerEni: 15 },
  '2xlarge': { vcpu: 8, enis: 4, ipv4PerEni: 15 },
  '4xlarge': { vcpu: 16, enis: 8, ipv4PerEni: 30 },
  '8xlarge': { vcpu: 32, enis: 8, ipv4PerEni: 30 },
  '9xlarge': { vcpu: 36, enis: 8, ipv4PerEni: 30 },
  '12xlarge': { vcpu: 48, enis: 8, ipv4PerEni: 30 },
  '16xlarge': { vcpu: 64, enis: 15, ipv4PerEni: 50 },
};
const STANDARD_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];

/** The instance types of a family whose memory is a fixed number of GiB per vCPU. */
function family(prefix: string, gibPerVcpu: number, sizes: readonly string[] = STANDARD_SIZES): InstanceType[] {
  return sizes.map((size) => {
    const shape = SIZES[size];
    return defineInstanceType({ name: `${prefix}.${size}`, memoryMiB: shape.vcpu * gibPerVcpu * 1024, ...shape });
  });
}

/** A GPU instance type. */
function gpu(name: string, vcpu: number, memoryGiB: number, gpus: number, enis: number, ipv4PerEni: number): InstanceType {
  return defineInstanceType({ name, vcpu, memoryMiB: memoryGiB * 1024, gpus, enis, ipv4PerEni });
}

/** The built-in catalogue, keyed by name. */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = Object.freeze(
  Object.fromEntries(
    [
      ...family('m5', 4),
      ...family('m6i', 4),
      ...family('m7i', 4),
      ...family('r5', 8),
      ...family('r6i', 8),
      ...family('c5', 2, ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge']),
      ...family('c6i', 2),
      gpu('g4dn.xlarge', 4, 16, 1, 3, 10),
      gpu('g5.xlarge', 4, 16, 1, 4, 15),
      gpu('g5.2xlarge', 8, 32, 1, 4, 15),
      gpu('g6.xlarge', 4, 16, 1, 4, 15),
      gpu('p3.2xlarge', 8, 61, 1, 4, 15),
      gpu('p4d.24xlarge', 96, 1152, 8, 15, 50),
    ]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((it) => [it.name, it]),
  ),
);

/** The families in the catalogue, for messages. */
function catalogueFamilies(): string {
  return [...new Set(Object.keys(INSTANCE_TYPES).map((name) => name.split('.')[0]))].join(', ');
}

/**
 * The catalogued instance type with this name.
 * @throws BatchplaneError (field `instanceTypes`) for a name outside the catalogue, saying how to define it.
 */
export function instanceType(name: string): InstanceType {
  const found = typeof name === 'string' && Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, name) ? INSTANCE_TYPES[name] : undefined;
  if (!found) {
    throw new BatchplaneError(
      'instanceTypes',
      name,
      `an instance type from the catalogue (families ${catalogueFamilies()}); describe other types with defineInstanceType({ name, vcpu, memoryMiB, enis, ipv4PerEni })`,
    );
  }
  return found;
}

/** Max pods from the ENI formula: ENIs × (IPv4 per ENI − 1) + 2, as nodeadm computes it. */
export function eniMaxPods(it: InstanceType): number {
  return it.enis * (it.ipv4PerEni - 1) + 2;
}

/** Max pods of a node: the ENI formula, capped for managed node groups (see {@link MaxPodsOptions}). */
export function maxPods(it: InstanceType, opts: MaxPodsOptions = {}): number {
  const eni = eniMaxPods(it);
  if (opts.managedNodeGroup === false) return eni;
  return Math.min(eni, it.vcpu < 30 ? 110 : 250);
}
