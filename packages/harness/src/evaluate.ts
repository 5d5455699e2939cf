// Turns (suite, ladder) into per-sample records: one model at a time in
// ladder order, samples batched per task and shot count, every record
// journaled as it arrives, recorded samples skipped on resume.
import pLimit from 'p-limit';
import {
  buildResult,
  shortHash,
  type Backend,
  type FailureRecord,
  type GenerateResult,
  type Ladder,
  type LoglikelihoodResult,
  type ModelSpec,
  type Result,
  type SampleRecord,
  type ScaleAxis,
  type TaskDescriptor,
} from '@emergence/core';
import { buildPrompt, planSample, scoreSample, type ResolvedSuite, type SamplePlan, type TaskRun } from '@emergence/tasks';
import type { RunListener } from '@emergence/core';
import { ladderDtype, dtypeIn } from '@emergence/backends';
import { ModelError } from '@emergence/backends';
import { inShard, type Shard } from './shard.js';

export interface PreparedSample {
  run: TaskRun;
  k: number;
  exampleIndex: number;
  prompt: string;
  promptHash: string;
}

/** Prompts depend only on the suite, never on the model: build them once. */
export function preparePrompts(resolved: ResolvedSuite): PreparedSample[] {
  const out: PreparedSample[] = [];
  const seed = resolved.suite.seed;
  for (const run of resolved.runs) {
    for (const k of run.shots) {
      run.examples.forEach((example, exampleIndex) => {
        const prompt = buildPrompt(run.task, example, run.task.fewShot(example, k, seed, run.options), run.options);
        out.push({ run, k, exampleIndex, prompt, promptHash: shortHash(prompt) });
      });
    }
  }
  return out;
}

/**
 * Everything that changes a sample's outcome is in its key, so a stale record
 * is never reused: the prompt, the task's version and generation settings
 * (budget, stop sequences), the model and the revision of its weights, the
 * device and dtype.
 */
export function sampleKey(s: PreparedSample, model: string, device: string, dtype: string, revision = ''): string {
  const ex = s.run.examples[s.exampleIndex]!;
  const generation = JSON.stringify(s.run.task.generation?.(s.run.options) ?? null);
  return shortHash([s.run.id, s.run.task.version, ex.id, s.k, model, device, dtype, s.promptHash, generation, revision].join('\u0000'));
}

/** Shard membership ignores the model, so each shard runs every model on its share of items. */
function shardKey(s: PreparedSample): string {
  return `${s.run.id}\u0000${s.k}\u0000${s.run.examples[s.exampleIndex]!.id}`;
}

/** One sample a run plans to score: its key, and which model and task it belongs to. */
export interface PlannedSample {
  key: string;
  model: string;
  task: string;
}

/** Every sample a (sharded) run of `resolved` on `ladder` scores: what a complete journal holds. */
export function plannedSamples(
  resolved: ResolvedSuite,
  ladder: Ladder,
  device: string,
  dtype: string | undefined,
  shard: Shard | null,
  prepared: PreparedSample[] = preparePrompts(resolved),
  revisionOf: (spec: ModelSpec) => string = () => '',
): PlannedSample[] {
  const samples = prepared.filter((s) => inShard(shardKey(s), shard));
  return ladder.models.flatMap((spec) => samples.map((s) => ({ key: sampleKey(s, spec.id, device, dtypeFor(spec, dtype, ladder), revisionOf(spec)), model: spec.id, task: s.run.id })));
}

/** A fingerprint of the planned work: changes with the suite, ladder, n, seed, task versions, device, dtype or shard. */
export function workFingerprint(planned: readonly PlannedSample[]): { samples: number; hash: string } {
  return { samples: planned.length, hash: shortHash(planned.map((p) => p.key).join('\n')) };
}

/** Where records go as they are scored: the file journal in Node, browser storage in the page. */
export interface RecordSink {
  append(entry: SampleRecord | FailureRecord): void;
  /** Make what was appended durable (called once per batch). */
  flush(): void;
}

/** What the result needs to know about each task run. */
function taskDescriptors(resolved: ResolvedSuite): TaskDescriptor[] {
  return resolved.runs.map((r) => ({
    id: r.id,
    version: r.task.version,
    kind: r.task.kind,
    chance: r.task.chance(r.options),
    discrete: r.task.metrics.discrete,
    continuous: r.task.metrics.continuous,
    metrics: r.task.metrics.all,
    shots: r.shots,
  }));
}

