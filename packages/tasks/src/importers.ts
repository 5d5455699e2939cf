// Run published data without code: BIG-Bench-Hard JSON files (with an
// optional chain-of-thought prompt text) and BIG-bench task.json files.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Rng, UserError, decodeUtf8, shortHash, type Example, type Task, type TaskOptions } from '@emergence/core';
import { chainOfThoughtAnswer, generateMetrics, choiceMetrics, splitOf } from './define.js';

function readJson(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UserError('file does not exist or cannot be read', { file });
  }
  const text = decodeUtf8(bytes, file);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UserError(`invalid JSON: ${(err as Error).message}`, { file });
  }
}

function examplesArray(data: unknown, file: string): Record<string, unknown>[] {
  const examples = (data as { examples?: unknown })?.examples;
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new UserError('no examples: expected a non-empty "examples" array', { file, pointer: '/examples' });
  }
  return examples as Record<string, unknown>[];
}

/** Option letters "(A)".."(Z)" listed in a BBH input, if any. */
function optionLetters(input: string): string[] {
  return [...input.matchAll(/^\(([A-Z])\)/gm)].map((m) => `(${m[1]})`);
}

/** Answer sets small enough to be a label set (True/False, Yes/No, valid/invalid, …). */
const MAX_LABELS = 5;

/**
 * Chance level of an imported task, averaged over its items: 1/k for an item
 * with k choices or k lettered options; for generation tasks whose targets
 * form a small label set, 1/(labels); otherwise 0 (free-form answers).
 */
export function chanceOf(items: readonly Example[], kind: 'generate' | 'choice'): number {
  if (items.length === 0) return 0;
  const perItem = items.map((e) => {
    if (kind === 'choice' && e.choices?.length) return 1 / e.choices.length;
    const letters = optionLetters(e.input).length;
    return letters > 0 ? 1 / letters : Number.NaN;
  });
  if (perItem.every(Number.isFinite)) return perItem.reduce((s, p) => s + p, 0) / perItem.length;
  const labels = new Set(items.map((e) => e.target.trim()));
  return labels.size <= MAX_LABELS ? 1 / labels.size : 0;
}

interface ImportedItem {
  input: string;
  target: string;
  choices?: string[];
}

function importedTask(
  id: string,
  items: ImportedItem[],
  settings: { kind: 'generate' | 'choice'; preamble: string; cot: boolean; description: string; reference: string; q: string; a: string },
): Task {
  const toExample = (it: ImportedItem): Example => {
    const ex: Example = { id: shortHash(`${id}\u0000${it.input}\u0000${it.target}`).slice(0, 12), input: it.input, target: it.target, metadata: {} };
    if (it.choices) ex.choices = it.choices;
    return ex;
  };
  const all = items.map(toExample);
  // With a chain-of-thought prompt the demonstrations are in the preamble, so every item is a test item.
  const test = settings.cot ? all : all.filter((e) => splitOf(id, e.input, e.target) === 'test');
  const demos = settings.cot ? [] : all.filter((e) => splitOf(id, e.input, e.target) === 'demo');
  return {
    id,
    // 2: chance from label sets and per-item options; choice tasks' accuracyNorm per character of the choice.
    version: 2,
    kind: settings.kind,
    description: settings.description,
    reference: settings.reference,
    defaults: {},
    metrics: settings.kind === 'choice' ? choiceMetrics : generateMetrics,
    chance: () => chanceOf(all, settings.kind),
    resolveOptions(given: TaskOptions = {}) {
      const keys = Object.keys(given);
      if (keys.length) throw new UserError(`imported task ${id} takes no options, got "${keys[0]}"`);
      return {};
    },
    examples(seed, n) {
      if (n > test.length) {
        throw new UserError(`imported task ${id} has ${test.length} test items, but n = ${n}`, { hint: `use n ≤ ${test.length}` });
      }
      return new Rng(seed).fork(`${id}/test`).sample(test, n);
    },
    practice(seed, n) {
      return new Rng(seed).fork(`${id}/practice`).sample(demos, Math.min(n, demos.length));
    },
    fewShot(example, k, seed) {
      if (k === 0) return [];
      if (k > demos.length) {
        throw new UserError(`imported task ${id} has ${demos.length} demonstration items, but ${k} shots were asked`, {
          hint: settings.cot ? 'a chain-of-thought prompt file already holds the demonstrations: use shots [0]' : 'use fewer shots',
        });
      }
      return new Rng(seed).fork(`${id}/demos/${example.id}`).sample(demos, k);
    },
    formatInput: (e) => `${settings.q}${e.input}${settings.a}`,
    formatTarget: (e) => ` ${e.target}`,
    preamble: () => settings.preamble,
    generation: () => ({ until: settings.cot ? ['\n\nQ:', '\nQ:'] : ['\n'], maxTokens: settings.cot ? 256 : 32 }),
    extract: (output) => (settings.cot ? chainOfThoughtAnswer(output) : output.split('\n')[0]!.trim()),
  };
}

