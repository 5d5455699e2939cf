// Emergence analysis of one task across a ladder: the verdict (rule v2 in
// verdict.ts), BIG-bench breakthroughness and linearity, a threshold as the
// bracket between rungs (with a sigmoid midpoint where rungs lie on the rise),
// and a power-law fit of the target loss with an irreducible term where the
// data support one. Pure and seeded.
import { Rng } from './rng.js';
import { lowerIsBetter } from './metric-registry.js';
import { mean, quantile, sampleVariance } from './stats.js';
import { formatScale } from './scale.js';
import {
  ALPHA,
  MIN_CORRECT,
  aboveChance,
  belowChance,
  departsFromLine,
  jumps,
  largestRise,
  meanPoint,
  minimumDetectableRise,
  proportionPoint,
  significantFall,
  type CurvePoint,
} from './verdict.js';
import type { CurveAnalysis, Interval, MetricName, PowerLawFit, TaskAnalysis, Threshold, Verdict, ScaleAxis } from './types.js';


/**
 * Smallest adjacent squared difference the breakthroughness denominator may
 * use, in squared score units: steps under one point of score are below what
 * our sample sizes can resolve, and a zero median would make the ratio infinite.
 */
const MIN_STEP = 0.01;

/**
 * BIG-bench (Srivastava et al. 2022, "Beyond the Imitation Game", appendix on
 * linearity and breakthroughness). Models sorted by scale, scores y_i:
 *   I(y) = sign(argmax y − argmin y) · (max y − min y)
 *   breakthroughness = I(y) / sqrt(median_i (y_{i+1} − y_i)²)
 *   linearity        = I(y) / sqrt(mean_i (y_{i+1} − y_i)²)
 * A linear rise over n points has linearity n − 1; a single jump has high
 * breakthroughness. The paper was not reachable from this environment; the
 * linearity denominator (root-mean-square of the adjacent differences) follows
 * DESIGN.md's reading of it.
 */
export function bigBenchScores(y: readonly number[]): { breakthroughness: number; linearity: number } | null {
  const ys = y.filter((v) => Number.isFinite(v));
  if (ys.length < 2 || ys.length !== y.length) return null;
  let iMax = 0;
  let iMin = 0;
  ys.forEach((v, i) => {
    if (v > ys[iMax]!) iMax = i;
    if (v < ys[iMin]!) iMin = i;
  });
  const I = Math.sign(iMax - iMin) * (ys[iMax]! - ys[iMin]!);
  const sq = ys.slice(1).map((v, i) => (v - ys[i]!) ** 2);
  const sorted = [...sq].sort((a, b) => a - b);
  const med = quantile(sorted, 0.5);
  const ms = mean(sq);
  return {
    breakthroughness: I / Math.sqrt(Math.max(med, MIN_STEP ** 2)),
    linearity: ms === 0 ? 0 : I / Math.sqrt(ms),
  };
}

// ---------------------------------------------------------------- sigmoid threshold

export interface SigmoidFit {
  /** log10 scale where the curve is halfway from the floor to the plateau. */
  x0: number;
  slope: number;
  plateau: number;
  sse: number;
}

const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const GRID_STEPS = 160;

/**
 * Least-squares fit of y = floor + (plateau − floor)·σ(slope·(x − x0)) with
 * the floor fixed at the task's chance level; grid over (x0, slope), plateau
 * in closed form. Grid search is robust on 3–10 points where Newton steps are not.
 */
export function fitSigmoid(x: readonly number[], y: readonly number[], floor: number): SigmoidFit {
  const lo = Math.min(...x);
  const hi = Math.max(...x);
  const span = Math.max(hi - lo, 1e-6);
  let best: SigmoidFit = { x0: lo, slope: 1, plateau: floor, sse: Infinity };
  // x0 ranges half a span beyond the rungs on each side; a bootstrap fit that
  // still lands on an edge is reported as an open bound (locateThreshold).
  for (let a = 0; a <= GRID_STEPS; a++) {
    const x0 = lo - 0.5 * span + (2 * span * a) / GRID_STEPS;
    for (let b = 0; b <= 24; b++) {
      const slope = (0.5 * 10 ** ((b / 24) * 2.3)) / span; // 0.5/span … 100/span
      let num = 0;
      let den = 0;
      const s = x.map((xi) => sigma(slope * (xi - x0)));
      s.forEach((si, i) => {
        num += si * (y[i]! - floor);
        den += si * si;
      });
      const amp = den > 0 ? Math.max(0, num / den) : 0;
      const plateau = Math.min(floor + amp, Math.max(1, floor));
      let sse = 0;
      s.forEach((si, i) => (sse += (floor + (plateau - floor) * si - y[i]!) ** 2));
      if (sse < best.sse - 1e-12) best = { x0, slope, plateau, sse };
    }
  }
  return best;
}

