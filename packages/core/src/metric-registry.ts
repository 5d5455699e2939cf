// Every metric, once: its id, how samples aggregate, which way is better, the
// task kinds it applies to and how one sample computes it. The MetricName
// type, the result schema's enum, the default metric lists of each task kind,
// scoring, interval choice, analysis orientation, `compare` and the plots all
// read this list, so a metric cannot be half-registered. Adding a metric is
// one entry here (and a line in its test).
import { argmax, brierScore, charEditSimilarity, choiceProbabilities, exactMatch, meanTargetLogProb } from './metrics.js';
import type { LoglikelihoodResult, TaskKind } from './types.js';

/** What one sample of a choice task gives a metric: every choice's log-likelihood after the prompt. */
export interface ChoiceSample {
  choices: readonly string[];
  /** Index of `target` among the choices. */
  gold: number;
  /** Credit for picking choice i: BIG-bench `target_scores` (several right answers, partial credit), else 1 for gold. */
  credit(i: number): number;
  /** One result per choice, in `choices` order. */
  results: readonly LoglikelihoodResult[];
}

/** What one sample of a generate task gives a metric: the extracted answer and, when asked for, the target's log-likelihood. */
export interface GenerateSample {
  answer: string;
  /** Every answer that counts as right (`target` first); a metric takes the best match over them. */
  targets: readonly string[];
  /** The target after the prompt; absent when the task does not request it (a chain-of-thought answer does not follow the prompt). */
  target: LoglikelihoodResult | undefined;
}

interface SampleOf {
  choice: ChoiceSample;
  generate: GenerateSample;
}

/**
 * How a metric is computed for each task kind it applies to: a function of
 * one sample (undefined when the sample does not yield it), or `probes`: the
 * task computes it from its own extra requests (`Task.scoreProbes`).
 */
export type MetricCompute = { [K in TaskKind]?: ((sample: SampleOf[K]) => number | undefined) | 'probes' };

export interface MetricSpec {
  id: string;
  /** `proportion`: 0/1 per sample, Wilson interval; `mean`: bootstrap interval. */
  aggregation: 'proportion' | 'mean';
  direction: 'higher' | 'lower';
  compute: MetricCompute;
  description: string;
}

// Order matters twice: tasks of a kind report their default metrics in this
// order (result YAML keeps it), and sample records list scores in it.
export const metricRegistry = [
  {
    id: 'exactMatch',
    aggregation: 'proportion',
    direction: 'higher',
    compute: { generate: (s) => Math.max(...s.targets.map((t) => exactMatch(s.answer, t))) },
    description: 'the extracted answer equals the target after whitespace normalisation',
  },
  {
    id: 'accuracy',
    aggregation: 'proportion',
    direction: 'higher',
    // BIG-bench multiple_choice_grade: the credit of the chosen answer.
    compute: { choice: (s) => s.credit(argmax(s.results.map((r) => r.logprob))) },
    description: 'the choice with the highest log-likelihood is the gold one',
  },
  {
    id: 'accuracyNorm',
    aggregation: 'proportion',
    direction: 'higher',
    // lm-evaluation-harness acc_norm: per character of the choice itself (Python's
    // len: code points), without the delimiter that precedes it.
    compute: { choice: (s) => s.credit(argmax(s.results.map((r, i) => r.logprob / Math.max(1, [...(s.choices[i] ?? '')].length)))) },
    description: 'as accuracy, with log-likelihood per character of the choice (lm-eval acc_norm)',
  },
  {
    id: 'charEditSimilarity',
    aggregation: 'mean',
    direction: 'higher',
    compute: { generate: (s) => Math.max(...s.targets.map((t) => charEditSimilarity(s.answer, t))) },
    description: '1 − character edit distance / longer length: per-character accuracy of the answer',
  },
  {
    id: 'brierScore',
    aggregation: 'mean',
    direction: 'lower',
    compute: { choice: (s) => brierScore(choiceProbabilities(s.results.map((r) => r.logprob)), s.gold) },
    description: 'multi-class Brier score of the softmax over choices, 0–2',
  },
  {
    id: 'meanTargetLogProb',
    aggregation: 'mean',
    direction: 'higher',
    compute: {
      choice: (s) => meanTargetLogProb(s.results[s.gold]!.logprob, s.results[s.gold]!.tokens),
      generate: (s) => (s.target ? meanTargetLogProb(s.target.logprob, s.target.tokens) : undefined),
    },
    description: 'mean log-probability per token of the target',
  },
  {
    id: 'inContextLossDrop',
    aggregation: 'mean',
    direction: 'higher',
    // icl/induction's two probes: the sequence seen once, then repeated.
    compute: { generate: 'probes' },
    description: 'per-token loss of a sequence seen once minus when repeated (nats)',
  },
] as const satisfies readonly MetricSpec[];

/** Names of the metrics a task reports: one discrete (all-or-nothing) and its continuous twin. */
export type MetricName = (typeof metricRegistry)[number]['id'];

export const metricNames: readonly MetricName[] = metricRegistry.map((m) => m.id);

/** Metrics where a smaller value is better; analysis flips them so "up" always means "better". */
export const lowerIsBetter: ReadonlySet<MetricName> = new Set(metricRegistry.filter((m) => m.direction === 'lower').map((m) => m.id));

/** Metrics that are 0/1 per sample: aggregated as proportions with Wilson intervals. */
export const proportionMetrics: ReadonlySet<MetricName> = new Set(metricRegistry.filter((m) => m.aggregation === 'proportion').map((m) => m.id));

const specs: readonly MetricSpec[] = metricRegistry;

/** The task kinds a metric applies to. */
export function metricKinds(id: MetricName): TaskKind[] {
  return Object.keys(specs.find((m) => m.id === id)!.compute) as TaskKind[];
}

/** The metrics every sample of a kind yields by itself (probe metrics need a task's own requests): a task's default list. */
export function sampleMetrics(kind: TaskKind): MetricName[] {
  return specs.filter((m) => typeof m.compute[kind] === 'function').map((m) => m.id as MetricName);
}

/** Every metric one sample of `kind` yields, in registry order. */
export function scoreSampleMetrics<K extends TaskKind>(kind: K, sample: SampleOf[K]): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  for (const m of specs) {
    const compute = m.compute[kind] as ((s: SampleOf[K]) => number | undefined) | 'probes' | undefined;
    if (typeof compute !== 'function') continue;
    const value = compute(sample);
    if (value !== undefined) out[m.id as MetricName] = value;
  }
  return out;
}
