// Runs in the browser page: transformers.js on onnxruntime-web (wasm or
// webgpu), driven by the same TransformersBackend as in Node. Bundled by
// esbuild and served from 127.0.0.1 with the model and wasm files.
import * as tjs from '@huggingface/transformers';
import type { GenerateRequest, LoglikelihoodRequest, ModelSpec } from '@emergence/core';
import { TransformersBackend } from '../transformers-backend.js';

interface LoadArgs {
  spec: ModelSpec;
  device: 'wasm' | 'webgpu';
  dtype: string;
  threads: number;
  batchSize?: number;
}

let backend: TransformersBackend | null = null;

async function adapterInfo(): Promise<Record<string, string>> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, unknown>; isFallbackAdapter?: boolean; features: Set<string> } | null> } }).gpu;
  if (!gpu) return { webgpu: 'unavailable' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { webgpu: 'no adapter' };
  const info = adapter.info ?? {};
  const fallback = adapter.isFallbackAdapter === true || /swiftshader/i.test(`${String(info.vendor)} ${String(info.architecture)} ${String(info.description)}`);
  return {
    webgpuAdapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown',
    webgpuFallback: String(fallback),
    webgpuFp16: String(adapter.features.has('shader-f16')),
  };
}

const api = {
  async load(args: LoadArgs) {
    const onnx = tjs.env.backends.onnx as { wasm?: { wasmPaths?: string; numThreads?: number } };
    // Local wasm files, never a CDN.
    onnx.wasm!.wasmPaths = `${location.origin}/ort/`;
    onnx.wasm!.numThreads = args.threads;
    tjs.env.useBrowserCache = false;
    const extra = args.device === 'webgpu' ? await adapterInfo() : {};
    backend = await TransformersBackend.create(
      tjs,
      args.spec,
      {
        device: args.device,
        dtype: args.dtype,
        offline: true,
        batchSize: args.batchSize,
        runtime: { transformers: tjs.env.version, browser: navigator.userAgent.match(/Chrom(e|ium)\/[\d.]+/)?.[0] ?? navigator.userAgent, threads: String(args.threads), ...extra },
      },
      // A path, not a URL: transformers.js checks local files only for non-URL paths.
      { id: args.spec.id, localRoot: '/models/' },
    );
    return backend.describe();
  },
  loglikelihood: (requests: LoglikelihoodRequest[]) => backend!.loglikelihood(requests),
  generate: (requests: GenerateRequest[]) => backend!.generate(requests),
  stats: () => ({ sessionMs: backend!.sessionMs, forwardPasses: backend!.forwardPasses }),
  async dispose() {
    await backend?.dispose();
    backend = null;
  },
};

(globalThis as unknown as { bench: typeof api }).bench = api;
document.title = 'emergence-bench runner ready';
