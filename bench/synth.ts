/**
 * Measures, for one platform size, the synth time of the batchplane constructs (construction start to
 * files written, every validation on) and of the floor (the same manifests as plain ApiObjects), and
 * the peak memory. Meant to run alone in a child process, so that peak RSS belongs to one size.
 */
import { ApiObjectProps, App } from 'cdk8s';
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
  /** Wall time of each synth run, in order (the first is cold). */
  readonly synthRunsMs: readonly number[];
  /** CPU time of each synth run. */
  readonly synthRunsCpuMs: readonly number[];
  /** Wall time of each floor run. */
  readonly floorRunsMs: readonly number[];
  /** CPU time of each floor run. */
  readonly floorRunsCpuMs: readonly number[];
  /** Peak RSS after the synth runs, before the floor ran (KiB). */
  readonly peakRssKiB: number;
}

/** One timed synth of the platform into a fresh directory; with `keep`, also the rendered manifests (untimed). */
function synthOnce(plan: PlatformPlan, keep: boolean): { ms: number; cpuMs: number; bytes: number; manifests?: ApiObjectProps[] } {
  return withTempDir('synth', (outdir) => {
    const run = timed(() => {
      const app = new App({ outdir });
      const platform = buildPlatform(app, plan);
      app.synth();
      return platform;
    });
    const bytes = directoryBytes(outdir);
    const times = { ms: run.ms, cpuMs: run.cpuMs, bytes };
    return keep ? { ...times, manifests: run.value.toJson().map(asApiObjectProps) } : times;
  });
}

/** Synthesizes a platform of `size` jobs `runs` times, then the floor `runs` times. */
export function measureSynth(seed: number, size: number, runs: number): SynthMeasurement {
  const plan = generatePlatform(seed, size);
  const synthRunsMs: number[] = [];
  const synthRunsCpuMs: number[] = [];
  let manifests: ApiObjectProps[] = [];
  let outputBytes = 0;
  for (let run = 0; run < runs; run++) {
    collectGarbage();
    const result = synthOnce(plan, run === runs - 1);
    synthRunsMs.push(result.ms);
    synthRunsCpuMs.push(result.cpuMs);
    outputBytes = result.bytes;
    manifests = result.manifests ?? manifests;
  }
  const peak = peakRssKiB();
  const floorRunsMs: number[] = [];
  const floorRunsCpuMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    collectGarbage();
    const floor = withTempDir('floor', (outdir) => timed(() => synthFloor(manifests, outdir)));
    floorRunsMs.push(floor.ms);
    floorRunsCpuMs.push(floor.cpuMs);
  }
  return {
    jobs: size,
    edges: plan.pipelines.reduce((sum, p) => sum + p.edges.length, 0),
    pipelines: plan.pipelines.length,
    objects: manifests.length,
    outputBytes,
    synthRunsMs,
    synthRunsCpuMs,
    floorRunsMs,
    floorRunsCpuMs,
    peakRssKiB: peak,
  };
}
