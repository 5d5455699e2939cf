// What a backend factory is, and what every Node backend is given: the
// registry (backends.ts) asks each factory in turn whether it serves a model
// with these options, and the first that does creates the backend.
import { basename, dirname } from 'node:path';
import type { ModelSpec } from '@emergence/core';
import { ModelError, resolveModel } from './model-source.js';
import type { TimedBackend } from './proxy-backend.js';
import type { ModelLocation, TransformersBackendOptions } from './transformers-backend.js';

export type NodeBackendOptions = Omit<TransformersBackendOptions, 'runtime' | 'transformersDevice'> & {
  threads?: number;
  /** Where wasm runs: `node` (default) or `browser` (headless Chromium; webgpu always runs there). */
  host?: 'node' | 'browser';
  /** Skip the browser's start-up comparison with the cpu backend. */
  allowMismatch?: boolean;
};

export interface BackendFactory {
  /** A name for messages and tests (`cpu`, `wasm-node`, `browser`). */
  id: string;
  /** Whether this factory serves the model with these options (device, host). */
  accepts(spec: ModelSpec, options: NodeBackendOptions): boolean;
  /** Loads the model; its files are already on disk (a Hub model in the cache). */
  create(spec: ModelSpec, options: NodeBackendOptions): Promise<TimedBackend>;
}

/** Where transformers.js should load a model from, on this machine. */
export function locate(spec: ModelSpec, options: NodeBackendOptions): ModelLocation {
  // Always a folder: a Hub model's snapshot in the cache, fetched by loadBackend first.
  const where = resolveModel(spec, options.ladderFile, options);
  if (!where.folder) throw new ModelError(spec.id, `${where.hubId} is not in the Hugging Face cache at ${where.cacheDir}`, 'run without --offline to download it');
  return { id: basename(where.folder), localRoot: `${dirname(where.folder)}/` };
}
