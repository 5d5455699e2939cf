import { describe, expect, it } from 'vitest';
import { analyzeTask } from './emergence.js';
import { bootstrapInterval } from './stats.js';
import { formatScale, resultModelScale, scaleAxes } from './scale.js';

describe('formatScale', () => {
  it('prints two significant digits and a unit, never an exponent', () => {
    expect(formatScale(1234)).toBe('1.2K');
    expect(formatScale(2_500_000)).toBe('2.5M');
    expect(formatScale(1.7e9)).toBe('1.7B');
    expect(formatScale(12)).toBe('12');
    expect(formatScale(180_000)).toBe('180K');
    // From a log10 scale, as thresholds are stored: 10 ** log10(180000) is a hair under 180000.
    expect(formatScale(10 ** Math.log10(180_000))).toBe('180K');
    // toPrecision(2) of 99.97 is "1.0e+2": it must read 100K.
    expect(formatScale(99_970)).toBe('100K');
    expect(formatScale(999_600)).toBe('1M');
  });

  it('is what a verdict reason names a threshold with', () => {
    const rung = (scale: number, p: number) => {
      const discrete = Array.from({ length: 100 }, (_, i) => (i < p * 100 ? 1 : 0));
      const continuous = discrete.map((v) => 0.3 + 0.6 * v);
      const iv = (xs: number[]) => bootstrapInterval(xs, { seed: 'x', resamples: 200 });
      return { model: `m${scale}`, scale, discrete, continuous, discreteInterval: iv(discrete), continuousInterval: iv(continuous), nll: [] };
    };
    const analysis = analyzeTask({ taskId: 't', chance: 0, discreteMetric: 'exactMatch', continuousMetric: 'charEditSimilarity', scaleAxis: 'params', rungs: [rung(1e4, 0), rung(3e4, 0), rung(1.8e5, 0), rung(6e5, 0.95), rung(2e6, 0.97)] });
    expect(analysis.reason).toContain('between 180K and 600K');
  });
});

describe('scale axes', () => {
  it('are the result schema\'s, and a stored model has a size on each', () => {
    expect(scaleAxes).toEqual(['params', 'nonEmbeddingParams', 'trainingFlops']);
    const m = { id: 'a', params: 2000, nonEmbeddingParams: 1000, trainingFlops: null, status: 'ok' as const };
    expect(scaleAxes.map((a) => resultModelScale(m, a))).toEqual([2000, 1000, null]);
  });
});
