import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userErrorOf } from '@emergence/core/testing';
import { buildPrompt, importBbh, importBigBench, loadSuite, planSample } from './index.js';
import { chanceOf } from './importers.js';

const fx = (name: string) => join(import.meta.dirname, '__fixtures__', name);


describe('BIG-Bench-Hard importer', () => {
  it('imports examples, splits demonstrations from test items and extracts answers', () => {
    const t = importBbh(fx('bbh-boolean.json'));
    expect(t.id).toBe('bbh-import/bbh-boolean');
    expect(t.kind).toBe('generate');
    const test = t.examples(1, 3, {});
    expect(test).toHaveLength(3);
    expect(t.examples(1, 3, {})).toEqual(test);
    const demos = t.fewShot(test[0]!, 1, 1, {});
    expect(test.map((e) => e.id)).not.toContain(demos[0]!.id);
    expect(t.extract!(' False\nQ: more', {})).toBe('False');
  });

  it('gives two-answer tasks chance 1/2 and lettered options the mean of 1/k', () => {
    expect(importBbh(fx('bbh-boolean.json')).chance({})).toBe(0.5);
    const ex = (input: string, target: string) => ({ id: input, input, target, metadata: {} });
    const lettered = [ex('Pick:\n(A) x\n(B) y', '(A)'), ex('Pick:\n(A) x\n(B) y\n(C) z\n(D) w', '(D)')];
    expect(chanceOf(lettered, 'generate')).toBeCloseTo((1 / 2 + 1 / 4) / 2);
    const free = ['12', '7', '3', '40', '9', '11'].map((t) => ex(`sum ${t}`, t));
    expect(chanceOf(free, 'generate')).toBe(0);
  });

  it('puts a chain-of-thought prompt before every question', () => {
    const t = importBbh(fx('bbh-boolean.json'), { cotPrompt: fx('bbh-boolean-cot.txt') });
    const [e] = t.examples(1, 1, {});
    const prompt = buildPrompt(t, e!, [], {});
    expect(prompt.startsWith('Q: not ( ( not not True ) ) is')).toBe(true);
    expect(prompt.endsWith("\nA: Let's think step by step.")).toBe(true);
    expect(t.extract!(' not True = False. So the answer is False.\n\nQ: x', {})).toBe('False');
  });

  it('rejects files without examples; keeps items whose target is not among the options, as upstream scores them', () => {
    expect(userErrorOf(() => importBbh(fx('bbh-empty.json'))).format()).toContain('no examples');
    expect(userErrorOf(() => importBbh(fx('missing.json'))).format()).toContain('does not exist');
    const t = importBbh(fx('bbh-bad-target.json'));
    // Both items survive the import, in one split or the other, with their targets as written.
    const drawn = (draw: (n: number) => { target: string }[]) => {
      for (let n = 2; n >= 1; n--) {
        try {
          return draw(n);
        } catch {
          // fewer items in this split
        }
      }
      return [];
    };
    const targets = [...drawn((n) => t.examples(1, n, {})), ...drawn((n) => t.practice(1, n, {}))].map((e) => e.target);
    expect(targets.sort()).toEqual(['(A)', '(C)']);
  });
});

describe('BIG-bench importer', () => {
  it('reads target_scores as a choice task with the prefixes of the file', () => {
    const t = importBigBench(fx('bigbench-choice.json'));
    expect(t.id).toBe('bigbench/tiny_analogies');
    expect(t.kind).toBe('choice');
    expect(t.chance({})).toBeCloseTo(1 / 3);
    const [e] = t.examples(2, 1, {});
    expect(e!.choices).toHaveLength(3);
    const prompt = buildPrompt(t, e!, [], {});
    expect(prompt.startsWith('Complete the analogy.\n\nQ: ')).toBe(true);
    expect(prompt.endsWith('\nA:')).toBe(true);
    expect(planSample(t, e!, prompt, {}).loglikelihood).toHaveLength(3);
  });

  it('reads target (or a list of targets) as a generate task', () => {
    const t = importBigBench(fx('bigbench-generate.json'));
    expect(t.kind).toBe('generate');
    expect(t.examples(1, 4, {}).every((e) => e.target === e.input.replace('Repeat: ', ''))).toBe(true);
  });

  it('rejects a target outside target_scores and n beyond the file', () => {
    const e = userErrorOf(() => importBigBench(fx('bigbench-bad-target.json')));
    expect(e.details.pointer).toBe('/examples/0/target');
    expect(() => importBigBench(fx('bigbench-generate.json')).examples(1, 50, {})).toThrow(/has \d+ test items, but n = 50/);
  });
});

describe('suites', () => {
  it('resolve imported tasks relative to the suite file', () => {
    const { runs } = loadSuite(fx('suite-imports.yaml'));
    expect(runs.map((r) => r.id)).toEqual(['bbh-import/bbh-boolean', 'bbh-import/bbh-boolean-cot', 'bigbench/tiny_analogies']);
    expect(runs.every((r) => r.examples.length === 2)).toBe(true);
  });

  it('name the suite file and entry for an unknown task, with the nearest id', () => {
    const e = userErrorOf(() => loadSuite(fx('suite-typo.yaml')));
    expect(e.format()).toBe(`${fx('suite-typo.yaml')} at /tasks/0: unknown task "icl/label-maping" (did you mean "icl/label-mapping"? \`bench list\` shows all tasks)`);
  });

  it('apply --n and --seed overrides to every task', () => {
    const a = loadSuite(join(import.meta.dirname, '../../../benchmarks/suites/icl.yaml'), { n: 3, seed: 9 });
    expect(a.runs.every((r) => r.examples.length === 3)).toBe(true);
    expect(a.suite.seed).toBe(9);
  });

  it('every shipped suite resolves', () => {
    for (const name of ['icl', 'arithmetic', 'bbh', 'instruct', 'all']) {
      expect(loadSuite(join(import.meta.dirname, `../../../benchmarks/suites/${name}.yaml`)).runs.length).toBeGreaterThan(0);
    }
  });
});
