// Run published data without code, with the semantics of the tools that
// publish it: BIG-Bench-Hard files (answer-only with the prompt file's three
// exemplars, or chain of thought), BIG-bench task.json as BIG-bench's own
// json_task reads it, and a subset of lm-evaluation-harness task YAML over a
// local JSON/JSONL file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Rng, UserError, decodeUtf8, parseYaml, shortHash, type Example, type Task, type TaskMetrics, type TaskOptions } from '@emergence/core';
import { chainOfThoughtAnswer, choiceMetrics, generateMetrics, splitOf } from './define.js';

function readText(file: string, what = 'file'): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UserError(`${what} does not exist or cannot be read`, { file });
  }
  return decodeUtf8(bytes, file);
}

function readJson(file: string): unknown {
  const text = readText(file);
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
export function chanceOf(items: readonly Example[], kind: 'generate' | 'choice', labelSets = true): number {
  if (items.length === 0) return 0;
  const perItem = items.map((e) => {
    if (kind === 'choice' && e.choices?.length) {
      const right = e.choiceScores ? e.choiceScores.reduce((s, c) => s + c, 0) : 1;
      return right / e.choices.length;
    }
    const letters = optionLetters(e.input).length;
    return letters > 0 ? 1 / letters : Number.NaN;
  });
  if (perItem.every(Number.isFinite)) return perItem.reduce((s, p) => s + p, 0) / perItem.length;
  if (!labelSets) return 0;
  const labels = new Set(items.map((e) => e.target.trim()));
  return labels.size <= MAX_LABELS ? 1 / labels.size : 0;
}

/** A chain-of-thought answer is judged by what it says, not by a log-probability read where the answer never comes. */
const cotMetrics: TaskMetrics = { discrete: 'exactMatch', continuous: 'charEditSimilarity', all: ['exactMatch', 'charEditSimilarity'] };

interface ImportSettings {
  kind: 'generate' | 'choice';
  description: string;
  reference: string;
  metrics?: TaskMetrics;
  preamble: string;
  separators?: { demos: string; afterPreamble: string };
  formatInput: (e: Example) => string;
  formatTarget: (e: Example) => string;
  /**
   * Where demonstrations come from: fixed exemplars shown in order, `others`
   * (other items of the file, as BIG-bench and lm-eval do without a few-shot
   * split), or `split` (a hash split: a quarter of the items only demonstrate).
   * With the first two, every item is a test item.
   */
  demos: Example[] | 'others' | 'split';
  /** What to tell someone who asks for more shots than there are demonstrations. */
  demoHint: string;
  /** Fixed demonstrations are drawn at random per item (lm-eval's sampler) instead of shown in order (BBH's exemplars). */
  drawDemos?: boolean;
  /** Items with a small set of answers (True/False, …) are a label set with chance 1/labels (BBH); otherwise free-form answers have chance 0. */
  labelSets?: boolean;
  /** Items demonstrate only for items of the same group (a BIG-bench subtask). */
  groupOf?: (e: Example) => string;
  generation?: { until: string[]; maxTokens: number };
  extract: (output: string) => string;
  warnings?: string[];
}

/** Items deduplicated by content (BIG-bench does the same), with stable ids. */
function examplesOf(id: string, items: Omit<Example, 'id' | 'metadata'>[]): Example[] {
  const seen = new Set<string>();
  const out: Example[] = [];
  for (const it of items) {
    const exId = shortHash(`${id}\u0000${it.input}\u0000${JSON.stringify(it.targets ?? it.target)}\u0000${JSON.stringify(it.choices ?? [])}`).slice(0, 12);
    if (seen.has(exId)) continue;
    seen.add(exId);
    out.push({ id: exId, ...it, metadata: {} });
  }
  return out;
}

function importedTask(id: string, all: Example[], s: ImportSettings): Task {
  const fixed = Array.isArray(s.demos) ? s.demos : null;
  const test = s.demos === 'split' ? all.filter((e) => splitOf(id, e.input, e.target) === 'test') : all;
  const demos = fixed ?? (s.demos === 'others' ? all : all.filter((e) => splitOf(id, e.input, e.target) === 'demo'));
  return {
    id,
    // 3: BIG-bench json_task semantics, BBH fixed exemplars, CoT budget 1024 and answer-similarity twin.
    version: 3,
    kind: s.kind,
    description: s.description,
    reference: s.reference,
    defaults: {},
    metrics: s.metrics ?? (s.kind === 'choice' ? choiceMetrics : generateMetrics),
    chance: () => chanceOf(all, s.kind, s.labelSets ?? false),
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
      // Never the item itself (a task.json's own items may be both), and only from its own subtask.
      const group = s.groupOf?.(example);
      const pool = demos.filter((d) => d.id !== example.id && (group === undefined || s.groupOf!(d) === group));
      if (k > pool.length) {
        throw new UserError(`imported task ${id} has ${pool.length} demonstration items, but ${k} shots were asked`, { hint: s.demoHint });
      }
      return fixed && !s.drawDemos ? pool.slice(0, k) : new Rng(seed).fork(`${id}/demos/${example.id}`).sample(pool, k);
    },
    formatInput: s.formatInput,
    formatTarget: s.formatTarget,
    preamble: () => s.preamble,
    ...(s.separators ? { separators: () => s.separators! } : {}),
    generation: () => s.generation ?? { until: ['\n'], maxTokens: 32 },
    extract: s.extract,
    ...(s.warnings?.length ? { warnings: s.warnings } : {}),
  };
}

