import { describe, expect, it } from 'vitest';
import { analyzeTask, bigBenchScores, fitPowerLaw, fitSigmoid, locateThreshold, type RungSamples } from './emergence.js';
import { Rng } from './rng.js';
import { accuracyInterval, bootstrapInterval, mean } from './stats.js';

describe('BIG-bench breakthroughness and linearity', () => {
  it('monotone linear series: linearity n − 1, breakthroughness equal to it', () => {
    // y = 0, .1, .2, .3, .4: I = 0.4; every step 0.1 → RMS 0.1, median 0.1.
    const s = bigBenchScores([0, 0.1, 0.2, 0.3, 0.4])!;
    expect(s.linearity).toBeCloseTo(4);
    expect(s.breakthroughness).toBeCloseTo(4);
  });

  it('one step: breakthroughness large, linearity modest', () => {
    // y = 0, 0, 0, 0.8, 0.8: diffs² = 0, 0, .64, 0 → median 0 (floored to 0.01²), mean .16.
    const s = bigBenchScores([0, 0, 0, 0.8, 0.8])!;
    expect(s.breakthroughness).toBeCloseTo(0.8 / 0.01);
    expect(s.linearity).toBeCloseTo(0.8 / Math.sqrt(0.16));
  });

  it('flat series: zero', () => {
    const s = bigBenchScores([0.3, 0.3, 0.3])!;
    expect(s.breakthroughness).toBe(0);
    expect(s.linearity).toBe(0);
  });

  it('noisy series: worked by hand', () => {
    // y = .2, .5, .3, .6: I = +.4 (argmax 3 > argmin 0); diffs² = .09, .04, .09 → median .09, mean .22/3.
    const s = bigBenchScores([0.2, 0.5, 0.3, 0.6])!;
    expect(s.breakthroughness).toBeCloseTo(0.4 / 0.3);
    expect(s.linearity).toBeCloseTo(0.4 / Math.sqrt(0.22 / 3));
  });

  it('decreasing series: negative', () => {
    const s = bigBenchScores([0.9, 0.6, 0.3])!;
    expect(s.linearity).toBeCloseTo(-2);
    expect(s.breakthroughness).toBeCloseTo(-2);
  });

  it('degenerate inputs give null, not a crash', () => {
    expect(bigBenchScores([])).toBeNull();
    expect(bigBenchScores([0.5])).toBeNull();
    expect(bigBenchScores([0.1, Number.NaN, 0.3])).toBeNull();
  });
});

/** Per-example 0/1 scores at each rung drawn from a known sigmoid. */
function synthetic(rng: Rng, x0: number, n: number, chance = 0.25, plateau = 0.95, slope = 6): RungSamples[] {
  const xs = [4, 4.5, 5, 5.5, 6, 6.5, 7];
  return xs.map((x, i) => {
    const p = chance + (plateau - chance) / (1 + Math.exp(-slope * (x - x0)));
    const discrete = Array.from({ length: n }, () => (rng.next() < p ? 1 : 0));
    const continuous = discrete.map((d) => -1 + 0.5 * x + 0.1 * d);
    return {
      model: `m${i}`,
      scale: 10 ** x,
      discrete,
      continuous,
      discreteInterval: accuracyInterval(discrete),
      continuousInterval: bootstrapInterval(continuous, { seed: i }),
      nll: continuous.map((c) => 3 - c / 4),
    };
  });
}

