// Turns a small spec (how to draw one random item, how to show it) into a full
// Task: deterministic examples, a disjoint demonstration split, prompt
// templates, chain-of-thought formatting and answer extraction.
import {
  Rng,
  UserError,
  extractAnswer,
  hashString,
  sampleMetrics,
  shortHash,
  type Example,
  type Task,
  type TaskKind,
  type TaskMetrics,
  type TaskOptions,
} from '@emergence/core';

/** One drawn item before it becomes an Example. */
export interface Item {
  input: string;
  target: string;
  choices?: string[];
  /** Step-by-step reasoning shown in chain-of-thought demonstrations. */
  rationale?: string;
  metadata?: Record<string, string | number | boolean>;
  /** Text that decides the item's split (default input + target); relabelled tasks split on the input alone. */
  splitKey?: string;
}

export interface TaskSpec {
  id: string;
  version: number;
  kind: TaskKind;
  description: string;
  reference: string;
  defaults: TaskOptions;
  /** Allowed values for options that are enumerations. */
  choicesOf?: Record<string, readonly (string | number | boolean)[]>;
  metrics?: TaskMetrics;
  chance(options: TaskOptions): number;
  /** Draw one random item. */
  make(rng: Rng, options: TaskOptions): Item;
  /** Question and answer lines; default `Q: …\nA:` and ` answer`. */
  template?: { input(input: string, options: TaskOptions): string; answerPrefix?: string };
  preamble?(options: TaskOptions): string;
  generation?: { until: string[]; maxTokens: number };
  /** Episodic tasks (ICL) draw demonstrations from the example's own mapping. */
  fewShot?(example: Example, k: number, rng: Rng, options: TaskOptions): Example[];
  probes?: Task['probes'];
  scoreProbes?: Task['scoreProbes'];
}

// A task of a kind reports every metric its samples yield (the metric registry says which).
export const generateMetrics: TaskMetrics = {
  discrete: 'exactMatch',
  continuous: 'meanTargetLogProb',
  all: sampleMetrics('generate'),
};

export const choiceMetrics: TaskMetrics = {
  discrete: 'accuracy',
  continuous: 'brierScore',
  all: sampleMetrics('choice'),
};

/** The share of items reserved for demonstrations (and the training corpus). */
const DEMO_BUCKETS = 4;

/**
 * Which split an item belongs to, from a hash of its text: demonstrations
 * come only from `demo`, test items only from `test`, for every seed, so a
 * demonstration can never equal a test item.
 */
export function splitOf(taskId: string, input: string, target: string): 'demo' | 'test' {
  return hashString(`${taskId}\u0000${input}\u0000${target}`) % DEMO_BUCKETS === 0 ? 'demo' : 'test';
}

function toExample(spec: TaskSpec, item: Item): Example {
  const metadata: Record<string, string | number | boolean> = { ...(item.metadata ?? {}) };
  if (item.rationale !== undefined) metadata.rationale = item.rationale;
  const ex: Example = {
    id: shortHash(`${spec.id}\u0000${item.input}\u0000${item.target}\u0000${JSON.stringify(item.metadata ?? {})}`).slice(0, 12),
    input: item.input,
    target: item.target,
    metadata,
  };
  if (item.choices) ex.choices = item.choices;
  return ex;
}

/** A task's item space holds fewer distinct items than `n` asks for; callers that probe large n catch this one alone. */
export class TooFewItemsError extends UserError {
  override name = 'TooFewItemsError';
}

/**
 * Draw up to `n` distinct items of one split from a stream. Throws a
 * UserError when the generator cannot make that many distinct items.
 */
export function drawItems(spec: TaskSpec, rng: Rng, n: number, split: 'demo' | 'test', options: TaskOptions): Example[] {
  const out: Example[] = [];
  const seen = new Set<string>();
  const maxAttempts = 200 * n + 2000;
  for (let attempt = 0; attempt < maxAttempts && out.length < n; attempt++) {
    const item = spec.make(rng, options);
    if (splitOf(spec.id, item.splitKey ?? item.input, item.splitKey === undefined ? item.target : '') !== split) continue;
    const ex = toExample(spec, item);
    if (seen.has(ex.id)) continue;
    seen.add(ex.id);
    out.push(ex);
  }
  if (out.length < n) {
    throw new TooFewItemsError(
      `task ${spec.id} can make only about ${out.length} distinct ${split} items with options ${JSON.stringify(options)}, but n = ${n}`,
      { hint: 'lower n, or raise a difficulty option (digits, length, objects) to enlarge the item space' },
    );
  }
  return out;
}