// ---------------------------------------------------------------- BIG-Bench-Hard

export interface BbhOptions {
  name?: string;
  /** A BBH prompt file (cot-prompts/<task>.txt): with `cot`, its worked examples precede every question; without, its description and the exemplars' final answers. */
  prompt?: string;
  cot?: boolean;
  /** Longest generation in tokens: default 1024 with chain of thought, 256 without (lm-evaluation-harness; word_sorting answers are long). */
  maxTokens?: number;
}

/**
 * A BBH prompt file (cot-prompts/<task>.txt): a canary line, `-----`, then
 * the task description as the first paragraph and worked examples "Q: …\nA:
 * Let's think step by step. … So the answer is X." — read as
 * lm-evaluation-harness reads it (the text after the last `-----`).
 */
export function parseBbhPrompt(file: string): { description: string; text: string; exemplars: { question: string; answer: string }[] } {
  const raw = readText(file, 'prompt file');
  const text = raw.split(/^-----\s*$/m).pop()!.trim();
  const paragraphs = text.split(/\n\s*\n(?=Q: )/);
  const description = paragraphs[0]!.startsWith('Q: ') ? '' : paragraphs.shift()!.trim();
  const exemplars = paragraphs
    .map((block) => {
      const m = /^Q: ([\s\S]*?)\nA: ([\s\S]*)$/.exec(block.trim());
      const answer = m ? /So the answer is ([\s\S]*?)\.?\s*$/.exec(m[2]!)?.[1] : undefined;
      return m && answer !== undefined ? { question: m[1]!, answer: answer.trim() } : null;
    })
    .filter((e): e is { question: string; answer: string } => e !== null);
  if (exemplars.length === 0) throw new UserError('prompt file has no "Q: … A: … So the answer is …" exemplar', { file });
  return { description, text, exemplars };
}

/**
 * A BIG-Bench-Hard task file: `{"examples": [{"input", "target"}]}`. With a
 * prompt file, every item is a test item (the paper's and lm-evaluation-
 * harness's set-up): answer-only shows the description and up to three fixed
 * exemplars; chain of thought shows the worked examples. Without one,
 * demonstrations come from a hash split of the file (a quarter of it).
 */
export function importBbh(file: string, options: BbhOptions = {}): Task {
  const examples = examplesArray(readJson(file), file);
  const items = examples.map((e, i) => {
    if (typeof e.input !== 'string' || typeof e.target !== 'string') {
      throw new UserError('each example needs string "input" and "target"', { file, pointer: `/examples/${i}` });
    }
    // Upstream files have items whose target is not among their (X) options
    // (movie_recommendation, ruin_names: option lists split on commas). The
    // paper and lm-evaluation-harness score them as they are — always wrong —
    // so they are kept here too.
    return { input: e.input, target: e.target };
  });
  // Items whose target is none of their lettered options can never be scored right: say which, once per file.
  const malformed = items.map((it, i) => ({ i, letters: optionLetters(it.input) })).filter(({ i, letters }) => letters.length > 0 && !letters.includes(items[i]!.target.trim()));
  const warnings = malformed.length
    ? [`${basename(file)}: ${malformed.length} item(s) have a target that is not among their (X) options (${malformed.slice(0, 5).map(({ i }) => `/examples/${i}`).join(', ')}${malformed.length > 5 ? ', …' : ''}); they are kept, as upstream scores them, and can never be right`]
    : [];
  const name = options.name ?? basename(file).replace(/\.json$/, '');
  const cot = options.cot === true;
  if (cot && !options.prompt) throw new UserError('chain of thought needs the prompt file with its worked examples', { file, hint: 'add `prompt: cot-prompts/<task>.txt`' });
  const prompt = options.prompt ? parseBbhPrompt(options.prompt) : null;
  const id = `bbh-import/${name}${cot ? '-cot' : ''}`;
  const all = examplesOf(id, items);
  const base = {
    kind: 'generate' as const,
    description: `imported from ${basename(file)}`,
    reference: 'Suzgun et al. 2022 (BIG-Bench-Hard)',
    warnings,
    labelSets: true,
    formatInput: (e: Example) => `Q: ${e.input}\nA:${cot ? " Let's think step by step." : ''}`,
    formatTarget: (e: Example) => ` ${e.target}`,
  };
  if (cot) {
    return importedTask(id, all, {
      ...base,
      metrics: cotMetrics,
      preamble: prompt!.text,
      demos: [],
      demoHint: 'the prompt file already holds the demonstrations: use shots [0]',
      generation: { until: ['\n\nQ:', '\nQ:'], maxTokens: options.maxTokens ?? 1024 },
      extract: chainOfThoughtAnswer,
    });
  }
  const exemplars = prompt ? examplesOf(`${id}/exemplars`, prompt.exemplars.map((x) => ({ input: x.question, target: x.answer }))) : 'split';
  return importedTask(id, all, {
    ...base,
    preamble: prompt?.description ?? '',
    demos: exemplars,
    demoHint: prompt ? `the prompt file has ${prompt.exemplars.length} exemplars` : 'use fewer shots',
    generation: { until: ['\n'], maxTokens: options.maxTokens ?? 256 },
    extract: (output) => output.split('\n')[0]!.trim(),
  });
}

