import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dtype, ModelSpec, RunEvent } from '@emergence/core';
import { FakeBackend } from '@emergence/core/testing';
import { resolveSuite } from '@emergence/tasks';
import { evaluate } from './evaluate.js';
import { Journal } from './journal.js';
import { dtypeIn, ladderDtype } from '@emergence/backends';
import { loadLadder } from './run-suite.js';

const ladders = resolve(import.meta.dirname, '../../../benchmarks/ladders');
const rung = (id: string, dtypes: Dtype[], defaultDtype?: Dtype): ModelSpec => ({ id, source: { hub: `o/${id}` }, params: 1, nonEmbeddingParams: 1, dtypes, ...(defaultDtype ? { defaultDtype } : {}) });

describe('one dtype per ladder', () => {
  it('fp32 where every rung has it, whatever the rungs default to', () => {
    expect(ladderDtype([rung('a', ['fp32', 'q8'], 'fp32'), rung('b', ['fp32', 'q8'], 'q8')])).toEqual({ dtype: 'fp32', mixed: null });
  });

  it('else the smallest file every rung has: SmolLM2 (fp32, q4, q4 by default) runs at q4 throughout', () => {
    const smol = loadLadder(join(ladders, 'smollm2.yaml'));
    expect(smol.models.map((m) => m.defaultDtype)).toEqual(['fp32', 'q4', 'q4']);
    expect(ladderDtype(smol.models)).toEqual({ dtype: 'q4', mixed: null });
    expect(smol.models.map((m) => dtypeIn(smol, m, undefined))).toEqual(['q4', 'q4', 'q4']);
    // --dtype still decides.
    expect(smol.models.map((m) => dtypeIn(smol, m, 'fp16'))).toEqual(['fp16', 'fp16', 'fp16']);
  });

  it('the shipped ladders each get one dtype', () => {
    const got = Object.fromEntries(['tiny', 'twins', 'pythia', 'gpt2', 'qwen2.5', 'smollm2'].map((n) => [n, ladderDtype(loadLadder(join(ladders, `${n}.yaml`)).models).dtype]));
    expect(got).toEqual({ tiny: 'fp32', twins: 'fp32', pythia: 'fp32', gpt2: 'q4', 'qwen2.5': 'q4', smollm2: 'q4' });
  });

  it('rungs that share no dtype keep their own, and the warning names each', () => {
    const models = [rung('small', ['fp32'], 'fp32'), rung('big', ['q4'], 'q4')];
    const d = ladderDtype(models);
    expect(d.dtype).toBeNull();
    expect(d.mixed).toBe('the rungs share no dtype, so each runs at its own (small fp32, big q4): quantisation differs along the ladder and confounds scale');
    expect(models.map((m) => dtypeIn({ name: 'l', models }, m, undefined))).toEqual(['fp32', 'q4']);
  });

  it('a run warns when its rungs run at different dtypes, and records each rung at its dtype', async () => {
    const models = [rung('small', ['fp32'], 'fp32'), { ...rung('big', ['q4'], 'q4'), params: 10, nonEmbeddingParams: 10 }];
    const resolved = resolveSuite({ name: 'mini', seed: 5, n: 2, shots: [0], tasks: [{ task: 'icl/induction' }] }, '/dev/null/suite.yaml');
    const journal = new Journal(join(mkdtempSync(join(tmpdir(), 'eb-dtype-')), 'j.jsonl'), false);
    const events: RunEvent[] = [];
    const seen: string[] = [];
    const out = await evaluate({
      resolved,
      ladder: { name: 'mixed', models },
      device: 'cpu',
      journal,
      loadBackend: async (spec, dtype) => {
        seen.push(`${spec.id} ${dtype}`);
        return new FakeBackend({ model: spec.id });
      },
      onEvent: (e) => events.push(e),
    });
    journal.close();
    expect(seen).toEqual(['small fp32', 'big q4']);
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([expect.stringMatching(/^the rungs share no dtype, .*\(small fp32, big q4\).*; pass --dtype/)]);
    expect(out.records.map((r) => r.dtype)).toContain('q4');
  });
});
