import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend, Ladder, ModelSpec, SampleRecord } from '@emergence/core';
import { FakeBackend } from '@emergence/core/testing';
import { resolveSuite, type ResolvedSuite } from '@emergence/tasks';
import { evaluate, preparePrompts, sampleKey } from './evaluate.js';
import type { RunEvent } from '@emergence/core';
import { Journal, readJournal } from './journal.js';
import { ModelError } from '@emergence/backends';
import { inShard, parseShard } from './shard.js';

const model = (id: string, params: number): ModelSpec => ({ id, source: { folder: id }, params, nonEmbeddingParams: params, dtypes: ['fp32'], defaultDtype: 'fp32' });
const ladder: Ladder = { name: 'fake', models: [model('small', 1000), model('large', 100000)] };

function suite(): ResolvedSuite {
  return resolveSuite(
    {
      name: 'mini',
      seed: 5,
      n: 6,
      shots: [0, 2],
      tasks: [{ task: 'icl/label-mapping', options: { labels: 'flipped' } }, { task: 'arithmetic/addition' }, { task: 'icl/induction', shots: [0] }],
    },
    '/dev/null/suite.yaml',
  );
}

/** The "large" model answers arithmetic correctly and prefers the gold label; "small" is the scripted default. */
function backendFor(spec: ModelSpec): Backend {
  if (spec.id === 'small') return new FakeBackend({ model: 'small' });
  return new FakeBackend({
    model: 'large',
    generate: (prompt) => {
      const m = /What is (\d+) plus (\d+)\?\nA:$/.exec(prompt);
      return m ? ` ${Number(m[1]) + Number(m[2])}\n` : ' ?\n';
    },
    loglikelihood: (context, continuation) => {
      const flipped = /the \w+ \w+ (\w+)\nLabel:$/.exec(context);
      return flipped && continuation.trim() === 'negative' ? -0.1 : -2;
    },
  });
}

function tmpJournal(): string {
  return join(mkdtempSync(join(tmpdir(), 'eb-run-')), 'journal.jsonl');
}

