// The Hub architectures through the harness: each twin (tools/hub-twins) is
// scored as a Hub repo would be, and must give torch's log-probabilities.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '@emergence/core';
import { loadBackend, type TimedBackend } from './backends.js';

const root = resolve(import.meta.dirname, '__fixtures__/hub-twins');
const twins = ['smollm2-twin', 'qwen2.5-twin', 'pythia-twin', 'gpt2-twin'] as const;

interface TwinReference {
  prompts: { prompt: string; ids: number[]; logprobs: number[] }[];
  greedy: { prompt: string; tokens: number[] }[];
  splits: { context: string; continuation: string; tokens: number; logprob: number }[];
  /** Torch's log-probabilities with every MatMulNBits weight 4-bit round-tripped. */
  q4: number[][];
  params: number;
  nonEmbeddingParams: number;
  vocab: number;
}
const reference = (twin: string) => JSON.parse(readFileSync(join(root, `${twin}.reference.json`), 'utf8')) as TwinReference;
const spec = (twin: string): ModelSpec => ({ id: twin, source: { folder: join(root, twin) }, params: 1, nonEmbeddingParams: 1, dtypes: ['fp32', 'fp16', 'q8', 'q4', 'q4f16'], defaultDtype: 'fp32' });

async function twinTokenizer(twin: string) {
  const tjs = await import('@huggingface/transformers');
  tjs.env.allowLocalModels = true;
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = `${root}/`;
  return tjs.AutoTokenizer.from_pretrained(twin);
}

/** Largest per-token difference from torch (or from `expected`), and the mean one. */
async function compare(backend: TimedBackend, ref: TwinReference, expected = ref.prompts.map((p) => p.logprobs)): Promise<{ max: number; mean: number }> {
  // Each prompt as the continuation of an empty context: every token after BOS (llama) or end-of-text.
  const got = await backend.loglikelihood(ref.prompts.map((p) => ({ context: '', continuation: p.prompt })));
  let max = 0;
  let sum = 0;
  let n = 0;
  got.forEach((r, i) => {
    expect(r.tokens, `${ref.prompts[i]!.prompt}: token count`).toBe(expected[i]!.length);
    r.tokenLogprobs.forEach((lp, j) => {
      const d = Math.abs(lp - expected[i]![j]!);
      max = Math.max(max, d);
      sum += d;
      n++;
    });
  });
  return { max, mean: sum / n };
}

