// Which Backend serves a (model, device): cpu through onnxruntime-node in this
// process, wasm through onnxruntime-web in a child process, and webgpu (or wasm
// with host `browser`) in headless Chromium.
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type { Backend, BackendDescription, ModelSpec } from '@emergence/core';
import { checkAgainst } from './guard.js';
import { ModelError, fetchModel, resolveModel } from './model-source.js';
import { ProxyBackend, type ProxiedMethod, type TimedBackend } from './proxy-backend.js';
import { runtimeVersions } from './runtime.js';
import { TransformersBackend, type ModelLocation, type TransformersBackendOptions } from './transformers-backend.js';

/** Where transformers.js should load a model from, on this machine. */
export function locate(spec: ModelSpec, options: NodeBackendOptions): ModelLocation {
  // Always a folder: a Hub model's snapshot in the cache, fetched by loadBackend first.
  const where = resolveModel(spec, options.ladderFile, options);
  if (!where.folder) throw new ModelError(spec.id, `${where.hubId} is not in the Hugging Face cache at ${where.cacheDir}`, 'run without --offline to download it');
  return { id: basename(where.folder), localRoot: `${dirname(where.folder)}/` };
}

export type NodeBackendOptions = Omit<TransformersBackendOptions, 'runtime' | 'transformersDevice'> & {
  threads?: number;
  /** Where wasm runs: `node` (default) or `browser` (headless Chromium; webgpu always runs there). */
  host?: 'node' | 'browser';
  /** Skip the browser's start-up comparison with the cpu backend. */
  allowMismatch?: boolean;
};

export type { TimedBackend };

export async function loadBackend(spec: ModelSpec, options: NodeBackendOptions): Promise<TimedBackend> {
  await fetchModel(spec, options);
  if (options.device === 'cpu') {
    const tjs = await import('@huggingface/transformers');
    const backend = await TransformersBackend.create(tjs, spec, { ...options, runtime: runtimeVersions('cpu') }, locate(spec, options));
    return backend;
  }
  if (options.device === 'webgpu' || options.host === 'browser') {
    const { BrowserBackend } = await import('./browser/browser-backend.js');
    const browser = await BrowserBackend.load(spec, { ...options, device: options.device });
    if (!options.allowMismatch) {
      try {
        await checkAgainstCpu(browser, spec, options);
      } catch (err) {
        await browser.dispose();
        throw err;
      }
    }
    return browser;
  }
  return WasmBackend.load(spec, options);
}

/** The browser backend's start-up comparison with onnxruntime-node on the same model and dtype. */
export async function checkAgainstCpu(backend: Backend, spec: ModelSpec, options: NodeBackendOptions): Promise<void> {
  const cpu = await loadBackend(spec, { ...options, device: 'cpu', host: 'node' });
  try {
    await checkAgainst(cpu, backend, {
      spec,
      dtype: options.dtype,
      device: `${options.device} in the browser`,
      reference: 'cpu',
      fix: 'use --device cpu or another dtype, or pass --allow-mismatch to run anyway',
    });
  } finally {
    await cpu.dispose();
  }
}

/** Proxies Backend calls to a child process that runs transformers.js on onnxruntime-web. */
class WasmBackend extends ProxyBackend {
  private next = 0;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly worker: ChildProcess,
    private readonly description: BackendDescription,
  ) {
    super();
    worker.on('message', (msg: { id?: number; result?: unknown; error?: string }) => {
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error !== undefined) p?.reject(new Error(msg.error));
      else p?.resolve(msg.result);
    });
    worker.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`the wasm process exited (code ${code})`));
      this.pending.clear();
    });
  }

  static async load(spec: ModelSpec, options: NodeBackendOptions): Promise<WasmBackend> {
    const require = createRequire(import.meta.url);
    // Through the package's own export, so the path holds from the source and from the CLI's bundle alike.
    const worker = fork(require.resolve('@emergence/backends/wasm-worker'), [], {
      // The child runs this package's TypeScript source, like the CLI does.
      execArgv: ['--import', require.resolve('tsx')],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    worker.send({ spec, options, threads: options.threads ?? 1 });
    const first = await new Promise<{ kind: string; description?: BackendDescription; message?: string; model?: string; fix?: string; name?: string }>((resolve, reject) => {
      worker.once('message', resolve as (m: unknown) => void);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the wasm process exited while loading (code ${code})`)));
    });
    if (first.kind !== 'ready') {
      worker.kill();
      if (first.name === 'ModelError') throw new ModelError(first.model ?? spec.id, first.message ?? 'failed to load', first.fix ?? '');
      throw new Error(first.message);
    }
    return new WasmBackend(worker, first.description!);
  }

  protected call<T>(method: ProxiedMethod | 'dispose', args: unknown): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.send({ id, method, args });
    });
  }

  describe(): BackendDescription {
    return this.description;
  }

  async dispose(): Promise<void> {
    await this.call('dispose', null);
    this.worker.disconnect();
    this.worker.kill();
  }
}
