// `pnpm perf`: a benchmark, not a test. Three tables, printed as markdown:
//
// 1. Peers, on the smallest and the largest rung of the tiny ladder: the same
//    prompts (1,000 two-shot two-digit additions, greedy, ≤ 10 new tokens,
//    stop at a newline) through
//      (a) the whole `bench` command (start-up, generation, the target's
//          log-likelihood, analysis, writing the result), timed from outside;
//      (b) one transformers.js pipeline('text-generation') call per item,
//          generation only: as one would first write it (max_new_tokens, the
//          answer cut at the newline afterwards), and with a stopping
//          criterion that ends each call at the newline, as bench does;
//      (c) bare onnxruntime passes: the forward passes those answers need and
//          nothing else, each context token computed once per sample.
// 2. Log-likelihood scoring per rung (icl's choice tasks): wall time inside
//    the backend over the time onnxruntime itself spends.
// 3. Peak resident memory of `bench --suite all` on the tiny ladder.
//
//   pnpm perf [--n 1000] [--rungs tiny-1,tiny-7] [--icl-n 24] [--no-rss]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadBackend } from '@emergence/backends';
import { loadSuite, planSample } from '@emergence/tasks';
import { loadLadder, preparePrompts } from '../src/index.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    rungs: { type: 'string' },
    'icl-n': { type: 'string', default: '24' },
    'no-rss': { type: 'boolean', default: false },
    // Internal: one peer's measurement, in a process of its own (`bare:tiny-7`), printed as JSON.
    measure: { type: 'string' },
  },
});
const root = resolve(import.meta.dirname, '../../..');
const tinyFile = resolve(root, 'benchmarks/ladders/tiny.yaml');
const ladder = loadLadder(tinyFile);
const rungs = values.rungs?.split(',') ?? [ladder.models[0]!.id, ladder.models.at(-1)!.id];
const n = Number(values.n);
const work = mkdtempSync(join(tmpdir(), 'emergence-perf-'));
const bin = join(root, 'apps/cli/bin/bench.js');

const tjs = await import('@huggingface/transformers');
// onnxruntime-node as transformers.js loads it (the bare passes use the same build).
const tjsRequire = createRequire(realpathSync(createRequire(import.meta.url).resolve('@huggingface/transformers')));
// The little of onnxruntime-node's API the bare passes use.
interface OrtTensor {
  data: unknown;
  dims: readonly number[];
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
const ort = tjsRequire('onnxruntime-node') as {
  Tensor: new (type: string, data: unknown, dims: number[]) => OrtTensor;
  InferenceSession: { create(path: string): Promise<OrtSession> };
};

/** Runs `node <args>` to its end: wall seconds, exit code, stderr. */
function timed(args: string[], cwd: string): Promise<{ seconds: number; code: number | null; stderr: string }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => done({ seconds: (performance.now() - t0) / 1000, code, stderr }));
  });
}

function folderOf(id: string): string {
  const spec = ladder.models.find((m) => m.id === id);
  if (!spec || !('folder' in spec.source)) throw new Error(`${id} is not a rung of the tiny ladder`);
  return resolve(tinyFile, '..', spec.source.folder);
}

// ---------------------------------------------------------------- 1. peers

const suiteFile = join(work, 'peer.yaml');
writeFileSync(suiteFile, `name: peer\ndescription: two-shot two-digit additions\nseed: 2024\nn: ${n}\nshots: [2]\ntasks:\n  - task: arithmetic/addition\n    options: { digits: 2 }\n`);
const samples = preparePrompts(loadSuite(suiteFile));
const plans = samples.map((s) => planSample(s.run.task, s.run.examples[s.exampleIndex]!, s.prompt, s.run.options));
const gens = plans.map((p) => p.generate!);
const targets = plans.map((p) => p.loglikelihood[0]!.continuation);

