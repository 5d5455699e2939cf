// One forward pass of a transformers.js causal LM, driven by hand: inputs
// packed into int64 tensors, the key/value cache carried between passes,
// and only the logits the caller will read (`num_logits_to_keep`).
import { ModelError } from './model-error.js';

type Transformers = typeof import('@huggingface/transformers');
export type TjsTensor = InstanceType<Transformers['Tensor']>;
export type KV = Record<string, TjsTensor>;
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

export class OnnxForward {
  /** Whether the export takes `num_logits_to_keep` (recent Hub exports and the tiny ladder do). */
  readonly keepsLogits: boolean;
  /** Token positions run through the model so far (rows × sequence length, summed over passes). */
  tokens = 0;

  constructor(
    private readonly tjs: Transformers,
    private readonly model: CausalLM,
    private readonly device: string,
    inputNames: string[],
  ) {
    this.keepsLogits = inputNames.includes('num_logits_to_keep');
  }

  tensor(type: string, data: BigInt64Array | Float32Array | Uint16Array, dims: number[]): TjsTensor {
    return new (this.tjs.Tensor as unknown as new (type: string, data: unknown, dims: number[]) => TjsTensor)(type, data, dims);
  }

  /**
   * One pass over `rows` (each `mask` row covers past + rows). `keep` is how
   * many trailing positions of logits to return (0: all); a model without
   * the input returns all, and `width` says which.
   */
  async run(rows: number[][], mask: number[][], positions: number[][], past: KV | null, keep: number): Promise<ForwardOutput> {
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
    const inputs: Record<string, unknown> = {
      input_ids: this.tensor('int64', ids, [B, S]),
      attention_mask: this.tensor('int64', am, [B, T]),
      position_ids: this.tensor('int64', pos, [B, S]),
    };
    if (this.keepsLogits) inputs.num_logits_to_keep = this.tensor('int64', BigInt64Array.of(BigInt(keep >= S ? 0 : keep)), []);
    if (past) inputs.past_key_values = past;
    const run = () => (this.model as unknown as { forward(x: unknown): Promise<Record<string, TjsTensor>> }).forward(inputs);
    let out: Record<string, TjsTensor>;
    try {
      out = await run();
    } catch (err) {
      // onnxruntime-web 1.30 now and then fails to read back a run's outputs ("Reading data from
      // non-tensor typed value", seen in long wasm runs of the icl suite on the tiny ladder and the
      // twins alike); the same inputs run again succeed and equal cpu within 2e-6. Retry that once.
      if (this.device !== 'wasm' || !/non-tensor typed value/.test((err as Error).message)) throw err;
      out = await run();
    }
    // fp16 exports (the Hub's model_fp16.onnx) return float16 logits, held as 16-bit words: widen them before reading.
    const logits = out.logits!.type === 'float16' ? out.logits!.to('float32') : out.logits!;
    const present: KV = {};
    for (const [name, t] of Object.entries(out)) if (name.startsWith('present')) present[name.replace('present', 'past_key_values')] = t;
    return { logits: logits.data as Float32Array, vocab: logits.dims[2]!, width: logits.dims[1]!, present };
  }

  /** Rows `index` of every cache tensor ([B, H, P, D] → [R, H, P, D]). */
  async gatherPast(past: KV, index: number[]): Promise<KV> {
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
}

/** A model error for a session that lacks what the backend drives (a decoder without a cache). */
export function sessionInputs(model: CausalLM, spec: string): string[] {
  const session = (model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model;
  if (!session) throw new ModelError(spec, 'the ONNX export has no decoder session named "model"', 'export the model with a key/value cache (past_key_values inputs)');
  return session.inputNames;
}