// ---------------------------------------------------------------- BIG-bench task.json

export interface BigBenchOptions {
  name?: string;
  /** For a task with subtasks: import this one only (default: all, each formatted as its own task.json says). */
  subtask?: string;
  /** For a task whose metrics ask for both: score as `choice` or `generate`. */
  kind?: 'choice' | 'generate';
}

/** BIG-bench's default when a task gives neither `output_regex` nor `stop_string`: the first sentence. */
const DEFAULT_OUTPUT_REGEX = '[^.?!;\\n]+';

/** What json_task reads of a task.json, with its defaults. */
interface JsonTaskFormat {
  taskPrefix: string;
  inputPrefix: string;
  outputPrefix: string;
  choicePrefix: string;
  appendChoices: boolean;
  separator: string;
  stopString: string | null;
  outputRegex: string | null;
}

function formatOf(data: Record<string, unknown>, parent: Record<string, unknown> = {}): JsonTaskFormat {
  const str = (key: string, fallback: string): string => {
    const v = data[key] ?? parent[key];
    return typeof v === 'string' ? v : fallback;
  };
  const opt = (key: string): string | null => {
    const v = data[key] ?? parent[key];
    return typeof v === 'string' ? v : null;
  };
  return {
    taskPrefix: str('task_prefix', ''),
    inputPrefix: str('example_input_prefix', '\nQ: '),
    outputPrefix: str('example_output_prefix', '\nA: '),
    choicePrefix: str('choice_prefix', '\n  choice: '),
    appendChoices: (data.append_choices_to_input ?? parent.append_choices_to_input) !== false,
    separator: str('few_shot_example_separator', '\n'),
    stopString: opt('stop_string'),
    outputRegex: opt('output_regex'),
  };
}

/** json_task's metrics by kind. */
const CHOICE_METRICS = new Set(['multiple_choice_grade', 'calibration_multiple_choice_brier_score', 'macro_f1']);
const GENERATIVE_METRICS = new Set(['exact_str_match', 'case_insensitive_str_match', 'bleu', 'rouge', 'bleurt', 'sequence_f1', 'numeric_match_with_0_1_relative_error', 'log_likelihood']);

/** Which kind of task the metrics ask for (json_task's lists of multiple-choice and generative metrics). */
function kindOf(data: Record<string, unknown>, examples: Record<string, unknown>[], file: string, asked: 'choice' | 'generate' | undefined): 'choice' | 'generate' {
  const metrics = Array.isArray(data.metrics) ? (data.metrics as unknown[]).filter((m): m is string => typeof m === 'string') : null;
  if (!metrics) return asked ?? (examples.some((e) => e.target_scores !== undefined) ? 'choice' : 'generate');
  const unknown = metrics.filter((m) => !CHOICE_METRICS.has(m) && !GENERATIVE_METRICS.has(m));
  if (unknown.length) throw new UserError(`unknown metric "${unknown[0]}"`, { file, pointer: '/metrics', hint: `json_task's metrics: ${[...CHOICE_METRICS, ...GENERATIVE_METRICS].join(', ')}` });
  const choice = metrics.some((m) => CHOICE_METRICS.has(m));
  const generate = metrics.some((m) => GENERATIVE_METRICS.has(m));
  if (choice && generate) {
    if (asked) return asked;
    // The score BIG-bench reports for the task decides (checkmate_in_one: exact_str_match over its choices).
    const preferred = typeof data.preferred_score === 'string' ? data.preferred_score : '';
    if (CHOICE_METRICS.has(preferred)) return 'choice';
    if (GENERATIVE_METRICS.has(preferred)) return 'generate';
    throw new UserError(`metrics ask for both multiple choice and generation (${metrics.join(', ')})`, { file, pointer: '/metrics', hint: 'add `kind: choice` or `kind: generate` to the import, or preferred_score to the file' });
  }
  if (!choice && !generate) throw new UserError('metrics is empty', { file, pointer: '/metrics' });
  return choice ? 'choice' : 'generate';
}

