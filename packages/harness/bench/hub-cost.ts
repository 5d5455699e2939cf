// What a Hub-sized model costs here, measured on a twin of its shape
// (`make_twins.py --scaled <folder>`: SmolLM2-135M's widths, depth and
// vocabulary, random weights): milliseconds per scored token and per
// generated token on cpu, and each shipped suite's size in characters, so
// the README can scale time by parameters. A benchmark, not a test.
//
//   npx tsx packages/harness/bench/hub-cost.ts /tmp/scaled/smollm2-135m-shape [threads]
import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { loadSuite, planSample } from '@emergence/tasks';
import { loadBackend } from '@emergence/backends';
import { preparePrompts } from '../src/index.js';

const folder = resolve(process.argv[2] ?? '/tmp/scaled/smollm2-135m-shape');
const root = resolve(import.meta.dirname, '../../..');

function plansOf(suiteFile: string, n?: number) {
  const resolved = loadSuite(suiteFile, n === undefined ? {} : { n });
  return preparePrompts(resolved).map((s) => planSample(s.run.task, s.run.examples[s.exampleIndex]!, s.prompt, s.run.options));
}

// Suite sizes at their shipped n: characters read (each distinct context once, plus continuations) and tokens generated.
console.log('suite        samples  chars read   max tokens generated');
for (const f of readdirSync(resolve(root, 'benchmarks/suites')).filter((x) => x.endsWith('.yaml')).sort()) {
  const plans = plansOf(resolve(root, 'benchmarks/suites', f));
  const contexts = new Set<string>();
  let chars = 0;
  let gen = 0;
  for (const p of plans) {
    for (const r of p.loglikelihood) {
      if (!contexts.has(r.context)) chars += r.context.length;
      contexts.add(r.context);
      chars += r.continuation.length;
    }
    if (p.generate) {
      chars += p.generate.prompt.length;
      gen += p.generate.maxTokens;
    }
  }
  console.log(`${basename(f, '.yaml').padEnd(12)} ${String(plans.length).padStart(7)} ${String(chars).padStart(11)} ${String(gen).padStart(10)}`);
}

const spec = { id: basename(folder), source: { folder }, params: 1, nonEmbeddingParams: 1, dtypes: ['fp32' as const], defaultDtype: 'fp32' as const };
const backend = await loadBackend(spec, { device: 'cpu', dtype: 'fp32', offline: true });
const tjs = await import('@huggingface/transformers');
tjs.env.localModelPath = `${resolve(folder, '..')}/`;
const tokenizer = await tjs.AutoTokenizer.from_pretrained(basename(folder));
const plans = plansOf(resolve(root, 'benchmarks/suites/icl.yaml'), 2);
const ll = plans.flatMap((p) => p.loglikelihood);
const gen = plans.flatMap((p) => (p.generate ? [{ ...p.generate, until: [] }] : [])).slice(0, 8);
await backend.loglikelihood(ll.slice(0, 2));
const contexts = new Set(ll.map((r) => r.context));
const tokens = [...contexts].reduce((s, c) => s + tokenizer.encode(c).length, 0) + ll.reduce((s, r) => s + tokenizer.encode(r.continuation, { add_special_tokens: false }).length, 0);
const chars = [...contexts].reduce((s, c) => s + c.length, 0) + ll.reduce((s, r) => s + r.continuation.length, 0);
let t = performance.now();
await backend.loglikelihood(ll);
const llMs = performance.now() - t;
t = performance.now();
await backend.generate(gen);
const genMs = performance.now() - t;
const genTokens = gen.reduce((s, g) => s + g.maxTokens, 0);
console.log(`\n${basename(folder)}: ${ll.length} log-likelihood requests, ${tokens} tokens (${(chars / tokens).toFixed(2)} chars/token with the twin tokenizer) in ${(llMs / 1000).toFixed(1)} s: ${(llMs / tokens).toFixed(2)} ms/token, ${(llMs / chars).toFixed(3)} ms/char`);
console.log(`${gen.length} generations, ${genTokens} tokens (prompts included in the time) in ${(genMs / 1000).toFixed(1)} s: ${(genMs / genTokens).toFixed(1)} ms per generated token (batch of ${gen.length})`);
console.log(`peak resident memory ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
await backend.dispose();
