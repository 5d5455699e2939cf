// Calibration of the verdict rule: simulated ladders of 5, 6 and 7 rungs
// (half a decade apart) under named truths, at n = 24, 48, 100 and 200, and
// the rate at which each verdict comes out. The targets (issue 15) are
// asserted at n ≥ 100; the whole table is printed, and README.md quotes it.
import { describe, expect, it } from 'vitest';
import { judge, type JudgeInput } from './emergence.js';
import { Rng } from './rng.js';
import { wilson } from './stats.js';
import {
  aboveChance,
  binomialUpperTail,
  chiSquareTail,
  meanPoint,
  minimumDetectableRise,
  proportionPoint,
  significantFall,
} from './verdict.js';
import type { Verdict } from './types.js';

type Truth = 'flat' | 'linear' | 'step' | 'mirage';
const TRUTHS: Truth[] = ['flat', 'linear', 'step', 'mirage'];
const RUNGS = [5, 6, 7];
const NS = [24, 48, 100, 200];
const LADDERS = 500;
/** Per-example noise of the Gaussian continuous twin. */
const TWIN_SD = 0.3;

/** One simulated ladder: per-rung 0/1 samples and continuous samples. */
function simulate(truth: Truth, R: number, n: number, rng: Rng): JudgeInput {
  const discrete: number[][] = [];
  const continuous: number[][] = [];
  for (let i = 0; i < R; i++) {
    const t = i / (R - 1);
    if (truth === 'mirage') {
      // Per-token accuracy q rises linearly 0.5 → 0.95; exact match needs all 5 tokens.
      const q = 0.5 + 0.45 * t;
      const d: number[] = [];
      const c: number[] = [];
      for (let e = 0; e < n; e++) {
        let right = 0;
        for (let k = 0; k < 5; k++) if (rng.next() < q) right++;
        d.push(right === 5 ? 1 : 0);
        c.push(right / 5);
      }
      discrete.push(d);
      continuous.push(c);
      continue;
    }
    const p = truth === 'flat' ? 0.25 : truth === 'linear' ? 0.25 + 0.5 * t : i <= Math.floor((R - 1) / 2) ? 0.25 : 0.75;
    discrete.push(Array.from({ length: n }, () => (rng.next() < p ? 1 : 0)));
    continuous.push(Array.from({ length: n }, () => p + TWIN_SD * rng.normal()));
  }
  return inputOf(discrete, continuous, truth === 'mirage' ? 0 : 0.25);
}

function inputOf(discrete: number[][], continuous: number[][], chance: number): JudgeInput {
  const xs = discrete.map((_, i) => 4 + 0.5 * i);
  const correct = discrete.map((d) => d.reduce((s, v) => s + v, 0));
  return {
    chance,
    discreteMetric: 'exactMatch',
    continuousMetric: 'charEditSimilarity',
    models: discrete.map((_, i) => `m${i}`),
    correct,
    n: discrete.map((d) => d.length),
    discreteIntervals: correct.map((k, i) => wilson(k, discrete[i]!.length)),
    discrete: discrete.map((d, i) => proportionPoint(xs[i]!, d)),
    continuous: continuous.map((c, i) => meanPoint(xs[i]!, c)),
  };
}

function rates(truth: Truth, R: number, n: number): Record<Verdict, number> {
  const rng = new Rng(`calibration/${truth}/${R}/${n}`);
  const counts: Record<Verdict, number> = { emergent: 0, 'metric-induced': 0, smooth: 0, 'non-monotone': 0, flat: 0, 'insufficient-data': 0 };
  for (let l = 0; l < LADDERS; l++) counts[judge(simulate(truth, R, n, rng)).verdict]++;
  for (const k of Object.keys(counts) as Verdict[]) counts[k] /= LADDERS;
  return counts;
}

