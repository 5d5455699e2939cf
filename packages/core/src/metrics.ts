// Per-sample metrics: pure functions of one model output and its target.
// Each discrete metric has a continuous twin computed from the same sample.

export interface NormalizeOptions {
  trim?: boolean;
  caseInsensitive?: boolean;
  stripPunctuation?: boolean;
}

const defaultNormalize: NormalizeOptions = { trim: true, caseInsensitive: false, stripPunctuation: false };

export function normalizeAnswer(text: string, options: NormalizeOptions = defaultNormalize): string {
  let out = text;
  if (options.stripPunctuation) out = out.replace(/[\p{P}\p{S}]/gu, '');
  if (options.caseInsensitive) out = out.toLowerCase();
  if (options.trim ?? true) out = out.replace(/\s+/g, ' ').trim();
  return out;
}

/** 1 when the normalised prediction equals the normalised target, else 0. */
export function exactMatch(prediction: string, target: string, options: NormalizeOptions = defaultNormalize): number {
  return normalizeAnswer(prediction, options) === normalizeAnswer(target, options) ? 1 : 0;
}

/**
 * Pull an answer out of a generation with a regex: the first capture group
 * (or whole match) of the first or last match; `fallback` when nothing matches.
 */
export function extractAnswer(text: string, pattern: RegExp | string, which: 'first' | 'last' = 'first', fallback = ''): string {
  const source = typeof pattern === 'string' ? pattern : pattern.source;
  const flags = typeof pattern === 'string' ? 'g' : pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const matches = [...text.matchAll(new RegExp(source, flags))];
  const m = which === 'first' ? matches[0] : matches[matches.length - 1];
  if (!m) return fallback;
  return (m[1] ?? m[0]).trim();
}

/** Levenshtein distance between two sequences (arrays, or strings compared by UTF-16 unit): the metric's and the "did you mean" suggestions'. */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** 1 − distance / max(length): 1 for identical, 0 for nothing in common. Both empty → 1. */
function similarity<T>(a: readonly T[], b: readonly T[]): number {
  const m = Math.max(a.length, b.length);
  return m === 0 ? 1 : 1 - editDistance(a, b) / m;
}

/** Normalised character edit similarity (e.g. digit-level distance for arithmetic). */
export function charEditSimilarity(prediction: string, target: string): number {
  return similarity([...prediction.trim()], [...target.trim()]);
}


/** Mean log-probability per target token (continuous twin of exact match). */
export function meanTargetLogProb(logprob: number, tokens: number): number {
  if (tokens <= 0) throw new RangeError('meanTargetLogProb: target has no tokens');
  return logprob / tokens;
}

/** Softmax of choice log-likelihoods: the model's distribution over the choices. */
export function choiceProbabilities(logprobs: readonly number[]): number[] {
  const max = Math.max(...logprobs);
  const exps = logprobs.map((l) => Math.exp(l - max));
  const z = exps.reduce((s, x) => s + x, 0);
  return exps.map((e) => e / z);
}

/**
 * Multi-class Brier score over choices: Σ_k (p_k − 1[k = gold])², in [0, 2].
 * Lower is better; guessing uniformly over K choices gives 1 − 1/K.
 */
export function brierScore(probabilities: readonly number[], gold: number): number {
  if (gold < 0 || gold >= probabilities.length) throw new RangeError(`brierScore: gold index ${gold} out of range`);
  return probabilities.reduce((s, p, k) => s + (p - (k === gold ? 1 : 0)) ** 2, 0);
}

/** Index of the largest value (first on ties). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
