// Integration: the two smallest rungs of the tiny ladder through transformers.js.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '@emergence/core';
import { loadBackend, type TimedBackend } from './backends.js';
import { ModelError, findInHubCache } from './model-source.js';

const models = resolve(import.meta.dirname, '../../ladder-tiny/models');
const spec = (id: string, folder = join(models, id)): ModelSpec => ({ id, source: { folder }, params: 1, nonEmbeddingParams: 1, dtypes: ['fp32', 'q8'], defaultDtype: 'fp32' });

interface Reference {
  greedy: { prompt: string; tokens: number[] }[];
  paddedLogprobs: { prompts: string[]; logprobs: number[][] };
}
const reference = (id: string) => JSON.parse(readFileSync(join(models, id, 'reference.json'), 'utf8')) as Reference;

describe.each(['tiny-1', 'tiny-2'])('%s on cpu', (id) => {
  let backend: TimedBackend;
  beforeAll(async () => {
    backend = await loadBackend(spec(id), { device: 'cpu', dtype: 'fp32', offline: true });
  });
  afterAll(async () => backend?.dispose());

  it('loads offline and describes itself', () => {
    const d = backend.describe();
    expect(d).toMatchObject({ model: id, device: 'cpu', dtype: 'fp32', contextLength: 256 });
    expect(d.runtime.transformers).toMatch(/^4\./);
  });

  it('log-probabilities of a padded batch equal torch within 1e-4', async () => {
    const ref = reference(id).paddedLogprobs;
    // The whole prompt as the continuation of an empty context: every token after <|endoftext|>.
    const got = await backend.loglikelihood(ref.prompts.map((p) => ({ context: '', continuation: p })));
    got.forEach((r, i) => {
      expect(r.tokenLogprobs).toHaveLength(ref.logprobs[i]!.length);
      r.tokenLogprobs.forEach((lp, j) => expect(Math.abs(lp - ref.logprobs[i]![j]!)).toBeLessThan(1e-4));
    });
  });

  it('splitting context and continuation anywhere gives the same scores (shared-context reuse)', async () => {
    const text = reference(id).paddedLogprobs.prompts[0]!;
    const full = reference(id).paddedLogprobs.logprobs[0]!;
    const cut = 16;
    const [a, b] = await backend.loglikelihood([
      { context: text.slice(0, cut), continuation: text.slice(cut) },
      { context: text.slice(0, cut), continuation: text.slice(cut, cut + 3) },
    ]);
    // Byte-level tokens: token i of the prompt is character i.
    const expected = full.slice(cut, text.length).reduce((s, x) => s + x, 0);
    expect(Math.abs(a!.logprob - expected)).toBeLessThan(1e-4);
    expect(Math.abs(b!.logprob - full.slice(cut, cut + 3).reduce((s, x) => s + x, 0))).toBeLessThan(1e-4);
  });

  it('greedy generation equals torch on fixed prompts', async () => {
    const ref = reference(id).greedy;
    const got = await backend.generate(ref.map((g) => ({ prompt: g.prompt, until: [], maxTokens: g.tokens.length })));
    got.forEach((g, i) => {
      const expected = Buffer.from(ref[i]!.tokens.filter((t) => t < 256)).toString('utf8');
      expect(g.text).toBe(expected.slice(0, g.text.length));
      if (!ref[i]!.tokens.includes(256)) expect(g.text).toBe(expected);
    });
  });

  it('rows that stop at different steps leave the batch and get the text they get alone', async () => {
    const requests = Array.from({ length: 12 }, (_, i) => ({ prompt: `Q: What is ${i} plus ${i + 3}?\nA:`, until: i % 3 === 0 ? ['\n'] : [], maxTokens: 1 + i }));
    const alone = await (await loadBackend(spec(id), { device: 'cpu', dtype: 'fp32', offline: true, batchSize: 1 })).generate(requests);
    const together = await backend.generate(requests);
    expect(together.filter((g, i) => g.text.length > 0 && i % 3 !== 0).length).toBeGreaterThan(4);
    expect(together).toEqual(alone);
  });

  it('prompts longer than the window: continuations of different lengths score in one batch as they do alone', async () => {
    // The context is cut to the 256-token window; the tail pass's padding columns must stay inside it too.
    const context = Array.from({ length: 40 }, (_, i) => `Q: What is ${i} plus ${i + 3}?\nA: ${2 * i + 3}`).join('\n\n');
    const requests = [1, 2, 5, 9, 17, 30].flatMap((len) => [
      { context, continuation: ` ${'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, len)}` },
      { context: context.slice(0, 200 + len * 7), continuation: ` ${'9'.repeat(len)}` },
    ]);
    const many = await backend.loglikelihood(requests);
    const one = await (await loadBackend(spec(id), { device: 'cpu', dtype: 'fp32', offline: true, batchSize: 1 })).loglikelihood(requests);
    many.forEach((r, i) => {
      expect(Number.isFinite(r.logprob)).toBe(true);
      expect(Math.abs(r.logprob - one[i]!.logprob)).toBeLessThan(1e-5);
    });
    expect(many[0]!.truncated).toBeGreaterThan(0);
  });

  it('a generation budget that fills the window is a clear error; a budget of 0 generates nothing', async () => {
    await expect(backend.generate([{ prompt: 'Copy: a b |', until: [], maxTokens: 256 }])).rejects.toThrow(/budget of 256 tokens does not fit the 256-token window/);
    const [none, some] = await backend.generate([
      { prompt: 'Copy: a b |', until: [], maxTokens: 0 },
      { prompt: 'Copy: a b |', until: [], maxTokens: 3 },
    ]);
    expect(none).toEqual({ text: '', truncated: 0 });
    expect([...some!.text].every((c) => c !== '\u0000')).toBe(true);
    // A long prompt with a budget near the window keeps its own last tokens, whatever its neighbours ask.
    const long = 'x'.repeat(600);
    const [alone] = await backend.generate([{ prompt: long, until: [], maxTokens: 4 }]);
    const [withNeighbour] = await backend.generate([{ prompt: long, until: [], maxTokens: 4 }, { prompt: 'Q:', until: [], maxTokens: 200 }]);
    expect(withNeighbour).toEqual(alone);
    expect(alone!.truncated).toBe(600 + 1 - (256 - 4));
  });

  it('splits context and continuation as lm-evaluation-harness does: trailing spaces move into the continuation', async () => {
    const [moved, plain] = await backend.loglikelihood([
      { context: 'Q: What is 2 plus 3?\nA: ', continuation: '5' },
      { context: 'Q: What is 2 plus 3?\nA:', continuation: ' 5' },
    ]);
    expect(moved!.tokens).toBe(2);
    expect(moved!.logprob).toBeCloseTo(plain!.logprob, 6);
  });

  it('batch size 1 and 16 give the same scores within 1e-5', async () => {
    const requests = Array.from({ length: 20 }, (_, i) => ({ context: `Q: What is ${i} plus ${i + 3}?\nA:`, continuation: ` ${2 * i + 3}` }));
    const one = await (await loadBackend(spec(id), { device: 'cpu', dtype: 'fp32', offline: true, batchSize: 1 })).loglikelihood(requests);
    const many = await backend.loglikelihood(requests);
    one.forEach((r, i) => expect(Math.abs(r.logprob - many[i]!.logprob)).toBeLessThan(1e-5));
  });

  it('truncates from the left to fit the context and records it', async () => {
    const long = 'a b '.repeat(400);
    const [r] = await backend.loglikelihood([{ context: long, continuation: ' c' }]);
    expect(r!.truncated).toBe(long.length + 1 + 2 - 1 - 256);
    const [g] = await backend.generate([{ prompt: long, until: ['\n'], maxTokens: 4 }]);
    expect(g!.truncated).toBeGreaterThan(0);
  });

  it('continuations scored from the generation\'s own pass equal loglikelihood() within 1e-5, and each context token is computed once', async () => {
    const requests = [
      ...Array.from({ length: 12 }, (_, i) => ({ prompt: `Q: What is ${i} plus ${i + 3}?\nA:`, until: ['\n'], maxTokens: 4 + (i % 3), continuations: [` ${2 * i + 3}`] })),
      // A trailing space belongs to the continuation (lm-evaluation-harness's split), which the prompt's pass already covers.
      { prompt: 'Q: What is 2 plus 3?\nA: ', until: ['\n'], maxTokens: 3, continuations: ['5', '12345', ' 5'] },
      { prompt: 'Copy: a b c | a', until: [], maxTokens: 2, continuations: [' b c', ' b'] },
      // A prompt cut to fit its budget is scored apart, as loglikelihood() would.
      { prompt: 'a b '.repeat(100), until: [], maxTokens: 8, continuations: [' c'] },
      { prompt: 'x', until: [], maxTokens: 0, continuations: ['y'] },
    ];
    const fused = await backend.generate(requests);
    const plain = await backend.generate(requests.map(({ continuations: _, ...r }) => r));
    const ll = await backend.loglikelihood(requests.flatMap((r) => r.continuations.map((c) => ({ context: r.prompt, continuation: c }))));
    expect(fused.map((g) => g.text)).toEqual(plain.map((g) => g.text));
    let k = 0;
    fused.forEach((g, i) => {
      expect(g.loglikelihoods).toHaveLength(requests[i]!.continuations.length);
      for (const r of g.loglikelihoods!) {
        const want = ll[k++]!;
        expect(r.tokens).toBe(want.tokens);
        expect(r.isGreedy).toBe(want.isGreedy);
        expect(r.truncated).toBe(want.truncated);
        r.tokenLogprobs.forEach((lp, j) => expect(Math.abs(lp - want.tokenLogprobs[j]!)).toBeLessThan(1e-5));
      }
    });
    // Where the prompt's pass serves, scoring adds only continuation tokens, not a second pass over the context.
    const served = requests.slice(0, 14);
    const tokens = async (run: () => Promise<unknown>) => {
      const t0 = (await backend.stats()).tokens;
      await run();
      return (await backend.stats()).tokens - t0;
    };
    const extra = (await tokens(() => backend.generate(served))) - (await tokens(() => backend.generate(served.map(({ continuations: _, ...r }) => r))));
    const apart = await tokens(() => backend.loglikelihood(served.flatMap((r) => r.continuations.map((c) => ({ context: r.prompt, continuation: c })))));
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThan(apart / 4);
  });

  it('stops generation at a stop sequence', async () => {
    const [g] = await backend.generate([{ prompt: 'Copy: a b c | a', until: [' '], maxTokens: 20 }]);
    expect(g!.text.includes(' ')).toBe(false);
  });
});

