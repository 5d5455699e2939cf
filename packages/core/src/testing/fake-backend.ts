// A scripted, deterministic Backend for other packages' tests: answers come
// from a script keyed by text, or from a fixed hash so any input is answered.
import type {
  Backend,
  BackendDescription,
  GenerateRequest,
  GenerateResult,
  LoglikelihoodRequest,
  LoglikelihoodResult,
} from '../types.js';
import { hashString } from '../rng.js';

export interface FakeBackendScript {
  /** Exact generation for a prompt, or a function of it. */
  generate?: Record<string, string> | ((prompt: string) => string);
  /** Log-probability per character of a continuation given its context. */
  loglikelihood?: (context: string, continuation: string) => number;
  model?: string;
  contextLength?: number;
}

export class FakeBackend implements Backend {
  readonly specificationVersion = 1 as const;
  readonly calls = { loglikelihood: 0, generate: 0, requests: 0 };
  disposed = false;

  constructor(private readonly script: FakeBackendScript = {}) {}

  async loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]> {
    this.calls.loglikelihood++;
    this.calls.requests += requests.length;
    return requests.map(({ context, continuation }) => {
      const perChar =
        this.script.loglikelihood?.(context, continuation) ??
        // Deterministic pseudo-score in (-3, 0): stable across runs and platforms.
        -3 * ((hashString(`${context}\u0000${continuation}`) % 1000) / 1000);
      const tokenLogprobs = [...continuation].map(() => perChar);
      return {
        logprob: tokenLogprobs.reduce((s, x) => s + x, 0),
        isGreedy: perChar > -0.1,
        tokens: tokenLogprobs.length,
        tokenLogprobs,
        truncated: 0,
      };
    });
  }

  async generate(requests: GenerateRequest[]): Promise<GenerateResult[]> {
    this.calls.generate++;
    this.calls.requests += requests.length;
    return requests.map(({ prompt, until }) => {
      const g = this.script.generate;
      let text = typeof g === 'function' ? g(prompt) : (g?.[prompt] ?? '');
      for (const stop of until) {
        const i = text.indexOf(stop);
        if (i >= 0) text = text.slice(0, i);
      }
      return { text, truncated: 0 };
    });
  }

  describe(): BackendDescription {
    return {
      model: this.script.model ?? 'fake',
      device: 'cpu',
      dtype: 'fp32',
      runtime: { fake: '1' },
      contextLength: this.script.contextLength ?? 1024,
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
