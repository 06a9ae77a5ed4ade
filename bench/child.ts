/**
 * Runs one measurement in a child process of the compiled bench, so that each platform size gets its
 * own heap and its own peak RSS. The parent forks `run.js child <size> <seed> <runs>`; the child answers
 * with one IPC message.
 */
import { fork } from 'child_process';
import { measureSynth, SynthMeasurement } from './synth';

/** The first argument that makes the bench entry point act as a child. */
export const CHILD_FLAG = 'child';

/** The answer of a child. */
type ChildMessage = { readonly ok: true; readonly result: SynthMeasurement } | { readonly ok: false; readonly error: string };

/** Runs the synth measurement of `size` in a fresh child process of `entry` (the compiled run.js). */
export function synthInChild(entry: string, seed: number, size: number, runs: number): Promise<SynthMeasurement> {
  return new Promise((resolve, reject) => {
    const child = fork(entry, [CHILD_FLAG, String(size), String(seed), String(runs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer: ChildMessage | undefined;
    child.on('message', (message: ChildMessage) => {
      answer = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.ok) resolve(answer.result);
      else reject(new Error(answer?.error ?? `the child for ${size} jobs exited with ${signal ?? `code ${code}`} before answering`));
    });
  });
}

/** The child side: measures and sends the result to the parent. */
export async function runChild(args: readonly string[]): Promise<void> {
  const [size, seed, runs] = args.map(Number);
  let message: ChildMessage;
  try {
    message = { ok: true, result: measureSynth(seed, size, runs) };
  } catch (error) {
    message = { ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
  await new Promise<void>((resolve) => process.send?.(message, () => resolve()));
}
