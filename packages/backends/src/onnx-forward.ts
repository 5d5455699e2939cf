// One forward pass of a transformers.js causal LM, driven by hand: inputs
// packed into int64 tensors, the key/value cache carried between passes,
// and only the logits the caller will read (`num_logits_to_keep`).
import { ModelError } from './model-error.js';

type Transformers = typeof import('@huggingface/transformers');
type CausalLM = Awaited<ReturnType<Transformers['AutoModelForCausalLM']['from_pretrained']>>;

export interface ForwardOutput {
  /** [rows, width, vocab]: the last `width` positions of each row. */
  logits: Float32Array;
  vocab: number;
  width: number;
  present: KV;
}

/** Rows padded on the left to one length, with their attention mask and position ids. */
export interface LeftPadded {
  rows: number[][];
  mask: number[][];
  positions: number[][];
  length: number;
}

export function leftPad(sequences: number[][], pad: number): LeftPadded {
  const length = Math.max(...sequences.map((s) => s.length));
  return {
    length,
    rows: sequences.map((s) => [...Array<number>(length - s.length).fill(pad), ...s]),
    mask: sequences.map((s) => [...Array<number>(length - s.length).fill(0), ...Array<number>(s.length).fill(1)]),
    positions: sequences.map((s) => [...Array<number>(length - s.length).fill(0), ...s.map((_, i) => i)]),
  };
}

/** onnxruntime's tensor and session, as transformers.js holds them (onnxruntime-node, or -web in a browser). */
interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
  readonly location?: string;
  getData(release?: boolean): Promise<unknown>;
  dispose(): void;
}
export type KV = Record<string, OrtTensor>;
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly { name: string; type?: string; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, OrtTensor>, fetches?: readonly string[]): Promise<Record<string, OrtTensor>>;
}

const KNOWN_INPUTS = /^(input_ids|attention_mask|position_ids|num_logits_to_keep|past_key_values\.\d+\.(key|value))$/;

/**
 * Drives onnxruntime's session directly (not transformers.js's forward):
 * each pass fetches only the outputs it reads, so a pass whose key/value
 * cache nobody uses hands none of it to JavaScript, and nothing is wrapped
 * or validated twice. Passes run one at a time, as onnxruntime-web needs.
 */
