/**
 * `npm run bench`: synth time and memory at 100, 1,000 and 10,000 jobs against the plain-cdk8s floor,
 * the resolver alone on a 10,000-job graph, and the bin-packing estimate against the exact optimum.
 * Writes bench/results.json and prints a table with PASS/MISS per target.
 *
 * Each platform size is measured in its own child process (this file, run with `child <size> <seed>
 * <runs>`), so its peak RSS is its own.
 */
import { join } from 'path';
import { measureBinPacking } from './binpack';
import { CHILD_FLAG, runChild, synthInChild } from './child';
import { report } from './report';
import { measureResolver } from './resolver';
import { SynthMeasurement } from './synth';

/** The seed of every generator; change it to benchmark other random platforms. */
const SEED = 20240601;
/** Timed runs per measurement, after an untimed warm-up; medians are reported. */
const RUNS = 5;
const SIZES = [100, 1000, 10000] as const;
const BINPACK_INSTANCES = 200;
/** bench/results.json, from build/bench/run.js. */
const RESULTS_FILE = join(__dirname, '..', '..', 'bench', 'results.json');

async function main(): Promise<void> {
  const synth = new Map<number, SynthMeasurement>();
  for (const size of SIZES) {
    console.log(`synth: ${size} jobs, ${RUNS} runs in a child process...`);
    synth.set(size, await synthInChild(__filename, SEED, size, RUNS));
  }
  console.log('resolver: 10,000 jobs...');
  const resolver = measureResolver(SEED, RUNS);
  console.log(`bin packing: ${BINPACK_INSTANCES} instances against the exact optimum...`);
  const binpack = await measureBinPacking(SEED, BINPACK_INSTANCES);
  console.log('');
  report({ seed: SEED, runs: RUNS, synth, resolver, binpack }, RESULTS_FILE);
}

const [mode, ...rest] = process.argv.slice(2);
(mode === CHILD_FLAG ? runChild(rest) : main()).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
