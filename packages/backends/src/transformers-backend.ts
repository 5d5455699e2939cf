// The Backend on transformers.js: it loads the tokenizer and ONNX session the
// way transformers.js does for any Hub model, then drives forward passes
// itself so it can batch by length, reuse a shared context's key/value cache
// across choices, and read log-probabilities (generate() returns none).
import type {
  Backend,
  BackendDescription,
  GenerateRequest,
  GenerateResult,
  LoglikelihoodRequest,
  LoglikelihoodResult,
  ModelSpec,
} from '@emergence/core';
import { ModelError } from './model-error.js';

type Transformers = typeof import('@huggingface/transformers');
type TjsTensor = InstanceType<Transformers['Tensor']>;
type KV = Record<string, TjsTensor>;

export interface TransformersBackendOptions {
  device: 'cpu' | 'wasm' | 'webgpu';
  dtype: string;
  offline: boolean;
  cacheDir?: string;
  ladderFile?: string;
  /** Most rows in one forward pass. */
  batchSize?: number;
  /** Runtime versions to report (transformers.js, onnxruntime, node). */
  runtime?: Record<string, string>;
  /**
   * Device name passed to transformers.js when it differs from `device`:
   * with onnxruntime-web injected in Node, transformers.js knows no device
   * names and 'auto' selects onnxruntime-web's wasm provider.
   */
  transformersDevice?: string;
}

export interface ModelLocation {
  /** The model folder's name under `localRoot`. */
  id: string;
  /**
   * Folder (or URL path) holding the model folder. Always local: Hub models
   * are downloaded into the Hugging Face cache first (model-source.ts) and
   * load from their snapshot, so transformers.js itself never fetches.
   */
  localRoot: string;
}

interface Prepared {
  index: number;
  ctx: number[];
  cont: number[];
  truncated: number;
}

/** Bound on logits held at once (floats): batch × length × vocab. */
const LOGITS_BUDGET = 48_000_000;

/** Greedy next token: the argmax alone, without the log-sum-exp over the vocabulary. */
function argmaxAt(logits: Float32Array, offset: number, vocab: number): number {
  let max = -Infinity;
  let argmax = 0;
  for (let v = 0; v < vocab; v++) {
    const x = logits[offset + v]!;
    if (x > max) {
      max = x;
      argmax = v;
    }
  }
  return argmax;
}

function logSoftmaxAt(logits: Float32Array, offset: number, vocab: number): { lse: number; argmax: number } {
  const argmax = argmaxAt(logits, offset, vocab);
  const max = logits[offset + argmax]!;
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v]! - max);
  return { lse: max + Math.log(sum), argmax };
}

export class TransformersBackend implements Backend {
  readonly specificationVersion = 1 as const;
  /** Milliseconds spent inside onnxruntime's session.run: the bare cost the harness adds to. */
  sessionMs = 0;
  forwardPasses = 0;

  private constructor(
    private readonly tjs: Transformers,
    private readonly spec: ModelSpec,
    private readonly options: TransformersBackendOptions,
    private readonly tokenizer: Awaited<ReturnType<Transformers['AutoTokenizer']['from_pretrained']>>,
    private readonly model: Awaited<ReturnType<Transformers['AutoModelForCausalLM']['from_pretrained']>>,
    private readonly contextLength: number,
    private readonly pad: number,
    private readonly vocab: number,
    /** End-of-text ids (some configs list several). */
    private readonly eos: number[],
  ) {}