/** (b) One pipeline call per prompt, greedy; with `stop`, each call ends at the first newline as bench's do. */
async function pipelinePerItem(id: string, stop: boolean): Promise<number> {
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = `${resolve(folderOf(id), '..')}/`;
  const pipe = await tjs.pipeline('text-generation', id, { device: 'cpu', dtype: 'fp32' });
  const tokenizer = pipe.tokenizer;
  class NewlineStop extends tjs.StoppingCriteria {
    constructor(private readonly promptLength: number) {
      super();
    }
    override _call(inputIds: (number | bigint)[][]): boolean[] {
      return inputIds.map((ids) => {
        const made = ids.slice(this.promptLength).map(Number);
        return made.length > 0 && tokenizer.decode(made, { skip_special_tokens: true }).includes('\n');
      });
    }
  }
  await pipe(gens[0]!.prompt, { max_new_tokens: 2, do_sample: false });
  const t0 = performance.now();
  for (const g of gens) {
    const length = tokenizer.encode(g.prompt).length;
    await pipe(g.prompt, { max_new_tokens: g.maxTokens, do_sample: false, ...(stop ? { stopping_criteria: [new NewlineStop(length)] } : {}) } as never);
  }
  const seconds = (performance.now() - t0) / 1000;
  await pipe.dispose();
  return seconds;
}

/**
 * (c) The onnxruntime passes the answers need, driven with no harness around
 * them: prompts tokenised beforehand, batches of 16 by length, one pass over
 * each prompt keeping the last position's logits, greedy steps with finished
 * rows dropped, and one pass over each target's tokens on the prompt's cache.
 */
