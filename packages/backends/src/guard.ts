// WebGPU and quantised runs can silently give wrong numbers (transformers.js
// issues #1728 and #1317). Before such a backend is used, a few fixed
// log-likelihoods are compared with a reference backend on the same model and
// dtype: onnxruntime-node's cpu in the CLI, wasm in the browser page.
import type { Backend, LoglikelihoodRequest, ModelSpec } from '@emergence/core';
import { ModelError } from './model-error.js';

/** Fixed requests for the start-up check: short, and covering several continuation lengths. */
export const guardRequests: LoglikelihoodRequest[] = [
  { context: 'Review: the food was great\nLabel:', continuation: ' positive' },
  { context: 'Q: What is 12 plus 35?\nA:', continuation: ' 47' },
  { context: 'Copy: a b c d | a b', continuation: ' c d' },
  { context: 'The quick brown fox', continuation: ' jumps over the lazy dog.' },
];

/** fp32 must agree to rounding; reduced precision gets a looser, still meaningful bound (nats per token). */
export function guardTolerance(dtype: string): number {
  return dtype === 'fp32' ? 1e-3 : 5e-2;
}

export interface GuardCheck {
  spec: ModelSpec;
  dtype: string;
  /** The device under test, and the reference, as the message should name them. */
  device: string;
  reference: string;
  /** What the user can do, in the words of the caller's interface. */
  fix: string;
}

/** Throws a ModelError when `candidate` disagrees with `reference` beyond tolerance; returns the worst gap. */
export async function checkAgainst(reference: Backend, candidate: Backend, check: GuardCheck): Promise<number> {
  const a = await reference.loglikelihood(guardRequests);
  const b = await candidate.loglikelihood(guardRequests);
  const worst = Math.max(...a.map((r, i) => Math.abs(r.logprob - b[i]!.logprob) / r.tokens));
  const tolerance = guardTolerance(check.dtype);
  if (!(worst <= tolerance)) {
    throw new ModelError(
      check.spec.id,
      `${check.device} disagrees with ${check.reference} by ${worst.toExponential(2)} nats per token (tolerance ${tolerance}) — see transformers.js issues #1728 and #1317`,
      check.fix,
    );
  }
  return worst;
}
