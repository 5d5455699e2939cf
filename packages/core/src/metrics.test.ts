import { describe, expect, it } from 'vitest';
import {
  brierScore,
  charEditSimilarity,
  choiceProbabilities,
  editDistance,
  exactMatch,
  extractAnswer,
  meanTargetLogProb,
} from './metrics.js';
import { accuracyInterval, bootstrapInterval, expandedTail, normalCdf, quantile, t975, wilson } from './stats.js';
import { lowerIsBetter, metricKinds, metricNames, metricRegistry, proportionMetrics, sampleMetrics, scoreSampleMetrics } from './metric-registry.js';
import { schemaObject } from './schemas.js';

const Z = 1.959963984540054;
import { Rng } from './rng.js';

describe('exactMatch', () => {
  it('normalises whitespace by default, case and punctuation on request', () => {
    expect(exactMatch('  42 ', '42')).toBe(1);
    expect(exactMatch('True', 'true')).toBe(0);
    expect(exactMatch('True', 'true', { caseInsensitive: true })).toBe(1);
    expect(exactMatch('(A).', '(A)', { stripPunctuation: false })).toBe(0);
    expect(exactMatch('A.', 'a', { stripPunctuation: true, caseInsensitive: true })).toBe(1);
  });
});

describe('extractAnswer', () => {
  it('takes the first or last match of a pattern', () => {
    const text = 'We add 2 and 3. So the answer is 5. Or is the answer is 6.';
    expect(extractAnswer(text, /answer is (\S+?)\./, 'first')).toBe('5');
    expect(extractAnswer(text, /answer is (\S+?)\./, 'last')).toBe('6');
    expect(extractAnswer('no answer here', /answer is (\d+)/, 'first', '?')).toBe('?');
    expect(extractAnswer('x 12 y 7', '\\d+', 'last')).toBe('7');
  });
});

describe('edit distance', () => {
  it('computes Levenshtein and normalised similarity', () => {
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3);
    expect(charEditSimilarity('1234', '1234')).toBe(1);
    expect(charEditSimilarity('1235', '1234')).toBe(0.75);
    expect(charEditSimilarity('', '')).toBe(1);
    expect(charEditSimilarity('', '12')).toBe(0);
  });
});

describe('log-probability and Brier', () => {
  it('averages log-probability per token', () => {
    expect(meanTargetLogProb(-6, 3)).toBe(-2);
    expect(() => meanTargetLogProb(-1, 0)).toThrow();
  });

  it('scores a perfect, a uniform and a wrong forecast', () => {
    expect(brierScore([1, 0], 0)).toBe(0);
    expect(brierScore([0.5, 0.5], 1)).toBeCloseTo(0.5);
    expect(brierScore([0, 1], 0)).toBe(2);
    const p = choiceProbabilities([Math.log(0.2), Math.log(0.8)]);
    expect(p[0]).toBeCloseTo(0.2);
    expect(p[1]).toBeCloseTo(0.8);
  });
});

describe('intervals', () => {
  it('matches a worked Wilson interval', () => {
    // 8/10: Wilson 95% ≈ [0.4902, 0.9433].
    const w = wilson(8, 10);
    expect(w.value).toBe(0.8);
    expect(w.low).toBeCloseTo(0.4902, 3);
    expect(w.high).toBeCloseTo(0.9433, 3);
    expect(wilson(0, 20).low).toBe(0);
    expect(accuracyInterval([1, 0, 1, 1]).value).toBe(0.75);
  });

  it('gives a seeded, deterministic bootstrap that covers the mean', () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 200 }, () => rng.normal());
    const a = bootstrapInterval(xs, { seed: 1 });
    const b = bootstrapInterval(xs, { seed: 1 });
    expect(a).toEqual(b);
    expect(a.low).toBeLessThan(a.value);
    expect(a.high).toBeGreaterThan(a.value);
    // Standard error of the mean is ≈ 1/sqrt(200) ≈ 0.071: the 95% width is ≈ 0.28.
    expect(a.high - a.low).toBeGreaterThan(0.2);
    expect(a.high - a.low).toBeLessThan(0.36);
  });
});

