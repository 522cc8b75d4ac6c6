import { ratioOf, roundValue, summarize } from './stats.js';

/** One line of bench/results.json. */
export interface ResultRow {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** The same metric for raw better-sqlite3 doing the equivalent work, measured in the same run. */
  baseline: number | null;
  /** value / baseline, two decimals. */
  ratio: number | null;
}

export const row = (scenario: string, metric: string, value: number, unit: string, baseline: number | null): ResultRow => ({
  scenario,
  metric,
  value: roundValue(value),
  unit,
  baseline: baseline === null ? null : roundValue(baseline),
  ratio: ratioOf(value, baseline),
});

/** p50/p95/p99 rows (`p50_ms` …) of alternating app and baseline samples. */
export function percentileRows(
  scenario: string,
  samples: { app: readonly number[]; baseline: readonly number[] },
  metrics: ReadonlyArray<'p50' | 'p95' | 'p99'> = ['p50', 'p95'],
): ResultRow[] {
  const app = summarize(samples.app);
  const base = summarize(samples.baseline);
  return metrics.map((m) => row(scenario, `${m}_ms`, app[m], 'ms', base[m]));
}