export class OnnxForward {
  /** Whether the export takes `num_logits_to_keep` (recent Hub exports and the tiny ladder do). */
  readonly keepsLogits: boolean;
  /** Whether the export takes position ids (some compute them from the mask). */
  private readonly takesPositions: boolean;
  /** Token positions run through the model so far (rows × sequence length, summed over passes). */
  tokens = 0;
  private readonly pastNames: string[];
  private readonly presentNames: string[];
  /** The empty cache a first pass starts from: per input, [heads, head size] and element type. */
  private readonly pastShape: Map<string, { heads: number; size: number; type: string }>;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly tjs: Transformers,
    private readonly session: OrtSession,
    private readonly device: string,
    pastShape: Map<string, { heads: number; size: number; type: string }>,
  ) {
    this.keepsLogits = session.inputNames.includes('num_logits_to_keep');
    this.takesPositions = session.inputNames.includes('position_ids');
    this.pastNames = session.inputNames.filter((n) => n.startsWith('past_key_values.'));
    this.presentNames = this.pastNames.map((n) => n.replace('past_key_values', 'present'));
    this.pastShape = pastShape;
  }

  /**
   * The model's decoder session, when it is one this class can drive: the
   * usual inputs only, a `present.*` output for each `past_key_values.*`
   * input, and a fixed [batch, heads, length, size] cache layout.
   */
  static of(tjs: Transformers, model: CausalLM, device: string, spec: string): OnnxForward {
    const session = (model as unknown as { sessions: Record<string, OrtSession> }).sessions.model;
    if (!session) throw new ModelError(spec, 'the ONNX export has no decoder session named "model"', 'export the model with a key/value cache (past_key_values inputs)');
    const unknown = session.inputNames.filter((n) => !KNOWN_INPUTS.test(n));
    const shape = new Map<string, { heads: number; size: number; type: string }>();
    for (const m of session.inputMetadata ?? []) {
      const [, heads, , size] = m.shape ?? [];
      if (m.name.startsWith('past_key_values.') && typeof heads === 'number' && typeof size === 'number') shape.set(m.name, { heads, size, type: m.type ?? 'float32' });
    }
    const past = session.inputNames.filter((n) => n.startsWith('past_key_values.'));
    const drivable =
      unknown.length === 0 &&
      past.length > 0 &&
      past.every((n) => shape.has(n) && session.outputNames.includes(n.replace('past_key_values', 'present'))) &&
      session.outputNames.includes('logits');
    if (!drivable) {
      throw new ModelError(
        spec,
        `the ONNX export's decoder has inputs or outputs this backend does not drive (${[...unknown, ...(past.length ? [] : ['no past_key_values.* inputs'])].join(', ') || 'a cache without fixed heads and head size'})`,
        'export a causal LM with past_key_values.N.key/value inputs and present.N.key/value outputs (optimum-cli export onnx --task text-generation-with-past)',
      );
    }
    return new OnnxForward(tjs, session, device, shape);
  }

  private tensor(type: string, data: BigInt64Array | Float32Array | Uint16Array, dims: number[]): OrtTensor {
    return (new (this.tjs.Tensor as unknown as new (type: string, data: unknown, dims: number[]) => { ort_tensor: OrtTensor })(type, data, dims)).ort_tensor;
  }

  private emptyPast(rows: number): KV {
    const out: KV = {};
    for (const name of this.pastNames) {
      const { heads, size, type } = this.pastShape.get(name)!;
      out[name] = this.tensor(type, type === 'float16' ? new Uint16Array(0) : new Float32Array(0), [rows, heads, 0, size]);
    }
    return out;
  }

  /**
   * One pass over `rows` (each `mask` row covers past + rows). `keep` is how
   * many trailing positions of logits to return (0: all); a model without
   * the input returns all, and `width` says which. Without `cache`, the
   * pass's key/value cache is not fetched (`present` is empty).
   */
  async run(rows: number[][], mask: number[][], positions: number[][], past: KV | null, keep: number, cache = true): Promise<ForwardOutput> {
    const B = rows.length;
    const S = rows[0]!.length;
    const T = mask[0]!.length;
    this.tokens += B * S;
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
    const feeds: Record<string, OrtTensor> = {
      input_ids: this.tensor('int64', ids, [B, S]),
      attention_mask: this.tensor('int64', am, [B, T]),
      ...(this.takesPositions ? { position_ids: this.tensor('int64', pos, [B, S]) } : {}),
      ...(past ?? this.emptyPast(B)),
    };
    if (this.keepsLogits) feeds.num_logits_to_keep = this.tensor('int64', BigInt64Array.of(BigInt(keep >= S ? 0 : keep)), []);
    const fetches = cache ? ['logits', ...this.presentNames] : ['logits'];
    const run = () => this.session.run(feeds, fetches);
    // One run at a time: onnxruntime-web refuses overlapping runs, and on a CPU they would only share its threads.
    const turn = this.queue.then(async () => {
      try {
        return await run();
      } catch (err) {
        // onnxruntime-web 1.30 now and then fails to read back a run's outputs ("Reading data from
        // non-tensor typed value", seen in long wasm runs of the icl suite on the tiny ladder and the
        // twins alike); the same inputs run again succeed and equal cpu within 2e-6. Retry that once.
        if (this.device !== 'wasm' || !/non-tensor typed value/.test((err as Error).message)) throw err;
        return await run();
      }
    });
    this.queue = turn.catch(() => undefined);
    const out = await turn;
    const present: KV = {};
    if (cache) for (const name of this.pastNames) present[name] = out[name.replace('past_key_values', 'present')]!;
    const logits = out.logits!;
    // fp16 exports (the Hub's model_fp16.onnx) return float16 logits, held as 16-bit words: widen them before reading.
    const data = logits.type === 'float16' ? ((new this.tjs.Tensor(logits as never) as unknown as { to(t: string): { data: Float32Array } }).to('float32').data) : (logits.data as Float32Array);
    return { logits: data, vocab: logits.dims[2]!, width: logits.dims[1]!, present };
  }

  /** Rows `index` of every cache tensor ([B, H, P, D] → [R, H, P, D]). */
  async gatherPast(past: KV, index: number[]): Promise<KV> {
    const out: KV = {};
    for (const [name, t] of Object.entries(past)) {
      const [, H, P, D] = t.dims as [number, number, number, number];
      const row = H * P * D;
      // On WebGPU the cache lives on the GPU: copy it back to gather rows, and free the GPU
      // buffer as it is read (getData(true)); the tensor stays usable, on the CPU.
      const src = (t.location === 'gpu-buffer' ? await t.getData(true) : t.data) as Float32Array | Uint16Array;
      // Keep the cache's own element type: fp16 exports (fp16, q4f16) carry float16 caches as 16-bit words.
      const dst = new (src.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(index.length * row);
      index.forEach((b, r) => dst.set(src.subarray(b * row, (b + 1) * row) as never, r * row));
      out[name] = this.tensor(t.type, dst, [index.length, H, P, D]);
    }
    return out;
  }

  /** Frees a cache no pass will read again (on WebGPU its buffers live on the GPU until disposed). */
  release(past: KV): void {
    for (const t of Object.values(past)) if (t.location === 'gpu-buffer') t.dispose();
  }
}
