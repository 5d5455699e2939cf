import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../bin/bench.js');
const tracer = resolve(import.meta.dirname, '__fixtures__/trace-imports.mjs');

/** Every module URL `bench <args>` resolves, from the TypeScript sources. */
function loadedBy(args: string[]): string[] {
  const trace = join(mkdtempSync(join(tmpdir(), 'bench-imports-')), 'trace.txt');
  const r = spawnSync(process.execPath, ['--import', tracer, bin, ...args], { env: { ...process.env, BENCH_FROM_SOURCE: '1', TRACE_IMPORTS: trace }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(trace, 'utf8').trim().split('\n');
}

describe('bench --help', () => {
  it('loads no model runtime, Ink or harness: each command module loads when it runs', () => {
    const loaded = loadedBy(['--help']);
    expect(loaded.some((u) => u.endsWith('/apps/cli/src/help.ts'))).toBe(true);
    for (const heavy of ['@huggingface/transformers', 'onnxruntime', '/ink/', '/react/', '/packages/harness/', '/packages/backends/', '/packages/tasks/', '/apps/cli/src/commands/']) {
      expect(loaded.filter((u) => u.includes(heavy)), heavy).toEqual([]);
    }
  });

  it('a command loads its own module', () => {
    const loaded = loadedBy(['compare', '--help']);
    expect(loaded.some((u) => u.endsWith('/apps/cli/src/commands/compare.ts'))).toBe(true);
    expect(loaded.filter((u) => u.includes('/apps/cli/src/commands/run.ts') || u.includes('@huggingface/transformers'))).toEqual([]);
  });
});
