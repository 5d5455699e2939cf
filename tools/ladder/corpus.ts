// Writes one of the tiny ladder's training corpora: documents made by the
// task generators from the demonstration split only (facts to memorise
// aside), then checks that no evaluation item of any suite appears in it.
// With --probes, also writes the held-out items train.py scores while
// training (its curves): test-split items at seeds no suite uses.
//
//   npx tsx corpus.ts --mixture short --bytes 6000000 --out out/short.txt
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TaskOptions } from '@emergence/core';
import { buildPrompt, getTask } from '@emergence/tasks';
import { buildCorpus, evaluationOverlap } from './corpus-lib.js';
import { mixtures, type MixtureName } from './mixture.js';

const { values } = parseArgs({
  options: {
    mixture: { type: 'string', default: 'full' },
    bytes: { type: 'string', default: '8000000' },
    out: { type: 'string', default: 'out/corpus.txt' },
    probes: { type: 'string' },
  },
});
if (!(values.mixture! in mixtures)) {
  console.error(`--mixture must be one of: ${Object.keys(mixtures).join(', ')}; got ${values.mixture}`);
  process.exit(2);
}
const out = resolve(import.meta.dirname, values.out!);
const started = Date.now();
const corpus = buildCorpus(mixtures[values.mixture as MixtureName], Number(values.bytes));
const overlap = evaluationOverlap(corpus, resolve(import.meta.dirname, '../../benchmarks/suites'));
if (overlap.length > 0) {
  console.error(`corpus contains ${overlap.length} evaluation items, e.g. ${JSON.stringify(overlap[0])}`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
// Documents are separated by a NUL byte, which train.py maps to the end-of-text token.
writeFileSync(out, corpus.documents.join('\u0000'));
writeFileSync(
  `${out}.stats.json`,
  JSON.stringify({ mixture: values.mixture, bytes: corpus.bytes, documents: corpus.documents.length, facts: corpus.factIds.size, byTask: corpus.byTask }, null, 2),
);
console.log(`wrote ${out}: ${corpus.documents.length} documents, ${corpus.bytes} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s; no evaluation item found in it`);

if (values.probes) {
  // What the training curves follow: the transitions the ladder is meant to show.
  const probeSets: { name: string; task: string; options: TaskOptions; k: number; n?: number }[] = [
    { name: 'copy-spaced', task: 'icl/induction', options: {}, k: 0 },
    { name: 'copy-unspaced', task: 'icl/induction', options: { spaced: false }, k: 0 },
    { name: 'add-1', task: 'arithmetic/addition', options: { digits: 1 }, k: 2, n: 40 },
    { name: 'add-3', task: 'arithmetic/addition', options: { digits: 3 }, k: 2 },
    { name: 'add-5', task: 'arithmetic/addition', options: { digits: 5 }, k: 2 },
  ];
  const lines: string[] = [];
  for (const p of probeSets) {
    const task = getTask(p.task);
    const options = task.resolveOptions(p.options);
    for (const ex of task.examples(777_777, p.n ?? 64, options)) {
      const prompt = buildPrompt(task, ex, task.fewShot(ex, p.k, 777_777, options), options);
      lines.push(JSON.stringify({ set: p.name, prompt, target: ex.target }));
    }
  }
  const probesOut = resolve(import.meta.dirname, values.probes);
  writeFileSync(probesOut, `${lines.join('\n')}\n`);
  console.log(`wrote ${probesOut}: ${lines.length} probe items`);
}