// ---------------------------------------------------------------- curves

export interface RungSamples {
  model: string;
  /** The scale on the chosen axis (parameters or FLOPs), > 0. */
  scale: number;
  /** Per-example values of the discrete metric (0/1). */
  discrete: number[];
  /** Per-example values of the continuous metric. */
  continuous: number[];
  /** 95% intervals of the two means, as stored in the result. */
  discreteInterval: Interval;
  continuousInterval: Interval;
  /** Per-example target negative log-likelihood, for the power-law fit. */
  nll: number[];
  /** Each seed's own mean, where this rung pools several seeds of one size. */
  seedMeans?: { discrete: number[]; continuous: number[] };
}

/**
 * With several seeds per size, a rung's noise is at least the spread between
 * seeds: variance of the seeds' means over their number. One seed per size
 * cannot tell scale from a lucky seed; this is where two can.
 */
function withSeedVariance(point: CurvePoint, seedMeans: number[] | undefined): CurvePoint {
  if (!seedMeans || seedMeans.length < 2) return point;
  const between = sampleVariance(seedMeans) / seedMeans.length;
  return { ...point, variance: Math.max(point.variance, between) };
}

/** A rung's interval widened to its seeds' spread (normal, 95%). */
function seedInterval(iv: Interval, point: CurvePoint): Interval {
  const half = 1.959963984540054 * Math.sqrt(point.variance);
  return { value: iv.value, low: Math.min(iv.low, iv.value - half), high: Math.max(iv.high, iv.value + half) };
}

export interface AnalysisInput {
  taskId: string;
  chance: number;
  discreteMetric: MetricName;
  continuousMetric: MetricName;
  scaleAxis: ScaleAxis;
  rungs: RungSamples[];
  seed?: number;
  resamples?: number;
}

function resampleMean(values: number[], rng: Rng): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[Math.floor(rng.next() * values.length)]!;
  return s / values.length;
}

/** Where the sigmoid grid of fitSigmoid starts and ends for these scales. */
function sigmoidGrid(x: readonly number[]): { min: number; max: number } {
  const lo = Math.min(...x);
  const hi = Math.max(...x);
  const span = Math.max(hi - lo, 1e-6);
  return { min: lo - 0.5 * span, max: hi + 0.5 * span };
}

/**
 * The threshold of a jump between rungs `from` and `from + 1`: always the
 * bracket (a step can be located no better than the gap between rungs,
 * whatever n is); the sigmoid midpoint with a bootstrap interval over examples
 * only where some rung lies on the rise, between the lowest and the highest
 * rung beyond noise. A bootstrap bound at the fitting grid's edge is censored,
 * not estimated: it is reported open (null).
 */
export function locateThreshold(x: number[], rungs: RungSamples[], from: number, chance: number, rng: Rng, resamples: number): Threshold {
  const bracket = { rung: from + 1, from: x[from]!, to: x[from + 1]! };
  const ints = rungs.map((r) => r.discreteInterval);
  const bottom = Math.min(...ints.map((iv) => iv.high));
  const top = Math.max(...ints.map((iv) => iv.low));
  const onRise = ints.some((iv) => iv.low > bottom && iv.high < top);
  if (!onRise || resamples <= 0) return { ...bracket, log10Scale: null, low: null, high: null };
  const y = rungs.map((r) => mean(r.discrete));
  const fit = fitSigmoid(x, y, chance);
  const boots: number[] = [];
  for (let b = 0; b < resamples; b++) boots.push(fitSigmoid(x, rungs.map((r) => resampleMean(r.discrete, rng)), chance).x0);
  boots.sort((a, b) => a - b);
  const grid = sigmoidGrid(x);
  const edge = (v: number, bound: number) => Math.abs(v - bound) < 1e-9;
  const low = quantile(boots, 0.025);
  const high = quantile(boots, 0.975);
  return { ...bracket, log10Scale: fit.x0, low: edge(boots[0]!, grid.min) && edge(low, grid.min) ? null : low, high: edge(boots[boots.length - 1]!, grid.max) && edge(high, grid.max) ? null : high };
}