function bigBenchItems(file: string, data: Record<string, unknown>, kind: 'choice' | 'generate', f: JsonTaskFormat, id: string): Omit<Example, 'id' | 'metadata'>[] {
  return examplesArray(data, file).flatMap((e, i): Omit<Example, 'id' | 'metadata'>[] => {
    const pointer = `/examples/${i}`;
    if (typeof e.input !== 'string') throw new UserError('example needs a string "input"', { file, pointer });
    if (kind === 'choice') {
      const scores = e.target_scores as Record<string, unknown> | undefined;
      // A task of both kinds has generation-only examples: json_task scores those only generatively.
      if (scores === undefined) return [];
      if (!scores || typeof scores !== 'object' || Object.keys(scores).length < 2 || Object.values(scores).some((v) => typeof v !== 'number')) {
        throw new UserError('multiple-choice example needs "target_scores" with at least two numeric scores', { file, pointer: `${pointer}/target_scores` });
      }
      // Choices in a fixed pseudo-random order per example (json_task permutes them too), so position carries no hint.
      const choices = new Rng(`${id}/${e.input}`).shuffle(Object.keys(scores).sort());
      const credit = choices.map((c) => scores[c] as number);
      const best = Math.max(...credit);
      if (!(best > 0)) throw new UserError('no choice has a positive score', { file, pointer: `${pointer}/target_scores` });
      const input = f.appendChoices ? `${e.input}${f.choicePrefix}${choices.join(f.choicePrefix)}` : e.input;
      return [{ input, target: choices[credit.indexOf(best)]!, choices, choiceScores: credit }];
    }
    // Generation: json_task appends the choices of an example that has them, and an example with only
    // target_scores is answered by its best-scoring choices.
    const scores = e.target_scores as Record<string, unknown> | undefined;
    const choices = scores && typeof scores === 'object' ? Object.keys(scores).sort() : null;
    const raw = e.target ?? (choices ? choices.filter((c) => scores![c] === Math.max(...choices.map((k) => Number(scores![k])))) : undefined);
    const targets = Array.isArray(raw) ? raw : [raw];
    if (targets.length === 0 || targets.some((t) => typeof t !== 'string')) {
      throw new UserError('example needs a string "target" (or a list of strings)', { file, pointer: `${pointer}/target` });
    }
    const input = choices && f.appendChoices ? `${e.input}${f.choicePrefix}${new Rng(`${id}/${e.input}`).shuffle(choices).join(f.choicePrefix)}` : e.input;
    return [{ input, target: targets[0] as string, targets: targets as string[] }];
  });
}

/**
 * A task's `output_regex` as a JavaScript RegExp, checked when the task is
 * imported (not after every model has generated): Python's `(?P<name>` and a
 * leading `(?i)` are translated; more than one capture group is refused, as
 * json_task refuses it.
 */
function compileOutputRegex(source: string, file: string): RegExp {
  let flags = '';
  let body = source.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline) {
    if (/[^ims]/.test(inline[1]!)) throw new UserError(`output_regex: the inline flags (?${inline[1]}) have no JavaScript equivalent`, { file, pointer: '/output_regex' });
    flags = inline[1]!;
    body = body.slice(inline[0].length);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(body, flags);
  } catch (err) {
    throw new UserError(`output_regex does not compile: ${(err as Error).message}`, { file, pointer: '/output_regex' });
  }
  const groups = new RegExp(`${body}|`).exec('')!.length - 1;
  if (groups > 1) throw new UserError('output_regex has more than one capture group', { file, pointer: '/output_regex', hint: 'use non-capturing groups (?:…), as BIG-bench requires' });
  return regex;
}

/**
 * json_task's post-processing of a generation: cut after the stop string
 * (kept), then the first match of `output_regex` — with a capture group, the
 * group, as Python's re.findall returns it.
 */
function postprocess(output: string, stopString: string | null, regex: RegExp | null): string {
  let text = output;
  if (stopString) {
    const i = text.indexOf(stopString);
    if (i > 0) text = text.slice(0, i + stopString.length);
  }
  if (regex) {
    const m = regex.exec(text);
    text = m ? (m.length > 1 ? (m[1] ?? '') : m[0]) : '';
  }
  return text;
}