describe('wasm (onnxruntime-web in a child process)', () => {
  it('agrees with cpu within 1e-3 in fp32', async () => {
    const requests = reference('tiny-2').paddedLogprobs.prompts.map((p) => ({ context: p.slice(0, 10), continuation: p.slice(10) }));
    const cpu = await loadBackend(spec('tiny-2'), { device: 'cpu', dtype: 'fp32', offline: true });
    const wasm = await loadBackend(spec('tiny-2'), { device: 'wasm', dtype: 'fp32', offline: true });
    try {
      expect(wasm.describe().device).toBe('wasm');
      expect(wasm.describe().runtime['onnxruntime-web']).toMatch(/^1\./);
      const a = await cpu.loglikelihood(requests);
      const b = await wasm.loglikelihood(requests);
      a.forEach((r, i) => expect(Math.abs(r.logprob - b[i]!.logprob)).toBeLessThan(1e-3));
      const g = await wasm.generate([{ prompt: 'Q: What is 12 plus 35?\nA:', until: ['\n'], maxTokens: 6 }]);
      const c = await cpu.generate([{ prompt: 'Q: What is 12 plus 35?\nA:', until: ['\n'], maxTokens: 6 }]);
      expect(g[0]!.text).toBe(c[0]!.text);
    } finally {
      await cpu.dispose();
      await wasm.dispose();
    }
  }, 120_000);

  it('a child that dies fails the calls after it at once, and disposing does not wait for it', async () => {
    const wasm = await loadBackend(spec('tiny-1'), { device: 'wasm', dtype: 'fp32', offline: true });
    // The wasm child is this process's own child running wasm-worker (Linux ps).
    const children = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes('wasm-worker'));
    expect(children).toHaveLength(1);
    process.kill(Number.parseInt(children[0]!.trim(), 10), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    await expect(wasm.generate([{ prompt: 'Q:', until: [], maxTokens: 2 }])).rejects.toThrow(/wasm process exited \(signal SIGKILL\)/);
    await wasm.dispose();
  }, 60_000);
});