/** Least-squares line of log10 L on log10 N. */
function fitLogLine(scales: readonly number[], losses: readonly number[]): { alpha: number; intercept: number } {
  const xs = scales.map((v) => Math.log10(v));
  const ys = losses.map((l) => Math.log10(l));
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  xs.forEach((xi, i) => {
    sxy += (xi - mx) * (ys[i]! - my);
    sxx += (xi - mx) ** 2;
  });
  const slope = sxy / sxx;
  return { alpha: -slope, intercept: my - slope * mx };
}

/** L = E + (N_c/N)^α for a given E: the power law of the reducible part, and its squared error in L. */
function fitWithOffset(scales: readonly number[], losses: readonly number[], offset: number): { alpha: number; intercept: number; sse: number } {
  const { alpha, intercept } = fitLogLine(scales, losses.map((l) => l - offset));
  let sse = 0;
  scales.forEach((n, i) => (sse += (offset + 10 ** (intercept - alpha * Math.log10(n)) - losses[i]!) ** 2));
  return { alpha, intercept, sse };
}

/** The irreducible term E that fits best, on a grid below the smallest loss (0 included). */
function bestOffset(scales: readonly number[], losses: readonly number[]): number {
  const floor = Math.min(...losses);
  let best = { offset: 0, sse: fitWithOffset(scales, losses, 0).sse };
  for (let i = 1; i < 60; i++) {
    const offset = (floor * 0.98 * i) / 60;
    const { sse } = fitWithOffset(scales, losses, offset);
    if (sse < best.sse) best = { offset, sse };
  }
  return best.offset;
}

/**
 * L(N) = E + (N_c / N)^α (Kaplan et al. 2020 without E; Hoffmann et al. 2022
 * with it): targets with an entropy floor bend away from a pure power law,
 * which biases α and the next-rung prediction. E is fitted on a grid where
 * there are at least 4 rungs and kept only where it lowers the squared error
 * by more than an F-test at 5% allows for one extra parameter; `offsetNote`
 * says which. α and E have bootstrap intervals over examples.
 */
export function fitPowerLaw(scales: number[], losses: number[][], rng: Rng, resamples = 200): PowerLawFit | null {
  const means = losses.map((l) => mean(l));
  if (scales.length < 3 || means.some((m) => !(m > 0)) || losses.some((l) => l.length === 0)) return null;
  const plain = fitWithOffset(scales, means, 0);
  let offset = 0;
  let offsetNote = 'fewer than 4 rungs: no irreducible term fitted';
  if (scales.length >= 4) {
    const e = bestOffset(scales, means);
    const withE = fitWithOffset(scales, means, e);
    const dof = scales.length - 3;
    // F(1, dof) at 5%: 18.5, 10.1, 7.71, 6.61, 5.99 for dof 2…6; about 4 beyond.
    const fCrit = [161, 18.5, 10.1, 7.71, 6.61, 5.99][dof] ?? 4.5;
    const f = withE.sse > 0 ? (plain.sse - withE.sse) / (withE.sse / dof) : Infinity;
    if (e > 0 && f > fCrit) {
      offset = e;
      offsetNote = `an irreducible loss E improves the fit beyond noise (F = ${f.toFixed(1)} > ${fCrit})`;
    } else {
      offsetNote = 'the data do not support an irreducible term (E = 0)';
    }
  }
  const fit = fitWithOffset(scales, means, offset);
  const alphas: number[] = [];
  const offsets: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const mb = losses.map((l) => resampleMean(l, rng));
    if (!mb.every((m) => m > 0)) continue;
    const eb = offset > 0 ? bestOffset(scales, mb) : 0;
    alphas.push(fitWithOffset(scales, mb, eb).alpha);
    offsets.push(eb);
  }
  alphas.sort((a, b) => a - b);
  offsets.sort((a, b) => a - b);
  // log(L − E) = α log N_c − α log N, so log N_c = intercept / α.
  const log10Nc = fit.alpha !== 0 ? fit.intercept / fit.alpha : Number.NaN;
  const last = scales[scales.length - 1]!;
  const prev = scales[scales.length - 2]!;
  const next = last * (last / prev);
  return {
    alpha: fit.alpha,
    alphaLow: quantile(alphas, 0.025),
    alphaHigh: quantile(alphas, 0.975),
    log10Nc: Number.isFinite(log10Nc) ? log10Nc : 0,
    offset,
    offsetLow: offset > 0 ? quantile(offsets, 0.025) : 0,
    offsetHigh: offset > 0 ? quantile(offsets, 0.975) : 0,
    offsetNote,
    nextRungPrediction: offset + 10 ** (fit.intercept - fit.alpha * Math.log10(next)),
  };
}

