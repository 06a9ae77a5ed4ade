/**
 * Measures, for one platform size, the synth time of the batchplane constructs (construction start to
 * files written, every validation on) and of the floor (the same manifests as plain ApiObjects), and
 * the peak memory. Meant to run alone in a child process, so that peak RSS belongs to one size.
 */
import { App } from 'cdk8s';
import { Platform } from '../lib/k8s/platform';
import { asApiObjectProps, synthFloor } from './floor';
import { generatePlatform, PlatformPlan } from './generate';
import { collectGarbage, directoryBytes, peakRssKiB, timed, withTempDir } from './measure';
import { buildPlatform } from './platform';

/** What one size measured. */
export interface SynthMeasurement {
  readonly jobs: number;
  readonly edges: number;
  readonly pipelines: number;
  /** Objects written by the platform. */
  readonly objects: number;
  /** Bytes of YAML written by the platform. */
  readonly outputBytes: number;
  /** Wall time of each timed synth run, in order (all after an untimed warm-up). */
  readonly synthRunsMs: readonly number[];
  /** CPU time of each timed synth run. */
  readonly synthRunsCpuMs: readonly number[];
  /** Wall time of each timed floor run. */
  readonly floorRunsMs: readonly number[];
  /** CPU time of each timed floor run. */
  readonly floorRunsCpuMs: readonly number[];
  /**
   * Peak RSS of the whole measurement (KiB). The warm-up sets it as a rule: it holds the platform, its
   * manifests and their text at once.
   */
  readonly peakRssKiB: number;
}

/** A timed run: wall and CPU milliseconds. */
interface RunTime {
  readonly ms: number;
  readonly cpuMs: number;
}

/** Synthesizes the platform of `plan` into a fresh directory, timed; returns the platform with the times. */
function synthOnce(plan: PlatformPlan): RunTime & { bytes: number; platform: Platform } {
  return withTempDir('synth', (outdir) => {
    const run = timed(() => {
      const app = new App({ outdir });
      const platform = buildPlatform(app, plan);
      app.synth();
      return platform;
    });
    return { ms: run.ms, cpuMs: run.cpuMs, bytes: directoryBytes(outdir), platform: run.value };
  });
}

/**
 * Writes the manifests of `manifestsJson` as plain ApiObjects into a fresh directory, timed. The text
 * is parsed and the garbage collected before the clock starts, so the floor starts, as the synth does,
 * from its input already on the heap.
 */
function floorOnce(manifestsJson: string): RunTime {
  const manifests = (JSON.parse(manifestsJson) as unknown[]).map(asApiObjectProps);
  collectGarbage();
  return withTempDir('floor', (outdir) => timed(() => synthFloor(manifests, outdir)));
}

/**
 * The untimed first synth: the manifests the floor writes, kept as JSON text so that the timed synth
 * runs do not carry a second heap of objects for the garbage collector to trace, and the output size.
 */
function warmUp(plan: PlatformPlan): { manifestsJson: string; objects: number; bytes: number } {
  const { platform, bytes } = synthOnce(plan);
  const manifests = platform.toJson();
  return { manifestsJson: JSON.stringify(manifests), objects: manifests.length, bytes };
}

/**
 * Measures a platform of `size` jobs. One untimed synth and one untimed floor come first, so that both
 * are timed with the same warm code (module loading, JIT) and neither pays for the other's first run;
 * the timed runs then alternate synth and floor, so that a slow phase of a shared machine falls on
 * both alike. Garbage is collected before each run.
 */
export function measureSynth(seed: number, size: number, runs: number): SynthMeasurement {
  const plan = generatePlatform(seed, size);
  const { manifestsJson, objects, bytes } = warmUp(plan);
  floorOnce(manifestsJson);
  const synthRuns: RunTime[] = [];
  const floorRuns: RunTime[] = [];
  for (let run = 0; run < runs; run++) {
    collectGarbage();
    const { ms, cpuMs } = synthOnce(plan);
    synthRuns.push({ ms, cpuMs });
    floorRuns.push(floorOnce(manifestsJson));
  }
  return {
    jobs: size,
    edges: plan.pipelines.reduce((sum, p) => sum + p.edges.length, 0),
    pipelines: plan.pipelines.length,
    objects,
    outputBytes: bytes,
    synthRunsMs: synthRuns.map((r) => r.ms),
    synthRunsCpuMs: synthRuns.map((r) => r.cpuMs),
    floorRunsMs: floorRuns.map((r) => r.ms),
    floorRunsCpuMs: floorRuns.map((r) => r.cpuMs),
    peakRssKiB: peakRssKiB(),
  };
}