export interface SuiteResultInput {
  resolved: ResolvedSuite;
  ladder: Ladder;
  /** The `n` override the run was given, if any. */
  n?: number;
  /** The dtype the run was given; default each model's own. */
  dtype?: string;
  records: SampleRecord[];
  failures: FailureRecord[];
  /** Where the numbers were computed; the dtype label is derived from the ladder. */
  environment: Omit<Result['environment'], 'dtype'>;
  scaleAxis?: ScaleAxis;
  createdAt: string;
}

/** The Result of an evaluated suite: one place for the CLI run, `bench merge` and the page. */
export function suiteResult(input: SuiteResultInput): Result {
  const { resolved, ladder } = input;
  const dtypes = [...new Set(ladder.models.map((m) => dtypeFor(m, input.dtype, ladder)))];
  return buildResult({
    createdAt: input.createdAt,
    suite: { name: resolved.suite.name, seed: resolved.suite.seed, n: input.n ?? resolved.suite.n, shots: resolved.suite.shots },
    ladder,
    tasks: taskDescriptors(resolved),
    records: input.records,
    failures: input.failures,
    // Built in the schema's key order: result YAML keeps the order objects are built in.
    environment: { device: input.environment.device, dtype: dtypes.join(','), runtime: input.environment.runtime, git: input.environment.git, shard: input.environment.shard },
    scaleAxis: input.scaleAxis,
  });
}

export interface EvaluateOptions {
  resolved: ResolvedSuite;
  ladder: Ladder;
  device: string;
  /** dtype for every model; default each model's `defaultDtype`. */
  dtype?: string;
  loadBackend: (spec: ModelSpec, dtype: string) => Promise<Backend>;
  journal: RecordSink;
  /** Records already journaled (resume). */
  recorded?: Map<string, SampleRecord>;
  shard?: Shard | null;
  failFast?: boolean;
  /** Samples per backend call. */
  chunkSize?: number;
  /** Chunks in flight at once: one computes while the next is prepared and scored. */
  concurrency?: number;
  onEvent?: RunListener;
  /** Stops the run between batches: `evaluate` rejects with the signal's reason; what was scored stays recorded. */
  signal?: AbortSignal;
  /** The suite's prompts when the caller built them already (they depend only on the suite). */
  prepared?: PreparedSample[];
  /** A fingerprint of each model's weights, part of every sample key (a retrained model never reuses old records). */
  revisionOf?: (spec: ModelSpec) => string;
}

export interface EvaluateOutcome {
  records: SampleRecord[];
  failures: FailureRecord[];
  /** What the first model that loaded says it ran on (the browser and its adapter for a browser run); absent when none loaded. */
  runtime?: Record<string, string>;
}

/** The dtype a model runs at: --dtype, else the one its whole ladder shares (ladder-dtype.ts), else its own default. */
export function dtypeFor(spec: ModelSpec, dtype: string | undefined, ladder?: Ladder): string {
  return dtypeIn(ladder, spec, dtype);
}

