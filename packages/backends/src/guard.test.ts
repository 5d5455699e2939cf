import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '@emergence/core';
import { FakeBackend } from '@emergence/core/testing';
import { checkAgainst, guardRequests, guardTolerance } from './guard.js';
import { ModelError } from './model-error.js';

const spec = { id: 'm', source: { folder: '.' }, params: 1, nonEmbeddingParams: 1, dtypes: ['fp32', 'q8'] } as ModelSpec;
const check = (dtype: string) => ({ spec, dtype, device: 'WebGPU', reference: 'wasm', fix: 'choose WASM' });

describe('checkAgainst', () => {
  it('passes backends that agree within the dtype tolerance and returns the worst gap per token', async () => {
    const ref = new FakeBackend({ loglikelihood: () => -2 });
    const near = new FakeBackend({ loglikelihood: () => -2.0001 });
    const worst = await checkAgainst(ref, near, check('fp32'));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeCloseTo(1e-4, 9);
    // A q8 gap too wide for fp32 is within the reduced-precision bound.
    const q8 = new FakeBackend({ loglikelihood: () => -2.01 });
    await expect(checkAgainst(ref, q8, check('fp32'))).rejects.toBeInstanceOf(ModelError);
    await expect(checkAgainst(ref, q8, check('q8'))).resolves.toBeLessThanOrEqual(guardTolerance('q8'));
  });

  it('names both devices, the gap, the issues and the caller\'s fix', async () => {
    const err = await checkAgainst(new FakeBackend({ loglikelihood: () => -2 }), new FakeBackend({ loglikelihood: () => -7 }), check('fp32')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/^m: WebGPU disagrees with wasm by \d\.\d\de\+0 nats per token \(tolerance 0\.001\) .*#1728 and #1317 — fix: choose WASM$/);
  });

  it('a NaN from the device under test fails the check', async () => {
    await expect(checkAgainst(new FakeBackend({ loglikelihood: () => -2 }), new FakeBackend({ loglikelihood: () => NaN }), check('fp32'))).rejects.toBeInstanceOf(ModelError);
    expect(guardRequests.length).toBeGreaterThanOrEqual(4);
  });
});
