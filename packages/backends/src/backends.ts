// Which Backend serves a (model, device): a list of factories, each in its own
// file, asked in order. Adding a backend is its file plus one line here.
import type { ModelSpec } from '@emergence/core';
import type { BackendFactory, NodeBackendOptions } from './backend-factory.js';
import { browserBackend } from './browser/browser-backend.js';
import { cpuBackend } from './cpu-backend.js';
import { ModelError, fetchModel } from './model-source.js';
import type { TimedBackend } from './proxy-backend.js';
import { wasmNodeBackend } from './wasm-backend.js';

export { checkAgainstCpu } from './browser/browser-backend.js';
export { locate, type BackendFactory, type NodeBackendOptions } from './backend-factory.js';
export type { TimedBackend };

/** Every backend, first match wins: cpu in this process, webgpu or wasm in Chromium, wasm in a child process. */
export const backendFactories: readonly BackendFactory[] = [cpuBackend, browserBackend, wasmNodeBackend];

export async function loadBackend(spec: ModelSpec, options: NodeBackendOptions): Promise<TimedBackend> {
  await fetchModel(spec, options);
  const factory = backendFactories.find((f) => f.accepts(spec, options));
  if (!factory) throw new ModelError(spec.id, `no backend runs device ${options.device}${options.host ? ` with runtime ${options.host}` : ''}`, 'use --device cpu, wasm or webgpu');
  return factory.create(spec, options);
}
