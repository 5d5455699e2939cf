// The Backend on transformers.js: it loads the tokenizer and ONNX session the
// way transformers.js does for any Hub model, then drives forward passes
// itself (onnx-forward.ts) so it can batch by length, reuse a shared context's
// key/value cache across choices, read log-probabilities (generate() returns
// none), and score a generation's target from the generation's own pass.
import type {
  Backend,
  BackendDescription,
  Device,
  GenerateRequest,
  GenerateResult,
  LoglikelihoodRequest,
  LoglikelihoodResult,
  ModelSpec,
} from '@emergence/core';
import { TokenScores, argmaxAt } from './logits.js';
import { ModelError } from './model-error.js';
import { OnnxForward, leftPad, type KV } from './onnx-forward.js';

type Transformers = typeof import('@huggingface/transformers');

export interface TransformersBackendOptions {
  device: Device;
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

/** What a backend spent: milliseconds inside onnxruntime, forward passes, token positions computed. */
export interface BackendStats {
  sessionMs: number;
  forwardPasses: number;
  tokens: number;
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

/** Bound on logits held at once (floats): rows × kept positions × vocab. */
const LOGITS_BUDGET = 48_000_000;

/** Whether `prefix` begins `of`. */
function startsWith(of: number[], prefix: number[]): boolean {
  if (prefix.length > of.length) return false;
  for (let i = 0; i < prefix.length; i++) if (of[i] !== prefix[i]) return false;
  return true;
}

function result(p: Prepared, scores: TokenScores): LoglikelihoodResult {
  return { logprob: scores.lps.reduce((a, x) => a + x, 0), isGreedy: scores.greedy, tokens: p.cont.length, tokenLogprobs: scores.lps, truncated: p.truncated };
}

export class TransformersBackend implements Backend {
  readonly specificationVersion = 1 as const;
  /** Milliseconds spent inside onnxruntime's session.run: the bare cost the harness adds to. */
  sessionMs = 0;
  forwardPasses = 0;