export interface Judgement {
  verdict: Verdict;
  reason: string;
  /** The jump is between sorted rungs `step` and `step + 1` (emergent and metric-induced only). */
  step: number | null;
}

export interface JudgeInput {
  chance: number;
  discreteMetric: MetricName;
  continuousMetric: MetricName;
  models: string[];
  /** Correct answers and examples per rung (the discrete metric is 0/1). */
  correct: number[];
  n: number[];
  /** 95% intervals of the discrete means (Wilson), as stored in the result. */
  discreteIntervals: Interval[];
  discrete: CurvePoint[];
  /** Oriented so that up is better; null when the twin is missing. */
  continuous: CurvePoint[] | null;
}

/**
 * The verdict rule v2 (see verdict.ts for the tests it uses and
 * verdict.test.ts for its measured error rates):
 * - `non-monotone`: some rung scores below a smaller one beyond noise;
 * - `flat`: the largest rung's interval does not lie above the smallest's,
 *   or no rung is above chance; the reason gives the minimum detectable rise;
 * - `smooth`: it rises, along a straight line in log scale (or with no step
 *   that stands out);
 * - `emergent`: it departs from a line with a step that stands out, and the
 *   continuous twin jumps too (a change point explains its departure from a line);
 * - `metric-induced`: the discrete metric jumps while its twin does not.
 */
export function judge(input: JudgeInput): Judgement {
  const { models, discrete, continuous } = input;
  const R = discrete.length;
  const out = (verdict: Verdict, reason: string, step: number | null = null): Judgement => ({ verdict, reason, step });
  if (R < 3) return out('insufficient-data', `only ${R} rung(s) with results; at least 3 are needed to tell a jump from a trend.`);
  const dm = input.discreteMetric;
  const cm = input.continuousMetric;
  const fall = significantFall(discrete);
  if (fall) {
    return out(
      'non-monotone',
      `${dm} falls from ${discrete[fall.from]!.mean.toFixed(2)} at ${models[fall.from]} to ${discrete[fall.to]!.mean.toFixed(2)} at ${models[fall.to]}, beyond noise: the curve is not a rise, so no threshold is located.`,
    );
  }
  const ints = input.discreteIntervals;
  const cRises = continuous !== null && continuous[R - 1]!.mean - continuous[0]!.mean > 1.96 * Math.sqrt(continuous[R - 1]!.variance + continuous[0]!.variance);
  const twinNote = cRises ? `, while ${cm} improves beyond noise` : '';
  const rises = ints[R - 1]!.low > ints[0]!.high;
  if (!rises) {
    const widest = Math.max(...ints.map((iv) => iv.high - iv.low));
    if (widest > 0.5) return out('insufficient-data', `95% intervals are up to ${widest.toFixed(2)} wide; more examples are needed to separate the rungs.`);
    const n = Math.min(...input.n);
    const base = Math.max(discrete[0]!.mean, input.chance);
    const mde = minimumDetectableRise(base, n);
    const best = Math.max(...discrete.map((p) => p.mean));
    return out(
      'flat',
      `the largest rung's ${dm} interval does not lie above the smallest's (best ${best.toFixed(2)}, chance ${input.chance.toFixed(2)}); at n = ${n} a rise of ${mde.toFixed(2)} or more would be seen 80% of the time${twinNote}.`,
    );
  }
  const above = input.correct.map((k, i) => aboveChance(k, input.n[i]!, input.chance));
  if (!above.includes(true)) {
    const below = belowChance(input.correct[0]!, input.n[0]!, input.chance);
    return out(
      'flat',
      `${dm} rises only to the chance level ${input.chance.toFixed(2)}${below ? ` from below it (${models[0]} has not learnt the answer format)` : ''}; no rung is above chance by a one-sided binomial test (≥ ${MIN_CORRECT} correct, p < ${ALPHA})${twinNote}.`,
    );
  }
  const rise = largestRise(discrete);
  const bends = departsFromLine(discrete);
  const where = `${models[rise.from]} → ${models[rise.from + 1]}`;
  if (!bends || !rise.standsOut) {
    return out(
      'smooth',
      bends
        ? `${dm} rises beyond noise and bends, but no step stands out (largest ${where}: ${rise.delta.toFixed(2)}).`
        : `${dm} rises beyond noise along a straight line in log scale (no departure from it at p < ${ALPHA}).`,
    );
  }
  if (!continuous) return out('emergent', `${dm} jumps at ${where}; no continuous metric to cross-check.`, rise.from);
  const twinJump = jumps(continuous);
  if (twinJump && Math.abs(twinJump.from - rise.from) <= 1) {
    return out('emergent', `${dm} jumps at ${where}, and ${cm} jumps with it (${models[twinJump.from]} → ${models[twinJump.from + 1]}).`, rise.from);
  }
  return out(
    'metric-induced',
    `${dm} jumps at ${where}, but ${cm} ${twinJump ? `jumps elsewhere (${models[twinJump.from]} → ${models[twinJump.from + 1]})` : cRises ? 'rises without a jump' : 'shows no change beyond noise'}: the jump comes from the all-or-nothing metric.`,
    rise.from,
  );
}

