// Aggregates with 95% intervals: Wilson for proportions, a seeded percentile
// bootstrap over examples for everything else.
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

/**
 * Percentile bootstrap over examples: resample `values` with replacement
 * `resamples` times and take the 2.5% and 97.5% quantiles of `statistic`.
 * Seeded, so the same values always give the same interval.
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
  return { value, low: quantile(stats, 0.025), high: quantile(stats, 0.975) };
}
