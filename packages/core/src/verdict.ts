// The verdict rule (v2): which shape a task's score-vs-scale curve has, from
// per-rung means and their sampling variances. Pure and fast, so the
// calibration tests (verdict.test.ts) can judge thousands of simulated
// ladders; emergence.ts adds thresholds and fits around it.
//
// v1 called a curve sharp when one adjacent step carried ≥ 50% of the rise.
// That depends on the rung count (the classic mirage, exact = q⁵, was `smooth`
// 76–100% of the time on 7 rungs) and ignores noise. v2 asks two
// rung-count-free questions with χ² tests under the measured variances:
//   1. does the discrete curve depart from a straight line in log scale
//      (a jump, or the accelerating rise of an all-or-nothing metric)?
//   2. does the continuous twin *jump* — a single change point explains its
//      departure from a line — or does it rise smoothly?
// A discrete departure over a smooth twin is the mirage (Schaeffer et al.
// 2023); over a jumping twin it is emergence.
import { mean, normalCdf, sampleVariance } from './stats.js';

/** One rung of one curve: the mean and the sampling variance of the mean. */
export interface CurvePoint {
  x: number;
  mean: number;
  variance: number;
}

/** Significance of every test in the rule (one-sided where a direction is meant). */
export const ALPHA = 0.01;

/** A change point must explain this share of a line's misfit for a curve to jump rather than bend. */
const STEP_EXPLAINS = 0.75;

/** The largest step must be this many times the average step for a departure from a line to be a jump. */
const JUMP_RATIO = 1.5;

/** Fewest correct answers that can show an ability above chance, whatever the test says. */
export const MIN_CORRECT = 3;

/** Mean and variance of 0/1 samples; Agresti–Coull's (k + 2)/(n + 4) keeps 0/n and n/n from weighing infinitely. */
export function proportionPoint(x: number, samples: readonly number[]): CurvePoint {
  const n = samples.length;
  const k = samples.reduce((s, v) => s + (v > 0.5 ? 1 : 0), 0);
  const p = (k + 2) / (n + 4);
  return { x, mean: n ? k / n : Number.NaN, variance: (p * (1 - p)) / (n + 4) };
}

/** Mean and variance of the mean of continuous samples, floored so identical samples still have noise. */
export function meanPoint(x: number, samples: readonly number[], orient = 1): CurvePoint {
  const m = mean(samples);
  return { x, mean: orient * m, variance: Math.max(sampleVariance(samples), 1e-4 * Math.max(1, m * m)) / Math.max(1, samples.length) };
}

/** Upper tail of χ² with k degrees of freedom (Wilson–Hilferty; within ~0.005 of exact for k ≥ 2 at the tails we use). */
export function chiSquareTail(chi2: number, k: number): number {
  if (k <= 0) return 1;
  if (chi2 <= 0) return 1;
  const z = ((chi2 / k) ** (1 / 3) - (1 - 2 / (9 * k))) / Math.sqrt(2 / (9 * k));
  return 1 - normalCdf(z);
}

