// Corpus construction and the evaluation-overlap check, as functions so
// tests can run them on a small scale.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@emergence/core';
import { TooFewItemsError, buildPrompt, getTask, loadSuite } from '@emergence/tasks';
import { CORPUS_SEED_BASE, type MixtureEntry } from './mixture.js';

export interface Corpus {
  documents: string[];
  bytes: number;
  byTask: Record<string, { documents: number; bytes: number }>;
  /** Example ids of every document's final (answered) item, facts excepted. */
  queryIds: Set<string>;
  /** Ids of answered items drawn from every item because they are facts to memorise. */
  factIds: Set<string>;
}

export function buildCorpus(mixture: MixtureEntry[], targetBytes: number, seedBase = CORPUS_SEED_BASE): Corpus {
  const rng = new Rng(seedBase);
  const total = mixture.reduce((s, m) => s + m.weight, 0);
  const corpus: Corpus = { documents: [], bytes: 0, byTask: {}, queryIds: new Set(), factIds: new Set() };
  for (let i = 0; corpus.bytes < targetBytes; i++) {
    let r = rng.next() * total;
    // The entry whose share of the total weight the draw falls into.
    const entry =
      mixture.find((m) => {
        r -= m.weight;
        return r < 0;
      }) ?? mixture[mixture.length - 1]!;
    const task = getTask(entry.task);
    const options = task.resolveOptions(rng.pick(entry.options));
    const k = rng.pick(entry.shots);
    const seed = seedBase + i;
    // Facts come from either split; everything else only from the demonstration split.
    const fromTest = entry.facts === true && rng.next() < 0.75;
    const [item] = fromTest ? task.examples(seed, 1, options) : task.practice(seed, 1, options);
    const demos = task.fewShot(item!, k, seed, options);
    const doc = buildPrompt(task, item!, demos, options) + task.formatTarget(item!, options);
    corpus.documents.push(doc);
    (entry.facts ? corpus.factIds : corpus.queryIds).add(item!.id);
    const bytes = Buffer.byteLength(doc) + 1;
    corpus.bytes += bytes;
    corpus.byTask[entry.task] ??= { documents: 0, bytes: 0 };
    const stat = corpus.byTask[entry.task]!;
    stat.documents++;
    stat.bytes += bytes;
  }
  return corpus;
}

/** Evaluation items (of every suite in `suitesDir`, at its default and a large n) that appear as corpus items. */
export function evaluationOverlap(corpus: Corpus, suitesDir: string, n = 256): { suite: string; task: string; id: string }[] {
  const found: { suite: string; task: string; id: string }[] = [];
  for (const name of readdirSync(suitesDir).filter((f) => f.endsWith('.yaml'))) {
    for (const large of [false, true]) {
      let runs;
      try {
        runs = loadSuite(join(suitesDir, name), large ? { n } : {}).runs;
      } catch (err) {
        // Some tasks cannot make the large n distinct items (their default n is checked in the other pass); any other error is a real one.
        if (large && err instanceof TooFewItemsError) continue;
        throw err;
      }
      for (const run of runs) for (const ex of run.examples) if (corpus.queryIds.has(ex.id)) found.push({ suite: name, task: run.id, id: ex.id });
    }
  }
  return found;
}
