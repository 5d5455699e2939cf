// What a task asks of a backend for one sample, and the metric values its
// answers give. A task says *what* it asks; the backend says *how*.
import {
  argmax,
  scoreSampleMetrics,
  type Example,
  type GenerateRequest,
  type LoglikelihoodRequest,
  type LoglikelihoodResult,
  type MetricName,
  type Task,
  type TaskOptions,
} from '@emergence/core';

export interface SamplePlan {
  generate: GenerateRequest | null;
  loglikelihood: LoglikelihoodRequest[];
  /** How many of `loglikelihood` are the task's own probes (at the end). */
  probes: number;
}

export interface SampleScore {
  output: string;
  scores: Partial<Record<MetricName, number>>;
}

/** Requests for one sample: choices scored by log-likelihood; answers generated greedily plus the target's log-probability. */
export function planSample(task: Task, example: Example, prompt: string, options: TaskOptions): SamplePlan {
  const probes = task.probes?.(example, prompt, options) ?? [];
  if (task.kind === 'choice') {
    const choices = example.choices ?? [];
    return {
      generate: null,
      loglikelihood: [
        ...choices.map((c) => ({ context: prompt, continuation: task.formatTarget({ ...example, target: c }, options) })),
        ...probes,
      ],
      probes: probes.length,
    };
  }
  const g = task.generation?.(options) ?? { until: ['\n'], maxTokens: 32 };
  // The target's log-probability only where a task reports it (a chain-of-thought answer does not follow the prompt directly).
  const target = task.metrics.all.includes('meanTargetLogProb') ? [{ context: prompt, continuation: task.formatTarget(example, options) }] : [];
  return {
    generate: { prompt, until: g.until, maxTokens: g.maxTokens },
    loglikelihood: [...target, ...probes],
    probes: probes.length,
  };
}

/** A sample's metric values: the registry computes each metric that applies to the task's kind; the task's probes add its own. */
export function scoreSample(
  task: Task,
  example: Example,
  options: TaskOptions,
  plan: SamplePlan,
  generated: string | null,
  ll: LoglikelihoodResult[],
): SampleScore {
  const own = ll.slice(0, ll.length - plan.probes);
  const probeScores = plan.probes > 0 ? (task.scoreProbes?.(ll.slice(ll.length - plan.probes)) ?? {}) : {};
  if (task.kind === 'choice') {
    const choices = example.choices ?? [];
    const gold = choices.indexOf(example.target);
    const credit = (i: number) => (example.choiceScores ? (example.choiceScores[i] ?? 0) : i === gold ? 1 : 0);
    const pick = argmax(own.map((r) => r.logprob));
    return { output: choices[pick] ?? '', scores: { ...scoreSampleMetrics('choice', { choices, gold, credit, results: own }), ...probeScores } };
  }
  const raw = generated ?? '';
  const answer = task.extract ? task.extract(raw, options) : raw.trim();
  const targets = example.targets ?? [example.target];
  return { output: raw, scores: { ...scoreSampleMetrics('generate', { answer, targets, target: own[0] }), ...probeScores } };
}
