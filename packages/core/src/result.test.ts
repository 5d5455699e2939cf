import { describe, expect, it } from 'vitest';
import { buildResult, type TaskDescriptor } from './result.js';
import { Rng } from './rng.js';
import { toYaml, parseValidated } from './yaml.js';
import type { Ladder, SampleRecord } from './types.js';

const ladder: Ladder = {
  name: 'toy',
  models: [1e4, 1e5, 1e6, 1e7].map((n, i) => ({ id: `m${i}`, source: { folder: `m${i}` }, params: n * 2, nonEmbeddingParams: n, trainingTokens: 1000, dtypes: ['fp32'] })),
};
const task: TaskDescriptor = { id: 'toy/choice', version: 2, kind: 'choice', chance: 0.5, discrete: 'accuracy', continuous: 'brierScore', metrics: ['accuracy', 'brierScore', 'meanTargetLogProb'], shots: [0, 4] };

function records(): SampleRecord[] {
  const rng = new Rng(1);
  const out: SampleRecord[] = [];
  ladder.models.forEach((m, i) => {
    for (const k of task.shots) {
      for (let e = 0; e < 40; e++) {
        const p = k === 4 && i >= 2 ? 0.95 : 0.5;
        const correct = rng.next() < p ? 1 : 0;
        out.push({
          key: `${m.id}-${k}-${e}`,
          task: task.id,
          taskVersion: 2,
          exampleId: `e${e}`,
          shots: k,
          model: m.id,
          device: 'cpu',
          dtype: 'fp32',
          promptHash: 'h',
          output: '',
          target: '',
          scores: { accuracy: correct, brierScore: correct ? 0.1 : 0.9, meanTargetLogProb: -1 / (i + 1) },
          truncated: 0,
        });
      }
    }
  });
  return out;
}

const environment = { device: 'cpu', dtype: 'fp32', runtime: { node: '20' }, git: { commit: 'abc', dirty: false }, shard: null };

describe('buildResult', () => {
  it('aggregates per model at the largest shot count, with per-shot breakdowns, and validates', () => {
    const r = buildResult({ createdAt: 'now', suite: { name: 's', seed: 1, n: 40, shots: [0, 4] }, ladder, tasks: [task], records: records(), failures: [], environment });
    const t = r.tasks[0]!;
    expect(t.models.map((m) => m.n)).toEqual([40, 40, 40, 40]);
    expect(t.models[3]!.metrics.accuracy!.value).toBeGreaterThan(0.8);
    expect(t.models[3]!.shots.map((s) => s.k)).toEqual([0, 4]);
    expect(t.models[3]!.shots[0]!.metrics.accuracy!.value).toBeLessThan(0.75);
    expect(r.ladder.models[0]!.trainingFlops).toBe(6 * 2e4 * 1000);
    expect(t.analysis.verdict).not.toBe('insufficient-data');
    expect(t.analysis.discrete.threshold).not.toBeNull();
    // What is written is what the schema accepts, and the same records always give the same text.
    parseValidated(toYaml(r), 'result.yaml', 'result');
    const again = buildResult({ createdAt: 'now', suite: { name: 's', seed: 1, n: 40, shots: [0, 4] }, ladder, tasks: [task], records: records().reverse(), failures: [], environment });
    expect(toYaml(again)).toBe(toYaml(r));
  });

  it('marks failed models and keeps going', () => {
    const recs = records().filter((x) => x.model !== 'm1');
    const r = buildResult({ createdAt: 'now', suite: { name: 's', seed: 1, n: 40, shots: [0, 4] }, ladder, tasks: [task], records: recs, failures: [{ kind: 'failure', model: 'm1', device: 'cpu', dtype: 'fp32', message: 'm1: broken' }], environment });
    expect(r.ladder.models[1]).toMatchObject({ status: 'failed', error: 'm1: broken' });
    expect(r.tasks[0]!.models.map((m) => m.model)).toEqual(['m0', 'm2', 'm3']);
    parseValidated(toYaml(r), 'result.yaml', 'result');
  });
});
