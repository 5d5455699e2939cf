// Headless Chromium (Debian's, through playwright-core) on the tiny ladder.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '@emergence/core';
import { FakeBackend } from '@emergence/core/testing';
import { checkAgainstCpu, loadBackend } from '../backends.js';
import { ModelError } from '../model-error.js';
import { BrowserBackend, CHROMIUM_INSTALL } from './browser-backend.js';

const models = resolve(import.meta.dirname, '../../../ladder-tiny/models');
const spec = (id: string): ModelSpec => ({ id, source: { folder: join(models, id) }, params: 1, nonEmbeddingParams: 1, dtypes: ['fp32', 'q8'], defaultDtype: 'fp32' });

describe('browser runtime', () => {
  it('wasm in Chromium matches the Node cpu backend within 1e-3 in fp32', async () => {
    const requests = [
      { context: 'Review: the food was great\nLabel:', continuation: ' positive' },
      { context: 'Review: the food was great\nLabel:', continuation: ' negative' },
      { context: 'Q: What is 12 plus 35?\nA:', continuation: ' 47' },
    ];
    const cpu = await loadBackend(spec('tiny-2'), { device: 'cpu', dtype: 'fp32', offline: true });
    // loadBackend also runs the start-up comparison with cpu, which must pass here.
    const browser = await loadBackend(spec('tiny-2'), { device: 'wasm', host: 'browser', dtype: 'fp32', offline: true });
    try {
      expect(browser.describe()).toMatchObject({ device: 'wasm', dtype: 'fp32' });
      expect(browser.describe().runtime.runtime).toBe('browser');
      const a = await cpu.loglikelihood(requests);
      const b = await browser.loglikelihood(requests);
      a.forEach((r, i) => expect(Math.abs(r.logprob - b[i]!.logprob)).toBeLessThan(1e-3));
      const prompt = [{ prompt: 'Q: What is 12 plus 35?\nA:', until: ['\n'], maxTokens: 6 }];
      expect(await browser.generate(prompt)).toEqual(await cpu.generate(prompt));
    } finally {
      await cpu.dispose();
      await browser.dispose();
    }
  }, 180_000);

  it('webgpu smoke test: loads on the (fallback) adapter, passes the cpu comparison, says it is a fallback', async () => {
    const gpu = await loadBackend(spec('tiny-1'), { device: 'webgpu', dtype: 'fp32', offline: true });
    try {
      const d = gpu.describe();
      expect(d.device).toBe('webgpu');
      expect(d.runtime.webgpuAdapter).toBeTruthy();
      expect(['true', 'false']).toContain(d.runtime.webgpuFallback);
      const [r] = await gpu.loglikelihood([{ context: 'Q: What is 12 plus 35?\nA:', continuation: ' 47' }]);
      expect(Number.isFinite(r!.logprob)).toBe(true);
    } finally {
      await gpu.dispose();
    }
  }, 240_000);

  it('the start-up guard stops a backend that disagrees with cpu', async () => {
    const wrong = new FakeBackend({ loglikelihood: () => -9 });
    const err = await checkAgainstCpu(wrong, spec('tiny-1'), { device: 'wasm', dtype: 'fp32', offline: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/disagrees with cpu by .* nats per token .* #1728 and #1317 — fix: .*--allow-mismatch/);
  }, 60_000);

  it('a missing Chromium names the apt line', async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const err = await BrowserBackend.load(spec('tiny-1'), { device: 'wasm', dtype: 'fp32', offline: true }).catch((e: unknown) => e);
      expect((err as Error).message).toContain(`Chromium not found at /nonexistent/chromium — fix: install it with \`${CHROMIUM_INSTALL}\``);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it('a batch that takes too long times out with a clear message', async () => {
    const b = await BrowserBackend.load(spec('tiny-1'), { device: 'wasm', dtype: 'fp32', offline: true, timeoutMs: 1 });
    const err = await b.loglikelihood([{ context: 'x'.repeat(900), continuation: ' y' }]).catch((e: unknown) => e);
    await b.dispose();
    expect((err as Error).message).toMatch(/did not finish within 0 s/);
  }, 120_000);
});
