// Aggregates with 95% intervals: Wilson for proportions, a seeded expanded
// percentile bootstrap over examples for everything else.
import { Rng } from './rng.js';
import type { Interval } from './types.js';

const Z95 = 1.959963984540054;

/** Wilson score interval for k successes out of n (Wilson 1927). */
export function wilson(successes: number, n: number, z = Z95): Interval {
  if (n <= 0) return { value: Number.NaN, low: 0, high: 1 };
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Accuracy of 0/1 scores with its Wilson interval. */
export function accuracyInterval(scores: readonly number[]): Interval {
  const k = scores.reduce((s, x) => s + (x > 0.5 ? 1 : 0), 0);
  return wilson(k, scores.length);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, x) => s + x, 0) / values.length;
}

/** Sample variance (n − 1 in the denominator); 0 for fewer than two values. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return values.reduce((s, x) => s + (x - m) ** 2, 0) / (values.length - 1);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Linear-interpolated quantile of sorted values, q in [0, 1]. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26; absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Two-sided 95% quantiles of Student's t, t(0.975, df), for df 1..30 (standard tables). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t(0.975, df): the table up to 30, then the Cornish–Fisher expansion (within 1e-4 there). */
export function t975(df: number): number {
  if (df < 1) return Number.POSITIVE_INFINITY;
  if (df <= 30) return T975[Math.round(df) - 1]!;
  const z = Z95;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

/**
 * Tail probability for the expanded percentile bootstrap (Hesterberg 2015,
 * "What teachers should know about the bootstrap", The American Statistician
 * 69(4)): the plain percentile interval is too narrow for small samples, so
 * its quantiles are taken at Φ(−√(n/(n−1)) · t(0.975, n−1)) instead of 2.5%.
 * n = 24 → 1.7%; n = 5 → 0.4%; n = 2 → the extremes of the resamples.
 */
export function expandedTail(n: number): number {
  if (n < 2) return 0.025;
  return normalCdf(-Math.sqrt(n / (n - 1)) * t975(n - 1));
}

/**
 * Expanded percentile bootstrap over examples: resample `values` with
 * replacement `resamples` times and take the quantiles of `statistic` at
 * `expandedTail(n)` and 1 − that. Seeded, so the same values always give the
 * same interval.
 */
export function bootstrapInterval(
  values: readonly number[],
  options: { seed: number | string; resamples?: number; statistic?: (xs: number[]) => number } = { seed: 0 },
): Interval {
  const statistic = options.statistic ?? mean;
  const value = statistic([...values]);
  if (values.length === 0) return { value: Number.NaN, low: Number.NaN, high: Number.NaN };
  const rng = new Rng(`bootstrap:${options.seed}`);
  const B = options.resamples ?? 1000;
  const stats: number[] = [];
  const sample = new Array<number>(values.length);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[Math.floor(rng.next() * values.length)]!;
    stats.push(statistic(sample));
  }
  stats.sort((a, b) => a - b);
  const tail = expandedTail(values.length);
  return { value, low: quantile(stats, tail), high: quantile(stats, 1 - tail) };
}