/** Merge and check options: unknown names and values outside an enumeration are errors. */
export function resolveOptions(spec: Pick<TaskSpec, 'id' | 'defaults' | 'choicesOf'>, given: TaskOptions = {}): TaskOptions {
  const known = Object.keys(spec.defaults);
  for (const [key, value] of Object.entries(given)) {
    if (!known.includes(key)) {
      throw new UserError(`task ${spec.id} has no option "${key}"`, {
        hint: known.length ? `its options are: ${known.join(', ')}` : 'it takes no options',
      });
    }
    const def = spec.defaults[key];
    if (typeof value !== typeof def) {
      throw new UserError(`option "${key}" of task ${spec.id} must be a ${typeof def}, got ${JSON.stringify(value)}`);
    }
    const allowed = spec.choicesOf?.[key];
    if (allowed && !allowed.includes(value)) {
      throw new UserError(`option "${key}" of task ${spec.id} must be one of: ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
    }
  }
  return { ...spec.defaults, ...given };
}

const COT_ANSWER = /So the answer is (.*?)(?=\.?\s*So the answer is|\n|$)/;

/** X from the last "So the answer is X." (BBH convention); the whole output when there is none. */
export function chainOfThoughtAnswer(output: string): string {
  return extractAnswer(output, COT_ANSWER, 'last', output.trim()).replace(/\.$/, '').trim();
}

export function defineTask(spec: TaskSpec): Task {
  const cot = (options: TaskOptions) => options.cot === true;
  const answerPrefix = spec.template?.answerPrefix ?? ' ';
  const task: Task = {
    id: spec.id,
    version: spec.version,
    kind: spec.kind,
    description: spec.description,
    reference: spec.reference,
    defaults: spec.defaults,
    metrics: spec.metrics ?? (spec.kind === 'choice' ? choiceMetrics : generateMetrics),
    chance: spec.chance,
    resolveOptions: (given) => resolveOptions(spec, given),
    examples(seed, n, options) {
      return drawItems(spec, new Rng(seed).fork(`${spec.id}/test`), n, 'test', options);
    },
    practice(seed, n, options) {
      return drawItems(spec, new Rng(seed).fork(`${spec.id}/practice`), n, 'demo', options);
    },
    fewShot(example, k, seed, options) {
      if (k === 0) return [];
      // Nested: the first k demonstrations are the same for every larger k.
      const rng = new Rng(seed).fork(`${spec.id}/demos/${example.id}`);
      if (spec.fewShot) return spec.fewShot(example, k, rng, options);
      return drawItems(spec, rng, k, 'demo', options);
    },
    formatInput(example, options) {
      return spec.template ? spec.template.input(example.input, options) : `Q: ${example.input}\nA:`;
    },
    formatTarget(example, options) {
      const rationale = example.metadata.rationale;
      if (cot(options) && typeof rationale === 'string') {
        return `${answerPrefix}Let's think step by step. ${rationale} So the answer is ${example.target}.`;
      }
      return `${answerPrefix}${example.target}`;
    },
    preamble: (options) => spec.preamble?.(options) ?? '',
    extract(output, options) {
      if (cot(options)) return chainOfThoughtAnswer(output);
      return output.split('\n')[0]!.trim();
    },
  };
  if (spec.generation) {
    const g = spec.generation;
    // Chain-of-thought answers need room for the reasoning.
    task.generation = (options) => (cot(options) ? { until: g.until, maxTokens: Math.max(g.maxTokens * 4, 160) } : g);
  }
  if (spec.probes) task.probes = spec.probes;
  if (spec.scoreProbes) task.scoreProbes = spec.scoreProbes;
  return task;
}
