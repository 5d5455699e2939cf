// Emergence analysis of one task across a ladder: BIG-bench breakthroughness
// and linearity, a threshold located by a sigmoid fit with a bootstrap
// interval, the mirage check (discrete vs continuous metric), and a Kaplan
// power-law fit of the target loss. Pure and seeded.
import { Rng } from './rng.js';
import { mean, quantile } from './stats.js';
import type { CurveAnalysis, Interval, MetricName, PowerLawFit, TaskAnalysis, Threshold, Verdict, ScaleAxis } from './types.js';

/** Metrics where a smaller value is better; analysis flips them so "up" always means "better". */
export const lowerIsBetter: ReadonlySet<MetricName> = new Set(['brierScore', 'targetNll']);

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
  for (let a = 0; a <= 120; a++) {
    const x0 = lo - 0.25 * span + (1.5 * span * a) / 120;
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

/** Share of the total rise that a single adjacent step must carry to count as sharp. */
const SHARP_SHARE = 0.5;

interface Step {
  from: number;
  share: number;
  separated: boolean;
}

/** The largest adjacent rise, its share of the total rise, and whether its intervals separate. */
function largestStep(values: number[], intervals: Interval[]): Step | null {
  const total = Math.max(...values) - Math.min(...values);
  if (!(total > 0)) return null;
  let from = 0;
  let delta = -Infinity;
  for (let i = 0; i + 1 < values.length; i++) {
    const d = values[i + 1]! - values[i]!;
    if (d > delta) {
      delta = d;
      from = i;
    }
  }
  return { from, share: delta / total, separated: intervals[from + 1]!.low > intervals[from]!.high };
}

/**
 * The largest rung's interval lies wholly above the smallest rung's: an
 * ability that emerged persists at larger scale. One comparison, not every
 * pair: with seven rungs, 21 pairwise tests call pure noise a rise far too often.
 */
function risesBeyondNoise(intervals: Interval[]): boolean {
  return intervals[intervals.length - 1]!.low > intervals[0]!.high;
}

function orient(metric: MetricName, v: number): number {
  return lowerIsBetter.has(metric) ? -v : v;
}

function orientInterval(metric: MetricName, iv: Interval): Interval {
  return lowerIsBetter.has(metric) ? { value: -iv.value, low: -iv.high, high: -iv.low } : iv;
}

function resampleMean(values: number[], rng: Rng): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[Math.floor(rng.next() * values.length)]!;
  return s / values.length;
}

/** Threshold on the discrete curve: sigmoid midpoint with a bootstrap interval over examples. */
export function locateThreshold(x: number[], rungs: RungSamples[], chance: number, rng: Rng, resamples: number): Threshold {
  const y = rungs.map((r) => mean(r.discrete));
  const fit = fitSigmoid(x, y, chance);
  const boots: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const yb = rungs.map((r) => resampleMean(r.discrete, rng));
    boots.push(fitSigmoid(x, yb, chance).x0);
  }
  boots.sort((a, b) => a - b);
  const rung = x.findIndex((xi) => xi >= fit.x0);
  return { log10Scale: fit.x0, low: quantile(boots, 0.025), high: quantile(boots, 0.975), rung: rung < 0 ? x.length - 1 : rung };
}

/** L(N) = (N_c / N)^α (Kaplan et al. 2020): a line in log–log; α's interval by bootstrap over examples. */
export function fitPowerLaw(scales: number[], losses: number[][], rng: Rng, resamples = 200): PowerLawFit | null {
  const fitLine = (ls: number[]) => {
    const xs = scales.map((s) => Math.log10(s));
    const ys = ls.map((l) => Math.log10(l));
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
  };
  const means = losses.map((l) => mean(l));
  if (scales.length < 3 || means.some((m) => !(m > 0)) || losses.some((l) => l.length === 0)) return null;
  const { alpha, intercept } = fitLine(means);
  const alphas: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const mb = losses.map((l) => resampleMean(l, rng));
    if (mb.every((m) => m > 0)) alphas.push(fitLine(mb).alpha);
  }
  alphas.sort((a, b) => a - b);
  // log L = α log N_c − α log N, so log N_c = intercept / α.
  const log10Nc = alpha !== 0 ? intercept / alpha : Number.NaN;
  const last = scales[scales.length - 1]!;
  const prev = scales[scales.length - 2]!;
  const next = last * (last / prev);
  return {
    alpha,
    alphaLow: quantile(alphas, 0.025),
    alphaHigh: quantile(alphas, 0.975),
    log10Nc: Number.isFinite(log10Nc) ? log10Nc : 0,
    nextRungPrediction: 10 ** (intercept - alpha * Math.log10(next)),
  };
}

function describeScale(log10: number): string {
  const v = 10 ** log10;
  if (v >= 1e12) return `${(v / 1e12).toPrecision(2)}T`;
  if (v >= 1e9) return `${(v / 1e9).toPrecision(2)}B`;
  if (v >= 1e6) return `${(v / 1e6).toPrecision(2)}M`;
  if (v >= 1e3) return `${(v / 1e3).toPrecision(2)}K`;
  return v.toPrecision(2);
}

/**
 * Decide whether and where the task's ability emerges.
 * Verdicts: `emergent` (one sharp, significant step in both metrics),
 * `metric-induced` (sharp in the discrete metric, gradual in its continuous
 * twin: Schaeffer et al. 2023), `smooth`, `flat`, `insufficient-data`.
 */
