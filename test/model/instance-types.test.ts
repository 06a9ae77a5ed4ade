import { BatchplaneError } from '../../lib/model/errors';
import { defineInstanceType, eniMaxPods, INSTANCE_TYPES, instanceType, InstanceTypeSpec, maxPods } from '../../lib/model/instance-types';

describe('catalogue', () => {
  it('holds the families and GPU types of research/capacity.md §2.2', () => {
    const sizes = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
    const expected = [
      ...['m5', 'm6i', 'm7i', 'r5', 'r6i', 'c6i'].flatMap((f) => sizes.map((s) => `${f}.${s}`)),
      ...['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge'].map((s) => `c5.${s}`),
      'g4dn.xlarge', 'g5.xlarge', 'g5.2xlarge', 'g6.xlarge', 'p3.2xlarge', 'p4d.24xlarge',
    ].sort();
    expect(Object.keys(INSTANCE_TYPES)).toEqual(expected);
  });

  it('describes types with their table figures', () => {
    expect(instanceType('m5.large')).toEqual({ name: 'm5.large', vcpu: 2, memoryMiB: 8192, gpus: 0, enis: 3, ipv4PerEni: 10, arch: 'amd64' });
    expect(instanceType('r6i.16xlarge')).toEqual({ name: 'r6i.16xlarge', vcpu: 64, memoryMiB: 524288, gpus: 0, enis: 15, ipv4PerEni: 50, arch: 'amd64' });
    expect(instanceType('c5.9xlarge')).toMatchObject({ vcpu: 36, memoryMiB: 72 * 1024, enis: 8, ipv4PerEni: 30 });
    expect(instanceType('c6i.16xlarge')).toMatchObject({ vcpu: 64, memoryMiB: 128 * 1024 });
    expect(instanceType('p3.2xlarge')).toMatchObject({ vcpu: 8, memoryMiB: 61 * 1024, gpus: 1, enis: 4, ipv4PerEni: 15 });
    expect(instanceType('p4d.24xlarge')).toMatchObject({ vcpu: 96, memoryMiB: 1152 * 1024, gpus: 8, enis: 15, ipv4PerEni: 50 });
    expect(instanceType('g4dn.xlarge')).toMatchObject({ vcpu: 4, memoryMiB: 16384, gpus: 1, enis: 3, ipv4PerEni: 10 });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(INSTANCE_TYPES)).toBe(true);
    expect(Object.isFrozen(instanceType('m5.large'))).toBe(true);
  });

  it('rejects an unknown type, naming it and pointing to defineInstanceType', () => {
    expect(() => instanceType('m6g.large')).toThrow(BatchplaneError);
    expect(() => instanceType('m6g.large')).toThrow(/^instanceTypes: got "m6g\.large", expected an instance type from the catalogue \(families c5, c6i, g4dn, g5, g6, m5, m6i, m7i, p3, p4d, r5, r6i\); describe other types with defineInstanceType/);
    expect(() => instanceType('toString')).toThrow(BatchplaneError);
    expect(() => instanceType(undefined as unknown as string)).toThrow('instanceTypes: got undefined');
  });
});

describe('max pods', () => {
  // ENIs × (IPv4 − 1) + 2, then the managed node group cap: 110 below 30 vCPU, 250 from 30 up.
  it.each<[string, number, number]>([
    ['m5.large', 29, 29], // 3 × 9 + 2
    ['m5.xlarge', 58, 58], // 4 × 14 + 2
    ['m5.4xlarge', 234, 110], // 8 × 29 + 2, 16 vCPU
    ['m5.8xlarge', 234, 234], // 32 vCPU
    ['c5.9xlarge', 234, 234],
    ['m5.16xlarge', 737, 250], // 15 × 49 + 2
    ['p4d.24xlarge', 737, 250],
  ])('%s: ENI %d, managed node group %d', (name, eni, managed) => {
    const it = instanceType(name);
    expect(eniMaxPods(it)).toBe(eni);
    expect(maxPods(it)).toBe(managed);
    expect(maxPods(it, { managedNodeGroup: true })).toBe(managed);
    expect(maxPods(it, { managedNodeGroup: false })).toBe(eni);
  });
});

describe('defineInstanceType', () => {
  const graviton: InstanceTypeSpec = { name: 'm7g.2xlarge', vcpu: 8, memoryMiB: 32768, enis: 4, ipv4PerEni: 15, arch: 'arm64' };

  it('describes a custom type with defaults', () => {
    expect(defineInstanceType(graviton)).toEqual({ ...graviton, gpus: 0 });
    expect(defineInstanceType({ name: 'x1.big', vcpu: 1, memoryMiB: 1, enis: 1, ipv4PerEni: 1 }).arch).toBe('amd64');
    expect(Object.isFrozen(defineInstanceType(graviton))).toBe(true);
  });

  it.each<[Partial<InstanceTypeSpec>, string]>([
    [{ name: 'M7G.2XLARGE' }, 'instanceType.name: got "M7G.2XLARGE", expected an EC2 instance type name'],
    [{ name: 'big-box' }, 'instanceType.name'],
    [{ name: '' }, 'instanceType.name'],
    [{ vcpu: 0 }, 'instanceType.vcpu: got 0, expected a whole number of at least 1'],
    [{ vcpu: 2.5 }, 'instanceType.vcpu: got 2.5'],
    [{ memoryMiB: -1 }, 'instanceType.memoryMiB: got -1'],
    [{ gpus: -1 }, 'instanceType.gpus: got -1, expected a whole number of at least 0'],
    [{ enis: 0 }, 'instanceType.enis'],
    [{ ipv4PerEni: NaN }, 'instanceType.ipv4PerEni'],
    [{ arch: 'x86_64' as 'amd64' }, "instanceType.arch: got \"x86_64\", expected 'amd64' or 'arm64'"],
    [{ vcpu: '8' as unknown as number }, 'instanceType.vcpu: got "8"'],
  ])('rejects %j', (override, message) => {
    expect(() => defineInstanceType({ ...graviton, ...override })).toThrow(BatchplaneError);
    expect(() => defineInstanceType({ ...graviton, ...override })).toThrow(message);
  });

  it('rejects a missing description from JavaScript callers', () => {
    expect(() => defineInstanceType(undefined as unknown as InstanceTypeSpec)).toThrow('instanceType: got undefined');
  });
});
