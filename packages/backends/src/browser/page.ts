// Runs in the browser page: transformers.js on onnxruntime-web (wasm or
// webgpu), driven by the same TransformersBackend as in Node. Bundled by
// esbuild and served from 127.0.0.1 with the model and wasm files.
import * as tjs from '@huggingface/transformers';
import type { ModelSpec } from '@emergence/core';
import { answer, encodeError, type LoadReply, type RemoteReply, type RemoteRequest } from '../remote.js';
import { TransformersBackend } from '../transformers-backend.js';
import { browserName, configureOnnxWeb, webgpuAdapterInfo } from './page-runtime.js';

/** What the browser backend asks the page to load. */
export interface PageLoadArgs {
  spec: ModelSpec;
  device: 'wasm' | 'webgpu';
  dtype: string;
  threads: number;
  batchSize?: number;
}

let backend: TransformersBackend | null = null;

/** What the page offers the browser backend (browser-backend.ts) as `globalThis.bench`: the remote protocol (remote.ts). */
export interface PageApi {
  load(args: PageLoadArgs): Promise<LoadReply>;
  call(request: RemoteRequest): Promise<RemoteReply>;
}

const api: PageApi = {
  async load(args) {
    try {
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
      return { ok: true, description: backend.describe() };
    } catch (err) {
      return { ok: false, error: encodeError(err) };
    }
  },
  async call(request) {
    if (!backend) return { id: request.id, ok: false, error: { name: 'Error', message: 'no model is loaded in the page' } };
    const reply = await answer(backend, request);
    if (request.method === 'dispose') backend = null;
    return reply;
  },
};

(globalThis as unknown as { bench: PageApi }).bench = api;
document.title = 'emergence-bench runner ready';
