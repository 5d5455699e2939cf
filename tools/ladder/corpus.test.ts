import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTask } from '@emergence/tasks';
import { buildCorpus, evaluationOverlap } from './corpus-lib.js';
import { fullMixture, mixtures, shortMixture } from './mixture.js';

const suites = resolve(import.meta.dirname, '../../benchmarks/suites');

describe('training corpus', () => {
  const corpus = buildCorpus(fullMixture, 300_000);
  const short = buildCorpus(shortMixture, 200_000);

  it('is deterministic and covers every mixture entry', () => {
    expect(buildCorpus(fullMixture, 50_000).documents).toEqual(buildCorpus(fullMixture, 50_000).documents);
    for (const [name, built] of [['full', corpus], ['short', short]] as const) {
      for (const m of mixtures[name]) expect(built.byTask[m.task]?.documents, `${name}: ${m.task}`).toBeGreaterThan(0);
    }
  });

  it('contains no evaluation item of any shipped suite, facts aside', () => {
    expect(evaluationOverlap(corpus, suites)).toEqual([]);
    expect(evaluationOverlap(short, suites)).toEqual([]);
  });

  it('trains every one-digit fact, including those the suites ask', () => {
    const t = getTask('arithmetic/addition');
    const options = t.resolveOptions({ digits: 1 });
    const asked = t.examples(2024, 48, options).map((e) => e.id);
    const trained = asked.filter((id) => short.factIds.has(id));
    // Facts are memorised, not generalised: most asked facts are in the corpus.
    expect(trained.length).toBeGreaterThan(asked.length * 0.8);
    expect([...short.queryIds].some((id) => asked.includes(id))).toBe(false);
  });

  it('the check does catch an evaluation item put into the corpus', () => {
    const t = getTask('arithmetic/addition');
    const [leaked] = t.examples(2024, 1, t.resolveOptions({ digits: 2 }));
    corpus.queryIds.add(leaked!.id);
    const found = evaluationOverlap(corpus, suites);
    corpus.queryIds.delete(leaked!.id);
    expect(found.map((f) => f.id)).toContain(leaked!.id);
  });

  it('a suite that does not load stops the check instead of vanishing from it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'overlap-'));
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\nseed: 1\nn: 4\ntasks:\n  - task: icl/no-such-task\n');
    expect(() => evaluationOverlap(corpus, dir)).toThrow(/no-such-task/);
  });

  it('copies sit at varied offsets, spaced and unspaced, lengths 4 to 16', () => {
    const copies = short.documents.filter((d) => d.includes('Copy: '));
    expect(copies.length).toBeGreaterThan(short.documents.length * 0.25);
    const offsets = new Set(copies.map((d) => d.indexOf('Copy: ')));
    expect(offsets.size).toBeGreaterThanOrEqual(12);
    const sequences = copies.map((d) => d.slice(d.indexOf('Copy: ') + 6, d.indexOf(' |')));
    expect(sequences.some((s) => s.includes(' '))).toBe(true);
    expect(sequences.some((s) => s.length >= 8 && !s.includes(' '))).toBe(true);
    const letters = sequences.map((s) => s.replace(/ /g, '').length);
    expect(Math.min(...letters)).toBe(4);
    expect(Math.max(...letters)).toBe(16);
  });

  it('every mixture option set is valid for its task', () => {
    for (const m of [...fullMixture, ...shortMixture]) for (const o of m.options) expect(() => getTask(m.task).resolveOptions(o)).not.toThrow();
  });
});
