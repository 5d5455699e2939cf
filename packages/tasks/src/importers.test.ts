import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userErrorOf } from '@emergence/core/testing';
import type { Example } from '@emergence/core';
import { buildPrompt, importBbh, importBigBench, loadSuite, planSample, scoreSample } from './index.js';
import { importLmEval } from './importers.js';
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

  it('chain of thought: the worked examples before every question, a 1024-token budget, the answer judged by what it says', () => {
    const t = importBbh(fx('bbh-boolean.json'), { prompt: fx('bbh-boolean-cot.txt'), cot: true });
    expect(t.id).toBe('bbh-import/bbh-boolean-cot');
    // Every item is a test item: the demonstrations are in the prompt file.
    expect(() => t.examples(1, 8, {})).not.toThrow();
    const [e] = t.examples(1, 1, {});
    const prompt = buildPrompt(t, e!, [], {});
    // The paper's prompt: the description paragraph, then the worked examples (the canary line above `-----` is not shown).
    expect(prompt.startsWith('Evaluate the result of a random Boolean expression.\n\nQ: not ( ( not not True ) ) is')).toBe(true);
    expect(prompt).not.toContain('canary');
    expect(prompt.endsWith("\nA: Let's think step by step.")).toBe(true);
    expect(t.extract!(' not True = False. So the answer is False.\n\nQ: x', {})).toBe('False');
    expect(t.generation!({}).maxTokens).toBe(1024);
    expect(importBbh(fx('bbh-boolean.json'), { prompt: fx('bbh-boolean-cot.txt'), cot: true, maxTokens: 300 }).generation!({}).maxTokens).toBe(300);
    // No log-probability of the bare answer right after "Let's think step by step.": the twin is the answer's similarity.
    expect(t.metrics).toEqual({ discrete: 'exactMatch', continuous: 'charEditSimilarity', all: ['exactMatch', 'charEditSimilarity'] });
    expect(planSample(t, e!, prompt, {}).loglikelihood).toEqual([]);
  });

  it('answer-only with the prompt file: its description and its exemplars final answers, fixed, over every item', () => {
    const t = importBbh(fx('bbh-boolean.json'), { prompt: fx('bbh-boolean-cot.txt') });
    expect(t.id).toBe('bbh-import/bbh-boolean');
    const items = t.examples(1, 8, {});
    expect(items).toHaveLength(8);
    const e = items[0]!;
    const demos = t.fewShot(e, 3, 1, {});
    expect(demos.map((d) => [d.input, d.target])).toEqual([
      ['not ( ( not not True ) ) is', 'False'],
      ['True and False and not True and True is', 'False'],
      [expect.any(String), expect.any(String)],
    ]);
    // The same exemplars whatever the item and seed.
    expect(t.fewShot(items[1]!, 3, 99, {}).map((d) => d.id)).toEqual(demos.map((d) => d.id));
    const prompt = buildPrompt(t, e, demos.slice(0, 2), {});
    expect(prompt).toBe(`Evaluate the result of a random Boolean expression.\n\nQ: not ( ( not not True ) ) is\nA: False\n\nQ: True and False and not True and True is\nA: False\n\nQ: ${e.input}\nA:`);
    expect(() => t.fewShot(e, 4, 1, {})).toThrow(/has 3 demonstration items, but 4 shots/);
    expect(t.generation!({}).maxTokens).toBe(256);
    expect(userErrorOf(() => importBbh(fx('bbh-boolean.json'), { cot: true })).format()).toContain('chain of thought needs the prompt file');
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
    expect(t.warnings).toEqual([expect.stringMatching(/^bbh-bad-target\.json: 1 item\(s\) have a target that is not among their \(X\) options \(\/examples\/\d\); they are kept, as upstream scores them, and can never be right$/)]);
    expect(importBbh(fx('bbh-boolean.json')).warnings).toBeUndefined();
  });
});