/**
 * A BIG-bench task.json, read as BIG-bench's json_task reads it: the metrics
 * decide multiple choice or generation; choices appended to the input unless
 * `append_choices_to_input` is false; any target of a list counts; several
 * right answers and partial credit from `target_scores`; `output_regex` and
 * `stop_string` post-process generations; prefixes and the few-shot separator
 * as given (defaults "\nQ: ", "\nA: ", "\n"). A parent task.json without
 * examples imports its subtasks (`<folder>/<subtask>/task.json`).
 */
export function importBigBench(file: string, options: BigBenchOptions = {}): Task {
  const data = readJson(file) as Record<string, unknown>;
  const name = options.name ?? (typeof data.name === 'string' ? data.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_') : basename(dirname(file)));
  const id = `bigbench/${name}${options.subtask ? `-${options.subtask.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')}` : ''}`;
  // Subtasks: the parent has no examples, each subfolder has its own task.json.
  let parts: { file: string; data: Record<string, unknown> }[] = [{ file, data }];
  if (data.examples === undefined) {
    const dir = dirname(file);
    const subs = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'task.json'))).map((d) => d.name).sort() : [];
    if (subs.length === 0) throw new UserError('no examples and no subtasks (folders with a task.json) next to it', { file, pointer: '/examples' });
    const chosen = options.subtask ? subs.filter((s) => s === options.subtask) : subs;
    if (options.subtask && chosen.length === 0) throw new UserError(`no subtask "${options.subtask}"`, { file, hint: `its subtasks: ${subs.join(', ')}` });
    parts = chosen.map((s) => ({ file: join(dir, s, 'task.json'), data: readJson(join(dir, s, 'task.json')) as Record<string, unknown> }));
  } else if (options.subtask) {
    throw new UserError(`subtask "${options.subtask}" given, but this task.json has its own examples and no subtasks`, { file });
  }
  const kind = kindOf({ ...data, metrics: data.metrics ?? parts[0]!.data.metrics }, parts.flatMap((p) => examplesArray(p.data, p.file)), file, options.kind);
  // Each subtask formats its own items; the task's prompt layout is the first part's.
  const formats = parts.map((p) => formatOf(p.data, p === parts[0] && parts.length === 1 ? {} : data));
  const subtaskOf = new Map<string, string>();
  const items = parts.flatMap((p, i) => {
    const f = formats[i]!;
    const sub = parts.length > 1 ? basename(dirname(p.file)) : '';
    return bigBenchItems(p.file, p.data, kind, f, id).map((it) => {
      const input = `${f.inputPrefix}${it.input}${f.outputPrefix}`;
      subtaskOf.set(input, sub);
      return { ...it, input };
    });
  });
  if (items.length === 0) throw new UserError(`no ${kind === 'choice' ? 'multiple-choice' : 'generative'} examples`, { file, pointer: '/examples' });
  const f = formats[0]!;
  if (formats.some((g) => g.stopString !== f.stopString || g.outputRegex !== f.outputRegex || g.separator !== f.separator || g.taskPrefix !== f.taskPrefix)) {
    throw new UserError('subtasks differ in stop_string, output_regex, few_shot_example_separator or task_prefix', { file, hint: 'import each with `subtask:`' });
  }
  const metrics = ((data.metrics ?? parts[0]!.data.metrics) as string[] | undefined) ?? [];
  const warnings: string[] = [];
  const scoredAs = kind === 'choice' ? 'multiple_choice_grade' : metrics.includes('case_insensitive_str_match') && !metrics.includes('exact_str_match') ? 'case_insensitive_str_match' : 'exact_str_match';
  const other = metrics.filter((m) => m !== scoredAs && m !== 'exact_str_match');
  if (other.length) warnings.push(`${basename(file)}: scored by ${scoredAs}; ${other.join(', ')} ${other.length > 1 ? 'are' : 'is'} not computed here`);
  if (parts.length > 1) warnings.push(`${basename(file)}: ${parts.length} subtasks pooled item by item (BIG-bench averages per subtask); demonstrations come from each item's own subtask`);
  const regex = f.outputRegex !== null ? compileOutputRegex(f.outputRegex, file) : f.stopString ? null : new RegExp(DEFAULT_OUTPUT_REGEX);
  const caseless = scoredAs === 'case_insensitive_str_match';
  const all = examplesOf(id, caseless ? items.map((it) => ({ ...it, target: it.target.toLowerCase(), targets: it.targets?.map((t) => t.toLowerCase()) })) : items);
  return importedTask(id, all, {
    kind,
    description: typeof data.description === 'string' ? data.description : `imported from ${basename(file)}`,
    reference: 'Srivastava et al. 2022 (BIG-bench json_task)',
    preamble: f.taskPrefix,
    separators: { demos: f.separator, afterPreamble: '' },
    // The prefixes are part of the item's text; the answer follows the output prefix directly.
    formatInput: (e) => e.input,
    formatTarget: (e) => e.target,
    demos: 'others',
    demoHint: 'use fewer shots',
    ...(parts.length > 1 ? { groupOf: (e: Example) => subtaskOf.get(e.input) ?? '' } : {}),
    warnings,
    // The stop string is found by post-processing, which keeps it: a backend stop would cut it off.
    // The default first-sentence regex ends at a newline, so generation may stop there.
    generation: { until: f.stopString || f.outputRegex ? [] : ['\n'], maxTokens: f.stopString || f.outputRegex ? 64 : 32 },
    extract: (output) => {
      const text = postprocess(output, f.stopString, regex);
      return caseless ? text.toLowerCase() : text;
    },
  });
}

