// The wasm backend in Node: transformers.js on onnxruntime-web in a child
// process (wasm-worker.ts), spoken to through the remote protocol.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { BackendDescription, ModelSpec } from '@emergence/core';
import type { BackendFactory, NodeBackendOptions } from './backend-factory.js';
import { ProxyBackend } from './proxy-backend.js';
import { decodeError, unwrap, type LoadReply, type RemoteArgs, type RemoteMethod, type RemoteReply, type RemoteRequest, type RemoteResult } from './remote.js';

/** The first message to the child: what to load. */
export interface WasmWorkerData {
  spec: ModelSpec;
  options: NodeBackendOptions;
  threads: number;
}

class WasmBackend extends ProxyBackend {
  private next = 0;
  private pending = new Map<number, (reply: RemoteReply) => void>();
  /** Why the child is gone, once it has exited: later calls fail at once instead of waiting forever. */
  private exited: string | null = null;

  private constructor(
    private readonly worker: ChildProcess,
    private readonly description: BackendDescription,
  ) {
    super();
    worker.on('message', (reply: RemoteReply) => {
      const settle = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      settle?.(reply);
    });
    worker.on('exit', (code, signal) => {
      this.exited = `the wasm process exited (${signal ? `signal ${signal}` : `code ${code}`})`;
      for (const settle of this.pending.values()) settle({ id: -1, ok: false, error: { name: 'Error', message: this.exited } });
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
    const data: WasmWorkerData = { spec, options, threads: options.threads ?? 1 };
    worker.send(data);
    const loaded = await new Promise<LoadReply>((resolve, reject) => {
      worker.once('message', resolve as (m: unknown) => void);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the wasm process exited while loading (code ${code})`)));
    });
    if (!loaded.ok) {
      worker.kill();
      throw decodeError(loaded.error);
    }
    return new WasmBackend(worker, loaded.description);
  }

  protected call<M extends RemoteMethod>(method: M, args: RemoteArgs<M>): Promise<RemoteResult<M>> {
    const request: RemoteRequest<M> = { id: this.next++, method, args };
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise<RemoteResult<M>>((resolve, reject) => {
      // The child answers a request with the result of that request's method (remote.ts `answer`).
      this.pending.set(request.id, (reply) => {
        try {
          resolve(unwrap(reply as RemoteReply<RemoteResult<M>>));
        } catch (err) {
          reject(err);
        }
      });
      this.worker.send(request);
    });
  }

  describe(): BackendDescription {
    return this.description;
  }

  async dispose(): Promise<void> {
    // A child that already died has nothing to dispose (a crash mid-run must not hang the run's cleanup).
    if (!this.exited) await this.call('dispose', null).catch(() => undefined);
    if (this.worker.connected) this.worker.disconnect();
    this.worker.kill();
  }
}

export const wasmNodeBackend: BackendFactory = {
  id: 'wasm-node',
  accepts: (_spec, options) => options.device === 'wasm' && options.host !== 'browser',
  create: (spec, options) => WasmBackend.load(spec, options),
};
