// Backends whose model runs elsewhere (a child process, a browser page): each
// call is forwarded by name, so only `call`, `describe` and `dispose` differ.
import type { Backend, BackendDescription, GenerateRequest, GenerateResult, LoglikelihoodRequest, LoglikelihoodResult } from '@emergence/core';
import type { BackendStats } from './transformers-backend.js';

/** A Backend that also reports the time spent inside onnxruntime. */
export interface TimedBackend extends Backend {
  stats(): Promise<BackendStats>;
}

export type ProxiedMethod = 'loglikelihood' | 'generate' | 'stats';

export abstract class ProxyBackend implements TimedBackend {
  readonly specificationVersion = 1 as const;

  protected abstract call<T>(method: ProxiedMethod, args: unknown): Promise<T>;
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
