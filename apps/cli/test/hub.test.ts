// End to end through a loopback Hub: `bench` downloads the architecture twins
// (llama, qwen2, gpt_neox, gpt2) into the Hugging Face cache and scores them on
// cpu and wasm; --offline then runs without a request; bad revisions, missing
// dtype files and no network are one-line errors with exit code 2.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadYaml } from '@emergence/core';
import { startLoopbackHub, twinRepos, type LoopbackHub } from '@emergence/backends/loopback-hub';

const bin = resolve(import.meta.dirname, '../bin/bench.js');
const twinsLadder = resolve(import.meta.dirname, '../../../benchmarks/ladders/twins.yaml');

/** The bench command as a child process; asynchronous, so the loopback Hub in this process can answer it. */
function bench(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, CI: 'true', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const twins = ['pythia-twin', 'gpt2-twin', 'smollm2-twin', 'qwen2.5-twin'];
let hub: LoopbackHub;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  hub = await startLoopbackHub({ repos: twinRepos() });
  dir = mkdtempSync(join(tmpdir(), 'eb-hub-'));
  // One choice task (log-likelihoods through the shared-context cache) and one generation task.
  writeFileSync(join(dir, 'suite.yaml'), 'name: hub-e2e\nseed: 7\nn: 3\nshots: [0]\ntasks:\n  - task: icl/label-mapping\n  - task: icl/induction\n');
  env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'hf-cache'), HF_HOME: join(dir, 'hf-home') };
});
afterAll(async () => hub?.close());