/** Decide whether and where the task's ability emerges: judge(), then the threshold, BIG-bench scores and the power law. */
export function analyzeTask(input: AnalysisInput): TaskAnalysis {
  const rng = new Rng(`analysis/${input.taskId}/${input.seed ?? 0}`);
  const resamples = input.resamples ?? 200;
  const rungs = input.rungs
    .filter((r) => r.scale > 0 && r.discrete.length > 0 && r.discrete.every(Number.isFinite))
    .sort((a, b) => a.scale - b.scale);
  const x = rungs.map((r) => Math.log10(r.scale));
  const emptyCurve: CurveAnalysis = { breakthroughness: null, linearity: null, threshold: null };
  const cOk = rungs.length > 0 && rungs.every((r) => r.continuous.length > 0 && r.continuous.every(Number.isFinite));
  const sign = lowerIsBetter.has(input.continuousMetric) ? -1 : 1;
  const dPoints = rungs.map((r, i) => withSeedVariance(proportionPoint(x[i]!, r.discrete), r.seedMeans?.discrete));
  const judgement = judge({
    chance: input.chance,
    discreteMetric: input.discreteMetric,
    continuousMetric: input.continuousMetric,
    models: rungs.map((r) => r.model),
    correct: rungs.map((r) => r.discrete.reduce((s, v) => s + (v > 0.5 ? 1 : 0), 0)),
    n: rungs.map((r) => r.discrete.length),
    discreteIntervals: rungs.map((r, i) => (r.seedMeans ? seedInterval(r.discreteInterval, dPoints[i]!) : r.discreteInterval)),
    discrete: dPoints,
    continuous: cOk ? rungs.map((r, i) => withSeedVariance(meanPoint(x[i]!, r.continuous, sign), r.seedMeans?.continuous.map((v) => sign * v))) : null,
  });
  if (rungs.length < 3) return { scaleAxis: input.scaleAxis, discrete: emptyCurve, continuous: emptyCurve, verdict: judgement.verdict, reason: judgement.reason, powerLaw: null };
  const dScores = bigBenchScores(rungs.map((r) => r.discreteInterval.value));
  const cScores = cOk ? bigBenchScores(rungs.map((r) => sign * r.continuousInterval.value)) : null;
  const discrete: CurveAnalysis = { breakthroughness: dScores?.breakthroughness ?? null, linearity: dScores?.linearity ?? null, threshold: null };
  const continuous: CurveAnalysis = { breakthroughness: cScores?.breakthroughness ?? null, linearity: cScores?.linearity ?? null, threshold: null };
  if (judgement.step !== null) discrete.threshold = locateThreshold(x, rungs, judgement.step, input.chance, rng.fork('threshold'), resamples);
  const nll = rungs.map((r) => r.nll.filter(Number.isFinite));
  const powerLaw = nll.every((l) => l.length > 0) ? fitPowerLaw(rungs.map((r) => r.scale), nll, rng.fork('powerlaw')) : null;
  let reason = judgement.reason;
  const t = discrete.threshold;
  if (t) {
    reason += ` Threshold between ${formatScale(10 ** t.from)} and ${formatScale(10 ** t.to)}`;
    reason += t.log10Scale === null ? ' (no rung lies on the rise, so the step is located only to the bracket).' : ` (sigmoid midpoint ${formatScale(10 ** t.log10Scale)}).`;
  }
  return { scaleAxis: input.scaleAxis, discrete, continuous, verdict: judgement.verdict, reason, powerLaw };
}