describe('threshold location', () => {
  it('recovers a known sigmoid midpoint exactly from noiseless points', () => {
    const x = [4, 4.5, 5, 5.5, 6, 6.5, 7];
    const y = x.map((v) => 0.25 + 0.7 / (1 + Math.exp(-6 * (v - 5.3))));
    const fit = fitSigmoid(x, y, 0.25);
    expect(fit.x0).toBeCloseTo(5.3, 1);
    expect(fit.plateau).toBeCloseTo(0.95, 1);
  });

  it('covers the true threshold in at least 45 of 50 seeded trials', () => {
    let covered = 0;
    for (let trial = 0; trial < 50; trial++) {
      const rng = new Rng(`trial-${trial}`);
      const x0 = 4.6 + rng.next() * 1.8;
      const rungs = synthetic(rng, x0, 80);
      const x = rungs.map((r) => Math.log10(r.scale));
      const means = rungs.map((r) => mean(r.discrete));
      const from = means.slice(1).reduce((best, m, i) => (m - means[i]! > means[best + 1]! - means[best]! ? i : best), 0);
      const t = locateThreshold(x, rungs, from, 0.25, rng.fork('boot'), 60);
      // Where rungs lie on the rise the midpoint's interval must cover x0 (an open bound
      // is unbounded on its side); where none does, the bracket must.
      const hit = t.log10Scale === null ? t.from <= x0 && x0 <= t.to : (t.low ?? -Infinity) <= x0 && x0 <= (t.high ?? Infinity);
      if (hit) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(45);
  }, 120_000);
});

describe('verdicts', () => {
  it('a curve that rises and falls back is non-monotone, without a threshold', () => {
    const rng = new Rng(21);
    const levels = [0.05, 0.45, 0.8, 0.3, 0.5];
    const rungs = levels.map((p, i) => {
      const discrete = Array.from({ length: 100 }, () => (rng.next() < p ? 1 : 0));
      const continuous = discrete.map((d) => -2 + d);
      return { model: `m${i}`, scale: 10 ** (4 + i / 2), discrete, continuous, discreteInterval: accuracyInterval(discrete), continuousInterval: bootstrapInterval(continuous, { seed: i }), nll: continuous.map((c) => -c) };
    });
    const a = analyzeTask({ taskId: 't', chance: 0, discreteMetric: 'exactMatch', continuousMetric: 'meanTargetLogProb', scaleAxis: 'params', rungs });
    expect(a.verdict).toBe('non-monotone');
    expect(a.reason).toMatch(/falls from 0\.\d+ at m2 to 0\.\d+ at m3/);
    expect(a.discrete.threshold).toBeNull();
  });

  it('a flat verdict says what rise it could have seen', () => {
    const rng = new Rng(22);
    const rungs = [0, 1, 2, 3, 4].map((i) => {
      const discrete = Array.from({ length: 24 }, () => (rng.next() < 0.25 ? 1 : 0));
      return { model: `m${i}`, scale: 10 ** (4 + i / 2), discrete, continuous: discrete, discreteInterval: accuracyInterval(discrete), continuousInterval: bootstrapInterval(discrete, { seed: i }), nll: discrete.map(() => 1) };
    });
    const a = analyzeTask({ taskId: 't', chance: 0.25, discreteMetric: 'accuracy', continuousMetric: 'accuracy', scaleAxis: 'params', rungs });
    expect(a.verdict).toBe('flat');
    expect(a.reason).toMatch(/at n = 24 a rise of 0\.[4-6]\d or more would be seen 80% of the time/);
  });

  const base = { taskId: 't', chance: 0.25, discreteMetric: 'accuracy', continuousMetric: 'meanTargetLogProb', scaleAxis: 'params' } as const;

  it('a sharp jump in both metrics is emergent, with a threshold near it', () => {
    const rungs = synthetic(new Rng(1), 5.25, 200, 0.25, 0.95, 40).map((r) => ({
      ...r,
      continuous: r.discrete.map((d) => (r.scale > 10 ** 5.25 ? -0.2 : -3) + 0.1 * d),
    }));
    for (const r of rungs) r.continuousInterval = bootstrapInterval(r.continuous, { seed: r.model });
    const a = analyzeTask({ ...base, rungs });
    expect(a.verdict).toBe('emergent');
    // No rung lies on so sharp a rise: the threshold is the bracket m2 → m3, without a midpoint.
    expect(a.discrete.threshold).toMatchObject({ rung: 3, from: 5, to: 5.5, log10Scale: null, low: null, high: null });
    expect(a.reason).toMatch(/jumps at m2 → m3, and meanTargetLogProb jumps with it/);
    expect(a.reason).toMatch(/Threshold between 100K and 320K/);
  });

  it('a sharp discrete jump over a gradual continuous rise is metric-induced', () => {
    const rungs = synthetic(new Rng(2), 5.25, 200, 0.25, 0.95, 40);
    // continuous = −1 + 0.5·log10(N): a straight line in log scale.
    const a = analyzeTask({ ...base, rungs });
    expect(a.verdict).toBe('metric-induced');
    expect(a.reason).toMatch(/all-or-nothing/);
  });

  it('a gradual rise is smooth; no rise is flat', () => {
    const smooth = synthetic(new Rng(3), 5.5, 400, 0.25, 0.95, 1.5);
    expect(analyzeTask({ ...base, rungs: smooth }).verdict).toBe('smooth');
    const flat = synthetic(new Rng(4), 9, 200, 0.25, 0.95, 6);
    const a = analyzeTask({ ...base, rungs: flat });
    expect(a.verdict).toBe('flat');
    expect(a.discrete.threshold).toBeNull();
    // The continuous twin (−1 + 0.5·log10 N) keeps improving under the flat accuracy.
    expect(a.reason).toMatch(/while meanTargetLogProb improves beyond noise\.$/);
  });

  it('a rise that only reaches chance (format learnt, ability not) is flat', () => {
    const rng = new Rng(11);
    const levels = [0, 0, 0.45, 0.5, 0.48];
    const rungs = levels.map((p, i) => {
      const discrete = Array.from({ length: 100 }, () => (rng.next() < p ? 1 : 0));
      const continuous = discrete.map(() => -3 + i * 0.3 + 0.05 * rng.normal());
      return { model: `m${i}`, scale: 10 ** (4 + i), discrete, continuous, discreteInterval: accuracyInterval(discrete), continuousInterval: bootstrapInterval(continuous, { seed: i }), nll: continuous.map((c) => -c) };
    });
    const a = analyzeTask({ ...base, chance: 0.5, rungs });
    expect(a.verdict).toBe('flat');
    expect(a.reason).toMatch(/rises only to the chance level 0\.50/);
  });

  it('degenerate inputs give a verdict, never a crash', () => {
    const one = synthetic(new Rng(5), 5, 10).slice(0, 1);
    expect(analyzeTask({ ...base, rungs: one }).verdict).toBe('insufficient-data');
    expect(analyzeTask({ ...base, rungs: [] }).verdict).toBe('insufficient-data');
    const few = synthetic(new Rng(6), 5.5, 3);
    expect(analyzeTask({ ...base, rungs: few }).verdict).toBe('insufficient-data');
    const equal = synthetic(new Rng(7), 5, 50).map((r) => ({ ...r, discrete: r.discrete.map(() => 1), discreteInterval: accuracyInterval(r.discrete.map(() => 1)) }));
    expect(analyzeTask({ ...base, rungs: equal }).verdict).toBe('flat');
    const nan = synthetic(new Rng(8), 5, 20).map((r) => ({ ...r, discrete: [Number.NaN] }));
    expect(analyzeTask({ ...base, rungs: nan }).verdict).toBe('insufficient-data');
    const empty = synthetic(new Rng(9), 5, 20).map((r) => ({ ...r, discrete: [] }));
    expect(analyzeTask({ ...base, rungs: empty }).verdict).toBe('insufficient-data');
  });

  it('is deterministic', () => {
    const rungs = synthetic(new Rng(10), 5.5, 100);
    expect(analyzeTask({ ...base, rungs })).toEqual(analyzeTask({ ...base, rungs }));
  });
});

describe('power-law fit of the loss', () => {
  it('recovers the exponent of L = (N_c / N)^α', () => {
    const alpha = 0.076;
    const Nc = 8.8e13;
    const scales = [1e4, 1e5, 1e6, 1e7, 1e8];
    const rng = new Rng(1);
    const losses = scales.map((n) => Array.from({ length: 200 }, () => (Nc / n) ** alpha * (1 + 0.05 * rng.normal())));
    const fit = fitPowerLaw(scales, losses, new Rng(2))!;
    expect(fit.alpha).toBeCloseTo(alpha, 2);
    expect(fit.alphaLow).toBeLessThan(alpha);
    expect(fit.alphaHigh).toBeGreaterThan(alpha);
    expect(fit.log10Nc).toBeCloseTo(Math.log10(Nc), 0);
    expect(fit.nextRungPrediction!).toBeCloseTo((Nc / 1e9) ** alpha, 1);
    expect(mean(losses[0]!)).toBeGreaterThan(mean(losses[4]!));
  });

  it('fits an irreducible term where the loss bends to a floor, and not where it does not', () => {
    const scales = [1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7];
    const rng = new Rng(3);
    const floored = scales.map((n) => Array.from({ length: 300 }, () => (0.8 + (2e5 / n) ** 0.5) * (1 + 0.02 * rng.normal())));
    const fit = fitPowerLaw(scales, floored, new Rng(4))!;
    expect(fit.offset).toBeGreaterThan(0.6);
    expect(fit.offset).toBeLessThan(0.95);
    expect(fit.offsetLow).toBeLessThanOrEqual(fit.offset);
    expect(fit.offsetHigh).toBeGreaterThanOrEqual(fit.offset);
    expect(fit.alpha).toBeGreaterThan(0.3);
    expect(fit.alpha).toBeLessThan(0.7);
    expect(fit.offsetNote).toMatch(/improves the fit/);
    const pure = scales.map((n) => Array.from({ length: 300 }, () => (8.8e13 / n) ** 0.076 * (1 + 0.02 * rng.normal())));
    const plain = fitPowerLaw(scales, pure, new Rng(5))!;
    expect(plain.offset).toBe(0);
    expect(plain.offsetNote).toMatch(/do not support/);
    expect(plain.alpha).toBeCloseTo(0.076, 2);
  });

  it('returns null when it cannot fit', () => {
    expect(fitPowerLaw([1e4, 1e5], [[1], [0.5]], new Rng(1))).toBeNull();
    expect(fitPowerLaw([1e4, 1e5, 1e6], [[1], [0], [0.5]], new Rng(1))).toBeNull();
  });
});