describe('q8 weights', () => {
  it('load and stay close to fp32', async () => {
    const fp = await loadBackend(spec('tiny-2'), { device: 'cpu', dtype: 'fp32', offline: true });
    const q8 = await loadBackend(spec('tiny-2'), { device: 'cpu', dtype: 'q8', offline: true });
    const req = [{ context: 'Review: the food was great\nLabel:', continuation: ' positive' }];
    const [a] = await fp.loglikelihood(req);
    const [b] = await q8.loglikelihood(req);
    expect(Math.abs(a!.logprob - b!.logprob) / a!.tokens).toBeLessThan(0.1);
    await fp.dispose();
    await q8.dispose();
  });
});

describe('model sources and failures', () => {
  it('loads a Hub model from a folder laid out like the Hugging Face cache', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'hf-'));
    const repo = join(cache, 'models--emergence--tiny-1');
    const commit = '0123456789abcdef0123456789abcdef01234567';
    mkdirSync(join(repo, 'refs'), { recursive: true });
    writeFileSync(join(repo, 'refs/main'), commit);
    cpSync(join(models, 'tiny-1'), join(repo, 'snapshots', commit), { recursive: true });
    expect(findInHubCache('emergence/tiny-1', 'main', cache)).toBe(join(repo, 'snapshots', commit));
    const hub: ModelSpec = { ...spec('tiny-1'), source: { hub: 'emergence/tiny-1' } };
    const b = await loadBackend(hub, { device: 'cpu', dtype: 'fp32', offline: true, cacheDir: cache });
    const [r] = await b.loglikelihood([{ context: '', continuation: reference('tiny-1').paddedLogprobs.prompts[0]! }]);
    expect(Math.abs(r!.tokenLogprobs[0]! - reference('tiny-1').paddedLogprobs.logprobs[0]![0]!)).toBeLessThan(1e-4);
    await b.dispose();
  });

  it('a Hub id missing from the cache while offline names the model and the fix', async () => {
    const hub: ModelSpec = { ...spec('smol'), source: { hub: 'HuggingFaceTB/SmolLM2-135M-Instruct' } };
    const err = await loadBackend(hub, { device: 'cpu', dtype: 'fp32', offline: true, cacheDir: mkdtempSync(join(tmpdir(), 'hf-')) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/^smol: HuggingFaceTB\/SmolLM2-135M-Instruct is not in the Hugging Face cache at .* — fix: run once without --offline/);
  });

  it('a missing folder, a missing dtype and a corrupt ONNX file each name the model and the fix', async () => {
    await expect(loadBackend(spec('gone', '/nonexistent/gone'), { device: 'cpu', dtype: 'fp32', offline: true })).rejects.toThrow(/^gone: model folder \/nonexistent\/gone does not exist — fix:/);
    await expect(loadBackend({ ...spec('tiny-1'), dtypes: ['fp32'] }, { device: 'cpu', dtype: 'q8', offline: true })).rejects.toThrow(/lists no q8 weights/);
    const broken = mkdtempSync(join(tmpdir(), 'broken-'));
    cpSync(join(models, 'tiny-1'), broken, { recursive: true });
    // Without its checksum list, so that the loader itself meets the broken file.
    rmSync(join(broken, 'SHA256SUMS'), { force: true });
    writeFileSync(join(broken, 'onnx/model.onnx'), 'not an onnx file');
    await expect(loadBackend(spec('broken', broken), { device: 'cpu', dtype: 'fp32', offline: true })).rejects.toThrow(/^broken: the ONNX model will not load .* — fix: re-export or re-download/);
    const badTok = mkdtempSync(join(tmpdir(), 'badtok-'));
    cpSync(join(models, 'tiny-1'), badTok, { recursive: true });
    rmSync(join(badTok, 'SHA256SUMS'), { force: true });
    writeFileSync(join(badTok, 'tokenizer.json'), '{');
    await expect(loadBackend(spec('badtok', badTok), { device: 'cpu', dtype: 'fp32', offline: true })).rejects.toThrow(/^badtok: the tokenizer will not load/);
  });

  it('a float16 key/value cache (fp16 and q4f16 exports) keeps its type when rows leave the batch', async () => {
    // tools/ladder/fp16_cache.py: tiny-1 with its cache cast to float16 at the graph's edges.
    const folder = join(import.meta.dirname, '__fixtures__/fp16-cache');
    const half = await loadBackend({ ...spec('fp16-cache', folder), dtypes: ['fp16'], defaultDtype: 'fp16' }, { device: 'cpu', dtype: 'fp16', offline: true });
    const full = await loadBackend(spec('tiny-1'), { device: 'cpu', dtype: 'fp32', offline: true });
    // Rows stop at different steps, so the cache is gathered (before: "expected tensor(float16)").
    const requests = Array.from({ length: 10 }, (_, i) => ({ prompt: `Q: What is ${i} plus ${i + 3}?\nA:`, until: i % 3 === 0 ? ['\n'] : [], maxTokens: 1 + i }));
    expect(await half.generate(requests)).toEqual(await full.generate(requests));
    const [a] = await half.loglikelihood([{ context: 'Copy: a b c |', continuation: ' a b c' }]);
    const [b] = await full.loglikelihood([{ context: 'Copy: a b c |', continuation: ' a b c' }]);
    // float16 rounding of the cache only.
    expect(Math.abs(a!.logprob - b!.logprob)).toBeLessThan(0.02);
    // An export without num_logits_to_keep (every position's logits come back): scoring from the prompt's pass still holds.
    const asked = requests.map((r) => ({ ...r, maxTokens: Math.max(1, r.maxTokens), continuations: [' 7', ' 12'] }));
    const fused = (await half.generate(asked)).flatMap((g) => g.loglikelihoods!);
    const apart = await half.loglikelihood(asked.flatMap((r) => r.continuations.map((c) => ({ context: r.prompt, continuation: c }))));
    fused.forEach((r, i) => expect(Math.abs(r.logprob - apart[i]!.logprob)).toBeLessThan(2e-3));
    await half.dispose();
    await full.dispose();
  });

  it('weights changed in place fail their checksum, naming the file', async () => {
    const changed = mkdtempSync(join(tmpdir(), 'changed-'));
    cpSync(join(models, 'tiny-1'), changed, { recursive: true });
    const onnx = join(changed, 'onnx/model.onnx');
    const bytes = readFileSync(onnx);
    // One byte near the end (inside the weights): the file still loads, with other numbers.
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x01;
    writeFileSync(onnx, bytes);
    await expect(loadBackend(spec('changed', changed), { device: 'cpu', dtype: 'fp32', offline: true })).rejects.toThrow(
      new RegExp(`^changed: ${onnx.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not match its checksum in SHA256SUMS .* — fix: the file changed after export`),
    );
    // The shipped folder itself passes.
    await expect(loadBackend(spec('tiny-1'), { device: 'cpu', dtype: 'fp32', offline: true }).then((b) => b.dispose())).resolves.toBeUndefined();
  });
});
