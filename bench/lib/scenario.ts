import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ResultRow } from './result.js';
import { BENCH_DATA_DIR, type Fixture } from './fixtures.js';

export interface ScenarioContext {
  /** Reduced sizes and iteration counts (`--quick`): the whole run stays under a minute. */
  quick: boolean;
  log(line: string): void;
  /** Reports a fixture the scenario used, for bench/results.meta.json and the summary. */
  usedFixture(fixture: Fixture): void;
}

export interface ScenarioOutcome {
  rows: ResultRow[];
  /** Free-form facts for bench/results.meta.json (sizes, iteration counts, sanity checks). */
  notes?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  summary: string;
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}

/** A fresh scratch directory for one scenario under bench/data/run/ (gitignored). */
export function scratchDir(name: string): { dir: string; remove(): void } {
  const dir = path.join(BENCH_DATA_DIR, 'run', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
