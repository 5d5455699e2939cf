// What a task asks of a backend for one sample, and the metric values its
// answers give. A task says *what* it asks; the backend says *how*.
import {
  argmax,
  brierScore,
  charEditSimilarity,
  choiceProbabilities,
  exactMatch,
  meanTargetLogProb,
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
    const logprobs = own.map((r) => r.logprob);
    // lm-evaluation-harness acc_norm: log-likelihood per character of the choice itself
    // (Python's len: code points), without the delimiter that precedes it.
    const normed = own.map((r, i) => r.logprob / Math.max(1, [...(choices[i] ?? '')].length));
    const pick = argmax(logprobs);
    // BIG-bench multiple_choice_grade: the credit of the chosen answer (several may be right).
    const credit = (i: number) => (example.choiceScores ? (example.choiceScores[i] ?? 0) : i === gold ? 1 : 0);
    return {
      output: choices[pick] ?? '',
      scores: {
        accuracy: credit(pick),
        accuracyNorm: credit(argmax(normed)),
        brierScore: brierScore(choiceProbabilities(logprobs), gold),
        meanTargetLogProb: meanTargetLogProb(own[gold]!.logprob, own[gold]!.tokens),
        ...probeScores,
      },
    };
  }
  const raw = generated ?? '';
  const answer = task.extract ? task.extract(raw, options) : raw.trim();
  // Any listed answer counts: the best match over them.
  const targets = example.targets ?? [example.target];
  const target = own[0];
  return {
    output: raw,
    scores: {
      exactMatch: Math.max(...targets.map((t) => exactMatch(answer, t))),
      charEditSimilarity: Math.max(...targets.map((t) => charEditSimilarity(answer, t))),
      ...(target && task.metrics.all.includes('meanTargetLogProb') ? { meanTargetLogProb: meanTargetLogProb(target.logprob, target.tokens) } : {}),
      ...probeScores,
    },
  };
}
