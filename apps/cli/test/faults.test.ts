// Fault injection on the real `bench` command: damaged, mixed and incomplete
// journals given to `merge`, runs killed during journal writes, two runs on
// one journal, and outputs that cannot be written. Each case asserts the exact
// message and exit code, and that nothing is lost or duplicated.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadYaml, type Result } from '@emergence/core';
import { readJournal, sealLine, unsealLine } from '@emergence/harness';

const bin = resolve(import.meta.dirname, '../bin/bench.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'eb-fault-'));

function bench(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small suite: two tasks, two shot counts, fast on the tiny ladder. */
const suiteYaml = 'name: mini\nseed: 7\nn: 3\nshots: [0, 2]\ntasks:\n  - task: icl/symbol-mapping\n  - task: arithmetic/addition\n    options: { digits: 1 }\n    shots: [0]\n';
const shard = (i: number) => `runs/mini/tiny/cpu-default-shard-${i}-of-2.jsonl`;

/** A folder with the suite and a complete, sharded run of it (journals and the unsharded result). */
let base: string;
beforeAll(() => {
  base = tmp();
  writeFileSync(join(base, 'mini.yaml'), suiteYaml);
  expect(bench(['--suite', './mini.yaml', '--out', 'whole.yaml'], base).code).toBe(0);
  for (const s of ['1/2', '2/2']) expect(bench(['--suite', './mini.yaml', '--shard', s], base).code).toBe(0);
}, 300_000);

/** A copy of the complete run to damage. */
function workdir(): string {
  const dir = tmp();
  cpSync(base, dir, { recursive: true });
  return dir;
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('bench merge refuses to say more than the journals hold', () => {
  it('a complete pair merges to the unsharded result, exit 0', () => {
    const dir = workdir();
    const r = bench(['merge', shard(1), shard(2), '--out', 'merged.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const merged = loadYaml(join(dir, 'merged.yaml'), 'result');
    const whole = loadYaml(join(dir, 'whole.yaml'), 'result');
    expect(merged.tasks.map((t) => t.models.map((m) => m.n))).toEqual(whole.tasks.map((t) => t.models.map((m) => m.n)));
  });

  it('a journal cut in half: exit 2 naming how many samples are missing and where; --partial writes the rest', () => {
    const dir = workdir();
    const all = lines(join(dir, shard(1)));
    const kept = all.slice(0, Math.floor(all.length / 2));
    writeFileSync(join(dir, shard(1)), `${kept.join('\n')}\n`);
    const lost = all.slice(kept.length).filter((l) => l.includes('"key":')).length;
    const r = bench(['merge', shard(1), shard(2), '--out', 'merged.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^bench: ${lost} of \\d+ planned samples are missing \\(tiny-\\d \\S+ \\d+, .*\\) \\(finish the run with --resume, or pass --partial to merge what is there\\)$`));
    expect(existsSync(join(dir, 'merged.yaml'))).toBe(false);
    const p = bench(['merge', shard(1), shard(2), '--out', 'merged.yaml', '--partial'], dir);
    expect(p.code).toBe(0);
    expect(p.stderr).toMatch(/warning: \d+ of \d+ planned samples are missing .*: the result is partial/);
    const merged = loadYaml(join(dir, 'merged.yaml'), 'result');
    const whole = loadYaml(join(dir, 'whole.yaml'), 'result');
    const total = (r: Result) => r.tasks.flatMap((t) => t.models.flatMap((m) => (m.shots ?? []).map((s) => s.n))).reduce((a, b) => a + b, 0);
    expect(total(merged)).toBe(total(whole) - lost);
  });

  it('a last line cut by a kill is a warning; the sample it held is reported missing', () => {
    const dir = workdir();
    // Cut the last sample's line in the middle, as a kill during its write does (the run wrote nothing after).
    const text = readFileSync(join(dir, shard(2)), 'utf8');
    const at = text.lastIndexOf('{"key":');
    writeFileSync(join(dir, shard(2)), text.slice(0, at + 40));
    const n = lines(join(dir, shard(2))).length;
    const r = bench(['merge', shard(1), shard(2)], dir);
    expect(r.stderr).toContain(`bench: warning: ${shard(2)}: line ${n} cut off by a kill; ignored`);
    expect(r.stderr).toMatch(/bench: 1 of \d+ planned samples are missing/);
    expect(r.code).toBe(2);
  });

  it('a flipped bit in a score (still valid JSON) is caught by the line checksum', () => {
    const dir = workdir();
    const file = join(dir, shard(1));
    const all = lines(file);
    const i = all.findIndex((l) => l.includes('"exactMatch":1') || l.includes('"exactMatch":0'));
    all[i] = all[i]!.includes('"exactMatch":1') ? all[i]!.replace('"exactMatch":1', '"exactMatch":0') : all[i]!.replace('"exactMatch":0', '"exactMatch":1');
    writeFileSync(file, `${all.join('\n')}\n`);
    const r = bench(['merge', shard(1), shard(2)], dir);
    expect(r.stderr).toContain(`bench: warning: ${shard(1)}: line ${i + 1} corrupt (its checksum does not match); ignored`);
    expect(r.stderr).toMatch(/bench: 1 of \d+ planned samples are missing/);
    expect(r.code).toBe(2);
  });

  it('a resume with another n or seed starts a new segment; merge counts only what the current one plans', () => {
    const dir = workdir();
    for (const s of ['1/2', '2/2']) expect(bench(['--suite', './mini.yaml', '--shard', s, '--resume', '--seed', '8'], dir).code).toBe(0);
    const j = readJournal(join(dir, shard(1)));
    expect(j.headers.map((h) => h.seed)).toEqual([7, 8]);
    const r = bench(['merge', shard(1), shard(2), '--out', 'merged.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*shard-1-of-2\.jsonl: \d+ record\(s\) from an earlier segment .* left out/);
    const merged = loadYaml(join(dir, 'merged.yaml'), 'result');
    const whole = loadYaml(join(dir, 'whole.yaml'), 'result');
    expect(merged.suite.seed).toBe(8);
    // Same number of samples per cell as one run: none from seed 7 mixed in.
    expect(merged.tasks.map((t) => t.models.map((m) => m.n))).toEqual(whole.tasks.map((t) => t.models.map((m) => m.n)));
  }, 300_000);

  it('shards of different seeds, an unsharded journal with a shard, a shard twice, a missing shard: exit 2', () => {
    const dir = workdir();
    expect(bench(['--suite', './mini.yaml', '--shard', '2/2', '--seed', '9'], dir).code).toBe(0);
    const seeds = bench(['merge', shard(1), shard(2)], dir);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr.trim()).toBe(`bench: ${shard(2)}: this journal's seed is 9, but ${shard(1)}'s is 7; merge journals of one run only`);
    const d2 = workdir();
    expect(bench(['--suite', './mini.yaml'], d2).code).toBe(0);
    const mixed = bench(['merge', shard(1), 'runs/mini/tiny/cpu-default.jsonl'], d2);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr.trim()).toBe(`bench: runs/mini/tiny/cpu-default.jsonl: runs/mini/tiny/cpu-default.jsonl is an unsharded run, but ${shard(1)} is shard 1/2; merge the shards of one sharded run`);
    const twice = bench(['merge', shard(1), shard(1)], d2);
    expect(twice.code).toBe(2);
    expect(twice.stderr.trim()).toBe(`bench: ${shard(1)}: shard 1/2 given twice (also ${shard(1)})`);
    const one = bench(['merge', shard(1)], d2);
    expect(one.code).toBe(2);
    expect(one.stderr.trim()).toBe('bench: got 1 of 2 shards; missing 2/2 (pass every shard journal, or --partial to merge what is there)');
  }, 300_000);

  it('a suite changed since the run: exit 2, not a result of other samples', () => {
    // Journals name their suite file by absolute path: run in this folder, then edit its suite.
    const dir = tmp();
    writeFileSync(join(dir, 'mini.yaml'), suiteYaml);
    for (const s of ['1/2', '2/2']) expect(bench(['--suite', './mini.yaml', '--shard', s], dir).code).toBe(0);
    writeFileSync(join(dir, 'mini.yaml'), suiteYaml.replace('n: 3', 'n: 4'));
    const r = bench(['merge', shard(1), shard(2)], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^bench: runs\/mini\/tiny\/cpu-default-shard-1-of-2\.jsonl: the suite or ladder changed since this journal was written \(.*mini\.yaml, .*tiny\.yaml\): its samples are not the ones they now plan \(restore the files as they were, or run again\)$/);
  });

  it('a failure that a later --resume superseded does not mark the model failed', () => {
    const dir = workdir();
    const file = join(dir, shard(1));
    const all = lines(file);
    const fail = sealLine({ kind: 'failure', model: 'tiny-3', device: 'cpu', dtype: 'fp32', message: 'tiny-3: out of memory' });
    // The failure came first (a crashed attempt); the samples after it are the resume's.
    all.splice(1, 0, fail);
    writeFileSync(file, `${all.join('\n')}\n`);
    const r = bench(['merge', shard(1), shard(2), '--out', 'merged.yaml'], dir);
    expect(r.code).toBe(0);
    expect(loadYaml(join(dir, 'merged.yaml'), 'result').ladder.models.every((m) => m.status === 'ok')).toBe(true);
    // After the samples, the failure stands: the model is failed, and its samples are not counted as missing.
    writeFileSync(file, `${[...lines(file).filter((l) => l !== fail), fail].join('\n')}\n`);
    const again = bench(['merge', shard(1), shard(2), '--out', 'merged2.yaml', '--force'], dir);
    expect(again.code).toBe(0);
    expect(loadYaml(join(dir, 'merged2.yaml'), 'result').ladder.models.find((m) => m.id === 'tiny-3')?.status).toBe('failed');
  });

  it('a file that is not a journal', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'x.jsonl'), '{"hello": 1}\n');
    const r = bench(['merge', 'x.jsonl'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('bench: x.jsonl: not a run journal (no header line) (journals are the .jsonl files under runs/)');
  });
});

describe('runs under faults', () => {
  it('records the git revision of the harness checkout, not of the folder it runs in', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mini.yaml'), suiteYaml);
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout.trim();
    git('init', '-q');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '--allow-empty', '-m', 'other repo');
    expect(bench(['--suite', './mini.yaml', '--out', 'r.yaml'], dir).code).toBe(0);
    const harness = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: resolve(import.meta.dirname, '../../..'), encoding: 'utf8' }).stdout.trim();
    expect(loadYaml(join(dir, 'r.yaml'), 'result').environment.git.commit).toBe(harness);
    expect(git('rev-parse', 'HEAD')).not.toBe(harness);
  });

  it('killed during journal writes at random points, resumed: nothing lost, nothing duplicated, the same result', async () => {
    const dir = workdir();
    const journal = join(dir, 'runs/mini/tiny/cpu-default.jsonl');
    rmSync(journal);
    // Three kills at different depths of the run, each followed by a resume that is killed in turn.
    for (const after of [3, 25, 60]) {
      const child = spawn(process.execPath, [bin, '--suite', './mini.yaml', '--resume', '--out', 'again.yaml'], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: 'ignore' });
      await new Promise<void>((done) => {
        const timer = setInterval(() => {
          if (existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > after) {
            clearInterval(timer);
            child.kill('SIGKILL');
            done();
          }
        }, 5);
        child.on('exit', () => {
          clearInterval(timer);
          done();
        });
      });
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r)));
    }
    const r = bench(['--suite', './mini.yaml', '--resume', '--out', 'again.yaml', '--force'], dir);
    expect(r.code).toBe(0);
    const keys = lines(journal).map((l) => unsealLine(l, false)).filter((e): e is NonNullable<typeof e> => e !== null && e.kind !== 'header' && e.kind !== 'failure').map((e) => (e as { key: string }).key);
    expect(new Set(keys).size).toBe(keys.length);
    const strip = (t: string) => t.split('\n').filter((l) => !l.startsWith('#') && !l.startsWith('createdAt:') && !/^\s+(commit|dirty):/.test(l)).join('\n');
    expect(strip(readFileSync(join(dir, 'again.yaml'), 'utf8'))).toBe(strip(readFileSync(join(dir, 'whole.yaml'), 'utf8')));
  }, 300_000);

  it('a second run on a journal in use exits 2 naming the holder, and leaves the journal alone', async () => {
    const dir = workdir();
    const journal = join(dir, 'runs/mini/tiny/cpu-default.jsonl');
    // Long enough (~7,000 samples) to still be running while the second run starts.
    writeFileSync(join(dir, 'mini.yaml'), 'name: mini\nseed: 7\nn: 3\nshots: [0, 2]\ntasks:\n  - task: icl/symbol-mapping\n');
    const child = spawn(process.execPath, [bin, '--suite', './mini.yaml', '--n', '300', '--out', 'a.yaml'], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    await new Promise<void>((done, fail) => {
      const timer = setInterval(() => {
        if (child.exitCode !== null) fail(new Error('the first run ended before the second started'));
        if (existsSync(`${journal}.lock`) && existsSync(journal) && lines(journal).length > 1) {
          clearInterval(timer);
          done();
        }
      }, 10);
    });
    for (const extra of [[], ['--resume']]) {
      const r = bench(['--suite', './mini.yaml', '--n', '300', '--out', 'b.yaml', ...extra], dir);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(new RegExp(`^bench: \\S+/runs/mini/tiny/cpu-default\\.jsonl: the journal is in use by another bench run \\(pid ${child.pid} on \\S+, since \\S+\\) \\(wait for that run or stop it; if no such run exists, delete \\S+/cpu-default\\.jsonl\\.lock\\)$`));
    }
    await exited;
    expect(child.exitCode).toBe(0);
    expect(readdirSync(join(dir, 'runs/mini/tiny')).sort()).toEqual(['cpu-default-shard-1-of-2.jsonl', 'cpu-default-shard-2-of-2.jsonl', 'cpu-default.jsonl', 'cpu-default.jsonl.1']);
    const keys = lines(journal).slice(1).map((l) => JSON.parse(l).key as string);
    expect(new Set(keys).size).toBe(keys.length);
  }, 300_000);

  it('an output that cannot be written fails before any model loads, writing nothing', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mini.yaml'), suiteYaml);
    mkdirSync(join(dir, 'ro'));
    chmodSync(join(dir, 'ro'), 0o500);
    writeFileSync(join(dir, 'file'), '');
    const root = process.getuid?.() === 0;
    const cases: [string, RegExp][] = [
      ['adir', /^bench: .*adir: the output path is a folder \(give a file name, e\.g\. .*adir\/result\.yaml\)$/],
      ['file/x.yaml', /^bench: .*file: cannot write: a file is in the way of a folder on the path \(EEXIST\) \(check the path\)$/],
      // Reading /dev/full to check the old file would never end.
      ['/dev/full', /^bench: \/dev\/full: the output path is not a regular file \(a device, pipe or socket\) \(give a file name\)$/],
      ['/proc/version/x.yaml', /^bench: \/proc\/version: cannot write: .*\((ENOTDIR|EEXIST|EACCES|EROFS)\)/],
    ];
    mkdirSync(join(dir, 'adir'));
    if (!root) cases.push(['ro/x.yaml', /^bench: .*ro: cannot write: permission denied \(EACCES\)/]);
    for (const [out, message] of cases) {
      const started = Date.now();
      const r = bench(['--suite', './mini.yaml', '--out', out], dir);
      expect(r.code, out).toBe(2);
      expect(r.stderr.trim(), out).toMatch(message);
      expect(Date.now() - started, out).toBeLessThan(20_000);
      expect(existsSync(join(dir, 'runs')), out).toBe(false);
    }
  });

  it('--out naming a folder of an existing result is refused without suggesting --force', () => {
    const dir = workdir();
    copyFileSync(join(dir, 'whole.yaml'), join(dir, 'whole2.yaml'));
    mkdirSync(join(dir, 'results'), { recursive: true });
    const r = bench(['merge', shard(1), shard(2), '--out', 'results', '--force'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^bench: .*results: the output path is a folder \(give a file name, e\.g\. .*results\/result\.yaml\)$/);
  });
});
