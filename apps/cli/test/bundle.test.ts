// The compiled start-up: bin/bench.js runs apps/cli/bundle/ only while it is
// newer than every source it was built from, and the bundle runs a command
// as the TypeScript does.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, run before any TypeScript loader exists
import { STAMP, bundleIsFresh } from '../scripts/fresh.mjs';

const cli = resolve(import.meta.dirname, '..');

/** A repository laid out like this one: the bundled packages' sources and a bundle stamp, with chosen times. */
function fakeRepo(): { root: string; at: (path: string, seconds: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'eb-fresh-'));
  // Writes a file at a time, its new folders too (creating them would stamp them now).
  const at = (path: string, seconds: number) => {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) mkdirSync(join(root, ...parts.slice(0, i)), { recursive: true });
    writeFileSync(join(root, path), '');
    for (let i = parts.length; i > 0; i--) utimesSync(join(root, ...parts.slice(0, i)), seconds, seconds);
  };
  for (const pkg of ['apps/cli', 'packages/core', 'packages/tasks', 'packages/ui', 'packages/backends', 'packages/harness']) {
    at(`${pkg}/package.json`, 1000);
    at(`${pkg}/src/index.ts`, 1000);
  }
  return { root, at };
}

describe('which code bench runs', () => {
  it('the bundle while it is newer than every source, package.json and folder; the TypeScript otherwise', () => {
    const { root, at } = fakeRepo();
    expect(bundleIsFresh(root)).toBe(false);
    at(`apps/cli/bundle/${STAMP}`, 2000);
    expect(bundleIsFresh(root)).toBe(true);
    at('packages/harness/src/deep/evaluate.ts', 3000);
    expect(bundleIsFresh(root)).toBe(false);
    at(`apps/cli/bundle/${STAMP}`, 4000);
    expect(bundleIsFresh(root)).toBe(true);
    at('packages/core/package.json', 5000);
    expect(bundleIsFresh(root)).toBe(false);
    at(`apps/cli/bundle/${STAMP}`, 6000);
    // A deleted source changes its folder's time.
    utimesSync(join(root, 'packages/tasks/src'), 7000, 7000);
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
