// Per-sample records → per model × task aggregates with 95% intervals →
// emergence analysis → the Result that is written as YAML.
import { analyzeTask, type RungSamples } from './emergence.js';
import { proportionMetrics } from './metric-registry.js';
import { accuracyInterval, bootstrapInterval, mean, sampleVariance } from './stats.js';
import type { FailureRecord, Interval, Ladder, MetricName, ModelTaskResult, Result, SampleRecord, ScaleAxis, SeedGroupResult, TaskResult } from './types.js';


/** What the result needs to know of a task run. */
export type TaskDescriptor = Pick<TaskResult, 'id' | 'version' | 'kind' | 'chance' | 'discrete' | 'continuous'> & {
  metrics: MetricName[];
  shots: number[];
};

/** Record order for aggregation: shot count, then example id, then key (unique within a task and model). */
function bySample(a: SampleRecord, b: SampleRecord): number {
  return a.shots - b.shots || (a.exampleId < b.exampleId ? -1 : a.exampleId > b.exampleId ? 1 : 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function intervalOf(metric: MetricName, values: number[], seed: string): Interval {
  if (proportionMetrics.has(metric)) return accuracyInterval(values);
  return bootstrapInterval(values, { seed, resamples: 1000 });
}

function metricIntervals(task: TaskDescriptor, model: string, k: number | 'all', records: SampleRecord[]): Partial<Record<MetricName, Interval>> {
  const out: Partial<Record<MetricName, Interval>> = {};
  for (const m of task.metrics) {
    const values = records.map((r) => r.scores[m]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length) out[m] = intervalOf(m, values, `${task.id}/${model}/${m}/${k}`);
  }
  return out;
}

/**
 * Headline numbers of a model on a task come from the largest shot count the
 * suite asks for (the setting in which in-context abilities can show); every
 * shot count is listed in `shots`.
 */
export function headlineShots(task: TaskDescriptor): number {
  return Math.max(...task.shots);
}

export function aggregateModelTask(task: TaskDescriptor, model: string, records: SampleRecord[]): ModelTaskResult {
  const k = headlineShots(task);
  const headline = records.filter((r) => r.shots === k);
  return {
    model,
    n: headline.length,
    metrics: metricIntervals(task, model, k, headline),
    shots: task.shots.map((s) => {
      const rs = records.filter((r) => r.shots === s);
      return { k: s, n: rs.length, metrics: metricIntervals(task, model, s, rs) };
    }),
    truncated: records.filter((r) => r.truncated > 0).length,
  };
}

export function scaleOf(model: Ladder['models'][number], axis: ScaleAxis): number {
  if (axis === 'params') return model.params;
  if (axis === 'nonEmbeddingParams') return model.nonEmbeddingParams;
  return model.trainingTokens ? 6 * model.params * model.trainingTokens : Number.NaN;
}

export interface BuildResultInput {
  createdAt: string;
  suite: Result['suite'];
  ladder: Ladder;
  tasks: TaskDescriptor[];
  records: SampleRecord[];
  failures: FailureRecord[];
  environment: Result['environment'];
  scaleAxis?: ScaleAxis;
}

export function buildResult(input: BuildResultInput): Result {
  const axis = input.scaleAxis ?? 'nonEmbeddingParams';
  // Every failure of a model, whole-model or per task, in one error line.
  const failed = new Map<string, string>();
  for (const f of input.failures) failed.set(f.model, failed.has(f.model) ? `${failed.get(f.model)}; ${f.message}` : f.message);
  const byTaskModel = new Map<string, SampleRecord[]>();
  for (const r of input.records) {
    const key = `${r.task}\u0000${r.model}`;
    const list = byTaskModel.get(key);
    if (list) list.push(r);
    else byTaskModel.set(key, [r]);
  }
  // Models that share a ladder `group` are seeds of one size: one rung of the analysis.
  const groupOf = (m: Ladder['models'][number]) => m.group ?? m.id;
  const seeded = new Set(input.ladder.models.filter((m) => input.ladder.models.some((o) => o !== m && groupOf(o) === groupOf(m))).map(groupOf));
  const tasks: TaskResult[] = input.tasks.map((task) => {
    const models: ModelTaskResult[] = [];
    const members = new Map<string, { model: Ladder['models'][number]; agg: ModelTaskResult; discrete: number[]; continuous: number[]; nll: number[] }[]>();
    for (const m of input.ladder.models) {
      // Sorted so the same samples always aggregate (and bootstrap) the same way: by shot count and
      // example, not by sample key, which holds a fingerprint of the weights (a re-export of the
      // same weights, or a moved Hub revision, would reshuffle every bootstrap interval).
      const recs = (byTaskModel.get(`${task.id}\u0000${m.id}`) ?? []).sort(bySample);
      if (recs.length === 0) continue;
      const agg = aggregateModelTask(task, m.id, recs);
      models.push(agg);
      const k = headlineShots(task);
      const head = recs.filter((r) => r.shots === k);
      const values = (metric: MetricName) => head.map((r) => r.scores[metric]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (!agg.metrics[task.discrete] || !agg.metrics[task.continuous]) continue;
      const list = members.get(groupOf(m)) ?? [];
      list.push({ model: m, agg, discrete: values(task.discrete), continuous: values(task.continuous), nll: values('meanTargetLogProb').map((v) => -v) });
      members.set(groupOf(m), list);
    }
    const rungs: RungSamples[] = [];
    const groups: SeedGroupResult[] = [];
    for (const [group, list] of members) {
      const discrete = list.flatMap((x) => x.discrete);
      const continuous = list.flatMap((x) => x.continuous);
      // A lone model's intervals are its aggregate's; only pooled seeds need new ones.
      const only = list.length === 1 ? list[0]!.agg.metrics : null;
      const seedKey = `${task.id}/${group}`;
      const rung: RungSamples = {
        model: seeded.has(group) ? group : list[0]!.model.id,
        scale: scaleOf(list[0]!.model, axis),
        discrete,
        continuous,
        discreteInterval: only?.[task.discrete] ?? intervalOf(task.discrete, discrete, `${seedKey}/${task.discrete}`),
        continuousInterval: only?.[task.continuous] ?? intervalOf(task.continuous, continuous, `${seedKey}/${task.continuous}`),
        nll: list.flatMap((x) => x.nll),
      };
      if (list.length > 1) {
        const means = list.map((x) => mean(x.discrete));
        rung.seedMeans = { discrete: means, continuous: list.map((x) => mean(x.continuous)) };
        groups.push({ group, models: list.map((x) => x.model.id), n: discrete.length, metric: rung.discreteInterval, seedMin: Math.min(...means), seedMax: Math.max(...means), seedSd: Math.sqrt(sampleVariance(means)) });
      }
      rungs.push(rung);
    }
    const analysis = analyzeTask({ taskId: task.id, chance: task.chance, discreteMetric: task.discrete, continuousMetric: task.continuous, scaleAxis: axis, rungs });
    // Keys in the schema's order: result YAML keeps the order objects are built in.
    return { id: task.id, version: task.version, kind: task.kind, chance: task.chance, discrete: task.discrete, continuous: task.continuous, models, ...(groups.length ? { groups } : {}), analysis };
  });
  return {
    schemaVersion: 1,
    createdAt: input.createdAt,
    suite: input.suite,
    ladder: {
      name: input.ladder.name,
      models: input.ladder.models.map((m) => {
        const flops = scaleOf(m, 'trainingFlops');
        const entry: Result['ladder']['models'][number] = {
          id: m.id,
          ...(m.group !== undefined ? { group: m.group } : {}),
          params: m.params,
          nonEmbeddingParams: m.nonEmbeddingParams,
          trainingFlops: Number.isFinite(flops) ? flops : null,
          status: failed.has(m.id) ? 'failed' : 'ok',
        };
        const err = failed.get(m.id);
        if (err) entry.error = err;
        return entry;
      }),
    },
    environment: input.environment,
    tasks,
  };
}

/** A result's file name under results/<suite>/: `<ladder>.yaml` for the cpu default, else `<ladder>.<device>[-<dtype>].yaml`. */
export function resultFileName(ladder: string, device: string, dtype: string | undefined): string {
  const variant = device === 'cpu' && !dtype ? '' : `.${device}${dtype ? `-${dtype}` : ''}`;
  return `${ladder}${variant}.yaml`;
}
