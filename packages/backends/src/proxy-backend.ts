// Backends whose model runs elsewhere (a child process, a browser page): each
// Backend call becomes one typed request of the remote protocol (remote.ts),
// so only the transport (`call`), `describe` and `dispose` differ.
import type { Backend, BackendDescription, GenerateRequest, GenerateResult, LoglikelihoodRequest, LoglikelihoodResult } from '@emergence/core';
import type { RemoteArgs, RemoteMethod, RemoteResult } from './remote.js';
import type { BackendStats } from './transformers-backend.js';

/** A Backend that also reports the time spent inside onnxruntime. */
export interface TimedBackend extends Backend {
  stats(): Promise<BackendStats>;
}

export abstract class ProxyBackend implements TimedBackend {
  readonly specificationVersion = 1 as const;

  /** Sends one request to where the model runs; resolves with its result or rejects with its (decoded) error. */
  protected abstract call<M extends RemoteMethod>(method: M, args: RemoteArgs<M>): Promise<RemoteResult<M>>;
  abstract describe(): BackendDescription;
  abstract dispose(): Promise<void>;

  loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]> {
    return this.call('loglikelihood', requests);
  }

  generate(requests: GenerateRequest[]): Promise<GenerateResult[]> {
    return this.call('generate', requests);
  }

  stats(): Promise<BackendStats> {
    return this.call('stats', null);
  }
}
