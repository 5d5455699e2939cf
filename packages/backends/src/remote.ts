// One protocol for a backend whose model runs elsewhere — the wasm child
// process, the Chromium page: which calls there are, what each takes and
// returns, and how an error crosses (a ModelError arrives as a ModelError,
// with its model and fix). Both sides speak it through `answer` and
// `unwrap`; only the transport (IPC, page.evaluate) differs. Portable: the
// page bundles it.
import type { BackendDescription, GenerateRequest, GenerateResult, LoglikelihoodRequest, LoglikelihoodResult } from '@emergence/core';
import { ModelError } from './model-error.js';
import type { BackendStats } from './transformers-backend.js';

/** Every call a remote backend answers, with its argument and result. */
export interface RemoteCalls {
  loglikelihood: { args: LoglikelihoodRequest[]; result: LoglikelihoodResult[] };
  generate: { args: GenerateRequest[]; result: GenerateResult[] };
  stats: { args: null; result: BackendStats };
  dispose: { args: null; result: null };
}

export type RemoteMethod = keyof RemoteCalls;
export type RemoteArgs<M extends RemoteMethod> = RemoteCalls[M]['args'];
export type RemoteResult<M extends RemoteMethod> = RemoteCalls[M]['result'];

export interface RemoteRequest<M extends RemoteMethod = RemoteMethod> {
  id: number;
  method: M;
  args: RemoteArgs<M>;
}

/** An error as data (structured clone and JSON keep only plain fields). */
export interface EncodedError {
  name: string;
  message: string;
  /** ModelError's fields. */
  model?: string;
  detail?: string;
  fix?: string;
}

export type RemoteReply<T = unknown> = { id: number; ok: true; result: T } | { id: number; ok: false; error: EncodedError };

/** What a remote side says after loading its model. */
export type LoadReply = { ok: true; description: BackendDescription } | { ok: false; error: EncodedError };

export function encodeError(err: unknown): EncodedError {
  if (err instanceof ModelError) return { name: err.name, message: err.message, model: err.model, detail: err.detail, fix: err.fix };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** The error the other side threw: a ModelError again when it was one, else an Error with its message. */
export function decodeError(e: EncodedError): Error {
  if (e.name === 'ModelError' && e.model !== undefined) return new ModelError(e.model, e.detail ?? e.message, e.fix ?? '');
  return new Error(e.message);
}

/** The calls a served backend answers. */
export interface ServedBackend {
  loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]>;
  generate(requests: GenerateRequest[]): Promise<GenerateResult[]>;
  stats(): Promise<BackendStats>;
  dispose(): Promise<void>;
}

type Handlers = { [M in RemoteMethod]: (args: RemoteArgs<M>) => Promise<RemoteResult<M>> };

function handlers(backend: ServedBackend): Handlers {
  return {
    loglikelihood: (requests) => backend.loglikelihood(requests),
    generate: (requests) => backend.generate(requests),
    stats: () => backend.stats(),
    dispose: async () => {
      await backend.dispose();
      return null;
    },
  };
}

/** The serving side: one request answered, its error encoded (never thrown). */
export async function answer<M extends RemoteMethod>(backend: ServedBackend, request: RemoteRequest<M>): Promise<RemoteReply<RemoteResult<M>>> {
  try {
    const result = await handlers(backend)[request.method](request.args);
    return { id: request.id, ok: true, result };
  } catch (err) {
    return { id: request.id, ok: false, error: encodeError(err) };
  }
}

/** The calling side: the result of a reply, or the other side's error thrown here. */
export function unwrap<T>(reply: RemoteReply<T>): T {
  if (!reply.ok) throw decodeError(reply.error);
  return reply.result;
}