describe('evaluate', () => {
  it('scores every sample of every model and journals each record', async () => {
    const file = tmpJournal();
    const journal = new Journal(file, false);
    const events: RunEvent[] = [];
    const out = await evaluate({ resolved: suite(), ladder, device: 'cpu', journal, loadBackend: async (s) => backendFor(s), onEvent: (e) => events.push(e) });
    journal.close();
    const perModel = (6 * 2) * 2 + 6;
    expect(out.records).toHaveLength(2 * perModel);
    expect(readJournal(file).samples.size).toBe(2 * perModel);
    const addLarge = out.records.filter((r) => r.model === 'large' && r.task === 'arithmetic/addition');
    expect(addLarge.every((r) => r.scores.exactMatch === 1)).toBe(true);
    expect(events.filter((e) => e.type === 'model-loaded').map((e) => (e as { model: string }).model)).toEqual(['small', 'large']);
    expect(events.some((e) => e.type === 'progress' && e.done === e.total)).toBe(true);
  });

  it('prompts are built once per sample and are identical across calls', () => {
    expect(preparePrompts(suite()).map((p) => p.promptHash)).toEqual(preparePrompts(suite()).map((p) => p.promptHash));
  });

  it('a run killed mid-way resumes without losing or duplicating a sample', async () => {
    const file = tmpJournal();
    let calls = 0;
    const crashing = async (spec: ModelSpec): Promise<Backend> => {
      const b = backendFor(spec);
      return Object.assign(Object.create(Object.getPrototypeOf(b)), b, {
        loglikelihood: async (r: Parameters<Backend['loglikelihood']>[0]) => {
          if (++calls === 3) throw new Error('killed');
          return b.loglikelihood(r);
        },
      }) as Backend;
    };
    const first = new Journal(file, false);
    await expect(evaluate({ resolved: suite(), ladder: { ...ladder, models: [ladder.models[0]!] }, device: 'cpu', journal: first, loadBackend: crashing, failFast: true, concurrency: 1 })).rejects.toThrow('killed');
    first.close();
    // A kill mid-write leaves a partial line behind.
    appendFileSync(file, '{"key":"partial');
    const partial = readJournal(file);
    expect(partial.samples.size).toBeGreaterThan(0);
    expect(partial.damaged).toEqual([{ line: expect.any(Number), reason: 'cut' }]);

    const resumed = new Journal(file, true);
    const out = await evaluate({ resolved: suite(), ladder, device: 'cpu', journal: resumed, recorded: partial.samples, loadBackend: async (s) => backendFor(s) });
    resumed.close();
    const full = new Journal(tmpJournal(), false);
    const clean = await evaluate({ resolved: suite(), ladder, device: 'cpu', journal: full, loadBackend: async (s) => backendFor(s) });
    full.close();
    const keys = out.records.map((r) => r.key).sort();
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(clean.records.map((r) => r.key).sort());
    const scores = (rs: SampleRecord[]) => Object.fromEntries(rs.map((r) => [r.key, r.scores]));
    expect(scores(out.records)).toEqual(scores(clean.records));
    expect(readJournal(file).samples.size).toBe(keys.length);
  });

  it('never reuses a record whose model, device, dtype, version or prompt differs', async () => {
    const file = tmpJournal();
    const j1 = new Journal(file, false);
    await evaluate({ resolved: suite(), ladder, device: 'cpu', journal: j1, loadBackend: async (s) => backendFor(s) });
    j1.close();
    const recorded = readJournal(file).samples;
    let loads = 0;
    const count = async (s: ModelSpec) => (loads++, backendFor(s));
    const j2 = new Journal(tmpJournal(), false);
    await evaluate({ resolved: suite(), ladder, device: 'wasm', journal: j2, recorded, loadBackend: count });
    expect(loads).toBe(2);
    const other = resolveSuite({ ...suite().suite, seed: 6 }, '/dev/null/suite.yaml');
    await evaluate({ resolved: other, ladder, device: 'cpu', journal: j2, recorded, loadBackend: count });
    expect(loads).toBe(4);
    await evaluate({ resolved: suite(), ladder, device: 'cpu', journal: j2, recorded, loadBackend: count });
    expect(loads).toBe(4);
    j2.close();
  });

  it('journals a model that fails to load and continues with the next', async () => {
    const file = tmpJournal();
    const journal = new Journal(file, false);
    const events: RunEvent[] = [];
    const out = await evaluate({
      resolved: suite(),
      ladder,
      device: 'cpu',
      journal,
      onEvent: (e) => events.push(e),
      loadBackend: async (s) => {
        if (s.id === 'small') throw new ModelError('small', 'model folder /x does not exist', 'check source.folder');
        return backendFor(s);
      },
    });
    journal.close();
    expect(out.failures).toEqual([{ kind: 'failure', model: 'small', device: 'cpu', dtype: 'fp32', message: 'small: model folder /x does not exist — fix: check source.folder' }]);
    expect(out.records.every((r) => r.model === 'large')).toBe(true);
    expect(readJournal(file).failures).toHaveLength(1);
    expect(events.find((e) => e.type === 'model-failed')).toBeTruthy();
  });

  it('a stop ends the run between batches without a failure, and a resumed run finishes the rest', async () => {
    const file = tmpJournal();
    const journal = new Journal(file, false);
    const stop = new AbortController();
    let batches = 0;
    const err = await evaluate({
      resolved: suite(),
      ladder,
      device: 'cpu',
      journal,
      chunkSize: 4,
      concurrency: 1,
      signal: stop.signal,
      loadBackend: async (s) => backendFor(s),
      onEvent: (e) => {
        if (e.type === 'progress' && ++batches === 3) stop.abort(new Error('stopped by the user'));
      },
    }).catch((e: unknown) => e);
    journal.close();
    expect((err as Error).message).toBe('stopped by the user');
    const saved = readJournal(file);
    expect(saved.failures).toEqual([]);
    // Three batches of the first model: 4 + 2 (label-mapping at k=0) + 4.
    expect(saved.samples.size).toBe(10);
    const again = new Journal(file, true);
    const events: RunEvent[] = [];
    const out = await evaluate({ resolved: suite(), ladder, device: 'cpu', journal: again, recorded: saved.samples, loadBackend: async (s) => backendFor(s), onEvent: (e) => events.push(e) });
    again.close();
    expect(out.records).toHaveLength(2 * (6 * 2 * 2 + 6));
    expect(out.failures).toEqual([]);
    expect(events.find((e) => e.type === 'model-done' && e.model === 'small')).toMatchObject({ reused: 10 });
  });

  it('after a stop or a failure the model is disposed only once no batch is in flight', async () => {
    for (const cause of ['stop', 'failure'] as const) {
      const stop = new AbortController();
      let inFlight = 0;
      let disposedBusy = false;
      let calls = 0;
      const wrap = (inner: Backend): Backend => ({
        specificationVersion: 1,
        describe: () => inner.describe(),
        loglikelihood: async (r) => {
          inFlight++;
          calls++;
          await new Promise((ok) => setTimeout(ok, 5));
          inFlight--;
          if (cause === 'failure' && calls === 3) throw new Error('the session crashed');
          return inner.loglikelihood(r);
        },
        generate: (r) => inner.generate(r),
        dispose: async () => {
          if (inFlight > 0) disposedBusy = true;
        },
      });
      const journal = new Journal(tmpJournal(), false);
      const run = evaluate({
        resolved: suite(),
        ladder: { ...ladder, models: [ladder.models[0]!] },
        device: 'cpu',
        journal,
        chunkSize: 2,
        concurrency: 2,
        signal: stop.signal,
        loadBackend: async (s) => wrap(backendFor(s)),
        onEvent: (e) => {
          if (cause === 'stop' && e.type === 'progress') stop.abort(new Error('stopped'));
        },
      });
      const outcome = await run.catch((e: unknown) => e);
      journal.close();
      expect(disposedBusy, cause).toBe(false);
      if (cause === 'stop') {
        expect((outcome as Error).message).toBe('stopped');
        // No batch started after the stop: at most the two in flight finished.
        expect(calls, cause).toBeLessThanOrEqual(4);
      } else {
        const { records, failures } = outcome as { records: SampleRecord[]; failures: { task?: string; message: string }[] };
        // The failing batch fails its task only; the other tasks are scored in full.
        expect(failures).toHaveLength(1);
        expect(failures[0]!.task).toBe('icl/label-mapping-flipped');
        expect(failures[0]!.message).toMatch(/^small: icl\/label-mapping-flipped failed in batch \d\/6 \(2 samples, \d-shot\): the session crashed$/);
        expect(records.filter((r) => r.task === 'icl/label-mapping-flipped')).toEqual([]);
        expect(records.filter((r) => r.task === 'arithmetic/addition')).toHaveLength(12);
        expect(records.filter((r) => r.task === 'icl/induction')).toHaveLength(6);
      }
    }
  });

  it('keeps an old journal aside instead of overwriting it', () => {
    const file = tmpJournal();
    writeFileSync(file, '{"kind":"header"}\n');
    new Journal(file, false).close();
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('{"kind":"header"}\n');
  });
});

