// The contracts every package shares (DESIGN.md "Contracts"): data flows
// suite + ladder → examples → requests → backend → records → result.
import type { MetricName } from './metric-registry.js';

export type { MetricName };

/** One item of a task. `target` is the gold answer as text; `choices` only for choice tasks. */
export interface Example {
  id: string;
  input: string;
  target: string;
  /** Every answer that counts as right, `target` first (BIG-bench lists several); absent means `[target]`. */
  targets?: string[];
  choices?: string[];
  /** Credit for each choice, in `choices` order (BIG-bench `target_scores`: several right answers, partial credit); absent means 1 for `target`, 0 otherwise. */
  choiceScores?: number[];
  metadata: Record<string, string | number | boolean>;
}

export type TaskKind = 'generate' | 'choice';

export interface TaskMetrics {
  /** All-or-nothing score a threshold is read from. */
  discrete: MetricName;
  /** Continuous score from the same samples (Schaeffer et al. 2023 mirage check). */
  continuous: MetricName;
  /** Every metric this task reports, discrete and continuous included. */
  all: MetricName[];
}

/** Options a suite may set on a task; each task documents which it reads. */
export type TaskOptions = Record<string, string | number | boolean>;

/** A prompt ready for a backend, with everything that changes it recorded. */
export interface Prompt {
  text: string;
  /** Number of demonstrations included. */
  shots: number;
}

/** What a task does with one model answer. */
export interface Task {
  id: string;
  version: number;
  kind: TaskKind;
  description: string;
  /** Paper or source the task follows. */
  reference: string;
  /** Probability of scoring on the discrete metric by guessing. */
  chance(options: TaskOptions): number;
  metrics: TaskMetrics;
  /** Option names this task reads, with defaults; unknown options are an error. */
  defaults: TaskOptions;
  /** Test items: deterministic in (seed, n), no duplicates. Throws when n exceeds the distinct items possible. */
  examples(seed: number, n: number, options: TaskOptions): Example[];
  /** Items from the demonstration split, for training corpora: never a test item for any seed. */
  practice(seed: number, n: number, options: TaskOptions): Example[];
  /**
   * The k demonstrations shown before `example`: never equal to a test item.
   * Episodic (ICL) tasks draw them from the example's own fresh mapping.
   */
  fewShot(example: Example, k: number, seed: number, options: TaskOptions): Example[];
  /** Text of one example as shown to the model, without its answer. */
  formatInput(example: Example, options: TaskOptions): string;
  /** Text of the answer as it follows the input (a demonstration shows input + this). */
  formatTarget(example: Example, options: TaskOptions): string;
  /** Text placed before all demonstrations (an instruction), may be empty. */
  preamble(options: TaskOptions): string;
  /**
   * How the parts of a prompt are joined: between demonstrations and the
   * question, and after the preamble. Default a blank line for both;
   * imported formats bring their own (BIG-bench: "\n", and none after `task_prefix`).
   */
  separators?(options: TaskOptions): { demos: string; afterPreamble: string };
  /** Defaults merged with `given`; throws a UserError for an unknown option or a bad value. */
  resolveOptions(given?: TaskOptions): TaskOptions;
  /** For generate tasks: stop sequences and the longest answer in tokens. */
  generation?(options: TaskOptions): { until: string[]; maxTokens: number };
  /** For generate tasks: the answer text pulled out of a raw generation. */
  extract?(output: string, options: TaskOptions): string;
  /** Extra log-likelihood requests a task needs for its own metrics (e.g. in-context loss drop). */
  probes?(example: Example, prompt: string, options: TaskOptions): LoglikelihoodRequest[];
  /** What an imported file holds that a person should know (items that can never be scored right); shown when a run starts. */
  warnings?: readonly string[];
  /** Metrics from the probes' results, same order as `probes` returned. */
  scoreProbes?(results: LoglikelihoodResult[]): Partial<Record<MetricName, number>>;
}

// ---------------------------------------------------------------- backend

export interface LoglikelihoodRequest {
  context: string;
  continuation: string;
}

export interface LoglikelihoodResult {
  /** Sum of log-softmax over the continuation's tokens. */
  logprob: number;
  /** Whether every continuation token is the argmax. */
  isGreedy: boolean;
  /** Number of continuation tokens. */
  tokens: number;
  /** Log-probability of each continuation token, in order. */
  tokenLogprobs: number[];
  /** Tokens dropped from the left of the context to fit the model. */
  truncated: number;
}

export interface GenerateRequest {
  prompt: string;
  until: string[];
  maxTokens: number;
  /**
   * Continuations to score with the prompt as their context (the target's
   * log-probability). A backend may read them from the generation's own
   * pass over the prompt instead of a second one; one that does not leaves
   * `loglikelihoods` out and the caller asks `loglikelihood()` instead.
   */
  continuations?: string[];
}

export interface GenerateResult {
  text: string;
  truncated: number;
  /** Results for `continuations`, in order: equal to `loglikelihood()` on {context: prompt, continuation}. */
  loglikelihoods?: LoglikelihoodResult[];
}

export interface BackendDescription {
  model: string;
  device: string;
  dtype: string;
  runtime: Record<string, string>;
  contextLength: number;
}

/** How a task asks; how a model answers is the backend's business (lm-evaluation-harness split). */
export interface Backend {
  readonly specificationVersion: 1;
  loglikelihood(requests: LoglikelihoodRequest[]): Promise<LoglikelihoodResult[]>;
  generate(requests: GenerateRequest[]): Promise<GenerateResult[]>;
  describe(): BackendDescription;
  dispose(): Promise<void>;
}

// ---------------------------------------------------------------- ladder and suite

