// End-to-end: the real `bench` command, in a temporary folder, on the tiny ladder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml, parseValidated, writeValidatedYaml, type Result } from '@emergence/core';

const bin = resolve(import.meta.dirname, '../bin/bench.js');
const root = resolve(import.meta.dirname, '../../..');

function bench(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The result file without what may differ between identical runs: the header and createdAt. */
function comparable(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#') && !l.startsWith('createdAt:'))
    .join('\n');
}

const tmp = () => mkdtempSync(join(tmpdir(), 'eb-cli-'));

/** Deep equality with numbers compared to 1e-4 relative (ratios like breakthroughness amplify float noise). */
function expectClose(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(a), Math.abs(b)));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a), path).toEqual(Object.keys(b));
    for (const k of Object.keys(a)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
  } else {
    expect(a, path).toEqual(b);
  }
}

describe('bench: errors', () => {
  it('a bad flag is one line and exit code 2', () => {
    const r = bench(['--suite', 'icl', '--bogus'], tmp());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^bench: Unknown option '--bogus'/);
  });

  it('an unknown suite is one line naming the known suites, exit code 2', () => {
    const r = bench(['--suite', 'icll'], tmp());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown suite "icll" (known suites: all, arithmetic, bbh, icl, instruct');
  });

  it('a bad suite file names file, line and pointer, exit code 2', () => {
    const dir = tmp();
    writeFileSync(join(dir, 's.yaml'), 'name: s\nseed: 1\nn: 2\ntasks:\n  - task: icl/induction\n    shots: many\n');
    const r = bench(['--suite', './s.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`bench: ${join(dir, 's.yaml')}:6 at /tasks/0/shots: expected array`);
  });

  it('an n past the schema\'s bound and a dtype no model has fail before any work, writing nothing', () => {
    for (const [args, message] of [
      [['--n', '1000000000'], /^bench: --n must be an integer from 1 to 100,000, got "1000000000"$/],
      [['--dtype', 'nonexistent'], /^bench: --dtype must be one of: fp32, fp16, q8, .*; got "nonexistent"$/],
      [['--dtype', 'q4'], /no model of ladder tiny lists q4 weights/],
    ] as const) {
      const dir = tmp();
      const r = bench(['--suite', 'icl', ...args], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')[0]).toMatch(message);
      // Nothing written: no journal, no result (checked before any example is drawn or model loaded).
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('an unknown command and a missing --suite are usage errors', () => {
    expect(bench(['frobnicate'], tmp()).code).toBe(2);
    const r = bench(['run'], tmp());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing --suite');
  });

  it('--help describes every command with examples', () => {
    for (const cmd of ['run', 'list', 'validate', 'report', 'compare', 'merge']) {
      const r = bench([cmd, '--help'], tmp());
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`bench ${cmd}`);
    }
    expect(bench(['--help'], tmp()).stdout).toContain('Exit codes:');
  });
});

describe('bench: list and validate', () => {
  it('lists suites, tasks and ladders', () => {
    const r = bench(['list'], tmp());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('icl/label-mapping');
    expect(r.stdout).toMatch(/tiny: tiny-1 \(/);
  });

  it('validates the shipped suites, ladders and results, and rejects a bad file', () => {
    const files = [
      ...readdirSync(join(root, 'benchmarks/suites')).map((f) => join(root, 'benchmarks/suites', f)),
      ...readdirSync(join(root, 'benchmarks/ladders')).map((f) => join(root, 'benchmarks/ladders', f)),
    ];
    const ok = bench(['validate', ...files], tmp());
    expect(ok.stdout).not.toContain('bad ');
    expect(ok.code).toBe(0);
    const dir = tmp();
    writeFileSync(join(dir, 'l.yaml'), '# yaml-language-server: $schema=ladder.schema.json\nname: x\nmodels: []\n');
    const bad = bench(['validate', 'l.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('bad l.yaml:3 at /models');
  });
});

describe('bench run on the tiny ladder', () => {
  it('writes a valid result, byte-identical across runs but for timestamps, that report and compare accept', () => {
    const a = tmp();
    const b = tmp();
    const r1 = bench(['--suite', 'icl', '--n', '4'], a);
    expect(r1.stderr).toContain('wrote results/icl/tiny.yaml');
    expect(r1.code).toBe(0);
    const r2 = bench(['--suite', 'icl', '--n', '4'], b);
    expect(r2.code).toBe(0);
    const fa = join(a, 'results/icl/tiny.yaml');
    const fb = join(b, 'results/icl/tiny.yaml');
    const ta = readFileSync(fa, 'utf8');
    parseValidated(ta, fa, 'result');
    expect(comparable(readFileSync(fb, 'utf8'))).toBe(comparable(ta));
    // The plain-text report ends the run: plots with a chance line, then the table.
    expect(r1.stdout).toContain('chance 0.50');
    expect(r1.stdout).toMatch(/task\s+.*verdict/);
    expect(r1.stdout).not.toContain('\u001b[');

    const rep = bench(['report', fa], a);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toBe(r1.stdout);

    const same = bench(['compare', fa, fb], a);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('No regressions');

    // A head far worse than the base on one metric is a regression: exit code 4.
    const worse = loadYaml(fb, 'result');
    const labels = worse.tasks.find((t) => t.id === 'icl/label-mapping')!;
    const m = labels.models[labels.models.length - 1]!;
    m.metrics.accuracy = { value: 0, low: 0, high: 0.01 };
    m.metrics.brierScore = { value: 2, low: 1.99, high: 2 };
    const worseYaml = join(b, 'worse.yaml');
    writeValidatedYaml(worseYaml, worse, 'result');
    const cmp = bench(['compare', fa, worseYaml], a);
    expect(cmp.code).toBe(4);
    expect(cmp.stdout).toContain('regression(s)**');
    expect(cmp.stdout).toMatch(/❌ icl\/label-mapping × tiny-\d: (accuracy|brierScore)/);

    // --json prints the same result as JSON.
    const j = bench(['--suite', 'icl', '--n', '4', '--json', '--out', 'j.yaml'], a);
    expect(j.code).toBe(0);
    const parsed = JSON.parse(j.stdout) as Result;
    expect(parsed.tasks.map((t) => t.id)).toEqual(loadYaml(fa, 'result').tasks.map((t) => t.id));
  });

  it('a run killed with SIGKILL resumes to the same result', async () => {
    const dir = tmp();
    const reference = tmp();
    expect(bench(['--suite', 'icl', '--n', '6'], reference).code).toBe(0);
    const child = spawn(process.execPath, [bin, '--suite', 'icl', '--n', '6'], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: 'ignore' });
    const journal = join(dir, 'runs/icl/tiny/cpu-default.jsonl');
    // Kill once some records are journaled, before the run can finish.
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        if (existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 40) {
          clearInterval(timer);
          child.kill('SIGKILL');
          done();
        }
      }, 20);
    });
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(join(dir, 'results/icl/tiny.yaml'))).toBe(false);
    const before = readFileSync(journal, 'utf8').trim().split('\n').length;
    const resumed = bench(['--suite', 'icl', '--n', '6', '--resume'], dir);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/from the journal/);
    const keys = readFileSync(journal, 'utf8').trim().split('\n').map((l) => { try { return (JSON.parse(l) as { key?: string }).key; } catch { return undefined; } }).filter(Boolean);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(before - 2);
    expect(comparable(readFileSync(join(dir, 'results/icl/tiny.yaml'), 'utf8'))).toBe(comparable(readFileSync(join(reference, 'results/icl/tiny.yaml'), 'utf8')));
  }, 300_000);

  it('on a terminal, draws the live Ink view and the final report', () => {
    // `script` (util-linux, essential on Debian) gives the command a real TTY.
    const dir = tmp();
    const env = { ...process.env };
    delete env.CI;
    const r = spawnSync('script', ['-qec', `stty rows 10 cols 60; ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} --suite icl --n 2`, '/dev/null'], { cwd: dir, encoding: 'utf8', env });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the terminal's escape sequences is the point
    const text = r.stdout.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '');
    expect(r.status).toBe(0);
    // Nothing clears the screen or the scrollback: the command, the live view's last frame and the report stay.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the terminal's escape sequences is the point
    expect(r.stdout).not.toMatch(/\u001b\[[23]J/);
    expect(text.replace(/\r/g, '').endsWith('\n')).toBe(true);
    expect(text).toContain('bench icl · ladder tiny · elapsed');
    expect(text).toMatch(/✓ tiny-1 \S+\s+✓ tiny-2/);
    expect(text).toContain('chance 0.50');
    // Every task is icl/…: the table names rows by what differs.
    expect(text).toMatch(/task \(icl\/…\)/);
    expect(text).toMatch(/\ninduction\s+0\.00/);
    expect(existsSync(join(dir, 'results/icl/tiny.yaml'))).toBe(true);
    // The line that says where the result went stays in the scrollback.
    expect(text).toContain('wrote results/icl/tiny.yaml (journal runs/icl/tiny/cpu-default.jsonl)');
  }, 300_000);

  it('runs wasm in headless Chromium and labels the result', () => {
    const dir = tmp();
    const r = bench(['--suite', 'icl', '--n', '2', '--device', 'wasm', '--runtime', 'browser'], dir);
    expect(r.stderr).toContain('wrote results/icl/tiny.wasm-browser.yaml');
    expect(r.code).toBe(0);
    const result = loadYaml(join(dir, 'results/icl/tiny.wasm-browser.yaml'), 'result');
    expect(result.environment.device).toBe('wasm-browser');
    // The browser's own account of what ran, not this Node's versions.
    expect(result.environment.runtime).toMatchObject({ runtime: 'browser', browser: expect.stringMatching(/Chrom/) });
    // Journaled, so a merge of the journal reports the browser too (not the Node that merges).
    const m = bench(['merge', 'runs/icl/tiny/wasm-browser-default.jsonl', '--out', 'm.yaml'], dir);
    expect(m.code, m.stderr).toBe(0);
    expect(loadYaml(join(dir, 'm.yaml'), 'result').environment.runtime).toMatchObject({ runtime: 'browser' });
    expect(result.ladder.models.every((m) => m.status === 'ok')).toBe(true);
    const bad = bench(['--suite', 'icl', '--device', 'cpu', '--runtime', 'browser'], dir);
    expect(bad.code).toBe(2);
  }, 300_000);

  it('shards merge into the unsharded result', () => {
    const dir = tmp();
    expect(bench(['--suite', 'icl', '--n', '3', '--out', 'whole.yaml'], dir).code).toBe(0);
    for (const s of ['1/2', '2/2']) {
      const r = bench(['--suite', 'icl', '--n', '3', '--shard', s], dir);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('bench merge');
    }
    const m = bench(['merge', 'runs/icl/tiny/cpu-default-shard-1-of-2.jsonl', 'runs/icl/tiny/cpu-default-shard-2-of-2.jsonl', '--out', 'merged.yaml'], dir);
    expect(m.code).toBe(0);
    // Shards batch different samples together, which moves floats in their last bits.
    expectClose(loadYaml(join(dir, 'merged.yaml'), 'result').tasks, loadYaml(join(dir, 'whole.yaml'), 'result').tasks);
    const missing = bench(['merge', 'runs/icl/tiny/cpu-default-shard-1-of-2.jsonl'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('got 1 of 2 shards');
  }, 300_000);
});