export function analyzeTask(input: AnalysisInput): TaskAnalysis {
  const rng = new Rng(`analysis/${input.taskId}/${input.seed ?? 0}`);
  const resamples = input.resamples ?? 200;
  const rungs = input.rungs
    .filter((r) => r.scale > 0 && r.discrete.length > 0 && r.discrete.every(Number.isFinite))
    .sort((a, b) => a.scale - b.scale);
  const x = rungs.map((r) => Math.log10(r.scale));
  const emptyCurve: CurveAnalysis = { breakthroughness: null, linearity: null, threshold: null };
  const base = { scaleAxis: input.scaleAxis, discrete: emptyCurve, continuous: emptyCurve, powerLaw: null };
  if (rungs.length < 3) {
    return { ...base, verdict: 'insufficient-data', reason: `only ${rungs.length} rung(s) with results; at least 3 are needed to tell a jump from a trend.` };
  }

  const dVals = rungs.map((r) => r.discreteInterval.value);
  const dInts = rungs.map((r) => r.discreteInterval);
  const cOk = rungs.every((r) => r.continuous.length > 0 && Number.isFinite(r.continuousInterval.value));
  const cVals = cOk ? rungs.map((r) => orient(input.continuousMetric, r.continuousInterval.value)) : [];
  const cInts = cOk ? rungs.map((r) => orientInterval(input.continuousMetric, r.continuousInterval)) : [];

  const dScores = bigBenchScores(dVals);
  const cScores = cOk ? bigBenchScores(cVals) : null;
  const discrete: CurveAnalysis = { breakthroughness: dScores?.breakthroughness ?? null, linearity: dScores?.linearity ?? null, threshold: null };
  const continuous: CurveAnalysis = { breakthroughness: cScores?.breakthroughness ?? null, linearity: cScores?.linearity ?? null, threshold: null };
  const nll = rungs.map((r) => r.nll.filter(Number.isFinite));
  const powerLaw = nll.every((l) => l.length > 0) ? fitPowerLaw(rungs.map((r) => r.scale), nll, rng.fork('powerlaw')) : null;
  const result = (verdict: Verdict, reason: string): TaskAnalysis => ({ scaleAxis: input.scaleAxis, discrete, continuous, verdict, reason, powerLaw });

  const dRises = risesBeyondNoise(dInts);
  if (!dRises) {
    const widest = Math.max(...dInts.map((iv) => iv.high - iv.low));
    if (widest > 0.5) {
      return result('insufficient-data', `95% intervals are up to ${widest.toFixed(2)} wide; more examples are needed to separate the rungs.`);
    }
    const best = Math.max(...dVals);
    // A flat all-or-nothing score over a continuous score that does improve is worth saying.
    const below = cOk && risesBeyondNoise(cInts) ? `, while ${input.continuousMetric} improves beyond noise` : '';
    return result('flat', `the largest rung's ${input.discreteMetric} interval does not lie above the smallest's (best ${best.toFixed(2)}, chance ${input.chance.toFixed(2)})${below}.`);
  }

  const dStep = largestStep(dVals, dInts);
  // The step must land above chance: a jump from 0 to the chance level is the answer format being learnt.
  const dSharp = dStep !== null && dStep.separated && dStep.share >= SHARP_SHARE && dInts[dStep.from + 1]!.low > input.chance;
  // A threshold is reported only where some adjacent step clears the noise.
  if (dStep?.separated) discrete.threshold = locateThreshold(x, rungs, input.chance, rng.fork('threshold'), resamples);
  const cStep = cOk ? largestStep(cVals, cInts) : null;
  const cSharp = cStep !== null && cStep.separated && cStep.share >= SHARP_SHARE;
  const cRises = cOk && risesBeyondNoise(cInts);

  // A jump that only brings answers up to the chance level (the model has learnt the
  // answer format, not the ability) is not emergence: some rung must beat chance.
  const aboveChance = dInts.some((iv) => iv.low > input.chance);
  if (!aboveChance) {
    return result(
      'flat',
      `${input.discreteMetric} rises only to the chance level ${input.chance.toFixed(2)} (answers take the right form); no rung's interval lies above chance${cRises ? `, while ${input.continuousMetric} improves beyond noise` : ''}.`,
    );
  }
  if (!dSharp) {
    return result(
      'smooth',
      dStep && dStep.separated && dStep.share >= SHARP_SHARE
        ? `${input.discreteMetric}'s largest step (${rungs[dStep.from]!.model} → ${rungs[dStep.from + 1]!.model}) only reaches the chance level ${input.chance.toFixed(2)}; it rises above chance later and unevenly.`
        : `${input.discreteMetric} rises beyond noise but no single step between rungs carries half the rise (largest: ${((dStep?.share ?? 0) * 100).toFixed(0)}%).`,
    );
  }
  const from = rungs[dStep!.from]!.model;
  const to = rungs[dStep!.from + 1]!.model;
  const where = `${from} → ${to} (threshold ≈ ${describeScale(discrete.threshold!.log10Scale)})`;
  if (!cOk) return result('emergent', `${(dStep!.share * 100).toFixed(0)}% of the ${input.discreteMetric} rise happens at ${where}; no continuous metric to cross-check.`);
  if (cSharp) {
    return result(
      'emergent',
      `${(dStep!.share * 100).toFixed(0)}% of the ${input.discreteMetric} rise and ${(cStep!.share * 100).toFixed(0)}% of the ${input.continuousMetric} change happen at ${where}.`,
    );
  }
  return result(
    'metric-induced',
    `${input.discreteMetric} jumps at ${where}, but ${input.continuousMetric} ${cRises ? `changes gradually (largest step ${((cStep?.share ?? 0) * 100).toFixed(0)}% of its change)` : 'shows no change beyond noise'}: the jump comes from the all-or-nothing metric.`,
  );
}
