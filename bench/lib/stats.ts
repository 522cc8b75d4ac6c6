/** Summary statistics over timing samples (milliseconds). */

export interface Summary {
  n: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * The p-th percentile (0..100) of the samples, linearly interpolated between the two
 * nearest ranks (the same rule as numpy's default), so p50 of an even count is the mean
 * of the middle two.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile out of range: ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summary of no samples');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const s of samples) {
    if (s < min) min = s;
    if (s > max) max = s;
    sum += s;
  }
  return {
    n: samples.length,
    min,
    max,
    mean: sum / samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
  };
}

/** Keeps about three significant digits: 0.01234 → 0.0123, 12.345 → 12.3, 1234.5 → 1235. */
export function roundValue(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** app / baseline, two decimals (1.234 → 1.23); null when there is no usable baseline. */
export function ratioOf(value: number, baseline: number | null): number | null {
  if (baseline === null || !Number.isFinite(baseline) || baseline <= 0) return null;
  return Math.round((value / baseline) * 100) / 100;
}
