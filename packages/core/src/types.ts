// The contracts every package shares (DESIGN.md "Contracts"): data flows
// suite + ladder → examples → requests → backend → records → result.
import type { MetricName } from './metric-registry.js';

export type { MetricName };
// Suite, ladder and result: derived from their schemas.
export type * from './schema-types.js';

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

/** Where a model runs: onnxruntime-node, onnxruntime-web's WebAssembly (a Node child process or a page) or its WebGPU backend (a page). */
export const devices = ['cpu', 'wasm', 'webgpu'] as const;
export type Device = (typeof devices)[number];

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
