// Reading a row of logits: the greedy token, and the log-softmax normaliser.

/** Greedy next token: the argmax alone, without the log-sum-exp over the vocabulary. */
export function argmaxAt(logits: Float32Array, offset: number, vocab: number): number {
  let max = -Infinity;
  let argmax = 0;
  for (let v = 0; v < vocab; v++) {
    const x = logits[offset + v]!;
    if (x > max) {
      max = x;
      argmax = v;
    }
  }
  return argmax;
}

/** log Σ exp over one position's logits, and its argmax (whether a token is greedy). */
export function logSoftmaxAt(logits: Float32Array, offset: number, vocab: number): { lse: number; argmax: number } {
  const argmax = argmaxAt(logits, offset, vocab);
  const max = logits[offset + argmax]!;
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v]! - max);
  return { lse: max + Math.log(sum), argmax };
}

/** Log-probabilities of `tokens` read at consecutive positions from `offsets`, and whether each was the argmax. */
export class TokenScores {
  readonly lps: number[] = [];
  greedy = true;

  add(logits: Float32Array, offset: number, vocab: number, token: number): void {
    const { lse, argmax } = logSoftmaxAt(logits, offset, vocab);
    this.lps.push(logits[offset + token]! - lse);
    if (argmax !== token) this.greedy = false;
  }
}