export async function evaluate(options: EvaluateOptions): Promise<EvaluateOutcome> {
  const { resolved, ladder, device, journal } = options;
  const emit = options.onEvent ?? (() => {});
  const recorded = options.recorded ?? new Map<string, SampleRecord>();
  const started = performance.now();
  const samples = (options.prepared ?? preparePrompts(resolved)).filter((s) => inShard(shardKey(s), options.shard ?? null));
  const records: SampleRecord[] = [];
  const failures: FailureRecord[] = [];
  let runtime: Record<string, string> | undefined;
  emit({
    type: 'run-start',
    suite: resolved.suite.name,
    ladder: ladder.name,
    models: ladder.models.map((m) => ({ id: m.id, params: m.params, nonEmbeddingParams: m.nonEmbeddingParams })),
    tasks: resolved.runs.map((r) => ({ id: r.id, total: samples.filter((s) => s.run === r).length })),
  });
  const mixed = options.dtype === undefined ? ladderDtype(ladder.models).mixed : null;
  if (mixed) emit({ type: 'warning', message: `${mixed}; pass --dtype to run every rung at one` });

  for (const [index, spec] of ladder.models.entries()) {
    options.signal?.throwIfAborted();
    const dtype = dtypeFor(spec, options.dtype, ladder);
    const t0 = performance.now();
    const todo: PreparedSample[] = [];
    let reused = 0;
    for (const s of samples) {
      const rec = recorded.get(sampleKey(s, spec.id, device, dtype, options.revisionOf?.(spec) ?? ''));
      if (rec) {
        records.push(rec);
        reused++;
      } else todo.push(s);
    }
    if (todo.length === 0) {
      emit({ type: 'model-done', model: spec.id, seconds: 0, samples: 0, reused });
      continue;
    }
    emit({ type: 'model-loading', model: spec.id, index, count: ladder.models.length });
    let backend: Backend | null = null;
    try {
      backend = await options.loadBackend(spec, dtype);
      const d = backend.describe();
      runtime ??= d.runtime;
      emit({ type: 'model-loaded', model: spec.id, seconds: (performance.now() - t0) / 1000, device: d.device, dtype: d.dtype, contextLength: d.contextLength });
      if (d.runtime.webgpuFallback === 'true') {
        emit({ type: 'warning', model: spec.id, message: `WebGPU adapter is a fallback (${d.runtime.webgpuAdapter ?? 'software'}): results are correct but much slower than wasm` });
      }
      const fresh = await runModel(backend, spec, device, dtype, todo, samples, recorded, options, emit);
      records.push(...fresh.records);
      for (const f of fresh.failures) {
        // A task that failed keeps the model's other tasks; its own samples are redone on --resume.
        const failure: FailureRecord = { kind: 'failure', model: spec.id, device, dtype, task: f.task, message: f.message };
        journal.append(failure);
        failures.push(failure);
        emit({ type: 'model-failed', model: spec.id, message: f.message });
        if (options.failFast) throw new Error(f.message);
      }
      journal.flush();
      emit({ type: 'model-done', model: spec.id, seconds: (performance.now() - t0) / 1000, samples: fresh.records.length, reused });
    } catch (err) {
      // A stop is not the model's failure: nothing is journaled for it.
      if (options.signal?.aborted) throw options.signal.reason;
      const message = err instanceof ModelError ? err.message : `${spec.id}: ${(err as Error).message}`;
      const failure: FailureRecord = { kind: 'failure', model: spec.id, device, dtype, message };
      journal.append(failure);
      journal.flush();
      failures.push(failure);
      emit({ type: 'model-failed', model: spec.id, message });
      if (options.failFast) throw err;
    } finally {
      // One model in memory at a time.
      await backend?.dispose();
    }
  }
  emit({ type: 'run-done', seconds: (performance.now() - started) / 1000 });
  return { records, failures, ...(runtime ? { runtime } : {}) };
}

