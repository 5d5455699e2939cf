// Every shipped suite runs on models with a 256-token window at the default
// batch size — long prompts (16-shot label mapping, 3-shot BBH with
// chain-of-thought) cut to the window — without a task or model failing.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSuite } from './run-suite.js';

const root = resolve(import.meta.dirname, '../../..');
const suites = readdirSync(join(root, 'benchmarks/suites')).filter((f) => f.endsWith('.yaml'));

describe('every shipped suite on a 256-token window', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eb-suites-'));
  // A one-layer and a two-layer rung of the tiny ladder: the smallest that differ in kind.
  const ladder = join(dir, 'small.yaml');
  const folder = (id: string) => join(root, 'packages/ladder-tiny/models', id);
  writeFileSync(
    ladder,
    `name: small\nmodels:\n${['tiny-1', 'tiny-4'].map((id, i) => `  - id: ${id}\n    source: { folder: ${folder(id)} }\n    params: ${1000 * (i + 1)}\n    nonEmbeddingParams: ${1000 * (i + 1)}\n    dtypes: [fp32]\n`).join('')}`,
  );

  for (const suite of suites) {
    it(`${suite} runs with no failure`, async () => {
      const out = await runSuite({ suiteFile: join(root, 'benchmarks/suites', suite), ladderFile: ladder, device: 'cpu', n: 2, runsDir: join(dir, 'runs'), offline: true });
      expect(out.failures).toBe(0);
      expect(out.result.ladder.models.map((m) => m.status)).toEqual(['ok', 'ok']);
      for (const t of out.result.tasks) expect(t.models.map((m) => m.n), t.id).toEqual([2, 2]);
      // The long prompts were there, and cut to the window rather than failing.
      if (suite === 'icl.yaml' || suite === 'bbh.yaml') expect(out.result.tasks.some((t) => t.models.some((m) => m.truncated > 0))).toBe(true);
    }, 300_000);
  }
});
