// Every metric, once: its id, how samples aggregate, which way is better and
// what it means. The MetricName type, the result schema's enum (checked by a
// test), interval choice, analysis orientation, `compare` and the plots all
// read this list, so a metric cannot be half-registered.

export interface MetricSpec {
  id: string;
  /** `proportion`: 0/1 per sample, Wilson interval; `mean`: bootstrap interval. */
  aggregation: 'proportion' | 'mean';
  direction: 'higher' | 'lower';
  description: string;
}

export const metricRegistry = [
  { id: 'exactMatch', aggregation: 'proportion', direction: 'higher', description: 'the extracted answer equals the target after whitespace normalisation' },
  { id: 'accuracy', aggregation: 'proportion', direction: 'higher', description: 'the choice with the highest log-likelihood is the gold one' },
  { id: 'accuracyNorm', aggregation: 'proportion', direction: 'higher', description: 'as accuracy, with log-likelihood per character of the choice (lm-eval acc_norm)' },
  { id: 'charEditSimilarity', aggregation: 'mean', direction: 'higher', description: '1 − character edit distance / longer length: per-character accuracy of the answer' },
  { id: 'meanTargetLogProb', aggregation: 'mean', direction: 'higher', description: 'mean log-probability per token of the target' },
  { id: 'brierScore', aggregation: 'mean', direction: 'lower', description: 'multi-class Brier score of the softmax over choices, 0–2' },
  { id: 'inContextLossDrop', aggregation: 'mean', direction: 'higher', description: 'per-token loss of a sequence seen once minus when repeated (nats)' },
] as const satisfies readonly MetricSpec[];

/** Names of the metrics a task reports: one discrete (all-or-nothing) and its continuous twin. */
export type MetricName = (typeof metricRegistry)[number]['id'];

export const metricNames: readonly MetricName[] = metricRegistry.map((m) => m.id);

/** Metrics where a smaller value is better; analysis flips them so "up" always means "better". */
export const lowerIsBetter: ReadonlySet<MetricName> = new Set(metricRegistry.filter((m) => m.direction === 'lower').map((m) => m.id));

/** Metrics that are 0/1 per sample: aggregated as proportions with Wilson intervals. */
export const proportionMetrics: ReadonlySet<MetricName> = new Set(metricRegistry.filter((m) => m.aggregation === 'proportion').map((m) => m.id));
