// Exact parameter counts read from an ONNX file: the graph's floating-point
// initializers, with the token/position embeddings and the unembedding told
// apart by shape (vocabulary × hidden size from config.json) and by name, and
// a tied unembedding (the embedding stored again, transposed, for MatMul)
// counted once; buffers (rotary cos/sin tables, causal masks) left out. A minimal protobuf reader: only the fields needed
// (ModelProto.graph → GraphProto.initializer → TensorProto dims, data_type, name).
import { readFileSync } from 'node:fs';

interface Field {
  field: number;
  wire: number;
  value?: bigint;
  start?: number;
  end?: number;
}

function* fieldsOf(b: Uint8Array, start: number, end: number): Generator<Field> {
  let p = start;
  const varint = (): bigint => {
    let x = 0n;
    let shift = 0n;
    for (;;) {
      if (p >= end) throw new Error('truncated protobuf varint');
      const c = b[p++]!;
      x |= BigInt(c & 0x7f) << shift;
      shift += 7n;
      if (c < 0x80) return x;
    }
  };
  while (p < end) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, wire, value: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      yield { field, wire, start: p, end: p + len };
      p += len;
    } else if (wire === 1) p += 8;
    else if (wire === 5) p += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

function packedVarints(b: Uint8Array, start: number, end: number): number[] {
  const out: number[] = [];
  let p = start;
  while (p < end) {
    let x = 0;
    let scale = 1;
    for (;;) {
      const c = b[p++]!;
      x += (c & 0x7f) * scale;
      scale *= 128;
      if (c < 0x80) break;
    }
    out.push(x);
  }
  return out;
}

export interface Initializer {
  name: string;
  dims: number[];
  /** ONNX TensorProto.DataType: 1 float, 10 float16, 11 double, 16 bfloat16; 2–7, 9, 12, 13 integers and bool. */
  dataType: number;
  elements: number;
}

/** Float element types: what parameters are stored as (integers are shapes, indices, quantized weights). */
export const floatTypes = new Set([1, 10, 11, 16]);

export function onnxInitializers(file: string): Initializer[] {
  const b = readFileSync(file);
  let graph: Field | undefined;
  for (const f of fieldsOf(b, 0, b.length)) if (f.field === 7 && f.wire === 2) graph = f;
  if (!graph) throw new Error(`${file}: no graph (not an ONNX model file?)`);
  const out: Initializer[] = [];
  for (const f of fieldsOf(b, graph.start!, graph.end!)) {
    if (f.field !== 5 || f.wire !== 2) continue;
    const t: Initializer = { name: '', dims: [], dataType: 0, elements: 0 };
    for (const x of fieldsOf(b, f.start!, f.end!)) {
      if (x.field === 1 && x.wire === 0) t.dims.push(Number(x.value));
      else if (x.field === 1 && x.wire === 2) t.dims.push(...packedVarints(b, x.start!, x.end!));
      else if (x.field === 2 && x.wire === 0) t.dataType = Number(x.value);
      else if (x.field === 8 && x.wire === 2) t.name = Buffer.from(b.subarray(x.start!, x.end!)).toString('utf8');
    }
    t.elements = t.dims.reduce((a, d) => a * d, 1);
    out.push(t);
  }
  return out;
}

/** Buffers exporters store as float initializers that are not parameters: rotary tables, causal masks. */
const bufferName = /(^|[._/:])(inv_freq|cos_cached|sin_cached|cos_table|sin_table|rotary_emb|masked_bias|causal_mask)([._/:]|$)|(^|[./])attn\.bias$|(^|[._/])(Cos|Sin)_/;

const embeddingName = /(^|[._/])(wte|wpe|embed_tokens|embed_in|embed_out|embed_positions|word_embeddings|position_embeddings|lm_head)([._/]|$)/;

export interface ParameterCount {
  params: number;
  nonEmbeddingParams: number;
  /** Initializers counted as embedding or unembedding, and tied copies left out, for the user to check. */
  embeddings: string[];
  tiedCopies: string[];
  /** Float initializers left out as buffers (rotary tables, masks). */
  buffers: string[];
}

/**
 * Counts the parameters of an ONNX export. `vocab` and `hidden` (from
 * config.json) identify the embedding and unembedding matrices by shape when
 * the exporter renamed them (`onnx::MatMul_165`); with tied embeddings every
 * vocabulary-shaped matrix after the first is the same parameters again.
 */
export function countParameters(inits: Initializer[], config: { vocab: number; hidden: number; tied: boolean }): ParameterCount {
  let params = 0;
  let embedding = 0;
  const embeddings: string[] = [];
  const tiedCopies: string[] = [];
  const buffers: string[] = [];
  let vocabMatrices = 0;
  for (const t of inits) {
    // Scalars are constants a graph folds in (a scale, an epsilon), not learned weights.
    if (!floatTypes.has(t.dataType) || t.elements === 0 || t.dims.length === 0) continue;
    if (bufferName.test(t.name)) {
      buffers.push(t.name);
      continue;
    }
    const vocabShaped = t.dims.length === 2 && ((t.dims[0] === config.vocab && t.dims[1] === config.hidden) || (t.dims[0] === config.hidden && t.dims[1] === config.vocab));
    if (vocabShaped) {
      vocabMatrices++;
      if (config.tied && vocabMatrices > 1) {
        tiedCopies.push(t.name);
        continue;
      }
    }
    params += t.elements;
    if (vocabShaped || embeddingName.test(t.name)) {
      embedding += t.elements;
      embeddings.push(t.name);
    }
  }
  return { params, nonEmbeddingParams: params - embedding, embeddings, tiedCopies, buffers };
}
