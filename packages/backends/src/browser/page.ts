// Runs in the browser page: transformers.js on onnxruntime-web (wasm or
// webgpu), driven by the same TransformersBackend as in Node. Bundled by
// esbuild and served from 127.0.0.1 with the model and wasm files.
import * as tjs from '@huggingface/transformers';
import type { GenerateRequest, LoglikelihoodRequest, ModelSpec } from '@emergence/core';
import { TransformersBackend } from '../transformers-backend.js';
import { browserName, configureOnnxWeb, webgpuAdapterInfo } from './page-runtime.js';

interface LoadArgs {
  spec: ModelSpec;
  device: 'wasm' | 'webgpu';
  dtype: string;
  threads: number;
  batchSize?: number;
}

let backend: TransformersBackend | null = null;

const api = {
  async load(args: LoadArgs) {
    configureOnnxWeb(tjs, args.threads);
    const extra = args.device === 'webgpu' ? await webgpuAdapterInfo() : {};
    backend = await TransformersBackend.create(
      tjs,
      args.spec,
      {
        device: args.device,
        dtype: args.dtype,
        offline: true,
        batchSize: args.batchSize,
        runtime: { transformers: tjs.env.version, browser: browserName(), threads: String(args.threads), ...extra },
      },
      // A path, not a URL: transformers.js checks local files only for non-URL paths.
      { id: args.spec.id, localRoot: '/models/' },
    );
    return backend.describe();
  },
  loglikelihood: (requests: LoglikelihoodRequest[]) => backend!.loglikelihood(requests),
  generate: (requests: GenerateRequest[]) => backend!.generate(requests),
  stats: () => backend!.stats(),
  async dispose() {
    await backend?.dispose();
    backend = null;
  },
};

(globalThis as unknown as { bench: typeof api }).bench = api;
document.title = 'emergence-bench runner ready';
