import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '@emergence/core';
import { FakeBackend } from '@emergence/core/testing';
import { backendFactories } from './backends.js';
import { ModelError } from './model-error.js';
import { ProxyBackend } from './proxy-backend.js';
import { answer, decodeError, encodeError, unwrap, type RemoteArgs, type RemoteMethod, type RemoteReply, type RemoteRequest, type RemoteResult, type ServedBackend } from './remote.js';

/** The model side, with a stats() of its own. */
function served(fake = new FakeBackend()): ServedBackend {
  return Object.assign(fake, { stats: async () => ({ sessionMs: 1, forwardPasses: 2, tokens: 3 }) });
}

/** Both sides of the protocol joined by structured clone, as IPC and page.evaluate join them. */
class LoopbackBackend extends ProxyBackend {
  private id = 0;
  constructor(private readonly remote: ServedBackend) {
    super();
  }
  protected async call<M extends RemoteMethod>(method: M, args: RemoteArgs<M>): Promise<RemoteResult<M>> {
    const request: RemoteRequest<M> = structuredClone({ id: this.id++, method, args });
    return unwrap(structuredClone(await answer(this.remote, request)));
  }
  describe() {
    return { model: 'm', device: 'cpu', dtype: 'fp32', runtime: {}, contextLength: 64 };
  }
  async dispose() {
    await this.call('dispose', null);
  }
}

describe('remote protocol', () => {
  it('a call crosses with its arguments and comes back with its result', async () => {
    const local = new FakeBackend();
    const remote = new LoopbackBackend(served(new FakeBackend()));
    const requests = [{ context: 'a b', continuation: ' c' }];
    expect(await remote.loglikelihood(requests)).toEqual(await local.loglikelihood(requests));
    const gen = [{ prompt: 'x', until: ['\n'], maxTokens: 3 }];
    expect(await remote.generate(gen)).toEqual(await local.generate(gen));
    expect(await remote.stats()).toEqual({ sessionMs: 1, forwardPasses: 2, tokens: 3 });
  });

  it('a ModelError comes back a ModelError, with its model and fix; any other error with its message', async () => {
    const failing = served();
    failing.loglikelihood = async () => {
      throw new ModelError('tiny-1', 'model.onnx is missing', 'run pnpm install');
    };
    failing.generate = async () => {
      throw new RangeError('budget 0');
    };
    const remote = new LoopbackBackend(failing);
    const err = await remote.loglikelihood([]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err).toMatchObject({ model: 'tiny-1', detail: 'model.onnx is missing', fix: 'run pnpm install', message: 'tiny-1: model.onnx is missing — fix: run pnpm install' });
    await expect(remote.generate([])).rejects.toThrow('budget 0');
    expect(decodeError(encodeError('a string'))).toEqual(new Error('a string'));
  });

  it('answer never throws: the error is in the reply', async () => {
    const failing = served();
    failing.stats = async () => {
      throw new Error('gone');
    };
    const reply: RemoteReply = await answer(failing, { id: 7, method: 'stats', args: null });
    expect(reply).toEqual({ id: 7, ok: false, error: { name: 'Error', message: 'gone' } });
  });
});

describe('backend registry', () => {
  const spec = { id: 'm', source: { folder: 'm' }, params: 1, nonEmbeddingParams: 1, dtypes: ['fp32'] } satisfies ModelSpec;
  const pick = (device: 'cpu' | 'wasm' | 'webgpu', host?: 'node' | 'browser') => backendFactories.filter((f) => f.accepts(spec, { device, host, dtype: 'fp32', offline: true })).map((f) => f.id);

  it('one factory serves each device and host', () => {
    expect(pick('cpu')).toEqual(['cpu']);
    expect(pick('wasm')).toEqual(['wasm-node']);
    expect(pick('wasm', 'node')).toEqual(['wasm-node']);
    expect(pick('wasm', 'browser')).toEqual(['browser']);
    expect(pick('webgpu', 'browser')).toEqual(['browser']);
    expect(new Set(backendFactories.map((f) => f.id)).size).toBe(backendFactories.length);
  });
});