async function runModel(
  backend: Backend,
  spec: ModelSpec,
  device: string,
  dtype: string,
  todo: PreparedSample[],
  all: PreparedSample[],
  recorded: Map<string, SampleRecord>,
  options: EvaluateOptions,
  emit: RunListener,
): Promise<{ records: SampleRecord[]; failures: { task: string; message: string }[] }> {
  const chunkSize = options.chunkSize ?? 32;
  const limit = pLimit(options.concurrency ?? 2);
  const out: SampleRecord[] = [];
  // Progress per task counts reused samples as done.
  const progress = new Map<string, { done: number; total: number; sum: number; count: number; metric: string }>();
  for (const s of all) {
    const p = progress.get(s.run.id) ?? { done: 0, total: 0, sum: 0, count: 0, metric: s.run.task.metrics.discrete };
    p.total++;
    progress.set(s.run.id, p);
  }
  for (const s of all) {
    const rec = recorded.get(sampleKey(s, spec.id, device, dtype, options.revisionOf?.(spec) ?? ''));
    if (rec) {
      const p = progress.get(s.run.id)!;
      p.done++;
      p.sum += rec.scores[p.metric as keyof typeof rec.scores] ?? 0;
      p.count++;
    }
  }
  // Chunks never mix tasks or shot counts, so each backend call sees similar lengths.
  const chunks: PreparedSample[][] = [];
  let current: PreparedSample[] = [];
  for (const s of todo) {
    if (current.length > 0 && (current.length >= chunkSize || current[0]!.run !== s.run || current[0]!.k !== s.k)) {
      chunks.push(current);
      current = [];
    }
    current.push(s);
  }
  if (current.length) chunks.push(current);

  // A failing batch fails its task only: the task's later batches are
  // skipped, other tasks go on, and finished tasks keep their records. After
  // a stop no new chunk starts, and the model is disposed only once the
  // chunks in flight have settled.
  const taskFailures = new Map<string, string>();
  const taskRecords = new Map<string, SampleRecord[]>();
  // Each chunk's number within its task, and (once counted) the task's number of chunks.
  const batchIndex = new Map<PreparedSample[], number>();
  const batchesOf = new Map<string, number>();
  for (const c of chunks) {
    const n = (batchesOf.get(c[0]!.run.id) ?? 0) + 1;
    batchesOf.set(c[0]!.run.id, n);
    batchIndex.set(c, n);
  }
  let halted: unknown = null;
  const settled = await Promise.allSettled(
    chunks.map((chunk) =>
      limit(async () => {
        if (halted === null && options.signal?.aborted) halted = options.signal.reason;
        if (halted !== null) throw halted;
        if (taskFailures.has(chunk[0]!.run.id)) return;
        const plans = chunk.map((s) => planSample(s.run.task, s.run.examples[s.exampleIndex]!, s.prompt, s.run.options));
        const { generated, loglikelihoods } = await askBackend(backend, plans);
        let truncated = 0;
        chunk.forEach((s, i) => {
          const plan = plans[i]!;
          const mine = loglikelihoods[i]!;
          const example = s.run.examples[s.exampleIndex]!;
          const gen = generated.get(i);
          const scored = scoreSample(s.run.task, example, s.run.options, plan, gen?.text ?? null, mine);
          const record: SampleRecord = {
            key: sampleKey(s, spec.id, device, dtype, options.revisionOf?.(spec) ?? ''),
            task: s.run.id,
            taskVersion: s.run.task.version,
            exampleId: example.id,
            shots: s.k,
            model: spec.id,
            device,
            dtype,
            promptHash: s.promptHash,
            output: scored.output,
            target: example.target,
            scores: scored.scores,
            truncated: Math.max(gen?.truncated ?? 0, ...mine.map((r) => r.truncated)),
          };
          options.journal.append(record);
          const kept = taskRecords.get(s.run.id);
          if (kept) kept.push(record);
          else taskRecords.set(s.run.id, [record]);
          if (record.truncated > 0) truncated++;
          const p = progress.get(s.run.id)!;
          p.done++;
          p.sum += scored.scores[p.metric as keyof typeof scored.scores] ?? 0;
          p.count++;
        });
        options.journal.flush();
        const run = chunk[0]!.run;
        const p = progress.get(run.id)!;
        emit({ type: 'progress', model: spec.id, task: run.id, done: p.done, total: p.total, score: p.count ? p.sum / p.count : null, metric: p.metric });
        if (truncated) emit({ type: 'warning', model: spec.id, message: `${truncated} prompt(s) of ${run.id} truncated to fit the context` });
      }).catch((err: unknown) => {
        if (options.signal?.aborted) {
          halted ??= options.signal.reason;
          throw halted;
        }
        const run = chunk[0]!.run;
        const message = `${spec.id}: ${run.id} failed in batch ${batchIndex.get(chunk)}/${batchesOf.get(run.id)} (${chunk.length} samples, ${chunk[0]!.k}-shot): ${(err as Error).message}`;
        if (!taskFailures.has(run.id)) taskFailures.set(run.id, message);
      }),
    ),
  );
  if (settled.some((r) => r.status === 'rejected')) throw halted;
  // A failed task's partial samples stay in the journal (for --resume) but not in this run's result.
  for (const [task, recs] of taskRecords) if (!taskFailures.has(task)) out.push(...recs);
  return { records: out, failures: [...taskFailures].map(([task, message]) => ({ task, message })) };
}

/**
 * One chunk's requests. A generation's target log-probability rides on the
 * generation request (the backend reads it from its pass over the prompt);
 * what a backend does not answer there, and every other request, goes to
 * `loglikelihood()` in one call.
 */
async function askBackend(backend: Backend, plans: SamplePlan[]): Promise<{ generated: Map<number, GenerateResult>; loglikelihoods: LoglikelihoodResult[][] }> {
  // Requests whose context is the generation prompt ride along; the rest (a task's probes on other contexts) go apart.
  const riding = plans.map((p) => (p.generate ? p.loglikelihood.flatMap((r, k) => (r.context === p.generate!.prompt ? [k] : [])) : []));
  const genIdx = plans.flatMap((p, i) => (p.generate ? [i] : []));
  const gens = genIdx.length
    ? await backend.generate(
        genIdx.map((i) => {
          const ride = riding[i]!;
          return ride.length ? { ...plans[i]!.generate!, continuations: ride.map((k) => plans[i]!.loglikelihood[k]!.continuation) } : plans[i]!.generate!;
        }),
      )
    : [];
  const generated = new Map(genIdx.map((i, j) => [i, gens[j]!]));
  const answered = plans.map((_, i) => {
    const got = generated.get(i)?.loglikelihoods;
    return got && got.length === riding[i]!.length ? new Map(riding[i]!.map((k, j) => [k, got[j]!])) : new Map<number, LoglikelihoodResult>();
  });
  const rest = plans.flatMap((p, i) => p.loglikelihood.flatMap((r, k) => (answered[i]!.has(k) ? [] : [r])));
  const ll = rest.length ? await backend.loglikelihood(rest) : [];
  let offset = 0;
  const loglikelihoods = plans.map((p, i) => p.loglikelihood.map((_, k) => answered[i]!.get(k) ?? ll[offset++]!));
  return { generated, loglikelihoods };
}