/** Inverse standard normal CDF by bisection on normalCdf (ample for significance levels). */
export function normalQuantile(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Weighted least-squares line through the points; χ² of the residuals. */
export function linearMisfit(points: readonly CurvePoint[]): { chi2: number; slope: number } {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    const w = 1 / p.variance;
    sw += w;
    sx += w * p.x;
    sy += w * p.mean;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    const w = 1 / p.variance;
    sxy += w * (p.x - mx) * (p.mean - my);
    sxx += w * (p.x - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  let chi2 = 0;
  for (const p of points) chi2 += (p.mean - (my + slope * (p.x - mx))) ** 2 / p.variance;
  return { chi2, slope };
}

/** Best single change point (two weighted levels): χ² and where the step is (between `from` and `from + 1`). */
export function stepMisfit(points: readonly CurvePoint[]): { chi2: number; from: number } {
  let best = { chi2: Infinity, from: 0 };
  for (let j = 0; j + 1 < points.length; j++) {
    let chi2 = 0;
    for (const part of [points.slice(0, j + 1), points.slice(j + 1)]) {
      const sw = part.reduce((s, p) => s + 1 / p.variance, 0);
      const level = part.reduce((s, p) => s + p.mean / p.variance, 0) / sw;
      for (const p of part) chi2 += (p.mean - level) ** 2 / p.variance;
    }
    if (chi2 < best.chi2) best = { chi2, from: j };
  }
  return best;
}

/** The curve departs from a straight line in log scale beyond its noise. */
export function departsFromLine(points: readonly CurvePoint[]): boolean {
  return points.length >= 3 && chiSquareTail(linearMisfit(points).chi2, points.length - 2) < ALPHA;
}

/** The curve jumps: it departs from a line and one change point explains most of that departure. */
export function jumps(points: readonly CurvePoint[]): { from: number } | null {
  if (!departsFromLine(points)) return null;
  const line = linearMisfit(points).chi2;
  const step = stepMisfit(points);
  return step.chi2 <= (1 - STEP_EXPLAINS) * line ? { from: step.from } : null;
}

/** The largest adjacent rise and whether it stands out from the average step (a jump, not a gentle bend). */
export function largestRise(points: readonly CurvePoint[]): { from: number; delta: number; standsOut: boolean } {
  let from = 0;
  let delta = -Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const d = points[i + 1]!.mean - points[i]!.mean;
    if (d > delta) {
      delta = d;
      from = i;
    }
  }
  const total = points[points.length - 1]!.mean - points[0]!.mean;
  const average = total / (points.length - 1);
  return { from, delta, standsOut: total > 0 && delta >= JUMP_RATIO * average };
}

/**
 * A significant fall somewhere along the curve: some rung lies above a larger
 * rung by more than the noise allows, Bonferroni-corrected over all pairs so
 * that seven noisy flat rungs are not called non-monotone.
 */
export function significantFall(points: readonly CurvePoint[]): { from: number; to: number } | null {
  const pairs = (points.length * (points.length - 1)) / 2;
  const z = normalQuantile(1 - ALPHA / pairs);
  let worst: { from: number; to: number; score: number } | null = null;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const score = (points[i]!.mean - points[j]!.mean) / Math.sqrt(points[i]!.variance + points[j]!.variance);
      if (score > z && (!worst || score > worst.score)) worst = { from: i, to: j, score };
    }
  }
  return worst ? { from: worst.from, to: worst.to } : null;
}

/** ln Γ (Lanczos, g = 7): for exact binomial tails. */
function lnGamma(z: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const x = z - 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≥ k) for X ~ Binomial(n, p), exact. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lc = lnGamma(n + 1);
  let s = 0;
  for (let i = k; i <= n; i++) s += Math.exp(lc - lnGamma(i + 1) - lnGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log(1 - p));
  return Math.min(1, s);
}

/**
 * A rung shows the ability above chance: at least MIN_CORRECT correct answers
 * and a one-sided binomial test against the chance level at ALPHA. With
 * chance 0 the test alone would accept one lucky answer of 48.
 */
export function aboveChance(correct: number, n: number, chance: number): boolean {
  if (correct < MIN_CORRECT) return false;
  return binomialUpperTail(correct, n, chance) < ALPHA;
}

/** A rung scores below chance beyond noise: the answer format is not yet learnt. */
export function belowChance(correct: number, n: number, chance: number): boolean {
  if (chance <= 0) return false;
  return binomialUpperTail(n - correct, n, 1 - chance) < ALPHA;
}

/**
 * Smallest rise from the first to the last rung that the `rises` rule (their
 * Wilson intervals separate) detects with 80% power, for a proportion at
 * `base` with n examples per rung (normal approximation, solved by iteration).
 */
export function minimumDetectableRise(base: number, n: number): number {
  const se = (p: number) => Math.sqrt(Math.max(p * (1 - p), 1 / n) / n);
  const z = 1.959963984540054;
  const power = 0.8416212335729143;
  let d = 0.1;
  for (let i = 0; i < 50; i++) {
    const top = Math.min(1, base + d);
    const next = z * (se(base) + se(top)) + power * Math.sqrt(se(base) ** 2 + se(top) ** 2);
    d = Math.min(1 - base, next);
  }
  return d;
}
