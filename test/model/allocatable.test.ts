import {
  allocatable,
  allocatableEphemeralStorageBytes,
  kubeReservedCpuMillis,
  kubeReservedMemoryMiB,
} from '../../lib/model/allocatable';
import { BatchplaneError } from '../../lib/model/errors';
import { defineInstanceType, INSTANCE_TYPES, instanceType } from '../../lib/model/instance-types';
import { resources } from '../../lib/model/resources';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
/** Ephemeral storage of the default 20 GiB disk: 20 Gi − 1 Gi − trunc(20 Gi × float32(0.1)). */
const DEFAULT_STORAGE = 20 * GIB - GIB - 2147483680;

describe('kubeReservedCpuMillis', () => {
  // research/capacity.md §2.1.
  it.each<[number, number]>([
    [1, 60],
    [2, 70],
    [3, 75],
    [4, 80],
    [5, 82], // 80 + trunc(1000 × 25 / 10000) = 80 + 2
    [8, 90],
    [16, 110],
    [32, 150],
    [36, 160],
    [48, 190],
    [64, 230],
    [96, 310],
  ])('%d vCPU → %dm', (vcpu, millis) => {
    expect(kubeReservedCpuMillis(vcpu)).toBe(millis);
  });

  it('rejects a non-positive or fractional vCPU count', () => {
    expect(() => kubeReservedCpuMillis(0)).toThrow(BatchplaneError);
    expect(() => kubeReservedCpuMillis(1.5)).toThrow('vcpu: got 1.5');
  });
});

describe('kubeReservedMemoryMiB', () => {
  it.each<[number, number]>([
    [29, 574],
    [58, 893],
    [234, 2829],
    [737, 8362],
  ])('%d pods → %d MiB', (pods, mib) => {
    expect(kubeReservedMemoryMiB(pods)).toBe(mib);
  });

  it('rejects a negative pod count', () => {
    expect(() => kubeReservedMemoryMiB(-1)).toThrow('maxPods: got -1');
  });
});

describe('allocatableEphemeralStorageBytes', () => {
  it('takes kube-reserved 1 GiB and the kubelet’s float32 10% from the disk', () => {
    expect(allocatableEphemeralStorageBytes(20)).toBe(18253610976);
    expect(allocatableEphemeralStorageBytes(100)).toBe(100 * GIB - GIB - Math.trunc(100 * GIB * Math.fround(0.1)));
    expect(allocatableEphemeralStorageBytes(1)).toBe(0);
  });

  it('rejects a disk that is not a whole number of GiB', () => {
    expect(() => allocatableEphemeralStorageBytes(0)).toThrow(BatchplaneError);
    expect(() => allocatableEphemeralStorageBytes(20.5)).toThrow('diskGiB: got 20.5');
  });
});

