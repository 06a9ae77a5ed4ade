/**
 * Turns the measurements into `bench/results.json` and a table on stdout, with PASS/MISS per target.
 */
import { writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { BinPackMeasurement } from './binpack';
import { median, round } from './measure';
import { ResolverMeasurement } from './resolver';
import { SynthMeasurement } from './synth';

/** Everything one bench run measured. */
export interface Measurements {
  readonly seed: number;
  readonly runs: number;
  readonly synth: ReadonlyMap<number, SynthMeasurement>;
  readonly resolver: ResolverMeasurement;
  readonly binpack: BinPackMeasurement;
}

/** A target: the key of results.json it reads, and the bound. */
interface Target {
  readonly key: keyof Headline;
  readonly bound: number;
  readonly direction: 'at most' | 'at least';
}

/** The numbers the targets are about. */
interface Headline {
  readonly ratio_10000: number;
  readonly growth_1000_to_10000: number;
  readonly resolver_ms_10000: number;
  readonly binpack_optimal_share: number;
  readonly binpack_worst_excess: number;
}

const TARGETS: readonly Target[] = [
  { key: 'ratio_10000', bound: 1.5, direction: 'at most' },
  { key: 'growth_1000_to_10000', bound: 12, direction: 'at most' },
  { key: 'resolver_ms_10000', bound: 1000, direction: 'at most' },
  { key: 'binpack_optimal_share', bound: 0.9, direction: 'at least' },
  { key: 'binpack_worst_excess', bound: 1, direction: 'at most' },
];

function met(target: Target, value: number): boolean {
  return target.direction === 'at most' ? value <= target.bound : value >= target.bound;
}

function bySize<T>(synth: ReadonlyMap<number, SynthMeasurement>, pick: (m: SynthMeasurement) => T): Record<string, T> {
  return Object.fromEntries([...synth].map(([size, m]) => [String(size), pick(m)]));
}

function sized(synth: ReadonlyMap<number, SynthMeasurement>, size: number): SynthMeasurement {
  const m = synth.get(size);
  if (m === undefined) throw new Error(`no synth measurement for ${size} jobs`);
  return m;
}

function synthMedians(m: Measurements): { synthMs: Record<string, number>; floorMs: Record<string, number> } {
  return { synthMs: bySize(m.synth, (s) => round(median(s.synthRunsMs))), floorMs: bySize(m.synth, (s) => round(median(s.floorRunsMs))) };
}

/** The values the targets bound. */
export function headline(m: Measurements): Headline {
  const { synthMs, floorMs } = synthMedians(m);
  return {
    ratio_10000: round(synthMs['10000'] / floorMs['10000'], 2),
    growth_1000_to_10000: round(synthMs['10000'] / synthMs['1000'], 2),
    resolver_ms_10000: round(median(m.resolver.runsMs)),
    binpack_optimal_share: round(m.binpack.optimal / m.binpack.instances, 3),
    binpack_worst_excess: m.binpack.worstExcess,
  };
}

/** The content of results.json. */
export function results(m: Measurements): Record<string, unknown> {
  const { synthMs, floorMs } = synthMedians(m);
  const values = headline(m);
  return {
    synth_ms: synthMs,
    floor_ms: floorMs,
    ...values,
    peak_rss_mb_10000: round(sized(m.synth, 10000).peakRssKiB / 1024),
    targets: Object.fromEntries(TARGETS.map((t) => [t.key, { bound: `${t.direction} ${t.bound}`, met: met(t, values[t.key]) }])),
    details: {
      synth_runs_ms: bySize(m.synth, (s) => s.synthRunsMs.map((ms) => round(ms))),
      synth_runs_cpu_ms: bySize(m.synth, (s) => s.synthRunsCpuMs.map((ms) => round(ms))),
      floor_runs_ms: bySize(m.synth, (s) => s.floorRunsMs.map((ms) => round(ms))),
      floor_runs_cpu_ms: bySize(m.synth, (s) => s.floorRunsCpuMs.map((ms) => round(ms))),
      peak_rss_mb: bySize(m.synth, (s) => round(s.peakRssKiB / 1024)),
      objects: bySize(m.synth, (s) => s.objects),
      output_bytes: bySize(m.synth, (s) => s.outputBytes),
      edges: bySize(m.synth, (s) => s.edges),
      pipelines: bySize(m.synth, (s) => s.pipelines),
      resolver: resolverDetails(m.resolver),
      binpack: binpackDetails(m.binpack),
    },
    seed: m.seed,
    runs_per_size: m.runs,
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? 'unknown',
      total_memory_mb: Math.round(totalmem() / 2 ** 20),
    },
  };
}

function resolverDetails(r: ResolverMeasurement): Record<string, unknown> {
  return {
    jobs: r.jobs,
    edges: r.edges,
    runs_ms: r.runsMs.map((ms) => round(ms)),
    runs_cpu_ms: r.runsCpuMs.map((ms) => round(ms)),
    errors: r.errors,
    warnings: r.warnings,
    critical_path_seconds: r.criticalPathSeconds,
    makespan_seconds: r.makespanSeconds,
    peak_nodes: r.peakNodes,
  };
}

function binpackDetails(b: BinPackMeasurement): Record<string, unknown> {
  return {
    instances: b.instances,
    optimal: b.optimal,
    excess_histogram: b.excessHistogram,
    node_cpu_millis: b.node.cpuMillis,
    node_memory_mib: b.node.memoryMiB,
    solver_ms: b.solverMs,
  };
}

/** Writes results.json and prints the table. */
export function report(m: Measurements, file: string): void {
  writeFileSync(file, `${JSON.stringify(results(m), null, 2)}\n`);
  const rows = [...m.synth].map(([size, s]) => {
    const synth = median(s.synthRunsMs);
    const floor = median(s.floorRunsMs);
    const cpu = median(s.synthRunsCpuMs) / median(s.floorRunsCpuMs);
    return [String(size), String(s.objects), synth.toFixed(0), floor.toFixed(0), (synth / floor).toFixed(2), cpu.toFixed(2), (s.peakRssKiB / 1024).toFixed(0)];
  });
  printTable(['jobs', 'objects', 'synth ms', 'floor ms', 'ratio', 'cpu ratio', 'peak RSS MB'], rows);
  console.log(`\nresolver, ${m.resolver.jobs} jobs / ${m.resolver.edges} edges: ${median(m.resolver.runsMs).toFixed(0)} ms wall, ` +
    `${median(m.resolver.runsCpuMs).toFixed(0)} ms CPU (medians of ${m.resolver.runsMs.length})`);
  console.log(`bin packing, ${m.binpack.instances} instances: FFD optimal in ${m.binpack.optimal}, worst excess ${m.binpack.worstExcess} node(s)\n`);
  const values = headline(m);
  printTable(['target', 'value', 'bound', ''], TARGETS.map((t) => [
    t.key, String(values[t.key]), `${t.direction} ${t.bound}`, met(t, values[t.key]) ? 'PASS' : 'MISS',
  ]));
  console.log(`\nwrote ${file}`);
}

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row) => console.log(line(row)));
}