async function bareOnnxruntime(id: string): Promise<number> {
  const folder = folderOf(id);
  const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as { n_head: number; n_embd: number; n_layer: number; eos_token_id: number; vocab_size: number };
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = `${resolve(folder, '..')}/`;
  const tokenizer = await tjs.AutoTokenizer.from_pretrained(id);
  const session = await ort.InferenceSession.create(join(folder, 'onnx/model.onnx'));
  const hd = config.n_embd / config.n_head;
  const vocab = config.vocab_size;
  // Token ids whose text holds a newline end a row, as the "\n" stop sequence does.
  const stops = new Set<number>([config.eos_token_id]);
  for (let t = 0; t < vocab; t++) if (tokenizer.decode([t]).includes('\n')) stops.add(t);
  const rows = gens.map((g, i) => ({ ids: tokenizer.encode(g.prompt), target: tokenizer.encode(g.prompt + targets[i]).slice(tokenizer.encode(g.prompt).length), max: g.maxTokens }));
  rows.sort((a, b) => b.ids.length - a.ids.length);
  // int64 through an Int32Array view of the low words, as the backend writes them (no BigInt per element).
  const int64 = (data: number[], dims: number[]) => {
    const out = new BigInt64Array(data.length);
    const low = new Int32Array(out.buffer);
    for (let i = 0; i < data.length; i++) low[2 * i] = data[i]!;
    return new ort.Tensor('int64', out, dims);
  };
  const emptyPast = (B: number) =>
    Object.fromEntries(Array.from({ length: config.n_layer }, (_, l) => ['key', 'value'].map((kv) => [`past_key_values.${l}.${kv}`, new ort.Tensor('float32', new Float32Array(0), [B, config.n_head, 0, hd])])).flat());
  const pastOf = (out: Record<string, OrtTensor>, keep: number[] | null) =>
    Object.fromEntries(
      Object.entries(out)
        .filter(([k]) => k.startsWith('present'))
        .map(([k, t]) => {
          const name = k.replace('present', 'past_key_values');
          if (!keep) return [name, t];
          const [, H, P, D] = t.dims as number[];
          const row = H! * P! * D!;
          const src = t.data as Float32Array;
          const dst = new Float32Array(keep.length * row);
          keep.forEach((b, r) => dst.set(src.subarray(b * row, (b + 1) * row), r * row));
          return [name, new ort.Tensor('float32', dst, [keep.length, H!, P!, D!])];
        }),
    );
  const argmax = (data: Float32Array, offset: number) => {
    let best = 0;
    for (let v = 1; v < vocab; v++) if (data[offset + v]! > data[offset + best]!) best = v;
    return best;
  };
  const t0 = performance.now();
  for (let s = 0; s < rows.length; s += 16) {
    const batch = rows.slice(s, s + 16);
    const L = batch[0]!.ids.length;
    const mask = batch.map((r) => [...Array<number>(L - r.ids.length).fill(0), ...Array<number>(r.ids.length).fill(1)]);
    const first = await session.run({
      input_ids: int64(batch.flatMap((r) => [...Array<number>(L - r.ids.length).fill(config.eos_token_id), ...r.ids]), [batch.length, L]),
      attention_mask: int64(mask.flat(), [batch.length, L]),
      position_ids: int64(
        batch.flatMap((r) => Array.from({ length: L }, (_, j) => Math.max(0, j - (L - r.ids.length)))),
        [batch.length, L],
      ),
      num_logits_to_keep: int64([1], []),
      ...emptyPast(batch.length),
    });
    // The targets' tokens on the prompts' cache (the log-likelihood).
    const T = Math.max(...batch.map((r) => r.target.length));
    if (T > 1) {
      const tm = mask.map((m, b) => [...m, ...Array.from({ length: T - 1 }, (_, j) => (j < batch[b]!.target.length - 1 ? 1 : 0))]);
      await session.run({
        input_ids: int64(batch.flatMap((r) => Array.from({ length: T - 1 }, (_, j) => r.target[j] ?? 0)), [batch.length, T - 1]),
        attention_mask: int64(tm.flat(), [batch.length, L + T - 1]),
        position_ids: int64(batch.flatMap((r) => Array.from({ length: T - 1 }, (_, j) => r.ids.length + j)), [batch.length, T - 1]),
        num_logits_to_keep: int64([0], []),
        ...pastOf(first, null),
      });
      }
    // Greedy steps; a row leaves when it stops.
    let out = first;
    let live = batch.map((_, b) => b);
    let liveMask = mask;
    const made = batch.map(() => 0);
    for (;;) {
      const logits = out.logits!.data as Float32Array;
      const next = live.map((_, r) => argmax(logits, r * vocab));
      const stay = live.flatMap((b, r) => {
        made[b]!++;
        return stops.has(next[r]!) || made[b]! >= batch[b]!.max ? [] : [r];
      });
      if (!stay.length) break;
      const past = pastOf(out, stay.length === live.length ? null : stay);
      live = stay.map((r) => live[r]!);
      liveMask = stay.map((r) => [...liveMask[r]!, 1]);
      out = await session.run({
        input_ids: int64(
          stay.map((r) => next[r]!),
          [stay.length, 1],
        ),
        attention_mask: int64(liveMask.flat(), [stay.length, liveMask[0]!.length]),
        // The token just made sits after the prompt and the tokens made before it.
        position_ids: int64(
          live.map((b) => batch[b]!.ids.length + made[b]! - 1),
          [stay.length, 1],
        ),
        num_logits_to_keep: int64([1], []),
        ...past,
      });
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await session.release();
  return seconds;
}

async function benchRun(id: string): Promise<number> {
  const ladderFile = join(work, `${id}.yaml`);
  writeFileSync(ladderFile, `name: ${id}-only\nmodels:\n  - from: ${tinyFile}#${id}\n`);
  const dir = mkdtempSync(join(work, 'run-'));
  // A warm-up run (files in the page cache, the bundle compiled), then the timed one.
  await timed([bin, '--suite', suiteFile, '--ladder', ladderFile, '--n', '4', '--out', join(dir, 'warm.yaml')], dir);
  const r = await timed([bin, '--suite', suiteFile, '--ladder', ladderFile, '--out', join(dir, 'peer.yaml')], dir);
  if (r.code !== 0) throw new Error(`bench exited ${r.code}: ${r.stderr.slice(-400)}`);
  return r.seconds;
}

if (values.measure) {
  // Each peer runs in a fresh process: measured one after another in one process, whichever ran
  // later was up to 40% slower (heap and onnxruntime thread pools left by the one before).
  const [kind, id] = values.measure.split(':') as [string, string];
  const seconds = kind === 'bare' ? await bareOnnxruntime(id) : await pipelinePerItem(id, kind === 'pipeline-stop');
  console.log(JSON.stringify({ seconds }));
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

/** One peer measured in a child process (this script, `--measure kind:id`). */
async function measured(kind: string, id: string): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--n', String(n), '--measure', `${kind}:${id}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`${kind} on ${id} exited ${code}`);
  return (JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number }).seconds;
}

// The bundle `bench` starts from, fresh (bin/bench.js falls back to TypeScript otherwise).
await timed([join(root, 'apps/cli/scripts/bundle.mjs')], root);

console.log(`## Peers: ${gens.length} two-shot two-digit additions (greedy, ≤ ${gens[0]!.maxTokens} new tokens, stop at a newline), cpu, fp32\n`);
console.log('| rung | bench (whole run) | pipeline per item | pipeline per item, stopping at the newline | bare onnxruntime | bench / bare |');
console.log('|---|---|---|---|---|---|');
for (const id of rungs) {
  const bench = await benchRun(id);
  const bare = await measured('bare', id);
  const pipe = await measured('pipeline', id);
  const stopped = await measured('pipeline-stop', id);
  const vs = (t: number) => `${t.toFixed(2)} s (bench ${(t / bench).toFixed(2)}× faster)`;
  console.log(`| ${id} | ${bench.toFixed(2)} s | ${vs(pipe)} | ${vs(stopped)} | ${bare.toFixed(2)} s | ${(bench / bare).toFixed(2)} |`);
}

// ---------------------------------------------------------------- 2. log-likelihood overhead

const icl = preparePrompts(loadSuite(resolve(root, 'benchmarks/suites/icl.yaml'), { n: Number(values['icl-n']) }));
const llRequests = icl.flatMap((s) => {
  const p = planSample(s.run.task, s.run.examples[s.exampleIndex]!, s.prompt, s.run.options);
  return p.generate ? [] : p.loglikelihood;
});
console.log(`\n## Log-likelihood: ${llRequests.length} requests of icl's choice tasks (n = ${values['icl-n']}), cpu, fp32\n`);
console.log('| rung | requests/s | wall / session |');
console.log('|---|---|---|');
for (const spec of ladder.models) {
  const backend = await loadBackend(spec, { device: 'cpu', dtype: 'fp32', offline: true, ladderFile: tinyFile });
  await backend.loglikelihood(llRequests.slice(0, 8));
  const s0 = (await backend.stats()).sessionMs;
  const t0 = performance.now();
  await backend.loglikelihood(llRequests);
  const wall = performance.now() - t0;
  const session = (await backend.stats()).sessionMs - s0;
  await backend.dispose();
  console.log(`| ${spec.id} | ${(llRequests.length / (wall / 1000)).toFixed(0)} | ${(wall / session).toFixed(2)} |`);
}

// ---------------------------------------------------------------- 3. memory

if (!values['no-rss']) {
  // The child reports its own peak resident set size (KiB) as it exits.
  const report = join(work, 'rss.mjs');
  const rssFile = join(work, 'rss.txt');
  writeFileSync(report, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
  const dir = mkdtempSync(join(work, 'all-'));
  const r = await timed(['--import', pathToFileURL(report).href, bin, '--suite', 'all', '--out', join(dir, 'all.yaml')], dir);
  const kb = Number(readFileSync(rssFile, 'utf8'));
  console.log(`\n## Memory\n\n\`bench --suite all\` on the tiny ladder: peak RSS ${(kb / 1024).toFixed(0)} MiB, ${r.seconds.toFixed(1)} s (exit ${r.code}).`);
}
rmSync(work, { recursive: true, force: true });
