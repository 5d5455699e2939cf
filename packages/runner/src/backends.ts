// Which Backend serves a (model, device): cpu through onnxruntime-node in this
// thread, wasm through onnxruntime-web in a worker thread. WebGPU needs a
// browser (the browser runtime is the seam left for it).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  UserError,
  type Backend,
  type BackendDescription,
  type GenerateRequest,
  type GenerateResult,
  type LoglikelihoodRequest,
  type LoglikelihoodResult,
  type ModelSpec,
} from '@emergence/core';
import { ModelError } from './model-source.js';
import { runtimeVersions } from './runtime.js';
import { TransformersBackend, type TransformersBackendOptions } from './transformers-backend.js';

export type NodeBackendOptions = Omit<TransformersBackendOptions, 'runtime' | 'transformersDevice'> & { threads?: number };

/** A Backend that also reports the time spent inside onnxruntime. */
export interface TimedBackend extends Backend {
  stats(): Promise<{ sessionMs: number; forwardPasses: number }>;
}

export async function loadBackend(spec: ModelSpec, options: NodeBackendOptions): Promise<TimedBackend> {
  if (options.device === 'cpu') {
    const tjs = await import('@huggingface/transformers');
    const backend = await TransformersBackend.load(tjs, spec, { ...options, runtime: runtimeVersions('cpu') });
    return Object.assign(backend, { stats: async () => ({ sessionMs: backend.sessionMs, forwardPasses: backend.forwardPasses }) });
  }
  if (options.device === 'wasm') return WasmBackend.load(spec, options);
  throw new UserError(`device "${options.device}" needs a browser runtime, which this build does not have yet`, {
    hint: 'use --device cpu or --device wasm',
  });
}

/** Proxies Backend calls to a worker thread that runs transformers.js on onnxruntime-web. */
class WasmBackend implements TimedBackend {
  readonly specificationVersion = 1 as const;
  private next = 0;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly worker: Worker,
    private readonly description: BackendDescription,
  ) {
    worker.on('message', (msg: { id?: number; result?: unknown; error?: string }) => {
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error !== undefined) p?.reject(new Error(msg.error));
      else p?.resolve(msg.result);
    });
    worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  static async load(spec: ModelSpec, options: NodeBackendOptions): Promise<WasmBackend> {
    const require = createRequire(import.meta.url);
    const worker = new Worker(new URL('./wasm-worker.ts', import.meta.url), {
      // The worker runs this package's TypeScript source, like the CLI does.
      execArgv: ['--import', require.resolve('tsx')],
      workerData: { spec, options, threads: options.threads ?? 1 },
    });
    const first = await new Promise<{ kind: string; description?: BackendDescription; message?: string; model?: string; fix?: string; name?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (first.kind !== 'ready') {
      await worker.terminate();
      if (first.name === 'ModelError') throw new ModelError(first.model ?? spec.id, first.message ?? 'failed to load', first.fix ?? '');
      throw new Error(first.message);
    }
    return new WasmBackend(worker, first.description!);
  }

  private call<T>(method: string, args: unknown): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]> {
    return this.call('loglikelihood', requests);
  }

  generate(requests: GenerateRequest[]): Promise<GenerateResult[]> {
    return this.call('generate', requests);
  }

  stats(): Promise<{ sessionMs: number; forwardPasses: number }> {
    return this.call('stats', null);
  }

  describe(): BackendDescription {
    return this.description;
  }

  async dispose(): Promise<void> {
    await this.call('dispose', null);
    await this.worker.terminate();
  }
}