  /**
   * Load through transformers.js from `where`: a model folder under a local
   * root (a folder on disk, or a URL path in a browser).
   */
  static async create(tjs: Transformers, spec: ModelSpec, options: TransformersBackendOptions, where: ModelLocation): Promise<TransformersBackend> {
    const { env } = tjs;
    const id = where.id;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = where.localRoot;
    let tokenizer;
    try {
      tokenizer = await tjs.AutoTokenizer.from_pretrained(id);
    } catch (err) {
      throw new ModelError(spec.id, `the tokenizer will not load (${(err as Error).message.split('\n')[0]})`, 'check tokenizer.json and tokenizer_config.json in the model folder');
    }
    let model;
    try {
      model = await tjs.AutoModelForCausalLM.from_pretrained(id, { device: (options.transformersDevice ?? options.device) as 'cpu', dtype: options.dtype as 'fp32' });
    } catch (err) {
      const msg = (err as Error).message.split('\n')[0] ?? String(err);
      const oom = /memory|allocat|bad_alloc/i.test(msg);
      throw new ModelError(
        spec.id,
        oom ? `out of memory while loading (${msg})` : `the ONNX model will not load (${msg})`,
        oom ? 'use a smaller dtype (--dtype q8) or a machine with more memory' : 're-export or re-download the model; check the dtype file exists and is not truncated',
      );
    }
    const config = model.config as unknown as Record<string, unknown>;
    const contextLength = spec.contextLength ?? Number(config.n_positions ?? config.max_position_embeddings ?? 2048);
    const session = (model as unknown as { sessions: Record<string, { inputNames: string[]; run: (...a: unknown[]) => Promise<unknown> }> }).sessions.model!;
    const padId = Number(config.pad_token_id ?? ([] as unknown[]).concat(config.eos_token_id ?? 0)[0]);
    const vocab = Number(config.vocab_size ?? 50_257);
    const eos = ([] as unknown[]).concat(config.eos_token_id ?? []).map(Number);
    const backend = new TransformersBackend(tjs, spec, options, tokenizer, model, contextLength, padId, vocab, eos);
    // Time onnxruntime itself, so the harness's overhead can be measured against it.
    const run = session.run.bind(session);
    session.run = async (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        return await run(...args);
      } finally {
        backend.sessionMs += performance.now() - t0;
        backend.forwardPasses++;
      }
    };
    return backend;
  }

  describe(): BackendDescription {
    return {
      model: this.spec.id,
      device: this.options.device,
      dtype: this.options.dtype,
      runtime: this.options.runtime ?? {},
      contextLength: this.contextLength,
    };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  private encode(text: string, special: boolean): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: special });
  }

  private tensor(type: string, data: BigInt64Array | Float32Array | Uint16Array, dims: number[]): TjsTensor {
    return new (this.tjs.Tensor as unknown as new (type: string, data: unknown, dims: number[]) => TjsTensor)(type, data, dims);
  }

  /** One forward pass over rows; `rows[i]` are token ids, `mask[i]` covers past + rows. */
  private async forward(rows: number[][], mask: number[][], positions: number[][], past: KV | null): Promise<{ logits: Float32Array; vocab: number; present: KV }> {
    const B = rows.length;
    const S = rows[0]!.length;
    const T = mask[0]!.length;
    // int64 inputs written through an Int32Array view (little-endian low words;
    // ids, positions and mask bits are small and non-negative), which avoids a
    // BigInt per element.
    const ids = new BigInt64Array(B * S);
    const pos = new BigInt64Array(B * S);
    const am = new BigInt64Array(B * T);
    const ids32 = new Int32Array(ids.buffer);
    const pos32 = new Int32Array(pos.buffer);
    const am32 = new Int32Array(am.buffer);
    for (let b = 0; b < B; b++) {
      const r = rows[b]!;
      const p = positions[b]!;
      for (let i = 0; i < S; i++) {
        ids32[2 * (b * S + i)] = r[i]!;
        pos32[2 * (b * S + i)] = p[i]!;
      }
      const m = mask[b]!;
      for (let i = 0; i < T; i++) am32[2 * (b * T + i)] = m[i]!;
    }
    const inputs: Record<string, unknown> = {
      input_ids: this.tensor('int64', ids, [B, S]),
      attention_mask: this.tensor('int64', am, [B, T]),
      position_ids: this.tensor('int64', pos, [B, S]),
    };
    if (past) inputs.past_key_values = past;
    const run = () => (this.model as unknown as { forward(x: unknown): Promise<Record<string, TjsTensor>> }).forward(inputs);
    let out: Record<string, TjsTensor>;
    try {
      out = await run();
    } catch (err) {
      // onnxruntime-web 1.30 now and then fails to read back a run's outputs ("Reading data from
      // non-tensor typed value", seen in long wasm runs of the icl suite on the tiny ladder and the
      // twins alike); the same inputs run again succeed and equal cpu within 2e-6. Retry that once.
      if (this.options.device !== 'wasm' || !/non-tensor typed value/.test((err as Error).message)) throw err;
      out = await run();
    }
    // fp16 exports (the Hub's model_fp16.onnx) return float16 logits, held as 16-bit words: widen them before reading.
    const logits = out.logits!.type === 'float16' ? out.logits!.to('float32') : out.logits!;
    const present: KV = {};
    for (const [name, t] of Object.entries(out)) if (name.startsWith('present')) present[name.replace('present', 'past_key_values')] = t;
    return { logits: logits.data as Float32Array, vocab: logits.dims[2]!, present };
  }

  /** Rows `index` of every cache tensor ([B, H, P, D] → [R, H, P, D]). */
  private async gatherPast(past: KV, index: number[]): Promise<KV> {
    const out: KV = {};
    for (const [name, t] of Object.entries(past)) {
      const [, H, P, D] = t.dims as [number, number, number, number];
      const row = H * P * D;
      // On WebGPU transformers.js keeps the cache on the GPU; copy it back to gather rows.
      const ort = (t as unknown as { ort_tensor?: { location?: string; getData(release?: boolean): Promise<unknown> } }).ort_tensor;
      const src = (ort?.location === 'gpu-buffer' ? await ort.getData() : t.data) as Float32Array | Uint16Array;
      // Keep the cache's own element type: fp16 exports (fp16, q4f16) carry float16 caches as 16-bit words.
      const dst = new (src.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(index.length * row);
      index.forEach((b, r) => dst.set(src.subarray(b * row, (b + 1) * row) as never, r * row));
      out[name] = this.tensor((t as unknown as { type: string }).type ?? 'float32', dst, [index.length, H, P, D]);
    }
    return out;
  }

  private prepare(requests: LoglikelihoodRequest[]): Prepared[] {
    // Choices repeat their context: tokenise each distinct context once.
    const contexts = new Map<string, number[]>();
    return requests.map((r, index) => {
      // lm-evaluation-harness's split: the context's trailing whitespace belongs to
      // the continuation, whose tokens are those the joint encoding adds after the
      // context's (for BPE/SentencePiece a separate encoding can differ; for bytes not).
      const kept = r.context.trimEnd();
      const context = kept;
      const continuation = r.context.slice(kept.length) + r.continuation;
      let ctx = contexts.get(context);
      if (!ctx) {
        ctx = this.encode(context, true);
        contexts.set(context, ctx);
      }
      const whole = this.encode(context + continuation, true);
      // Where a merge crosses the boundary (SentencePiece's ":▁" + "x" → ":▁x"), the joint
      // encoding leaves the context's at its last shared token: score from there, so the
      // model conditions on tokens the joint encoding really has and the continuation is
      // never empty. Tokenizers without such merges (bytes) keep the whole context.
      let shared = 0;
      while (shared < ctx.length && whole[shared] === ctx[shared]) shared++;
      if (shared < ctx.length) ctx = ctx.slice(0, shared);
      const cont = whole.slice(shared);
      // An empty context (tokenizers that add no BOS) is scored after the end-of-text token, as lm-evaluation-harness does.
      if (ctx.length === 0) ctx = [this.eos[0] ?? this.pad];
      if (cont.length === 0) throw new Error(`empty continuation for context ending ${JSON.stringify(r.context.slice(-30))}`);
      if (cont.length >= this.contextLength) throw new Error(`continuation of ${cont.length} tokens does not fit the ${this.contextLength}-token context`);
      // The model sees ctx + cont minus its last token; drop the oldest context tokens to fit.
      const over = ctx.length + cont.length - 1 - this.contextLength;
      let truncated = 0;
      if (over > 0) {
        ctx = ctx.slice(over);
        truncated = over;
      }
      return { index, ctx, cont, truncated };
    });
  }

  async loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]> {
    const prepared = this.prepare(requests);
    const results = new Array<LoglikelihoodResult>(requests.length);
    // Requests that share a context are scored from one pass over it.
    const groups = new Map<string, Prepared[]>();
    for (const p of prepared) {
      const key = p.ctx.join(',');
      const g = groups.get(key);
      if (g) g.push(p);
      else groups.set(key, [p]);
    }
    const ordered = [...groups.values()].sort((a, b) => b[0]!.ctx.length - a[0]!.ctx.length);
    const maxRows = this.options.batchSize ?? 16;
    for (let start = 0; start < ordered.length; ) {
      const len = ordered[start]![0]!.ctx.length;
      const rows = Math.max(1, Math.min(maxRows, Math.floor(LOGITS_BUDGET / (len * this.vocab))));
      const batch = ordered.slice(start, start + rows);
      start += batch.length;
      await this.scoreBatch(batch, results);
    }
    return results;
  }

  private async scoreBatch(batch: Prepared[][], results: LoglikelihoodResult[]): Promise<void> {
    const L = Math.max(...batch.map((g) => g[0]!.ctx.length));
    const rows = batch.map((g) => [...Array<number>(L - g[0]!.ctx.length).fill(this.pad), ...g[0]!.ctx]);
    const mask = batch.map((g) => [...Array<number>(L - g[0]!.ctx.length).fill(0), ...Array<number>(g[0]!.ctx.length).fill(1)]);
    const positions = mask.map((m) => {
      let p = 0;
      return m.map((x) => (x ? p++ : 0));
    });
    const first = await this.forward(rows, mask, positions, null);
    const V = first.vocab;
    // Continuations longer than one token go through a second pass on top of the shared cache.
    const tails: { group: number; p: Prepared }[] = [];
    const partial = new Map<number, { lps: number[]; greedy: boolean }>();
    batch.forEach((g, b) => {
      const { lse, argmax } = logSoftmaxAt(first.logits, (b * L + L - 1) * V, V);
      for (const p of g) {
        const lp = first.logits[(b * L + L - 1) * V + p.cont[0]!]! - lse;
        partial.set(p.index, { lps: [lp], greedy: argmax === p.cont[0] });
        if (p.cont.length > 1) tails.push({ group: b, p });
      }
    });
    const maxRows = this.options.batchSize ?? 16;
    for (let s = 0; s < tails.length; s += maxRows) {
      const chunk = tails.slice(s, s + maxRows);
      const M = Math.max(...chunk.map((t) => t.p.cont.length - 1));
      const past = await this.gatherPast(first.present, chunk.map((t) => t.group));
      const inRows = chunk.map((t) => {
        const r = t.p.cont.slice(0, -1);
        return [...r, ...Array<number>(M - r.length).fill(this.pad)];
      });
      const inMask = chunk.map((t) => [...mask[t.group]!, ...Array<number>(M).fill(1).map((_, j) => (j < t.p.cont.length - 1 ? 1 : 0))]);
      // Padding columns (past a shorter continuation's end) are masked out, but their
      // position ids must still exist: ctx.length + j can pass the window there.
      const inPos = chunk.map((t) => Array.from({ length: M }, (_, j) => (j < t.p.cont.length - 1 ? t.p.ctx.length + j : 0)));
      const out = await this.forward(inRows, inMask, inPos, past);
      chunk.forEach((t, r) => {
        const acc = partial.get(t.p.index)!;
        for (let j = 1; j < t.p.cont.length; j++) {
          const off = (r * M + j - 1) * V;
          const { lse, argmax } = logSoftmaxAt(out.logits, off, V);
          acc.lps.push(out.logits[off + t.p.cont[j]!]! - lse);
          if (argmax !== t.p.cont[j]) acc.greedy = false;
        }
      });
    }
    for (const g of batch) {
      for (const p of g) {
        const { lps, greedy } = partial.get(p.index)!;
        results[p.index] = { logprob: lps.reduce((a, x) => a + x, 0), isGreedy: greedy, tokens: p.cont.length, tokenLogprobs: lps, truncated: p.truncated };
      }
    }
  }

  async generate(requests: GenerateRequest[]): Promise<GenerateResult[]> {
    const results = new Array<GenerateResult>(requests.length);
    // Similar token budgets, then similar prompt lengths, share a batch: a row
    // never waits many steps for a longer budget, and padding stays small.
    for (const r of requests) {
      if (!Number.isInteger(r.maxTokens) || r.maxTokens < 0 || r.maxTokens >= this.contextLength) {
        // Never slice the prompt to nothing: a budget that fills the window is the task's error, not garbage output.
        throw new Error(`a generation budget of ${r.maxTokens} tokens does not fit the ${this.contextLength}-token window with room for a prompt; lower the task's maxTokens below ${this.contextLength}`);
      }
    }
    const order = requests
      .map((r, i) => {
        const ids = this.encode(r.prompt, true);
        // A tokenizer that adds no BOS gives an empty prompt nothing to condition on: start from end-of-text, as scoring does.
        return { r, i, ids: ids.length ? ids : [this.eos[0] ?? this.pad] };
      })
      .filter((o) => {
        if (o.r.maxTokens > 0) return true;
        results[o.i] = { text: '', truncated: 0 };
        return false;
      })
      .sort((a, b) => b.r.maxTokens - a.r.maxTokens || b.ids.length - a.ids.length);
    const maxRows = this.options.batchSize ?? 16;
    for (let s = 0; s < order.length; s += maxRows) {
      const chunk = order.slice(s, s + maxRows);
      const prepared = chunk.map((c) => {
        // Each row keeps as much prompt as its own budget allows, whatever its neighbours' budgets.
        const room = this.contextLength - c.r.maxTokens;
        const truncated = Math.max(0, c.ids.length - room);
        return { ...c, ids: c.ids.slice(truncated), truncated, generated: [] as number[], text: '' };
      });
      const L = Math.max(...prepared.map((p) => p.ids.length));
      let mask = prepared.map((p) => [...Array<number>(L - p.ids.length).fill(0), ...Array<number>(p.ids.length).fill(1)]);
      const rows = prepared.map((p) => [...Array<number>(L - p.ids.length).fill(this.pad), ...p.ids]);
      let positions = mask.map((m) => {
        let q = 0;
        return m.map((x) => (x ? q++ : 0));
      });
      // Rows still generating; batch row b is prepared[active[b]].
      let active = prepared.map((_, b) => b);
      let out = await this.forward(rows, mask, positions, null);
      let width = L;

      for (;;) {
        const next = active.map((_, b) => argmaxAt(out.logits, (b * width + width - 1) * out.vocab, out.vocab));
        const keep = active.map((row, b) => {
          const p = prepared[row]!;
          if (this.eos.includes(next[b]!)) return false;
          p.generated.push(next[b]!);
          p.text = this.tokenizer.decode(p.generated, { skip_special_tokens: true });
          const stopAt = Math.min(...p.r.until.map((u) => (p.text.indexOf(u) >= 0 ? p.text.indexOf(u) : Infinity)));
          if (Number.isFinite(stopAt)) {
            p.text = p.text.slice(0, stopAt);
            return false;
          }
          return p.generated.length < p.r.maxTokens;
        });
        if (!keep.includes(true)) break;
        let past = out.present;
        let tokens = next;
        if (keep.includes(false)) {
          // Finished rows leave the batch, so no step is spent on them.
          const stay = keep.flatMap((k, b) => (k ? [b] : []));
          past = await this.gatherPast(past, stay);
          active = stay.map((b) => active[b]!);
          tokens = stay.map((b) => next[b]!);
          mask = stay.map((b) => mask[b]!);
          positions = stay.map((b) => positions[b]!);
        }
        positions = positions.map((p) => [p[p.length - 1]! + 1]);
        mask.forEach((m) => m.push(1));
        out = await this.forward(tokens.map((t) => [t]), mask, positions, past);
        width = 1;
      }
      for (const p of prepared) results[p.i] = { text: p.text, truncated: p.truncated };
    }
    return results;
  }
}