describe('small-sample bootstrap', () => {
  it('widens the percentile interval for small n (expanded percentile, Hesterberg 2015) and converges to 2.5% tails', () => {
    expect(expandedTail(2)).toBeLessThan(1e-6);
    expect(expandedTail(5)).toBeCloseTo(0.001, 3);
    expect(expandedTail(24)).toBeCloseTo(0.0173, 3);
    expect(expandedTail(1000)).toBeGreaterThan(0.0245);
    for (let n = 2; n < 200; n++) expect(expandedTail(n + 1)).toBeGreaterThan(expandedTail(n));
    expect(t975(31)).toBeCloseTo(2.0395, 3);
    expect(normalCdf(Z)).toBeCloseTo(0.975, 6);
  });

  it('covers the true mean of five normal draws far more often than the plain percentile interval', () => {
    const rng = new Rng(11);
    let expanded = 0;
    let plain = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 5 }, () => rng.normal());
      const iv = bootstrapInterval(xs, { seed: t });
      if (iv.low <= 0 && 0 <= iv.high) expanded++;
      const sorted = Array.from({ length: 400 }, (_, b) => {
        const r = new Rng(`plain:${t}:${b}`);
        return xs.reduce((s) => s + xs[Math.floor(r.next() * 5)]!, 0) / 5;
      }).sort((a, b) => a - b);
      if (quantile(sorted, 0.025) <= 0 && 0 <= quantile(sorted, 0.975)) plain++;
    }
    // Seeded: 91% against 84% (a t interval would give 95%).
    expect(expanded / trials).toBeGreaterThanOrEqual(0.9);
    expect(plain / trials).toBeLessThan(0.86);
  });
});

describe('Rng', () => {
  it('is deterministic per seed and label, and forks independently', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(new Rng(43).nextUint32()).not.toBe(xs[0]);
    expect(new Rng(42).fork('demos').next()).not.toBe(new Rng(42).fork('tests').next());
    const r = new Rng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[r.int(0, 2)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
  });
});

describe('metric registry', () => {
  it('is the one list the result schema enumerates', () => {
    const schema = schemaObject('result') as { $defs: { metricName: { enum: string[] } } };
    expect([...schema.$defs.metricName.enum].sort()).toEqual([...metricNames].sort());
  });

  it('derives direction and aggregation from each entry', () => {
    expect([...lowerIsBetter]).toEqual(['brierScore']);
    expect([...proportionMetrics].sort()).toEqual(['accuracy', 'accuracyNorm', 'exactMatch']);
    for (const m of metricRegistry) expect(m.description.length).toBeGreaterThan(20);
  });

  it('says which task kinds each metric applies to, and what a kind reports by default', () => {
    expect(metricKinds('meanTargetLogProb').sort()).toEqual(['choice', 'generate']);
    expect(metricKinds('brierScore')).toEqual(['choice']);
    expect(metricKinds('inContextLossDrop')).toEqual(['generate']);
    for (const m of metricNames) expect(metricKinds(m).length, m).toBeGreaterThan(0);
    expect(sampleMetrics('generate')).toEqual(['exactMatch', 'charEditSimilarity', 'meanTargetLogProb']);
    expect(sampleMetrics('choice')).toEqual(['accuracy', 'accuracyNorm', 'brierScore', 'meanTargetLogProb']);
  });

  const ll = (logprob: number, tokens = 1) => ({ logprob, tokens, isGreedy: false, tokenLogprobs: [], truncated: 0 });

  it('scores a choice sample: accuracy, per-character accuracy, Brier score and the gold log-probability', () => {
    // "b" wins on the total, "aaaa" per character.
    const sample = { choices: ['aaaa', 'b'], gold: 0, credit: (i: number) => (i === 0 ? 1 : 0), results: [ll(-2, 2), ll(-1)] };
    const scores = scoreSampleMetrics('choice', sample);
    expect(Object.keys(scores)).toEqual(['accuracy', 'accuracyNorm', 'brierScore', 'meanTargetLogProb']);
    expect(scores.accuracy).toBe(0);
    expect(scores.accuracyNorm).toBe(1);
    expect(scores.meanTargetLogProb).toBe(-1);
    expect(scores.brierScore).toBeCloseTo(brierScore(choiceProbabilities([-2, -1]), 0), 12);
  });

  it('scores a generation by its best target; the target log-probability only when it was requested', () => {
    const scores = scoreSampleMetrics('generate', { answer: '12', targets: ['13', '12'], target: undefined });
    expect(scores).toEqual({ exactMatch: 1, charEditSimilarity: 1 });
    expect(scoreSampleMetrics('generate', { answer: '1', targets: ['13'], target: ll(-3, 2) })).toEqual({ exactMatch: 0, charEditSimilarity: 0.5, meanTargetLogProb: -1.5 });
  });
});
