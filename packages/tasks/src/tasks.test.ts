import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userErrorOf } from '@emergence/core/testing';
import { UserError, extractAnswer, metricKinds, sampleMetrics, schemaObject, type Example, type Task } from '@emergence/core';
import { buildPrompt, getTask, planSample, registry, scoreSample, splitOf } from './index.js';
import { consistentOrders, formatDate } from './bbh/index.js';


const variants: Record<string, Record<string, string | number | boolean>[]> = {
  'arithmetic/addition': [{ digits: 2 }, { digits: 5, cot: true }],
  'bbh/tracking_shuffled_objects': [{ objects: 3 }, { objects: 5 }, { objects: 7, cot: true }],
  'bbh/logical_deduction': [{ objects: 3 }, { objects: 5 }],
  'icl/label-mapping': [{ labels: 'natural' }, { labels: 'flipped' }, { labels: 'unrelated' }],
  'icl/induction': [{}, { spaced: false }, { length: 8, mixed: false }],
};

function optionSets(task: Task) {
  return (variants[task.id] ?? [{}]).map((o) => task.resolveOptions(o));
}

describe('every registered task', () => {
  for (const task of registry) {
    describe(task.id, () => {
      for (const options of optionSets(task)) {
        it(`is deterministic, duplicate-free and keeps demonstrations apart (${JSON.stringify(options)})`, () => {
          const n = task.id.startsWith('instruct/') ? 40 : 60;
          const a = task.examples(11, n, options);
          const b = task.examples(11, n, options);
          expect(a).toEqual(b);
          expect(new Set(a.map((e) => e.id)).size).toBe(n);
          expect(task.examples(12, n, options).map((e) => e.id)).not.toEqual(a.map((e) => e.id));
          const testKeys = new Set(a.map((e) => `${e.input}\u0000${e.target}`));
          for (const ex of a.slice(0, 10)) {
            const demos = task.fewShot(ex, 4, 11, options);
            expect(demos).toHaveLength(4);
            expect(task.fewShot(ex, 4, 11, options)).toEqual(demos);
            // Nested: the first two of four are the two-shot demonstrations.
            expect(task.fewShot(ex, 2, 11, options)).toEqual(demos.slice(0, 2));
            const episodic = task.id === 'icl/symbol-mapping' || task.id === 'icl/linear-function';
            const testInputs = new Set(a.map((x) => x.input));
            // Relabelled tasks split on the input alone, so compare inputs there.
            if (task.id === 'icl/label-mapping') for (const d of demos) expect(testInputs.has(d.input)).toBe(false);
            else if (!episodic) for (const d of demos) expect(testKeys.has(`${d.input}\u0000${d.target}`)).toBe(false);
          }
          // The training split is disjoint from the test split by construction.
          for (const p of task.practice(99, 20, options)) {
            expect(task.id === 'icl/label-mapping' ? splitOf(task.id, p.input, '') : splitOf(task.id, p.input, p.target)).toBe('demo');
          }
        });
      }

      it('declares chance in [0, 1], a discrete and a continuous metric', () => {
        const c = task.chance(task.defaults);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
        expect(['exactMatch', 'accuracy']).toContain(task.metrics.discrete);
        expect(['meanTargetLogProb', 'brierScore', 'charEditSimilarity', 'inContextLossDrop']).toContain(task.metrics.continuous);
        expect(task.metrics.all).toContain(task.metrics.discrete);
        expect(task.metrics.all).toContain(task.metrics.continuous);
      });
    });
  }

  it('rejects unknown options and bad values with a clear error', () => {
    const t = getTask('arithmetic/addition');
    expect(() => t.resolveOptions({ digit: 3 })).toThrow(/has no option "digit"/);
    expect(() => t.resolveOptions({ digits: 9 })).toThrow(/must be one of: 1, 2, 3, 4, 5/);
    expect(() => t.resolveOptions({ digits: 'two' })).toThrow(/must be a number/);
    expect(userErrorOf(() => getTask('arithmetic/adition')).format()).toContain('did you mean "arithmetic/addition"');
  });

  it('refuses an n larger than the distinct items a generator can make', () => {
    const t = getTask('arithmetic/addition');
    // 1-digit addition has 81 pairs, about three quarters of them in the test split.
    expect(() => t.examples(1, 500, t.resolveOptions({ digits: 1 }))).toThrow(UserError);
    expect(() => t.examples(1, 500, t.resolveOptions({ digits: 1 }))).toThrow(/can make only about \d+ distinct test items/);
  });
});