describe('allocatable', () => {
  // Worked by hand: vCPU × 1000 − CPU tiers; GiB × 1024 − (11 × ENI pods + 255) − 100.
  it('m5.large: 2000 − 70 = 1930m; 8192 − 574 − 100 = 7518 Mi; 29 pods', () => {
    expect(allocatable(instanceType('m5.large'))).toEqual({
      cpuMillis: 1930,
      memoryBytes: 7518 * MIB,
      ephemeralStorageBytes: DEFAULT_STORAGE,
      gpus: 0,
      pods: 29,
    });
  });

  it('m6i.2xlarge: 8000 − 90 = 7910m; 32768 − 893 − 100 = 31775 Mi; 58 pods', () => {
    expect(allocatable(instanceType('m6i.2xlarge'))).toMatchObject({ cpuMillis: 7910, memoryBytes: 31775 * MIB, pods: 58 });
  });

  it('r5.4xlarge: 16000 − 110 = 15890m; 131072 − 2829 − 100 = 128143 Mi; 110 pods under MNG, 234 otherwise', () => {
    expect(allocatable(instanceType('r5.4xlarge'))).toMatchObject({ cpuMillis: 15890, memoryBytes: 128143 * MIB, pods: 110 });
    // Memory stays reserved for the ENI figure either way.
    expect(allocatable(instanceType('r5.4xlarge'), { managedNodeGroup: false })).toMatchObject({ memoryBytes: 128143 * MIB, pods: 234 });
  });

  it('c5.9xlarge: 36000 − 160 = 35840m; 73728 − 2829 − 100 = 70799 Mi; 234 pods', () => {
    expect(allocatable(instanceType('c5.9xlarge'))).toMatchObject({ cpuMillis: 35840, memoryBytes: 70799 * MIB, pods: 234 });
  });

  it('m5.16xlarge: 64000 − 230 = 63770m; 262144 − 8362 − 100 = 253682 Mi; 250 pods', () => {
    expect(allocatable(instanceType('m5.16xlarge'))).toMatchObject({ cpuMillis: 63770, memoryBytes: 253682 * MIB, pods: 250 });
  });

  it('p4d.24xlarge: 96000 − 310 = 95690m; 1179648 − 8362 − 100 = 1171186 Mi; 8 GPUs; 250 pods', () => {
    expect(allocatable(instanceType('p4d.24xlarge'))).toMatchObject({ cpuMillis: 95690, memoryBytes: 1171186 * MIB, gpus: 8, pods: 250 });
  });

  it('g4dn.xlarge: 4000 − 80 = 3920m; 16384 − 574 − 100 = 15710 Mi; 1 GPU', () => {
    expect(allocatable(instanceType('g4dn.xlarge'))).toMatchObject({ cpuMillis: 3920, memoryBytes: 15710 * MIB, gpus: 1, pods: 29 });
  });

  // Every row of research/capacity.md §2.2: [alloc CPU m, alloc memory Mi (nominal), max pods under MNG].
  const TABLE: Record<string, [number, number, number]> = {
    'm5.large': [1930, 7518, 29], 'm5.xlarge': [3920, 15391, 58], 'm5.2xlarge': [7910, 31775, 58], 'm5.4xlarge': [15890, 62607, 110],
    'm5.8xlarge': [31850, 128143, 234], 'm5.12xlarge': [47810, 193679, 234], 'm5.16xlarge': [63770, 253682, 250],
    'm6i.large': [1930, 7518, 29], 'm6i.xlarge': [3920, 15391, 58], 'm6i.2xlarge': [7910, 31775, 58], 'm6i.4xlarge': [15890, 62607, 110],
    'm6i.8xlarge': [31850, 128143, 234], 'm6i.12xlarge': [47810, 193679, 234], 'm6i.16xlarge': [63770, 253682, 250],
    'm7i.large': [1930, 7518, 29], 'm7i.xlarge': [3920, 15391, 58], 'm7i.2xlarge': [7910, 31775, 58], 'm7i.4xlarge': [15890, 62607, 110],
    'm7i.8xlarge': [31850, 128143, 234], 'm7i.12xlarge': [47810, 193679, 234], 'm7i.16xlarge': [63770, 253682, 250],
    'r5.large': [1930, 15710, 29], 'r5.xlarge': [3920, 31775, 58], 'r5.2xlarge': [7910, 64543, 58], 'r5.4xlarge': [15890, 128143, 110],
    'r5.8xlarge': [31850, 259215, 234], 'r5.12xlarge': [47810, 390287, 234], 'r5.16xlarge': [63770, 515826, 250],
    'r6i.large': [1930, 15710, 29], 'r6i.xlarge': [3920, 31775, 58], 'r6i.2xlarge': [7910, 64543, 58], 'r6i.4xlarge': [15890, 128143, 110],
    'r6i.8xlarge': [31850, 259215, 234], 'r6i.12xlarge': [47810, 390287, 234], 'r6i.16xlarge': [63770, 515826, 250],
    'c5.large': [1930, 3422, 29], 'c5.xlarge': [3920, 7199, 58], 'c5.2xlarge': [7910, 15391, 58], 'c5.4xlarge': [15890, 29839, 110],
    'c5.9xlarge': [35840, 70799, 234], 'c5.12xlarge': [47810, 95375, 234],
    'c6i.large': [1930, 3422, 29], 'c6i.xlarge': [3920, 7199, 58], 'c6i.2xlarge': [7910, 15391, 58], 'c6i.4xlarge': [15890, 29839, 110],
    'c6i.8xlarge': [31850, 62607, 234], 'c6i.12xlarge': [47810, 95375, 234], 'c6i.16xlarge': [63770, 122610, 250],
    'g4dn.xlarge': [3920, 15710, 29], 'g5.xlarge': [3920, 15391, 58], 'g5.2xlarge': [7910, 31775, 58], 'g6.xlarge': [3920, 15391, 58],
    'p3.2xlarge': [7910, 61471, 58], 'p4d.24xlarge': [95690, 1171186, 250],
  };

  it('matches every row of the capacity table', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(INSTANCE_TYPES));
    for (const [name, [cpu, memoryMiB, pods]] of Object.entries(TABLE)) {
      expect([name, allocatable(instanceType(name))]).toEqual([name, expect.objectContaining({ cpuMillis: cpu, memoryBytes: memoryMiB * MIB, pods })]);
    }
  });

  it('uses the disk size', () => {
    expect(allocatable(instanceType('m5.large'), { diskGiB: 100 }).ephemeralStorageBytes).toBe(allocatableEphemeralStorageBytes(100));
    expect(() => allocatable(instanceType('m5.large'), { diskGiB: -5 })).toThrow('diskGiB: got -5');
  });

  it('subtracts the DaemonSet overhead, pods included', () => {
    const overhead = resources({ cpuMillis: 200, memoryBytes: 256 * MIB, pods: 4 });
    expect(allocatable(instanceType('m5.large'), { daemonSetOverhead: overhead })).toEqual({
      cpuMillis: 1730,
      memoryBytes: 7262 * MIB,
      ephemeralStorageBytes: DEFAULT_STORAGE,
      gpus: 0,
      pods: 25,
    });
  });

  it('never goes below zero', () => {
    const tiny = defineInstanceType({ name: 't3.nano', vcpu: 2, memoryMiB: 256, enis: 2, ipv4PerEni: 2 });
    expect(allocatable(tiny)).toMatchObject({ memoryBytes: 0, cpuMillis: 1930, pods: 4 });
    expect(allocatable(instanceType('m5.large'), { daemonSetOverhead: resources({ cpuMillis: 5000 }) }).cpuMillis).toBe(0);
  });
});
