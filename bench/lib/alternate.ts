import { Stopwatch } from './timer.js';

/**
 * One side of a comparison. It receives a stopwatch: a function that times only part of
 * its work (leaving out setup or teardown) calls `sw.start()` and `sw.stop()` around that
 * part; one that never starts it is timed as a whole call.
 */
export type Measured = (sw: Stopwatch, iteration: number) => unknown;

export interface AlternateOptions {
  /** Untimed rounds of both sides before the recorded ones (JIT, page cache, lazy imports). */
  warmup?: number;
  /** Called after each recorded round, e.g. for progress output. */
  onRound?: (round: number, appMs: number, baselineMs: number) => void;
}

export interface AlternateResult {
  app: number[];
  baseline: number[];
}

async function once(fn: Measured, iteration: number): Promise<number> {
  const sw = new Stopwatch();
  const whole = new Stopwatch();
  whole.start();
  await fn(sw, iteration);
  whole.stop();
  return sw.used ? sw.ms : whole.ms;
}

/**
 * Runs the app side and the baseline side in alternating rounds — never all of one then
 * all of the other — so drift (thermal state, page cache, background work) hits both
 * alike. The order inside a round flips every round (app→baseline, baseline→app, …) so
 * neither side always runs second on a cache the other just warmed.
 */
export async function alternate(
  appFn: Measured,
  baselineFn: Measured,
  iterations: number,
  options: AlternateOptions = {},
): Promise<AlternateResult> {
  const warmup = options.warmup ?? 1;
  for (let i = 0; i < warmup; i++) {
    await once(appFn, -1 - i);
    await once(baselineFn, -1 - i);
  }
  const app: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < iterations; i++) {
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = await once(appFn, i);
      b = await once(baselineFn, i);
    } else {
      b = await once(baselineFn, i);
      a = await once(appFn, i);
    }
    app.push(a);
    baseline.push(b);
    options.onRound?.(i, a, b);
  }
  return { app, baseline };
}
