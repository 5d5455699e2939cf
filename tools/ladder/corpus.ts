// Writes the tiny ladder's training corpus: documents made by the task
// generators from the demonstration split only, then checks that no
// evaluation item of any suite appears in it.
//
//   pnpm --filter @emergence/ladder-tools corpus --bytes 8000000 --out out/corpus.txt
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCorpus, evaluationOverlap } from './corpus-lib.js';

const { values } = parseArgs({
  options: { bytes: { type: 'string', default: '8000000' }, out: { type: 'string', default: 'out/corpus.txt' } },
});
const out = resolve(import.meta.dirname, values.out!);
const started = Date.now();
const corpus = buildCorpus(Number(values.bytes));
const overlap = evaluationOverlap(corpus, resolve(import.meta.dirname, '../../benchmarks/suites'));
if (overlap.length > 0) {
  console.error(`corpus contains ${overlap.length} evaluation items, e.g. ${JSON.stringify(overlap[0])}`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
// Documents are separated by a NUL byte, which train.py maps to the end-of-text token.
writeFileSync(out, corpus.documents.join('\u0000'));
writeFileSync(`${out}.stats.json`, JSON.stringify({ bytes: corpus.bytes, documents: corpus.documents.length, byTask: corpus.byTask }, null, 2));
console.log(`wrote ${out}: ${corpus.documents.length} documents, ${corpus.bytes} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s; no evaluation item found in it`);
