// `pnpm perf`: a benchmark, not a test. For each rung of the tiny ladder it
// prints examples/s, the harness's wall time over the bare onnxruntime
// session time for the same batches, and the speed-up of batched greedy
// generation over one transformers.js pipeline('text-generation') call per example.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSuite, planSample } from '@emergence/tasks';
import { loadBackend } from '@emergence/backends';
import { loadLadder, preparePrompts } from '../src/index.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '24' }, ladder: { type: 'string' }, naive: { type: 'string', default: '120' } } });
const root = resolve(import.meta.dirname, '../../..');
const ladder = loadLadder(values.ladder ?? resolve(root, 'benchmarks/ladders/tiny.yaml'));
const resolved = loadSuite(resolve(root, 'benchmarks/suites/icl.yaml'), { n: Number(values.n) });
const samples = preparePrompts(resolved);
const plans = samples.map((s) => ({ s, plan: planSample(s.run.task, s.run.examples[s.exampleIndex]!, s.prompt, s.run.options) }));
const llRequests = plans.flatMap((p) => p.plan.loglikelihood);
// No stop sequences: both sides generate the full token budget, like for like.
const genRequests = plans.flatMap((p) => (p.plan.generate ? [{ ...p.plan.generate, until: [] }] : []));
const llSamples = plans.filter((p) => !p.plan.generate).length;
const naiveCount = Math.min(Number(values.naive), genRequests.length);

console.log(`icl suite, n=${values.n}: ${llSamples} choice samples (${llRequests.length} log-likelihood requests), ${genRequests.length} generation samples`);
console.log(`naive baseline: pipeline('text-generation') per example on the first ${naiveCount} generation samples\n`);
console.log('rung     params   ll ex/s  ll wall/session  gen ex/s  naive ex/s  speed-up');

const tjs = await import('@huggingface/transformers');
for (const spec of ladder.models) {
  const backend = await loadBackend(spec, { device: 'cpu', dtype: 'fp32', offline: true, ladderFile: ladder.file });
  // Warm-up so one-off session initialisation is not counted.
  await backend.loglikelihood(llRequests.slice(0, 4));
  await backend.generate(genRequests.slice(0, 2));

  const s0 = (await backend.stats()).sessionMs;
  let t = performance.now();
  await backend.loglikelihood(llRequests);
  const llWall = performance.now() - t;
  const llSession = (await backend.stats()).sessionMs - s0;

  t = performance.now();
  await backend.generate(genRequests.slice(0, naiveCount));
  const genWall = performance.now() - t;
  await backend.dispose();

  // The naive approach: one pipeline call per example, greedy, same prompts and token budget.
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = `${resolve(ladder.file!, '..', (spec.source as { folder: string }).folder, '..')}/`;
  const pipe = await tjs.pipeline('text-generation', spec.id, { device: 'cpu', dtype: 'fp32' });
  await pipe(genRequests[0]!.prompt, { max_new_tokens: 2, do_sample: false });
  t = performance.now();
  for (const r of genRequests.slice(0, naiveCount)) await pipe(r.prompt, { max_new_tokens: r.maxTokens, do_sample: false });
  const naiveWall = performance.now() - t;
  await pipe.dispose();

  const rate = (count: number, ms: number) => (count / (ms / 1000)).toFixed(1).padStart(8);
  console.log(
    `${spec.id.padEnd(8)} ${String(spec.params).padStart(7)} ${rate(llSamples, llWall)} ${(llWall / llSession).toFixed(2).padStart(16)} ${rate(naiveCount, genWall)}  ${rate(naiveCount, naiveWall)}  ${(naiveWall / genWall).toFixed(1).padStart(7)}×`,
  );
}