export type Device = 'cpu' | 'wasm' | 'webgpu';

export interface ModelSpec {
  id: string;
  /** Models with the same group are seeds of one size: pooled into one rung, with their spread reported. */
  group?: string;
  /** Local folder (relative to the ladder file) or a Hub repo id. */
  source: { folder: string } | { hub: string; revision?: string };
  params: number;
  nonEmbeddingParams: number;
  /** Training tokens, when known: enables the compute axis (≈ 6·N·D). */
  trainingTokens?: number;
  dtypes: string[];
  defaultDtype?: string;
  contextLength?: number;
}

export interface Ladder {
  name: string;
  description?: string;
  models: ModelSpec[];
  /** Path of the file it was loaded from, for resolving folders. */
  file?: string;
}

export interface SuiteTaskEntry {
  /** Registered task id `family/name`, or an imported file. */
  task?: string;
  import?: {
    format: 'bbh' | 'bigbench' | 'lm-eval';
    path: string;
    name?: string;
    /** BBH: the prompt file (cot-prompts/<task>.txt): its description and exemplars. */
    prompt?: string;
    /** BBH: chain of thought with the prompt file's worked examples. */
    cot?: boolean;
    /** BBH: `prompt` with `cot: true` (the first form). */
    cotPrompt?: string;
    /** BBH: the longest generation in tokens (default 1024 with chain of thought, 32 without). */
    maxTokens?: number;
    /** BIG-bench: one subtask of a task with subtasks. */
    subtask?: string;
    /** BIG-bench: how to score a task whose metrics ask for both. */
    kind?: 'choice' | 'generate';
  };
  /** Display id; defaults to task id (with variant options). */
  id?: string;
  n?: number;
  shots?: number[];
  options?: TaskOptions;
}

export interface Suite {
  name: string;
  description?: string;
  seed: number;
  n: number;
  shots: number[];
  tasks: SuiteTaskEntry[];
  file?: string;
}

// ---------------------------------------------------------------- records and results

/** One scored sample, appended to the run journal as it arrives. */
export interface SampleRecord {
  key: string;
  task: string;
  taskVersion: number;
  exampleId: string;
  shots: number;
  model: string;
  device: string;
  dtype: string;
  promptHash: string;
  output: string;
  target: string;
  scores: Partial<Record<MetricName, number>>;
  truncated: number;
}

export interface FailureRecord {
  kind: 'failure';
  model: string;
  device: string;
  dtype: string;
  /** The task that failed; absent when the whole model failed (it did not load). */
  task?: string;
  message: string;
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface ModelTaskResult {
  model: string;
  n: number;
  metrics: Partial<Record<MetricName, Interval>>;
  shots: { k: number; n: number; metrics: Partial<Record<MetricName, Interval>> }[];
  truncated: number;
}

export type Verdict = 'emergent' | 'metric-induced' | 'smooth' | 'non-monotone' | 'flat' | 'insufficient-data';

export interface Threshold {
  /** Index of the first rung above the step (rungs sorted by scale). */
  rung: number;
  /** log10 scales of the rungs either side of the step: the threshold lies between them. */
  from: number;
  to: number;
  /** log10 of the sigmoid midpoint (halfway from chance to plateau); only where a rung lies on the rise. */
  log10Scale: number | null;
  /** Its bootstrap interval; a bound the bootstrap pushed to the fitting grid's edge is open (null). */
  low: number | null;
  high: number | null;
}

export interface CurveAnalysis {
  breakthroughness: number | null;
  linearity: number | null;
  threshold: Threshold | null;
}

export interface TaskAnalysis {
  scaleAxis: ScaleAxis;
  discrete: CurveAnalysis;
  continuous: CurveAnalysis;
  verdict: Verdict;
  reason: string;
  powerLaw: PowerLawFit | null;
}

export type ScaleAxis = 'params' | 'nonEmbeddingParams' | 'trainingFlops';

export interface PowerLawFit {
  alpha: number;
  alphaLow: number;
  alphaHigh: number;
  log10Nc: number;
  /** Irreducible loss E of L = E + (N_c/N)^α; 0 where the data do not support one. */
  offset: number;
  offsetLow: number;
  offsetHigh: number;
  offsetNote: string;
  nextRungPrediction: number | null;
}

/** One size of a ladder with several seeds: pooled score and the spread between seeds. */
export interface SeedGroupResult {
  group: string;
  models: string[];
  n: number;
  /** The discrete metric over every seed's samples, with its 95% interval. */
  metric: Interval;
  /** Range and standard deviation of the seeds' own discrete scores. */
  seedMin: number;
  seedMax: number;
  seedSd: number;
}

export interface TaskResult {
  id: string;
  version: number;
  kind: TaskKind;
  chance: number;
  discrete: MetricName;
  continuous: MetricName;
  models: ModelTaskResult[];
  /** Present when some size has several seeds (ladder `group`); analysis uses these rungs. */
  groups?: SeedGroupResult[];
  analysis: TaskAnalysis;
}

export interface ResultModel {
  id: string;
  /** The size this model is a seed of (ladder `group`); absent when it is its own. */
  group?: string;
  params: number;
  nonEmbeddingParams: number;
  trainingFlops: number | null;
  status: 'ok' | 'failed';
  error?: string;
}

export interface Result {
  schemaVersion: 1;
  /** Kept out of what `compare` compares. */
  createdAt: string;
  suite: { name: string; seed: number; n: number; shots: number[] };
  ladder: { name: string; models: ResultModel[] };
  environment: {
    device: string;
    dtype: string;
    runtime: Record<string, string>;
    git: { commit: string; dirty: boolean };
    shard: string | null;
  };
  tasks: TaskResult[];
}