describe('verdict calibration (simulated ladders)', () => {
  const table = new Map<string, Record<Verdict, number>>();
  for (const truth of TRUTHS) for (const R of RUNGS) for (const n of NS) table.set(`${truth}/${R}/${n}`, rates(truth, R, n));

  it('prints the measured verdict rates', () => {
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(6);
    const lines = ['truth   rungs     n  emergent  metric-ind  smooth  non-mono    flat'];
    for (const [key, r] of table) {
      const [truth, R, n] = key.split('/');
      lines.push(`${truth!.padEnd(7)} ${R!.padStart(5)} ${n!.padStart(5)}  ${pct(r.emergent)}    ${pct(r['metric-induced'])}  ${pct(r.smooth)}    ${pct(r['non-monotone'])}  ${pct(r.flat)}`);
    }
    console.log(lines.join('\n'));
    expect(table.size).toBe(TRUTHS.length * RUNGS.length * NS.length);
  });

  for (const R of RUNGS) {
    for (const n of [100, 200]) {
      it(`meets the targets with ${R} rungs at n = ${n}`, () => {
        const at = (truth: Truth) => table.get(`${truth}/${R}/${n}`)!;
        expect(at('flat').emergent, 'false emergent on a flat truth').toBeLessThanOrEqual(0.01);
        expect(at('linear').emergent, 'false emergent on a linear truth').toBeLessThanOrEqual(0.01);
        expect(at('linear')['metric-induced'], 'false metric-induced on a linear truth').toBeLessThanOrEqual(0.05);
        expect(at('step').emergent, 'emergent on a 0.25 → 0.75 step').toBeGreaterThanOrEqual(0.9);
        expect(at('mirage')['metric-induced'], 'metric-induced on the q⁵ mirage').toBeGreaterThanOrEqual(0.8);
      });
    }
  }

  it('calls a rise-then-fall curve non-monotone, not smooth', () => {
    const rng = new Rng('non-monotone');
    const levels = [0, 0.44, 0.72, 0.34, 0.56];
    let hits = 0;
    for (let l = 0; l < 200; l++) {
      const d = levels.map((p) => Array.from({ length: 100 }, () => (rng.next() < p ? 1 : 0)));
      const c = levels.map((p) => Array.from({ length: 100 }, () => p + TWIN_SD * rng.normal()));
      if (judge(inputOf(d, c, 0)).verdict === 'non-monotone') hits++;
    }
    expect(hits / 200).toBeGreaterThanOrEqual(0.9);
  });
});

describe('the rule\'s parts', () => {
  it('one correct answer of 48 is not above chance 0; five are', () => {
    expect(aboveChance(1, 48, 0)).toBe(false);
    expect(aboveChance(2, 48, 0)).toBe(false);
    expect(aboveChance(5, 48, 0)).toBe(true);
    // 30 of 48 against chance 0.5: p ≈ 0.056, not significant at 1%.
    expect(aboveChance(30, 48, 0.5)).toBe(false);
    expect(aboveChance(36, 48, 0.5)).toBe(true);
  });

  it('binomial tails and χ² tails match tables', () => {
    // P(X ≥ 8 | n = 10, p = 0.5) = 56/1024.
    expect(binomialUpperTail(8, 10, 0.5)).toBeCloseTo(56 / 1024, 10);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    // χ²(3) upper 1% point 11.345; χ²(5) upper 5% point 11.070.
    expect(chiSquareTail(11.345, 3)).toBeCloseTo(0.01, 2);
    expect(chiSquareTail(11.07, 5)).toBeCloseTo(0.05, 2);
  });

  it('the minimum detectable rise shrinks with n: about 0.5 at n = 24, under 0.2 at n = 200', () => {
    expect(minimumDetectableRise(0.25, 24)).toBeGreaterThan(0.4);
    expect(minimumDetectableRise(0.25, 200)).toBeLessThan(0.2);
    expect(minimumDetectableRise(0.25, 100)).toBeLessThan(minimumDetectableRise(0.25, 48));
  });

  it('a single noisy dip among flat rungs is not a fall', () => {
    const pts = [0.5, 0.5, 0.42, 0.5, 0.5].map((m, i) => ({ x: i, mean: m, variance: 0.25 / 100 }));
    expect(significantFall(pts)).toBeNull();
    const fall = [0.1, 0.8, 0.2].map((m, i) => ({ x: i, mean: m, variance: 0.16 / 100 }));
    expect(significantFall(fall)).toEqual({ from: 1, to: 2 });
  });
});