  private constructor(
    private readonly spec: ModelSpec,
    private readonly options: TransformersBackendOptions,
    private readonly tokenizer: Awaited<ReturnType<Transformers['AutoTokenizer']['from_pretrained']>>,
    private readonly model: Awaited<ReturnType<Transformers['AutoModelForCausalLM']['from_pretrained']>>,
    private readonly net: OnnxForward,
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
    const net = OnnxForward.of(tjs, model, options.device, spec.id);
    const padId = Number(config.pad_token_id ?? ([] as unknown[]).concat(config.eos_token_id ?? 0)[0]);
    const vocab = Number(config.vocab_size ?? 50_257);
    const eos = ([] as unknown[]).concat(config.eos_token_id ?? []).map(Number);
    const backend = new TransformersBackend(spec, options, tokenizer, model, net, contextLength, padId, vocab, eos);
    // Time onnxruntime itself, so the harness's overhead can be measured against it.
    const session = (model as unknown as { sessions: Record<string, { run: (...a: unknown[]) => Promise<unknown> }> }).sessions.model!;
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

  /** Time inside onnxruntime, passes, and token positions computed: what `pnpm perf` compares against. */
  async stats(): Promise<BackendStats> {
    return { sessionMs: this.sessionMs, forwardPasses: this.forwardPasses, tokens: this.net.tokens };
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

  /**
   * Token ids of `text` (with the tokenizer's special tokens). Remembered
   * within one call: a generation's prompt is also its target's context
   * unless it ends in whitespace, and choices repeat their context.
   */
  private encode(text: string): number[] {
    let ids = this.encoded.get(text);
    if (!ids) {
      ids = this.tokenizer.encode(text, { add_special_tokens: true });
      this.encoded.set(text, ids);
    }
    return ids;
  }

  /** Texts encoded during the current call (cleared as each call begins, so it never outgrows one batch of requests). */
  private readonly encoded = new Map<string, number[]>();

  /** Most rows in one pass that keeps `positions` logits per row. */
  private rowsFor(positions: number): number {
    return Math.max(1, Math.min(this.options.batchSize ?? 16, Math.floor(LOGITS_BUDGET / (positions * this.vocab))));
  }

  private prepare(requests: LoglikelihoodRequest[]): Prepared[] {
    return requests.map((r, index) => {
      // lm-evaluation-harness's split: the context's trailing whitespace belongs to
      // the continuation, whose tokens are those the joint encoding adds after the
      // context's (for BPE/SentencePiece a separate encoding can differ; for bytes not).
      const kept = r.context.trimEnd();
      const context = kept;
      const continuation = r.context.slice(kept.length) + r.continuation;
      let ctx = this.encode(context);
      const whole = this.encode(context + continuation);
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
    this.encoded.clear();
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
    for (let start = 0; start < ordered.length; ) {
      // The pass over the contexts keeps one position of logits per row where the export allows it.
      const rows = this.rowsFor(this.net.keepsLogits ? 1 : ordered[start]![0]!.ctx.length);
      const batch = ordered.slice(start, start + rows);
      start += batch.length;
      await this.scoreBatch(batch, results);
    }
    return results;
  }

  private async scoreBatch(batch: Prepared[][], results: LoglikelihoodResult[]): Promise<void> {
    const padded = leftPad(
      batch.map((g) => g[0]!.ctx),
      this.pad,
    );
    // The pass over the contexts hands its cache to JavaScript only when a continuation goes on past one token.
    const tailing = batch.some((g) => g.some((p) => p.cont.length > 1));
    const first = await this.net.run(padded.rows, padded.mask, padded.positions, null, 1, tailing);
    const scores = new Map<number, TokenScores>();
    const tails: Tail[] = [];
    batch.forEach((g, b) => {
      for (const p of g) {
        const s = new TokenScores();
        s.add(first.logits, ((b + 1) * first.width - 1) * first.vocab, first.vocab, p.cont[0]!);
        scores.set(p.index, s);
        // Continuations longer than one token go through a second pass on top of the shared cache.
        if (p.cont.length > 1) tails.push({ row: b, mask: padded.mask[b]!, tokens: p.cont.slice(0, -1), start: p.ctx.length, targets: p.cont.slice(1), scores: s });
      }
    });
    await this.scoreTails(first.present, padded.mask, tails);
    this.net.release(first.present);
    for (const g of batch) for (const p of g) results[p.index] = result(p, scores.get(p.index)!);
  }

  /**
   * Score each tail's `targets` by running its `tokens` on top of row `row`
   * of a cached pass whose rows had masks `masks` (positions `start`…; the
   * cache's columns that a tail's own `mask` leaves out are not attended to).
   *
   * Round r runs each row's r-th tail on the whole cache as it is: the
   * cache is read in place, never copied (copying it per choice was a fifth
   * of a 4-layer rung's log-likelihood time). A row without an r-th tail
   * runs masked padding. Where a round's logits would pass the budget (long
   * continuations, large vocabularies), its tails go in smaller batches on
   * copies of their rows instead.
   */
  private async scoreTails(present: KV, masks: number[][], tails: Tail[]): Promise<void> {
    const byRow = new Map<number, Tail[]>();
    for (const t of tails) {
      const list = byRow.get(t.row);
      if (list) list.push(t);
      else byRow.set(t.row, [t]);
    }
    const rounds = Math.max(0, ...[...byRow.values()].map((l) => l.length));
    for (let r = 0; r < rounds; r++) {
      const round = masks.map((_, b) => byRow.get(b)?.[r]);
      const M = Math.max(...round.map((t) => t?.tokens.length ?? 0));
      if (this.rowsFor(M) >= masks.length) {
        await this.runTails(present, round.map((t, b) => t ?? { row: b, mask: masks[b]!, tokens: [], start: 0, targets: [], scores: null }), M);
        continue;
      }
      const some = round.filter((t): t is Tail => t !== undefined);
      const rows = this.rowsFor(M);
      for (let s = 0; s < some.length; s += rows) {
        const chunk = some.slice(s, s + rows);
        await this.runTails(await this.net.gatherPast(present, chunk.map((t) => t.row)), chunk, M);
      }
    }
  }

  /** One pass of `tails`, row i on row i of `past`, each padded to `M` tokens. */
  private async runTails(past: KV, tails: (Omit<Tail, 'scores'> & { scores: TokenScores | null })[], M: number): Promise<void> {
    const inRows = tails.map((t) => [...t.tokens, ...Array<number>(M - t.tokens.length).fill(this.pad)]);
    const inMask = tails.map((t) => [...t.mask, ...Array.from({ length: M }, (_, j) => (j < t.tokens.length ? 1 : 0))]);
    // Padding columns (past a shorter tail's end) are masked out, but their
    // position ids must still exist: start + j can pass the window there.
    const inPos = tails.map((t) => Array.from({ length: M }, (_, j) => (j < t.tokens.length ? t.start + j : 0)));
    const out = await this.net.run(inRows, inMask, inPos, past, 0, false);
    tails.forEach((t, r) => {
      for (let j = 0; j < t.targets.length; j++) t.scores!.add(out.logits, (r * out.width + out.width - M + j) * out.vocab, out.vocab, t.targets[j]!);
    });
  }

  async generate(requests: GenerateRequest[]): Promise<GenerateResult[]> {
    this.encoded.clear();
    const results = new Array<GenerateResult>(requests.length);
    for (const r of requests) {
      if (!Number.isInteger(r.maxTokens) || r.maxTokens < 0 || r.maxTokens >= this.contextLength) {
        // Never slice the prompt to nothing: a budget that fills the window is the task's error, not garbage output.
        throw new Error(`a generation budget of ${r.maxTokens} tokens does not fit the ${this.contextLength}-token window with room for a prompt; lower the task's maxTokens below ${this.contextLength}`);
      }
    }
    // Continuations that cannot be read from their generation's pass (see `fusable`) are scored apart, afterwards.
    const apart: { i: number; requests: LoglikelihoodRequest[] }[] = [];
    const scoreApart = (i: number, r: GenerateRequest) => {
      if (r.continuations?.length) apart.push({ i, requests: r.continuations.map((continuation) => ({ context: r.prompt, continuation })) });
    };
    // Similar token budgets, then similar prompt lengths, share a batch: a row
    // never waits many steps for a longer budget, and padding stays small.
    const order = requests
      .map((r, i) => {
        const ids = this.encode(r.prompt);
        // A tokenizer that adds no BOS gives an empty prompt nothing to condition on: start from end-of-text, as scoring does.
        return { r, i, ids: ids.length ? ids : [this.eos[0] ?? this.pad] };
      })
      .filter((o) => {
        if (o.r.maxTokens > 0) return true;
        results[o.i] = { text: '', truncated: 0 };
        scoreApart(o.i, o.r);
        return false;
      })
      .sort((a, b) => b.r.maxTokens - a.r.maxTokens || b.ids.length - a.ids.length);
    const maxRows = this.options.batchSize ?? 16;
    for (let s = 0; s < order.length; ) {
      // The pass over the prompts returns logits for one position per row where the export keeps
      // logits, for every position otherwise: rows are bounded by what that pass holds.
      const longest = Math.max(...order.slice(s, s + maxRows).map((o) => Math.min(o.ids.length, this.contextLength)));
      const rows = this.rowsFor(this.net.keepsLogits ? 1 : longest);
      const chunk = order.slice(s, s + rows).map((c) => {
        // Each row keeps as much prompt as its own budget allows, whatever its neighbours' budgets.
        const room = this.contextLength - c.r.maxTokens;
        const truncated = Math.max(0, c.ids.length - room);
        const ids = c.ids.slice(truncated);
        const scored = this.fusable(c.r, ids, truncated);
        if (!scored) scoreApart(c.i, c.r);
        return { ...c, ids, truncated, scored, generated: [] as number[], text: '' };
      });
      s += chunk.length;
      await this.generateChunk(chunk);
      for (const p of chunk) results[p.i] = { text: p.text, truncated: p.truncated, ...(p.scored ? { loglikelihoods: p.scored.map((x) => result(x.prepared, x.scores)) } : {}) };
    }
    if (apart.length) {
      const ll = await this.loglikelihood(apart.flatMap((a) => a.requests));
      let offset = 0;
      for (const a of apart) {
        results[a.i]!.loglikelihoods = ll.slice(offset, offset + a.requests.length);
        offset += a.requests.length;
      }
    }
    return results;
  }

  /**
   * The continuations of `r` as scored requests, when their context is where
   * the generation's own prompt begins (so the pass over the prompt serves
   * both); null when it is not (the prompt or a context was cut to fit, or
   * the tokeniser splits them differently), and those are scored apart.
   */
  private fusable(r: GenerateRequest, ids: number[], truncated: number): { prepared: Prepared; scores: TokenScores }[] | null {
    if (!r.continuations?.length || truncated > 0) return null;
    const prepared = this.prepare(r.continuations.map((c) => ({ context: r.prompt, continuation: c })));
    if (!prepared.every((p) => p.truncated === 0 && startsWith(ids, p.ctx))) return null;
    return prepared.map((p) => ({ prepared: p, scores: new TokenScores() }));
  }

  private async generateChunk(
    prepared: { r: GenerateRequest; ids: number[]; scored: { prepared: Prepared; scores: TokenScores }[] | null; generated: number[]; text: string }[],
  ): Promise<void> {
    const padded = leftPad(
      prepared.map((p) => p.ids),
      this.pad,
    );
    let { mask, positions } = padded;
    // Generation reads the last position; a continuation scored from this pass
    // needs its logits from the end of its context on.
    const keep = Math.max(1, ...prepared.flatMap((p) => (p.scored ?? []).map((x) => p.ids.length - x.prepared.ctx.length + 1)));
    let out = await this.net.run(padded.rows, mask, positions, null, keep);
    await this.scoreFromPrompt(prepared, padded.mask, out);
    // Rows still generating; batch row b is prepared[active[b]].
    let active = prepared.map((_, b) => b);
    for (;;) {
      const next = active.map((_, b) => argmaxAt(out.logits, ((b + 1) * out.width - 1) * out.vocab, out.vocab));
      const keepGoing = active.map((row, b) => {
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
      if (!keepGoing.includes(true)) {
        this.net.release(out.present);
        break;
      }
      let past = out.present;
      let tokens = next;
      if (keepGoing.includes(false)) {
        // Finished rows leave the batch, so no step is spent on them.
        const stay = keepGoing.flatMap((k, b) => (k ? [b] : []));
        const all = past;
        past = await this.net.gatherPast(all, stay);
        this.net.release(all);
        active = stay.map((b) => active[b]!);
        tokens = stay.map((b) => next[b]!);
        mask = stay.map((b) => mask[b]!);
        positions = stay.map((b) => positions[b]!);
      }
      positions = positions.map((p) => [p[p.length - 1]! + 1]);
      mask = mask.map((m) => [...m, 1]);
      out = await this.net.run(
        tokens.map((t) => [t]),
        mask,
        positions,
        past,
        1,
      );
      this.net.release(past);
    }
  }

  /**
   * Continuation log-probabilities from the generation's pass over the
   * prompt. Where the prompt goes on as the continuation does (byte
   * tokenisers: a trailing space), those logits are already here; the rest
   * of the continuation runs on top of the prompt's cache, with the prompt's
   * columns after the shared part masked out.
   */
  private async scoreFromPrompt(
    prepared: { ids: number[]; scored: { prepared: Prepared; scores: TokenScores }[] | null }[],
    mask: number[][],
    out: { logits: Float32Array; vocab: number; width: number; present: KV },
  ): Promise<void> {
    const L = mask[0]!.length;
    const tails: Tail[] = [];
    prepared.forEach((p, b) => {
      for (const { prepared: x, scores } of p.scored ?? []) {
        const whole = [...x.ctx, ...x.cont];
        let shared = x.ctx.length;
        while (shared < p.ids.length && shared < whole.length && p.ids[shared] === whole[shared]) shared++;
        // Position j's logits predict whole[j + 1]; those up to shared − 1 come from the prompt's pass.
        const last = Math.min(shared, whole.length - 1);
        for (let j = x.ctx.length - 1; j < last; j++) scores.add(out.logits, (b * out.width + out.width - p.ids.length + j) * out.vocab, out.vocab, whole[j + 1]!);
        if (last < whole.length - 1) {
          const rowMask = mask[b]!.map((m, c) => (c < L - p.ids.length + shared ? m : 0));
          tails.push({ row: b, mask: rowMask, tokens: whole.slice(shared, -1), start: shared, targets: whole.slice(shared + 1), scores });
        }
      }
    });
    await this.scoreTails(out.present, mask, tails);
  }
}

/** A continuation's remaining tokens, to run on top of one row of a cached pass. */
interface Tail {
  row: number;
  mask: number[];
  tokens: number[];
  start: number;
  targets: number[];
  scores: TokenScores;
}
