import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTask } from '@emergence/tasks';
import { buildCorpus, evaluationOverlap } from './corpus-lib.js';
import { mixture } from './mixture.js';

describe('training corpus', () => {
  const corpus = buildCorpus(300_000);

  it('is deterministic and covers every mixture entry', () => {
    expect(buildCorpus(50_000).documents).toEqual(buildCorpus(50_000).documents);
    for (const m of mixture) expect(corpus.byTask[m.task]?.documents, m.task).toBeGreaterThan(0);
  });

  it('contains no evaluation item of any shipped suite', () => {
    expect(evaluationOverlap(corpus, resolve(import.meta.dirname, '../../benchmarks/suites'))).toEqual([]);
  });

  it('the check does catch an evaluation item put into the corpus', () => {
    const t = getTask('arithmetic/addition');
    const [leaked] = t.examples(2024, 1, t.resolveOptions({ digits: 2 }));
    corpus.queryIds.add(leaked!.id);
    const found = evaluationOverlap(corpus, resolve(import.meta.dirname, '../../benchmarks/suites'));
    corpus.queryIds.delete(leaked!.id);
    expect(found.map((f) => f.id)).toContain(leaked!.id);
  });

  it('every mixture option set is valid for its task', () => {
    for (const m of mixture) for (const o of m.options) expect(() => getTask(m.task).resolveOptions(o)).not.toThrow();
  });
});