describe('targets are correct by independent checks', () => {
  const examples = (id: string, options = {}, n = 200) => {
    const t = getTask(id);
    return t.examples(5, n, t.resolveOptions(options));
  };

  it('arithmetic matches BigInt arithmetic', () => {
    for (const d of [2, 3, 4, 5]) {
      for (const e of examples('arithmetic/addition', { digits: d })) {
        expect(BigInt(e.target)).toBe(BigInt(String(e.metadata.a)) + BigInt(String(e.metadata.b)));
        expect(String(e.metadata.a)).toHaveLength(d);
      }
    }
    for (const e of examples('arithmetic/subtraction', { digits: 3 })) expect(BigInt(e.target)).toBe(BigInt(String(e.metadata.a)) - BigInt(String(e.metadata.b)));
    for (const e of examples('arithmetic/multiplication')) expect(BigInt(e.target)).toBe(BigInt(String(e.metadata.a)) * BigInt(String(e.metadata.b)));
    for (const e of examples('arithmetic/composite', {}, 150)) {
      // eslint-disable-next-line no-new-func
      expect(Number(e.target)).toBe((Function(`return (${String(e.metadata.expression)})`)() as number) + 0);
    }
  });

  it('the scratchpad ends in the answer', () => {
    const t = getTask('arithmetic/addition');
    const o = t.resolveOptions({ digits: 4, cot: true });
    for (const e of t.examples(3, 30, o)) {
      const shown = t.formatTarget(e, o);
      expect(shown.startsWith(" Let's think step by step.")).toBe(true);
      expect(t.extract!(shown, o)).toBe(e.target);
    }
  });

  it('boolean expressions evaluate to their targets', () => {
    for (const depth of [1, 2, 3, 4]) {
      for (const e of examples('bbh/boolean_expressions', { depth }, depth === 1 ? 5 : 100)) {
        const js = String(e.metadata.expression).replace(/\bnot\b/g, '!').replace(/\band\b/g, '&&').replace(/\bor\b/g, '||').replace(/True/g, 'true').replace(/False/g, 'false');
        // eslint-disable-next-line no-new-func
        expect(Function(`return (${js})`)() ? 'True' : 'False').toBe(e.target);
      }
    }
  });

  it('multistep arithmetic matches JavaScript evaluation', () => {
    for (const e of examples('bbh/multistep_arithmetic_two', { terms: 3 })) {
      // eslint-disable-next-line no-new-func
      expect(String(Function(`return (${String(e.metadata.expression).replace(/- -/g, '+ ')})`)())).toBe(e.target);
    }
  });

  it('dyck completions close every bracket', () => {
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };
    for (const e of examples('bbh/dyck_languages', { length: 12 })) {
      const seq = `${String(e.metadata.prefix)} ${e.target}`.split(' ');
      const stack: string[] = [];
      for (const s of seq) {
        if (pairs[s]) stack.push(s);
        else expect(pairs[stack.pop()!]).toBe(s);
      }
      expect(stack).toHaveLength(0);
      expect(e.target.length).toBeGreaterThan(0);
    }
  });

  it('word sorting is sorted and a permutation', () => {
    for (const e of examples('bbh/word_sorting', { words: 6 })) {
      const words = e.input.split('List: ')[1]!.split(' ');
      expect(e.target.split(' ')).toEqual([...words].sort());
    }
  });

  it('tracking shuffled objects replays the swaps', () => {
    for (const objects of [3, 5, 7]) {
      for (const e of examples('bbh/tracking_shuffled_objects', { objects }, 100)) {
        const colors = String(e.metadata.colors).split(',');
        const holding = [...colors];
        for (const s of String(e.metadata.swaps).split(',')) {
          const [i, j] = s.split('-').map(Number) as [number, number];
          [holding[i], holding[j]] = [holding[j]!, holding[i]!];
        }
        const gold = colors.indexOf(holding[Number(e.metadata.asked)]!);
        expect(e.target).toBe(`(${'ABCDEFG'[gold]})`);
      }
    }
  });

  it('logical deduction has exactly one consistent order', () => {
    for (const objects of [3, 5]) {
      for (const e of examples('bbh/logical_deduction', { objects }, 60)) {
        const orders = consistentOrders(objects, JSON.parse(String(e.metadata.clues)));
        expect(orders).toHaveLength(1);
        expect(orders[0]!.join(',')).toBe(e.metadata.truth);
      }
    }
  });

  it('date arithmetic matches an independent day count', () => {
    for (const e of examples('bbh/date_understanding')) {
      const [m, d, y] = String(e.metadata.today).split('/').map(Number) as [number, number, number];
      const answer = formatDate(new Date(Date.UTC(y, m - 1, d + Number(e.metadata.days))));
      const choices = String(e.metadata.choices).split(',');
      expect(choices[e.target.charCodeAt(1) - 65]).toBe(answer);
    }
  });

  it('web of lies and navigate follow their rules', () => {
    for (const e of examples('bbh/web_of_lies', { people: 6 })) {
      const sentences = e.input.replace('Question: ', '').split('. ');
      let truthful = sentences[0]!.endsWith('tells the truth');
      for (const s of sentences.slice(1, -1)) truthful = s.endsWith('tells the truth') === truthful;
      expect(truthful ? 'Yes' : 'No').toBe(e.target);
    }
    const answers = examples('bbh/navigate', { steps: 4 }).map((e) => e.target);
    expect(answers.filter((a) => a === 'Yes').length).toBeGreaterThan(40);
  });

  it('ICL label mapping uses each episode\'s labels in its demonstrations', () => {
    const t = getTask('icl/label-mapping');
    for (const labels of ['natural', 'flipped', 'unrelated']) {
      const o = t.resolveOptions({ labels });
      for (const e of t.examples(2, 20, o)) {
        const positive = e.metadata.sentiment === 'positive';
        if (labels === 'flipped') expect(e.target).toBe(positive ? 'negative' : 'positive');
        if (labels === 'natural') expect(e.target).toBe(positive ? 'positive' : 'negative');
        for (const d of t.fewShot(e, 8, 2, o)) expect(e.choices).toContain(d.target);
      }
    }
  });

  it('induction puts the sequence at varied offsets, with mixed lengths, so position alone cannot say where to copy from', () => {
    const t = getTask('icl/induction');
    for (const spaced of [true, false]) {
      const o = t.resolveOptions({ spaced });
      const items = t.examples(5, 200, o);
      const prompts = items.map((e) => buildPrompt(t, e, [], o));
      expect(new Set(prompts.map((p) => p.indexOf('Copy: '))).size).toBeGreaterThanOrEqual(14);
      const lengths = items.map((e) => e.target.replace(/ /g, '').length);
      expect(Math.min(...lengths)).toBe(4);
      expect(Math.max(...lengths)).toBe(16);
      for (const [i, e] of items.entries()) {
        expect(prompts[i]!.endsWith(`Copy: ${e.target} |`)).toBe(true);
        expect(e.target.includes(' ')).toBe(spaced);
      }
    }
    expect(t.chance(t.resolveOptions({}))).toBeCloseTo(26 ** -4);
    expect(t.chance(t.resolveOptions({ length: 8, mixed: false }))).toBeCloseTo(26 ** -8);
  });

  it('induction probes score the sequence on first sight and when repeated', () => {
    const t = getTask('icl/induction');
    const o = t.resolveOptions({});
    const [e] = t.examples(3, 1, o) as [Example];
    const prompt = buildPrompt(t, e, [], o);
    const [first, second] = t.probes!(e, prompt, o);
    expect(first!.context.endsWith('Copy:')).toBe(true);
    expect(first!.continuation).toBe(` ${e.target}`);
    expect(second!.context).toBe(prompt);
    expect(t.scoreProbes!([{ logprob: -20, tokens: 10, isGreedy: false, tokenLogprobs: [], truncated: 0 }, { logprob: -5, tokens: 10, isGreedy: false, tokenLogprobs: [], truncated: 0 }]).inContextLossDrop).toBeCloseTo(1.5);
  });

  it('symbol mapping shows the queried pair once the shots cover the mapping', () => {
    const t = getTask('icl/symbol-mapping');
    const o = t.resolveOptions({});
    for (const e of t.examples(4, 30, o)) {
      const demos = t.fewShot(e, 4, 4, o);
      expect(demos.some((d) => d.input === e.input && d.target === e.target)).toBe(true);
    }
  });
});