describe('sharding', () => {
  it('splits work deterministically into disjoint shards that cover everything', async () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('5/4')).toThrow(/1 ≤ i ≤ n/);
    expect(() => parseShard('x')).toThrow(/i\/n/);
    const keys = Array.from({ length: 400 }, (_, i) => `k${i}`);
    const shards = [1, 2, 3].map((i) => keys.filter((k) => inShard(k, { index: i, count: 3 })));
    expect(shards.flat().sort()).toEqual([...keys].sort());
    expect(Math.min(...shards.map((s) => s.length))).toBeGreaterThan(100);

    const all: SampleRecord[] = [];
    for (const index of [1, 2]) {
      const journal = new Journal(tmpJournal(), false);
      const out = await evaluate({ resolved: suite(), ladder, device: 'cpu', journal, shard: { index, count: 2 }, loadBackend: async (s) => backendFor(s) });
      journal.close();
      all.push(...out.records);
    }
    const j = new Journal(tmpJournal(), false);
    const whole = await evaluate({ resolved: suite(), ladder, device: 'cpu', journal: j, loadBackend: async (s) => backendFor(s) });
    j.close();
    expect(all.map((r) => r.key).sort()).toEqual(whole.records.map((r) => r.key).sort());
  });
});

describe('sample keys', () => {
  it('change with the generation settings and the weights\' revision, so a resume never reuses a stale record', () => {
    const [s] = preparePrompts(suite());
    const base = sampleKey(s!, 'm', 'cpu', 'fp32');
    expect(sampleKey(s!, 'm', 'cpu', 'fp32', 'rev2')).not.toBe(base);
    const longer = { ...s!, run: { ...s!.run, task: { ...s!.run.task, generation: () => ({ until: ['\n'], maxTokens: 999 }) } } };
    expect(sampleKey(longer, 'm', 'cpu', 'fp32')).not.toBe(base);
    expect(sampleKey(s!, 'm', 'cpu', 'fp32')).toBe(base);
  });
});