describe.each(twins)('%s', (twin) => {
  const ref = reference(twin);
  let fp32: TimedBackend;
  beforeAll(async () => {
    fp32 = await loadBackend(spec(twin), { device: 'cpu', dtype: 'fp32', offline: true });
  });
  afterAll(async () => fp32?.dispose());

  it('tokenizes as the Python tokenizer that made it (BPE merges, byte fallback, BOS)', async () => {
    const tokenizer = await twinTokenizer(twin);
    for (const p of ref.prompts) {
      const ids = tokenizer.encode(p.prompt);
      // The reference's first id is what the harness scores from: BOS for llama, else end-of-text.
      expect(twin === 'smollm2-twin' ? ids : [p.ids[0], ...ids]).toEqual(p.ids);
    }
    // Merges do something: the twins' tokens are not just bytes.
    expect(ref.prompts[0]!.ids.length).toBeLessThan(ref.prompts[0]!.prompt.length);
  });

  it('fp32 log-probabilities of a padded batch equal torch within 1e-4 (cpu)', async () => {
    const { max } = await compare(fp32, ref);
    expect(max).toBeLessThan(1e-4);
    // Far from uniform, so a wrong rotary or head grouping would show.
    const spread = ref.prompts.flatMap((p) => p.logprobs);
    expect(Math.max(...spread) - Math.min(...spread)).toBeGreaterThan(5);
  });

  it('continuations sharing a context (one pass over it, then the key/value cache) equal torch within 1e-4', async () => {
    const got = await fp32.loglikelihood(ref.splits.map(({ context, continuation }) => ({ context, continuation })));
    got.forEach((r, i) => {
      expect(r.tokens).toBe(ref.splits[i]!.tokens);
      expect(Math.abs(r.logprob - ref.splits[i]!.logprob)).toBeLessThan(1e-4);
    });
  });

  it('greedy generation equals torch token for token (the cache grows step by step)', async () => {
    const tokenizer = await twinTokenizer(twin);
    // The harness stops at the config's end-of-text: </s> for llama, the id it scores an empty context from for the others.
    const eos = twin === 'smollm2-twin' ? 2 : ref.prompts[0]!.ids[0]!;
    const got = await fp32.generate(ref.greedy.map((g) => ({ prompt: g.prompt, until: [], maxTokens: g.tokens.length })));
    got.forEach((g, i) => {
      const tokens = ref.greedy[i]!.tokens;
      const stop = tokens.indexOf(eos);
      expect(g.text).toBe(tokenizer.decode(stop < 0 ? tokens : tokens.slice(0, stop), { skip_special_tokens: true }));
    });
  });

  it('a continuation scored from its generation\'s pass over the prompt equals loglikelihood() within 1e-5 (BPE merges at the boundary)', async () => {
    const requests = ref.splits.map(({ context, continuation }) => ({ prompt: context, until: [], maxTokens: 2, continuations: [continuation, ` ${continuation.trim()}`] }));
    const fused = await fp32.generate(requests);
    const ll = await fp32.loglikelihood(requests.flatMap((r) => r.continuations.map((c) => ({ context: r.prompt, continuation: c }))));
    fused.flatMap((g) => g.loglikelihoods!).forEach((r, i) => {
      expect(r.tokens).toBe(ll[i]!.tokens);
      expect(r.isGreedy).toBe(ll[i]!.isGreedy);
      expect(Math.abs(r.logprob - ll[i]!.logprob)).toBeLessThan(1e-5);
    });
  });

  it('wasm (onnxruntime-web) fp32 equals torch within 1e-4', async () => {
    const wasm = await loadBackend(spec(twin), { device: 'wasm', dtype: 'fp32', offline: true });
    try {
      expect((await compare(wasm, ref)).max).toBeLessThan(1e-4);
    } finally {
      await wasm.dispose();
    }
  });

  it('fp16 (float16 weights, logits and cache) stays within 0.05 of torch per token', async () => {
    const half = await loadBackend(spec(twin), { device: 'cpu', dtype: 'fp16', offline: true });
    try {
      const { max } = await compare(half, ref);
      expect(max).toBeLessThan(0.05);
      // Rows leaving the batch gather float16 cache rows.
      const prompts = ref.prompts.map((p) => ({ prompt: p.prompt, until: [], maxTokens: 2 + p.prompt.length % 3 }));
      const batched = await half.generate(prompts);
      const single = await (await loadBackend(spec(twin), { device: 'cpu', dtype: 'fp16', offline: true, batchSize: 1 })).generate(prompts);
      expect(batched.map((g) => g.text)).toEqual(single.map((g) => g.text));
    } finally {
      await half.dispose();
    }
  });

  it('q8 (dynamic int8, model_quantized.onnx) loads and stays near torch', async () => {
    const q8 = await loadBackend(spec(twin), { device: 'cpu', dtype: 'q8', offline: true });
    try {
      const { max, mean } = await compare(q8, ref);
      expect(mean).toBeLessThan(0.2);
      expect(max).toBeGreaterThan(1e-4); // really the quantised file
    } finally {
      await q8.dispose();
    }
  });

  it('q4f16 (MatMulNBits in float16, model_q4f16.onnx) stays within 0.05 of torch with 4-bit weights', async () => {
    const q4f16 = await loadBackend(spec(twin), { device: 'cpu', dtype: 'q4f16', offline: true });
    try {
      expect((await compare(q4f16, ref, ref.q4)).max).toBeLessThan(0.05);
    } finally {
      await q4f16.dispose();
    }
  });

  it('q4 (MatMulNBits, model_q4.onnx) equals torch with 4-bit round-tripped weights within 1e-4, on cpu and wasm', async () => {
    for (const device of ['cpu', 'wasm'] as const) {
      const q4 = await loadBackend(spec(twin), { device, dtype: 'q4', offline: true });
      try {
        expect((await compare(q4, ref, ref.q4)).max, device).toBeLessThan(1e-4);
      } finally {
        await q4.dispose();
      }
    }
  });
});