describe('BIG-bench importer (json_task semantics)', () => {
  const prompt0 = (t: ReturnType<typeof importBigBench>, e: Example) => buildPrompt(t, e, [], {});

  it('appends the choices to the input by default, with the file prefixes and task_prefix', () => {
    const t = importBigBench(fx('bigbench-choice.json'));
    expect(t.id).toBe('bigbench/tiny_analogies');
    expect(t.kind).toBe('choice');
    expect(t.chance({})).toBeCloseTo(1 / 3);
    const e = t.examples(2, 8, {}).find((x) => x.input.includes('hot is to cold'))!;
    expect([...e.choices!].sort()).toEqual(['down', 'left', 'sky']);
    // task_prefix directly, then "\nQ: " input, the choices, "\nA: " — and the answer right after it.
    expect(prompt0(t, e)).toBe(`Complete the analogy.\nQ: hot is to cold as up is to${e.choices!.map((c) => `\n  choice: ${c}`).join('')}\nA: `);
    expect(planSample(t, e, prompt0(t, e), {}).loglikelihood.map((r) => r.continuation).sort()).toEqual(['down', 'left', 'sky']);
  });

  it('honours choice_prefix and append_choices_to_input: false', () => {
    const mc = importBigBench(fx('bigbench-mc.json'));
    const sky = mc.examples(1, 3, {}).find((x) => x.input.includes('sky'))!;
    expect(prompt0(mc, sky)).toContain('The sky is\n  option: ');
    const plain = importBigBench(fx('bigbench-mc-noappend.json'));
    const e = plain.examples(1, 1, {})[0]!;
    expect(prompt0(plain, e)).toMatch(/^\nQ: (The sky is|Grass is)\nA: $/);
  });

  it('scores several right answers and partial credit from target_scores (multiple_choice_grade)', () => {
    const t = importBigBench(fx('bigbench-mc.json'));
    // The duplicate "Snow is" item is read once, as BIG-bench does.
    expect(() => t.examples(1, 4, {})).toThrow(/has 3 test items/);
    const sky = t.examples(1, 3, {}).find((x) => x.input.includes('sky'))!;
    const plan = planSample(t, sky, 'p', {});
    const credit = (pick: string) => {
      const ll = sky.choices!.map((c) => ({ logprob: c === pick ? -1 : -9, isGreedy: false, tokens: 1, tokenLogprobs: [-1], truncated: 0 }));
      return scoreSample(t, sky, {}, plan, null, ll).scores.accuracy;
    };
    expect([credit('blue'), credit('azure'), credit('grey'), credit('green')]).toEqual([1, 1, 0.5, 0]);
  });

  it('decides the kind by metrics: a generative file with target and target_scores is generated', () => {
    const t = importBigBench(fx('bigbench-metrics.json'));
    expect(t.kind).toBe('generate');
    expect(t.examples(1, 4, {}).every((e) => e.choices === undefined)).toBe(true);
    // Without metrics, the fields decide (target_scores → choice); a target outside them is ignored, as json_task does.
    expect(importBigBench(fx('bigbench-bad-target.json')).kind).toBe('choice');
  });

  it('counts any target of a list', () => {
    const t = importBigBench(fx('bigbench-generate.json'));
    expect(t.kind).toBe('generate');
    const river = t.examples(1, 18, {}).find((e) => e.input.includes('river'))!;
    expect(river.targets).toEqual(['river', 'River']);
    const plan = planSample(t, river, 'p', {});
    const ll = [{ logprob: -1, isGreedy: true, tokens: 1, tokenLogprobs: [-1], truncated: 0 }];
    expect(scoreSample(t, river, {}, plan, 'River', ll).scores.exactMatch).toBe(1);
    expect(scoreSample(t, river, {}, plan, 'rivers', ll).scores.exactMatch).toBe(0);
  });

  it('applies output_regex, stop_string, and the default first-sentence regex', () => {
    expect(importBigBench(fx('bigbench-regex.json')).extract!('I think 4 legs', {})).toBe('4');
    expect(importBigBench(fx('bigbench-regex.json')).extract!('no idea', {})).toBe('');
    // stop_string: the backend must not stop on it (it cuts a stop sequence off); post-processing cuts after it and keeps it.
    const stop = importBigBench(fx('bigbench-stop.json'));
    expect(stop.generation!({}).until).toEqual([]);
    expect(stop.extract!('hi. and more', {})).toBe('hi.');
    expect(importBigBench(fx('bigbench-sums.json')).extract!('8. Then', {})).toBe('8');
    expect(importBigBench(fx('bigbench-sums.json')).generation!({}).until).toEqual(['\n']);
  });

  it('reads output_regex as Python does: a capture group is the answer, (?P<…>) and (?i) translate, two groups are refused at import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-bb-'));
    const task = (regex: string) => {
      const f = join(dir, `${Math.random()}.json`);
      writeFileSync(f, JSON.stringify({ name: 'r', metrics: ['exact_str_match'], output_regex: regex, examples: [{ input: 'x', target: '4' }] }));
      return f;
    };
    expect(importBigBench(task('answer: (\\d+)')).extract!('so the answer: 42 ok', {})).toBe('42');
    expect(importBigBench(task('(?P<n>\\d+)')).extract!('n=7', {})).toBe('7');
    expect(importBigBench(task('(?i)yes|no')).extract!('YES!', {})).toBe('YES');
    expect(userErrorOf(() => importBigBench(task('(\\d+)-(\\d+)'))).format()).toMatch(/at \/output_regex: output_regex has more than one capture group \(use non-capturing groups/);
    expect(userErrorOf(() => importBigBench(task('(unclosed'))).format()).toMatch(/at \/output_regex: output_regex does not compile/);
  });

  it("sorts json_task's metrics by kind; refuses an unknown one; warns of a metric it does not compute", () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-bb-'));
    const task = (metrics: string[]) => {
      const f = join(dir, `${Math.random()}.json`);
      writeFileSync(f, JSON.stringify({ name: 'm', metrics, examples: [{ input: 'q', target: 'a', target_scores: { a: 1, b: 0 } }, { input: 'r', target: 'b', target_scores: { a: 0, b: 1 } }] }));
      return f;
    };
    expect(importBigBench(task(['multiple_choice_grade', 'calibration_multiple_choice_brier_score'])).kind).toBe('choice');
    const bleu = importBigBench(task(['bleu', 'exact_str_match']));
    expect(bleu.kind).toBe('generate');
    expect(bleu.warnings).toEqual([expect.stringContaining('scored by exact_str_match; bleu is not computed here')]);
    expect(userErrorOf(() => importBigBench(task(['accuracy']))).format()).toMatch(/at \/metrics: unknown metric "accuracy"/);
    expect(userErrorOf(() => importBigBench(task(['multiple_choice_grade', 'exact_str_match']))).format()).toMatch(/ask for both/);
    const caseless = importBigBench(task(['case_insensitive_str_match']));
    const [e] = caseless.examples(1, 1, {});
    const ll = [{ logprob: -1, isGreedy: true, tokens: 1, tokenLogprobs: [-1], truncated: 0 }];
    expect(scoreSample(caseless, e!, {}, planSample(caseless, e!, 'p', {}), e!.target.toUpperCase(), ll).scores.exactMatch).toBe(1);
  });

  it('reads a task in the real layout of checkmate_in_one: both metrics, preferred_score exact_str_match, stop_string "#"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-bb-'));
    const f = join(dir, 'task.json');
    writeFileSync(f, JSON.stringify({
      name: 'checkmate_in_one',
      preferred_score: 'exact_str_match',
      metrics: ['exact_str_match', 'multiple_choice_grade'],
      example_input_prefix: '\n',
      example_output_prefix: ' ',
      append_choices_to_input: false,
      stop_string: '#',
      task_prefix: 'In the following chess position, find a checkmate-in-one move.\n',
      examples: [
        { input: '1. e4 e5 2. Qh5 Nc6 3. Bc4 Nf6', target: 'Qxf7#', target_scores: { 'Qxf7#': 1, Qg4: 0, Bb5: 0 } },
        { input: '1. f3 e5 2. g4', target: 'Qh4#', target_scores: { 'Qh4#': 1, d5: 0 } },
      ],
    }));
    const t = importBigBench(f);
    expect(t.kind).toBe('generate');
    const e = t.examples(1, 2, {}).find((x) => x.target === 'Qxf7#')!;
    expect(buildPrompt(t, e, [], {})).toBe('In the following chess position, find a checkmate-in-one move.\n\n1. e4 e5 2. Qh5 Nc6 3. Bc4 Nf6 ');
    expect(t.extract!('Qxf7# 1-0', {})).toBe('Qxf7#');
  });

  it('in generation, appends the choices of an item that has them, and answers an item with only target_scores by its best', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-bb-'));
    const f = join(dir, 't.json');
    writeFileSync(f, JSON.stringify({ name: 'g', metrics: ['exact_str_match'], examples: [{ input: 'Colour of grass?', target_scores: { green: 1, red: 0 } }] }));
    const [e] = importBigBench(f).examples(1, 1, {});
    expect(e!.target).toBe('green');
    expect(e!.input).toMatch(/^\nQ: Colour of grass\?\n {2}choice: (green|red)\n {2}choice: (green|red)\nA: $/);
  });

  it('gives free-form generation chance 0, whatever few answers a small file has', () => {
    expect(importBigBench(fx('bigbench-sums.json')).chance({})).toBe(0);
  });

  it('uses prefixes and the separator as given: a model trained on "a+b=c" sees "a+b=c" lines', () => {
    const t = importBigBench(fx('bigbench-sums.json'));
    const [e] = t.examples(3, 1, {});
    const demos = t.fewShot(e!, 2, 3, {});
    const prompt = buildPrompt(t, e!, demos, {});
    expect(prompt).toBe(`${demos.map((d) => `${d.input}${d.target}`).join('\n')}\n${e!.input}`);
    expect(prompt).toMatch(/^\d\+\d=\d\n\d\+\d=\d\n\d\+\d=$/);
    // Every item is a test item; demonstrations are the other items.
    expect(t.examples(1, 5, {})).toHaveLength(5);
    expect(demos.map((d) => d.id)).not.toContain(e!.id);
  });

  it('imports the subtasks of a parent task.json, each with its own prefixes, or one of them', () => {
    const all = importBigBench(fx('bigbench-parent/task.json'));
    expect(all.id).toBe('bigbench/arith_parent');
    const inputs = all.examples(1, 5, {}).map((e) => e.input).sort();
    expect(inputs).toEqual(['add 1 1 = ', 'add 2 2 = ', 'add 3 1 = ', 'sub 3 1 = ', 'sub 5 2 = ']);
    // Demonstrations come from the item's own subtask.
    for (const e of all.examples(1, 5, {})) expect(all.fewShot(e, 1, 1, {}).every((d) => d.input.slice(0, 4) === e.input.slice(0, 4))).toBe(true);
    expect(all.warnings).toEqual([expect.stringContaining('2 subtasks pooled item by item (BIG-bench averages per subtask)')]);
    const sub = importBigBench(fx('bigbench-parent/task.json'), { subtask: 'subtraction' });
    expect(sub.id).toBe('bigbench/arith_parent-subtraction');
    expect(sub.examples(1, 2, {}).map((e) => e.target).sort()).toEqual(['2', '3']);
    expect(userErrorOf(() => importBigBench(fx('bigbench-parent/task.json'), { subtask: 'division' })).format()).toContain('no subtask "division" (its subtasks: addition, subtraction)');
  });

  it('refuses n beyond the file', () => {
    expect(() => importBigBench(fx('bigbench-generate.json')).examples(1, 50, {})).toThrow(/has 18 test items, but n = 50/);
  });
});