// ---------------------------------------------------------------- lm-evaluation-harness task YAML

/** The task YAML keys read here; others are refused by name rather than ignored. */
const LM_EVAL_KEYS = new Set([
  'task',
  'tag',
  'group',
  'dataset_path',
  'dataset_kwargs',
  'test_split',
  'validation_split',
  'fewshot_split',
  'training_split',
  'output_type',
  'doc_to_text',
  'doc_to_target',
  'doc_to_choice',
  'description',
  'target_delimiter',
  'fewshot_delimiter',
  'generation_kwargs',
  'metric_list',
  'num_fewshot',
  'metadata',
  'include',
]);

/** exact_match's options lm-eval passes through (hf evaluate's exact_match). */
const EXACT_MATCH_KEYS = new Set(['metric', 'aggregation', 'higher_is_better', 'ignore_case', 'ignore_punctuation', 'regexes_to_ignore']);

/** The task YAML with its `include:` (a local base file, relative to it) merged under it, as lm-eval does. */
function readLmEvalConfig(file: string, seen: string[] = []): Record<string, unknown> {
  if (seen.includes(file)) throw new UserError('include: the files include each other', { file });
  const config = parseYaml(readText(file), file) as Record<string, unknown>;
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new UserError('expected a task YAML mapping', { file });
  if (config.include === undefined) return config;
  if (typeof config.include !== 'string') throw new UserError('include must be a file name', { file, pointer: '/include' });
  const base = readLmEvalConfig(isAbsolute(config.include) ? config.include : resolve(dirname(file), config.include), [...seen, file]);
  const { include: _include, ...own } = config;
  return { ...base, ...own };
}

/** `{{ a.b[0] }}`: the value at a dotted path with indices (the Jinja these files mostly use). */
function lookup(doc: unknown, expr: string, file: string, key: string): unknown {
  const path = expr.trim();
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*|\[\d+\])*$/.test(path)) {
    throw new UserError(`${key}: "{{${expr}}}" is more Jinja than this importer reads`, { file, hint: 'only field paths such as {{question}}, {{choices.text}} or {{answers[0]}} are supported' });
  }
  let value: unknown = doc;
  for (const part of path.match(/[A-Za-z_]\w*|\[\d+\]/g)!) {
    const k = part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    value = value === null || value === undefined ? undefined : (value as Record<string | number, unknown>)[k];
  }
  return value;
}

/** A doc_to_* value: a template with {{…}}, a bare field name, or a literal (number, list). */
function render(template: unknown, doc: Record<string, unknown>, file: string, key: string): unknown {
  if (typeof template === 'number' || Array.isArray(template)) return template;
  if (typeof template !== 'string') throw new UserError(`${key} must be a string template, a field name, a number or a list`, { file, pointer: `/${key}` });
  if (template.includes('{%')) throw new UserError(`${key}: Jinja statements ({% … %}) are not supported`, { file, pointer: `/${key}`, hint: 'use {{field}} expressions only' });
  // A template that is one expression and nothing else yields the value itself (a list of choices, a number).
  const whole = /^\{\{([^}]*)\}\}$/.exec(template.trim() === template ? template : '');
  if (whole) return lookup(doc, whole[1]!, file, key);
  if (!template.includes('{{')) return template in doc ? doc[template] : template;
  return template.replace(/\{\{([^}]*)\}\}/g, (_m, expr: string) => String(lookup(doc, expr, file, key) ?? ''));
}

function readDocs(file: string): Record<string, unknown>[] {
  const text = readText(file, 'data file');
  if (file.endsWith('.jsonl')) {
    return text
      .split('\n')
      .map((line, i) => [line, i] as const)
      .filter(([line]) => line.trim())
      .map(([line, i]) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch (err) {
          throw new UserError(`invalid JSON: ${(err as Error).message}`, { file, line: i + 1 });
        }
      });
  }
  const data = readJson(file);
  if (Array.isArray(data)) return data as Record<string, unknown>[];
  const rows = (data as { data?: unknown })?.data;
  if (Array.isArray(rows)) return rows as Record<string, unknown>[];
  throw new UserError('expected a JSON array of documents (or {"data": [...]})', { file });
}