describe('prompts and extraction', () => {
  it('formats k demonstrations before the question', () => {
    const t = getTask('icl/linear-function');
    const o = t.resolveOptions({});
    const [e] = t.examples(1, 1, o) as [Example];
    const prompt = buildPrompt(t, e, t.fewShot(e, 2, 1, o), o);
    expect(prompt.split('\n\n')).toHaveLength(3);
    expect(prompt.endsWith(`f(${e.input}) =`)).toBe(true);
  });

  it('round-trips answers through extraction, including malformed ones', () => {
    const t = getTask('bbh/web_of_lies');
    const cot = t.resolveOptions({ cot: true });
    expect(t.extract!("Let's think step by step. Bob lies. So the answer is No.", cot)).toBe('No');
    expect(t.extract!('So the answer is Yes. So the answer is No.', cot)).toBe('No');
    expect(t.extract!('I am not sure', cot)).toBe('I am not sure');
    const plain = t.resolveOptions({});
    expect(t.extract!(' Yes\nQ: next', plain)).toBe('Yes');
    expect(t.extract!('', plain)).toBe('');
    expect(extractAnswer('So the answer is 12.', /So the answer is (.+?)\.?\s*$/m, 'last')).toBe('12');
  });
});

describe('scoring', () => {
  it('accuracyNorm divides by the choice\'s own length, without the delimiter (lm-evaluation-harness acc_norm)', () => {
    const t = getTask('icl/symbol-mapping');
    const o = t.resolveOptions({ symbols: 2 });
    const ex: Example = { id: 'x', input: 'dake', target: 'blue', choices: ['red', 'blue'], metadata: {} };
    const plan = planSample(t, ex, 'dake ->', o);
    expect(plan.loglikelihood.map((r) => r.continuation)).toEqual([' red', ' blue']);
    const ll = (logprob: number) => ({ logprob, isGreedy: false, tokens: 1, tokenLogprobs: [logprob], truncated: 0 });
    // Per choice character: red −3/3 = −1.0 < blue −3.9/4 = −0.975, so blue. Counting the
    // leading space would give −0.75 against −0.78 and pick red.
    const scored = scoreSample(t, ex, o, plan, null, [ll(-3), ll(-3.9)]);
    expect(scored.scores.accuracy).toBe(0);
    expect(scored.scores.accuracyNorm).toBe(1);
  });
});

describe('registry', () => {
  it('has unique ids that the suite schema accepts and a README row for each', () => {
    const ids = registry.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const schema = schemaObject('suite') as { $defs: { taskEntry: { properties: { task: { pattern: string } } } } };
    const pattern = new RegExp(schema.$defs.taskEntry.properties.task.pattern);
    for (const t of registry) {
      expect(readme, `README row for ${t.id}`).toContain(`| \`${t.id}\``);
      expect(t.id).toMatch(pattern);
    }
    // Every id is also exercised by the per-task tests above, which iterate the registry itself.
  });

  it('every task reports only metrics its kind yields, its discrete and continuous ones among them; probe metrics come with probes', () => {
    for (const t of registry) {
      for (const m of t.metrics.all) expect(metricKinds(m), `${t.id}: ${m}`).toContain(t.kind);
      expect(t.metrics.all).toContain(t.metrics.discrete);
      expect(t.metrics.all).toContain(t.metrics.continuous);
      const fromProbes = t.metrics.all.filter((m) => !sampleMetrics(t.kind).includes(m));
      if (fromProbes.length) expect(t.scoreProbes, t.id).toBeDefined();
    }
  });
});
