// One dtype for a whole ladder run: rungs at different precisions would make
// quantisation a confounder of scale (SmolLM2's files default to fp32, q4, q4).
// Portable: the page runs ladders too.
import type { Ladder, ModelSpec } from '@emergence/core';

/**
 * When every rung has a file for it: fp32; else the smallest file every rung
 * has (q4 before q4f16, whose float16 arithmetic WebGPU adapters without
 * shader-f16 cannot run; the 8-bit kinds, then fp16).
 */
export const SHARED_DTYPE_ORDER = ['fp32', 'q4', 'bnb4', 'q8', 'int8', 'uint8', 'q4f16', 'fp16'];

export interface LadderDtype {
  /** The dtype every rung runs at by default; null when the rungs share none. */
  dtype: string | null;
  /** Why rungs will run at different dtypes, for a warning; null when they do not. */
  mixed: string | null;
}

export function ladderDtype(models: ModelSpec[]): LadderDtype {
  const shared = SHARED_DTYPE_ORDER.filter((d) => models.every((m) => m.dtypes.some((own) => own === d)));
  if (shared.length > 0) return { dtype: shared[0]!, mixed: null };
  const own = models.map((m) => `${m.id} ${m.defaultDtype ?? m.dtypes[0] ?? 'fp32'}`);
  const distinct = new Set(models.map((m) => m.defaultDtype ?? m.dtypes[0] ?? 'fp32'));
  return {
    dtype: null,
    mixed: distinct.size > 1 ? `the rungs share no dtype, so each runs at its own (${own.join(', ')}): quantisation differs along the ladder and confounds scale` : null,
  };
}

/** The dtype `spec` runs at: --dtype, else the ladder's shared one, else its own default. */
export function dtypeIn(ladder: Ladder | undefined, spec: ModelSpec, dtype: string | undefined): string {
  return dtype ?? (ladder ? ladderDtype(ladder.models).dtype : null) ?? spec.defaultDtype ?? spec.dtypes[0] ?? 'fp32';
}
