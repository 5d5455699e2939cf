// The page's manifest sees what `bench` downloaded: Hub ladders whose models
// are in the Hugging Face cache are runnable, at the dtypes that are there.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchLadder } from '@emergence/backends';
import { loadLadder } from '@emergence/harness';
import { startLoopbackHub, twinRepos, type LoopbackHub } from '@emergence/backends/loopback-hub';
import { buildManifest } from '../src/server.js';

const benchmarks = resolve(import.meta.dirname, '../../../benchmarks');
let hub: LoopbackHub;
const saved = process.env.HF_HUB_CACHE;
beforeAll(async () => {
  hub = await startLoopbackHub({ repos: twinRepos() });
});
afterAll(async () => {
  await hub?.close();
  if (saved === undefined) delete process.env.HF_HUB_CACHE;
  else process.env.HF_HUB_CACHE = saved;
});

describe('the page after a Hub download', () => {
  it('lists the twins runnable at the downloaded dtype, and the other dtypes with the command that downloads them', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'eb-hf-'));
    process.env.HF_HUB_CACHE = cache;
    const before = buildManifest({ laddersDir: join(benchmarks, 'ladders'), suitesDir: join(benchmarks, 'suites') }).ladders.find((l) => l.name === 'twins')!;
    expect(before.models.every((m) => m.dtypes.fp32 !== null)).toBe(true);

    await fetchLadder(loadLadder(join(benchmarks, 'ladders/twins.yaml')), () => 'fp32', { offline: false, cacheDir: cache, endpoint: hub.url });
    const twins = buildManifest({ laddersDir: join(benchmarks, 'ladders'), suitesDir: join(benchmarks, 'suites') }).ladders.find((l) => l.name === 'twins')!;
    expect(twins.models.map((m) => [m.id, m.dtypes.fp32])).toEqual([
      ['pythia-twin', null],
      ['gpt2-twin', null],
      ['smollm2-twin', null],
      ['qwen2.5-twin', null],
    ]);
    expect(twins.models[0]!.dtypes.q4!.fix).toContain('pnpm bench --suite icl --ladder twins --dtype q4');
  });
});