describe('bench on a Hub ladder through a loopback Hub', () => {
  it('downloads and scores every twin on cpu, then runs on wasm with --offline without a request, and the scores agree', async () => {
    const cpu = await bench(['--suite', './suite.yaml', '--ladder', twinsLadder, '--out', 'cpu.yaml'], dir, env);
    expect(cpu.stderr).not.toMatch(/failed/i);
    expect(cpu.code).toBe(0);
    // Each file that arrives is reported once (CI=true: the plain log).
    expect(cpu.stderr).toMatch(/^downloaded emergence-twins\/smollm2-twin\/onnx\/model\.onnx for smollm2-twin \(0\.\d MB, file \d of 5\)$/m);
    expect(cpu.stderr.match(/^downloaded /gm)).toHaveLength(4 * 5);
    // The standard cache layout, one repo per twin, at the commit the Hub named.
    const cache = join(dir, 'hf-cache');
    expect(readdirSync(cache).sort()).toEqual(twins.map((t) => `models--emergence-twins--${t}`).sort());
    for (const t of twins) {
      const repo = join(cache, `models--emergence-twins--${t}`);
      const commit = readFileSync(join(repo, 'refs', 'main'), 'utf8');
      expect(commit).toBe(hub.commits[`emergence-twins/${t}`]);
      expect(existsSync(join(repo, 'snapshots', commit, 'onnx', 'model.onnx'))).toBe(true);
    }
    expect(hub.requests.filter((r) => r.startsWith('GET')).length).toBeGreaterThanOrEqual(4 * 5);

    // bench list sees the downloads.
    const listed = await bench(['list'], dir, env);
    expect(listed.stdout).toMatch(/^ {2}twins: .*\n {4}in the Hugging Face cache at fp32: 4 of 4$/m);
    expect(listed.stdout).toMatch(/^ {2}smollm2: .*\n {4}in the Hugging Face cache at q4: 0 of 3 \(not: smollm2-135m, smollm2-360m, smollm2-1\.7b\)$/m);

    const before = hub.requests.length;
    const wasm = await bench(['--suite', './suite.yaml', '--ladder', twinsLadder, '--device', 'wasm', '--offline', '--out', 'wasm.yaml'], dir, env);
    expect(wasm.stderr).not.toMatch(/failed|downloaded/i);
    expect(wasm.code).toBe(0);
    expect(hub.requests.slice(before)).toEqual([]);

    const a = loadYaml(join(dir, 'cpu.yaml'), 'result');
    const b = loadYaml(join(dir, 'wasm.yaml'), 'result');
    expect(a.ladder.models.map((m) => [m.id, m.status])).toEqual(twins.map((t) => [t, 'ok']));
    expect(b.ladder.models.map((m) => [m.id, m.status])).toEqual(twins.map((t) => [t, 'ok']));
    expect(b.environment.device).toBe('wasm');
    for (const [i, task] of a.tasks.entries()) {
      expect(task.models.map((m) => m.model)).toEqual(twins);
      for (const [j, m] of task.models.entries()) {
        for (const [k, metric] of Object.entries(m.metrics)) {
          const other = b.tasks[i]!.models[j]!.metrics[k as keyof typeof m.metrics]!;
          expect(Math.abs(metric!.value - other.value), `${m.model} ${task.id} ${k}`).toBeLessThan(1e-3);
        }
      }
    }
  });

  it('another dtype (q4, the default of the real ladders) downloads only its files into the same snapshots', async () => {
    const before = hub.requests.length;
    const r = await bench(['--suite', './suite.yaml', '--ladder', twinsLadder, '--dtype', 'q4', '--out', 'q4.yaml'], dir, env);
    expect(r.stderr).not.toMatch(/failed/i);
    expect(r.code).toBe(0);
    const gets = hub.requests.slice(before).filter((q) => q.startsWith('GET') && !q.startsWith('GET /cdn/'));
    expect(gets.sort()).toEqual(twins.map((t) => `GET /emergence-twins/${t}/resolve/${hub.commits[`emergence-twins/${t}`]}/onnx/model_q4.onnx`).sort());
    expect(loadYaml(join(dir, 'q4.yaml'), 'result').environment.dtype).toBe('q4');
  });

  it('a revision that does not exist: one line naming it, exit code 2, before anything is scored', async () => {
    const ladder = join(dir, 'bad-revision.yaml');
    writeFileSync(ladder, readFileSync(twinsLadder, 'utf8').replace('source: { hub: emergence-twins/gpt2-twin }', 'source: { hub: emergence-twins/gpt2-twin, revision: v9.9 }'));
    const r = await bench(['--suite', './suite.yaml', '--ladder', ladder, '--out', 'x.yaml'], dir, env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`bench: ${ladder} at /models/1/source: gpt2-twin: revision "v9.9" does not exist in emergence-twins/gpt2-twin at ${hub.url} (set \`source.revision\``);
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
  });

  it('a dtype file the repo lacks: one line naming the file, exit code 2', async () => {
    const ladder = join(dir, 'q4.yaml');
    writeFileSync(ladder, readFileSync(twinsLadder, 'utf8').replaceAll('dtypes: [fp32, fp16, q8, q4, q4f16]', 'dtypes: [fp32, fp16, q8, q4, q4f16, int8]'));
    const r = await bench(['--suite', './suite.yaml', '--ladder', ladder, '--dtype', 'int8', '--out', 'x.yaml'], dir, env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^bench: .* at \/models\/0\/source: pythia-twin: emergence-twins\/pythia-twin has no file onnx\/model_int8\.onnx at revision "[0-9a-f]{40}" .*\(the repo has no int8 weights: choose another --dtype/);
  });

  it('no network: names the endpoint and suggests HF_ENDPOINT and --offline, exit code 2', async () => {
    const port = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => done(p));
      });
    });
    const r = await bench(['--suite', './suite.yaml', '--ladder', twinsLadder, '--out', 'x.yaml'], dir, { ...env, HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_HUB_CACHE: join(dir, 'empty-cache') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`pythia-twin: cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) \\(check the connection, point HF_ENDPOINT at a reachable Hub mirror, or run with --offline`));
  });

  it('--offline with an empty cache fails at once with the download command, exit code 2, no request', async () => {
    const before = hub.requests.length;
    const r = await bench(['--suite', './suite.yaml', '--ladder', twinsLadder, '--offline', '--out', 'x.yaml'], dir, { ...env, HF_HUB_CACHE: join(dir, 'empty-cache-2') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/pythia-twin: emergence-twins\/pythia-twin is not in the Hugging Face cache at .* \(run once without --offline, or `huggingface-cli download emergence-twins\/pythia-twin/);
    expect(hub.requests.length).toBe(before);
  });
});