/**
 * An lm-evaluation-harness task YAML whose dataset is a local JSON/JSONL
 * file (`dataset_path: json` with `dataset_kwargs.data_files`, or a path):
 * doc_to_text / doc_to_target / doc_to_choice with {{field}} templates,
 * target_delimiter (" "), fewshot_delimiter ("\n\n"), description,
 * generation_kwargs.until and max_gen_toks, output_type generate_until or
 * multiple_choice. Python functions (`!function`, process_docs) and other
 * keys are refused by name.
 */
export function importLmEval(file: string, options: { name?: string } = {}): Task {
  const config = readLmEvalConfig(file);
  for (const key of Object.keys(config)) {
    if (!LM_EVAL_KEYS.has(key)) {
      throw new UserError(`key "${key}" is not supported by this importer`, { file, pointer: `/${key}`, hint: `supported: ${[...LM_EVAL_KEYS].join(', ')}` });
    }
  }
  const type = config.output_type ?? 'generate_until';
  if (type !== 'generate_until' && type !== 'multiple_choice') {
    throw new UserError(`output_type "${String(type)}" is not supported`, { file, pointer: '/output_type', hint: 'use generate_until or multiple_choice' });
  }
  // Where the documents are.
  const base = dirname(file);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const files = (config.dataset_kwargs as { data_files?: unknown } | undefined)?.data_files;
  const split = (key: string): string | null => (typeof config[key] === 'string' ? (config[key] as string) : null);
  // datasets' json loader: a string of data_files is the one split `train`; a mapping names its splits.
  const dataFile = (which: string | null): string | null => {
    if (which === null) return null;
    if (typeof files === 'string') return which === 'train' ? at(files) : null;
    if (files && typeof files === 'object') {
      const f = (files as Record<string, unknown>)[which];
      return typeof f === 'string' ? at(f) : null;
    }
    return null;
  };
  const direct = typeof config.dataset_path === 'string' && /\.jsonl?$/.test(config.dataset_path) ? at(config.dataset_path) : null;
  if (!direct && config.dataset_path !== 'json') {
    throw new UserError('the dataset must be a local JSON/JSONL file', { file, pointer: '/dataset_path', hint: 'dataset_path: json with dataset_kwargs.data_files, or dataset_path: <file>.jsonl (the Hub is not reached)' });
  }
  // lm-eval evaluates test_split, else validation_split.
  const evalSplit = split('test_split') ?? split('validation_split');
  const path = direct ?? dataFile(evalSplit);
  if (!path) {
    throw new UserError(evalSplit ? `split "${evalSplit}" is not in dataset_kwargs.data_files` : 'name the split to evaluate: test_split (or validation_split)', {
      file,
      pointer: evalSplit ? '/dataset_kwargs/data_files' : '/test_split',
      hint: typeof files === 'string' ? 'a single data_files entry is the split "train": test_split: train' : 'data_files: { test: file.jsonl } with test_split: test',
    });
  }
  const docs = readDocs(path);
  // Few-shot documents: fewshot_split, else training_split, else validation_split; without one, other documents of the evaluated split.
  const fewshotSplit = [split('fewshot_split'), split('training_split'), split('validation_split')].find((x) => x !== null && x !== evalSplit) ?? null;
  const fewshotFile = direct ? null : dataFile(fewshotSplit);
  if (split('fewshot_split') && !fewshotFile) throw new UserError(`fewshot_split "${split('fewshot_split')}" is not in dataset_kwargs.data_files`, { file, pointer: '/fewshot_split' });
  const fewshotDocs = fewshotFile && fewshotFile !== path ? readDocs(fewshotFile) : null;
  const choice = type === 'multiple_choice';
  const name = options.name ?? (typeof config.task === 'string' ? config.task.toLowerCase().replace(/[^a-z0-9_-]+/g, '_') : basename(file).replace(/\.ya?ml$/, ''));
  const id = `lm-eval/${name}`;
  const delimiter = typeof config.target_delimiter === 'string' ? config.target_delimiter : ' ';
  const toItem = (doc: Record<string, unknown>, i: number, from: string): Omit<Example, 'id' | 'metadata'> => {
    const where = `${from} document ${i + 1}`;
    const text = render(config.doc_to_text, doc, file, 'doc_to_text');
    if (typeof text !== 'string') throw new UserError(`doc_to_text gives no text for ${where}`, { file, pointer: '/doc_to_text' });
    const target = render(config.doc_to_target, doc, file, 'doc_to_target');
    if (!choice) {
      if (typeof target !== 'string' && typeof target !== 'number') throw new UserError(`doc_to_target gives no answer for ${where}`, { file, pointer: '/doc_to_target' });
      return { input: text, target: String(target) };
    }
    const choices = render(config.doc_to_choice, doc, file, 'doc_to_choice');
    if (!Array.isArray(choices) || choices.length < 2) throw new UserError(`doc_to_choice gives fewer than two choices for ${where}`, { file, pointer: '/doc_to_choice' });
    const list = choices.map(String);
    // lm-eval: an integer target is an index into the choices; a string is the choice itself.
    // lm-eval: an integer, or a string of digits, indexes the choices; other text is the choice itself.
    const gold = typeof target === 'number' ? target : /^\d+$/.test(String(target)) ? Number(target) : list.indexOf(String(target));
    if (!(gold >= 0 && gold < list.length)) throw new UserError(`doc_to_target "${String(target)}" is not one of the choices for ${where}`, { file, pointer: '/doc_to_target' });
    return { input: text, target: list[gold]!, choices: list };
  };
  const gen = (config.generation_kwargs ?? {}) as { until?: unknown; max_gen_toks?: unknown };
  const until = Array.isArray(gen.until) ? gen.until.map(String) : typeof gen.until === 'string' ? [gen.until] : ['\n\n'];
  // exact_match (generate) and acc / acc_norm (multiple choice) are what the harness computes; their options are applied, others refused.
  const metrics = Array.isArray(config.metric_list) ? (config.metric_list as Record<string, unknown>[]) : [];
  const em = { ignoreCase: false, ignorePunctuation: false, ignore: [] as RegExp[] };
  metrics.forEach((m, i) => {
    const name = m?.metric;
    const allowed = choice ? ['acc', 'acc_norm'] : ['exact_match'];
    if (typeof name !== 'string' || !allowed.includes(name)) {
      throw new UserError(`metric "${String(name)}" is not computed by this importer`, { file, pointer: `/metric_list/${i}`, hint: `${choice ? 'multiple_choice' : 'generate_until'} tasks report ${allowed.join(', ')}` });
    }
    for (const key of Object.keys(m)) {
      if (!EXACT_MATCH_KEYS.has(key)) throw new UserError(`metric option "${key}" is not supported`, { file, pointer: `/metric_list/${i}/${key}`, hint: 'supported: ignore_case, ignore_punctuation, regexes_to_ignore' });
    }
    if (m.ignore_case === true) em.ignoreCase = true;
    if (m.ignore_punctuation === true) em.ignorePunctuation = true;
    if (Array.isArray(m.regexes_to_ignore)) em.ignore.push(...m.regexes_to_ignore.map((r) => new RegExp(String(r), 'g')));
  });
  // hf evaluate's exact_match: remove the ignored patterns, then fold case, then drop punctuation — on output and target alike.
  const normalise = (text: string): string => {
    let t = em.ignore.reduce((acc, r) => acc.replace(r, ''), text);
    if (em.ignoreCase) t = t.toLowerCase();
    if (em.ignorePunctuation) t = t.replace(/[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '');
    return t;
  };
  const warnings = typeof config.num_fewshot === 'number' ? [`${basename(file)}: num_fewshot ${config.num_fewshot} is not read; the suite's shots decide`] : [];
  const normalised = (it: Omit<Example, 'id' | 'metadata'>) => (choice ? it : { ...it, target: normalise(it.target) });
  const all = examplesOf(id, docs.map((d, i) => normalised(toItem(d, i, basename(path)))));
  return importedTask(id, all, {
    kind: choice ? 'choice' : 'generate',
    description: typeof config.task === 'string' ? `lm-evaluation-harness task ${config.task}` : `imported from ${basename(file)}`,
    reference: 'lm-evaluation-harness task YAML (Gao et al.)',
    // lm-eval puts the description directly before the first demonstration.
    preamble: typeof config.description === 'string' ? config.description : '',
    separators: { demos: typeof config.fewshot_delimiter === 'string' ? config.fewshot_delimiter : '\n\n', afterPreamble: '' },
    formatInput: (e) => e.input,
    formatTarget: (e) => `${delimiter}${e.target}`,
    demos: fewshotDocs ? examplesOf(`${id}/fewshot`, fewshotDocs.map((d, i) => toItem(d, i, basename(fewshotFile!)))) : 'others',
    // lm-eval's default sampler draws the few-shot documents at random (seeded) for each document.
    drawDemos: true,
    warnings,
    demoHint: 'use fewer shots',
    generation: { until, maxTokens: typeof gen.max_gen_toks === 'number' ? gen.max_gen_toks : 256 },
    // lm-eval compares the generation as produced, cut at the first stop sequence — not stripped.
    extract: (output) => normalise(until.reduce((text, stop) => (text.includes(stop) ? text.slice(0, text.indexOf(stop)) : text), output)),
  });
}
