// The compiled start-up: bin/bench.js runs apps/cli/bundle/ only while every
// source it was built from has the content it had, and the bundle runs a
// command as the TypeScript does.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, run before any TypeScript loader exists
import { STAMP, bundleIsFresh, contentHash } from '../scripts/fresh.mjs';

const cli = resolve(import.meta.dirname, '..');

describe('which code bench runs', () => {
  it('the bundle while every source it was built from has the content it had; the TypeScript otherwise', () => {
    const root = mkdtempSync(join(tmpdir(), 'eb-fresh-'));
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('packages/harness/src/evaluate.ts', 'export const a = 1;\n');
    write('apps/cli/src/main.ts', 'import "x";\n');
    expect(bundleIsFresh(root)).toBe(false);
    const inputs = {
      'packages/harness/src/evaluate.ts': contentHash(Buffer.from('export const a = 1;\n')),
      'apps/cli/src/main.ts': contentHash(Buffer.from('import "x";\n')),
    };
    write(`apps/cli/bundle/${STAMP}`, JSON.stringify({ built: 'now', inputs }));
    expect(bundleIsFresh(root)).toBe(true);
    write('packages/harness/src/evaluate.ts', 'export const a = 2;\n');
    expect(bundleIsFresh(root)).toBe(false);
    // Content, not timestamps: the same text written again (a checkout, a copy) is the built code.
    write('packages/harness/src/evaluate.ts', 'export const a = 1;\n');
    utimesSync(join(root, 'packages/harness/src/evaluate.ts'), 1, 1);
    expect(bundleIsFresh(root)).toBe(true);
    rmSync(join(root, 'apps/cli/src/main.ts'));
    expect(bundleIsFresh(root)).toBe(false);
    rmSync(root, { recursive: true, force: true });
  });

  it('the bundle, built, runs a command as the TypeScript does', () => {
    const built = spawnSync(process.execPath, [join(cli, 'scripts/bundle.mjs')], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [join(cli, 'bin/bench.js'), 'list', '--json'], { encoding: 'utf8', env: { ...process.env, ...env } });
    const compiled = run({});
    const source = run({ BENCH_FROM_SOURCE: '1' });
    expect(compiled.status).toBe(0);
    expect(compiled.stdout).toBe(source.stdout);
    expect(JSON.parse(compiled.stdout).suites.length).toBeGreaterThan(0);
  });
});
