// A small, hand-made result: three rungs, one emergent task and one flat one.
import type { Result } from '@emergence/core';

const iv = (value: number, half: number) => ({ value, low: Math.max(0, value - half), high: Math.min(1, value + half) });

export const result: Result = {
  schemaVersion: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  suite: { name: 'demo', seed: 1, n: 50, shots: [0] },
  ladder: {
    name: 'toy',
    models: [
      { id: 'a', params: 20_000, nonEmbeddingParams: 10_000, trainingFlops: null, status: 'ok' },
      { id: 'b', params: 200_000, nonEmbeddingParams: 100_000, trainingFlops: null, status: 'ok' },
      { id: 'c', params: 2_000_000, nonEmbeddingParams: 1_000_000, trainingFlops: null, status: 'ok' },
    ],
  },
  environment: { device: 'cpu', dtype: 'fp32', runtime: {}, git: { commit: 'abc', dirty: false }, shard: null },
  tasks: [
    {
      id: 'toy/jump',
      version: 1,
      kind: 'choice',
      chance: 0.5,
      discrete: 'accuracy',
      continuous: 'brierScore',
      models: [
        { model: 'a', n: 50, metrics: { accuracy: iv(0.5, 0.13), brierScore: { value: 0.5, low: 0.45, high: 0.55 } }, shots: [], truncated: 0 },
        { model: 'b', n: 50, metrics: { accuracy: iv(0.52, 0.13), brierScore: { value: 0.48, low: 0.43, high: 0.53 } }, shots: [], truncated: 0 },
        { model: 'c', n: 50, metrics: { accuracy: iv(0.96, 0.05), brierScore: { value: 0.08, low: 0.05, high: 0.12 } }, shots: [], truncated: 0 },
      ],
      analysis: {
        scaleAxis: 'nonEmbeddingParams',
        discrete: { breakthroughness: 44, linearity: 1.4, threshold: { rung: 2, from: 5, to: 6, log10Scale: 5.5, low: 5.2, high: null } },
        continuous: { breakthroughness: 40, linearity: 1.4, threshold: null },
        verdict: 'emergent',
        reason: '95% of the accuracy rise happens at b → c.',
        powerLaw: null,
      },
    },
    {
      id: 'toy/flat',
      version: 1,
      kind: 'generate',
      chance: 0,
      discrete: 'exactMatch',
      continuous: 'meanTargetLogProb',
      models: [
        { model: 'a', n: 50, metrics: { exactMatch: iv(0, 0.07), meanTargetLogProb: { value: -3, low: -3.1, high: -2.9 } }, shots: [], truncated: 0 },
        { model: 'b', n: 50, metrics: { exactMatch: iv(0, 0.07), meanTargetLogProb: { value: -2.5, low: -2.6, high: -2.4 } }, shots: [], truncated: 0 },
        { model: 'c', n: 50, metrics: { exactMatch: iv(0.02, 0.07), meanTargetLogProb: { value: -2, low: -2.1, high: -1.9 } }, shots: [], truncated: 0 },
      ],
      analysis: {
        scaleAxis: 'nonEmbeddingParams',
        discrete: { breakthroughness: 2, linearity: 1, threshold: null },
        continuous: { breakthroughness: 2, linearity: 2, threshold: null },
        verdict: 'flat',
        reason: 'no rise.',
        powerLaw: null,
      },
    },
  ],
};