describe('lm-evaluation-harness task YAML importer', () => {
  it('builds generate_until prompts from templates, description, delimiters and the few-shot split', () => {
    const t = importLmEval(fx('lm-eval/sums.yaml'));
    expect(t.id).toBe('lm-eval/sums_local');
    expect(t.kind).toBe('generate');
    const items = t.examples(1, 3, {});
    const e = items.find((x) => x.input.includes('3 plus 4'))!;
    const demos = t.fewShot(e, 2, 1, {});
    expect(demos.map((d) => d.input).sort()).toEqual(['Q: What is 2 plus 2?\nA:', 'Q: What is 6 plus 1?\nA:']);
    const prompt = buildPrompt(t, e, demos, {});
    expect(prompt).toBe(`Add the numbers.\n\n${demos.map((d) => `${d.input} ${d.target}`).join('\n\n')}\n\nQ: What is 3 plus 4?\nA:`);
    expect(t.generation!({})).toEqual({ until: ['\n'], maxTokens: 8 });
    // As lm-eval compares it: cut at the stop sequence, not stripped.
    expect(t.extract!(' 7\nQ: more', {})).toBe(' 7');
    expect(() => t.fewShot(e, 3, 1, {})).toThrow(/2 demonstration items, but 3 shots/);
    // The few-shot documents are drawn per item, seeded, as lm-eval's sampler does.
    const orders = new Set(items.map((x) => t.fewShot(x, 2, 1, {}).map((d) => d.id).join()));
    expect(orders.size).toBe(2);
  });

  it('reads multiple_choice with a choice list path and an index or text target', () => {
    const t = importLmEval(fx('lm-eval/choice.yaml'));
    expect(t.kind).toBe('choice');
    const items = t.examples(1, 3, {});
    expect(items.map((e) => [e.input, e.target, e.choices]).sort()).toEqual([
      ['Which is a fruit?\nAnswer:', 'apple', ['apple', 'chair']],
      ['Which is a number?\nAnswer:', 'seven', ['seven', 'blue']],
      ['Which is an animal?\nAnswer:', 'horse', ['table', 'horse', 'cloud']],
    ]);
    expect(t.formatTarget(items[0]!, {})).toBe(` ${items[0]!.target}`);
    expect(t.chance({})).toBeCloseTo((1 / 2 + 1 / 3 + 1 / 2) / 3);
  });

  it('follows lm-eval on splits, includes, metric options and digit targets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-lm-'));
    writeFileSync(join(dir, 'd.jsonl'), '{"q": "Cap of France?", "a": "Paris."}\n{"q": "Cap of Peru?", "a": "Lima."}\n');
    writeFileSync(join(dir, 'base.yaml'), 'dataset_path: json\ndataset_kwargs:\n  data_files: d.jsonl\noutput_type: generate_until\ndoc_to_text: "{{q}}"\ndoc_to_target: "{{a}}"\n');
    // A single data_files entry is the split "train"; a test_split must name it.
    writeFileSync(join(dir, 'no-split.yaml'), 'include: base.yaml\ntask: caps\n');
    expect(userErrorOf(() => importLmEval(join(dir, 'no-split.yaml'))).format()).toMatch(/at \/test_split: name the split to evaluate: test_split \(or validation_split\) \(a single data_files entry is the split "train": test_split: train\)/);
    writeFileSync(join(dir, 'caps.yaml'), 'include: base.yaml\ntask: caps\ntest_split: train\nnum_fewshot: 5\nmetric_list:\n  - metric: exact_match\n    ignore_case: true\n    ignore_punctuation: true\n');
    const t = importLmEval(join(dir, 'caps.yaml'));
    expect(t.id).toBe('lm-eval/caps');
    expect(t.warnings).toEqual(['caps.yaml: num_fewshot 5 is not read; the suite\'s shots decide']);
    const paris = t.examples(1, 2, {}).find((e) => e.input.includes('France'))!;
    const ll = [{ logprob: -1, isGreedy: true, tokens: 1, tokenLogprobs: [-1], truncated: 0 }];
    expect(scoreSample(t, paris, {}, planSample(t, paris, 'p', {}), 'PARIS', ll).scores.exactMatch).toBe(1);
    writeFileSync(join(dir, 'f1.yaml'), 'include: base.yaml\ntest_split: train\nmetric_list:\n  - metric: f1\n');
    expect(userErrorOf(() => importLmEval(join(dir, 'f1.yaml'))).format()).toMatch(/at \/metric_list\/0: metric "f1" is not computed by this importer/);
    // A digit string indexes the choices, as lm-eval reads it.
    writeFileSync(join(dir, 'n.json'), '[{"q": "Pick", "c": ["0", "1", "2"], "t": "2"}, {"q": "Pick again", "c": ["x", "y"], "t": "y"}]');
    writeFileSync(join(dir, 'mc.yaml'), 'dataset_path: n.json\noutput_type: multiple_choice\ndoc_to_text: "{{q}}"\ndoc_to_choice: "{{c}}"\ndoc_to_target: "{{t}}"\n');
    const mc = importLmEval(join(dir, 'mc.yaml'));
    expect(mc.examples(1, 2, {}).map((e) => e.target).sort()).toEqual(['2', 'y']);
  });

  it('refuses what it cannot run, by name', () => {
    expect(userErrorOf(() => importLmEval(fx('lm-eval/python.yaml'))).format()).toMatch(/python\.yaml at \/process_docs: key "process_docs" is not supported by this importer \(supported: task, /);
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
