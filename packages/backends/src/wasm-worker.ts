// Child process for the wasm device: transformers.js picks its onnxruntime
// when first imported, so onnxruntime-web is injected here, in a process of
// its own, before transformers.js is imported. (A child process rather than a
// worker thread: tsx's loader reaches child processes through --import.)
// It answers the remote protocol (remote.ts) over IPC.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { locate } from './backend-factory.js';
import { answer, encodeError, type LoadReply, type RemoteReply, type RemoteRequest } from './remote.js';
import { runtimeVersions, transformersEntry } from './runtime.js';
import { TransformersBackend } from './transformers-backend.js';
import type { WasmWorkerData } from './wasm-backend.js';

// Messages from the parent are the protocol's by construction (wasm-backend.ts sends them).
const { spec, options, threads } = await new Promise<WasmWorkerData>((resolve) => process.once('message', (m) => resolve(m as WasmWorkerData)));
const send = (m: LoadReply | RemoteReply) => process.send!(m);
const ortPath = createRequire(transformersEntry()).resolve('onnxruntime-web');
const ort = (await import(pathToFileURL(ortPath).href)) as { env: { wasm: { wasmPaths: string; numThreads: number } } };
// Local wasm files, never a CDN.
ort.env.wasm.wasmPaths = pathToFileURL(`${dirname(ortPath)}/`).href;
ort.env.wasm.numThreads = threads;
(globalThis as Record<symbol, unknown>)[Symbol.for('onnxruntime')] = ort;
const tjs = await import('@huggingface/transformers');

try {
  const backend = await TransformersBackend.create(tjs, spec, { ...options, device: 'wasm', transformersDevice: 'auto', runtime: runtimeVersions('wasm') }, locate(spec, options));
  send({ ok: true, description: backend.describe() });
  process.on('message', async (request: RemoteRequest) => send(await answer(backend, request)));
} catch (err) {
  send({ ok: false, error: encodeError(err) });
}
