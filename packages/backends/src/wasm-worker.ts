// Child process for the wasm device: transformers.js picks its onnxruntime
// when first imported, so onnxruntime-web is injected here, in a process of
// its own, before transformers.js is imported. (A child process rather than a
// worker thread: tsx's loader reaches child processes through --import.)
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelSpec } from '@emergence/core';
import { runtimeVersions, transformersEntry } from './runtime.js';
import { locate } from './backends.js';
import { TransformersBackend, type TransformersBackendOptions } from './transformers-backend.js';

export interface WasmWorkerData {
  spec: ModelSpec;
  options: TransformersBackendOptions;
  threads: number;
}

const { spec, options, threads } = await new Promise<WasmWorkerData>((resolve) => process.once('message', (m) => resolve(m as WasmWorkerData)));
const ortPath = createRequire(transformersEntry()).resolve('onnxruntime-web');
const ort = (await import(pathToFileURL(ortPath).href)) as { env: { wasm: { wasmPaths: string; numThreads: number } } };
// Local wasm files, never a CDN.
ort.env.wasm.wasmPaths = pathToFileURL(`${dirname(ortPath)}/`).href;
ort.env.wasm.numThreads = threads;
(globalThis as Record<symbol, unknown>)[Symbol.for('onnxruntime')] = ort;
const tjs = await import('@huggingface/transformers');

const port = { postMessage: (m: unknown) => process.send!(m), on: (e: 'message', f: (m: { id: number; method: 'loglikelihood' | 'generate' | 'dispose' | 'stats'; args: unknown }) => void) => process.on(e, f as (m: unknown) => void) };
try {
  const backend = await TransformersBackend.create(tjs, spec, { ...options, device: 'wasm', transformersDevice: 'auto', runtime: runtimeVersions('wasm') }, locate(spec, options));
  port.postMessage({ kind: 'ready', description: backend.describe() });
  port.on('message', async (msg: { id: number; method: 'loglikelihood' | 'generate' | 'dispose' | 'stats'; args: unknown }) => {
    try {
      let result: unknown;
      if (msg.method === 'loglikelihood') result = await backend.loglikelihood(msg.args as never);
      else if (msg.method === 'generate') result = await backend.generate(msg.args as never);
      else if (msg.method === 'stats') result = await backend.stats();
      else {
        await backend.dispose();
        result = null;
      }
      port.postMessage({ id: msg.id, result });
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error).message });
    }
  });
} catch (err) {
  const e = err as Error & { model?: string; fix?: string; detail?: string };
  port.postMessage({ kind: 'load-error', message: e.detail ?? e.message, name: e.name, model: e.model, fix: e.fix });
}