/**
 * A BIG-Bench-Hard task file: `{"examples": [{"input", "target"}]}`. With a
 * chain-of-thought prompt file (BBH's cot-prompts/*.txt: a description line,
 * `-----`, then worked examples), the prompt text precedes every question.
 */
export function importBbh(file: string, options: { name?: string; cotPrompt?: string } = {}): Task {
  const examples = examplesArray(readJson(file), file);
  const items = examples.map((e, i): ImportedItem => {
    if (typeof e.input !== 'string' || typeof e.target !== 'string') {
      throw new UserError('each example needs string "input" and "target"', { file, pointer: `/examples/${i}` });
    }
    // Upstream files have items whose target is not among their (X) options
    // (movie_recommendation, ruin_names: option lists split on commas). The
    // paper and lm-evaluation-harness score them as they are — always wrong —
    // so a suite importing all 27 files runs; they are not rejected here.
    return { input: e.input, target: e.target };
  });
  let preamble = '';
  if (options.cotPrompt) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(options.cotPrompt);
    } catch {
      throw new UserError('chain-of-thought prompt file does not exist or cannot be read', { file: options.cotPrompt });
    }
    const text = decodeUtf8(bytes, options.cotPrompt);
    const split = text.split(/^-----\s*$/m);
    preamble = (split.length > 1 ? split.slice(1).join('-----') : text).trim();
    if (!/So the answer is/.test(preamble)) {
      throw new UserError('chain-of-thought prompt has no "So the answer is" demonstration', { file: options.cotPrompt });
    }
  }
  const name = options.name ?? basename(file).replace(/\.json$/, '');
  return importedTask(`bbh-import/${name}${options.cotPrompt ? '-cot' : ''}`, items, {
    kind: 'generate',
    preamble,
    cot: Boolean(options.cotPrompt),
    description: `imported from ${basename(file)}`,
    reference: 'Suzgun et al. 2022 (BIG-Bench-Hard file format)',
    q: 'Q: ',
    a: options.cotPrompt ? "\nA: Let's think step by step." : '\nA:',
  });
}

/**
 * A BIG-bench task.json: examples with `target` (generate) or `target_scores`
 * (multiple choice: the highest-scoring key is gold), and optional
 * `task_prefix`, `example_input_prefix`, `example_output_prefix`.
 */
export function importBigBench(file: string, options: { name?: string } = {}): Task {
  const data = readJson(file) as Record<string, unknown>;
  const examples = examplesArray(data, file);
  const choice = examples.some((e) => e.target_scores !== undefined);
  const items = examples.map((e, i): ImportedItem => {
    const pointer = `/examples/${i}`;
    if (typeof e.input !== 'string') throw new UserError('example needs a string "input"', { file, pointer });
    if (choice) {
      const scores = e.target_scores as Record<string, number> | undefined;
      if (!scores || typeof scores !== 'object' || Object.keys(scores).length < 2) {
        throw new UserError('multiple-choice example needs "target_scores" with at least two choices', { file, pointer: `${pointer}/target_scores` });
      }
      const choices = Object.keys(scores);
      const gold = choices.reduce((best, c) => (scores[c]! > scores[best]! ? c : best), choices[0]!);
      if (!(scores[gold]! > 0)) throw new UserError('no choice has a positive score', { file, pointer: `${pointer}/target_scores` });
      const target = Array.isArray(e.target) ? e.target[0] : e.target;
      if (typeof target === 'string' && !choices.includes(target)) {
        throw new UserError(`target "${target}" is not one of the choices in target_scores`, { file, pointer: `${pointer}/target` });
      }
      return { input: e.input, target: gold, choices };
    }
    const target = Array.isArray(e.target) ? e.target[0] : e.target;
    if (typeof target !== 'string') throw new UserError('example needs a string "target" (or a list of strings)', { file, pointer: `${pointer}/target` });
    return { input: e.input, target };
  });
  const name = options.name ?? (typeof data.name === 'string' ? data.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_') : basename(dirname(file)));
  const q = typeof data.example_input_prefix === 'string' ? data.example_input_prefix.replace(/^\n/, '') : 'Q: ';
  const a = typeof data.example_output_prefix === 'string' ? data.example_output_prefix.replace(/ $/, '') : '\nA:';
  return importedTask(`bigbench/${name}`, items, {
    kind: choice ? 'choice' : 'generate',
    preamble: typeof data.task_prefix === 'string' ? data.task_prefix.trim() : '',
    cot: false,
    description: typeof data.description === 'string' ? data.description : `imported from ${basename(file)}`,
    reference: 'Srivastava et al. 2022 (BIG-bench task.json format)',
    q,
    a,
  });
}
