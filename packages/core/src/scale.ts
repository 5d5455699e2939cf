// Model scale: the axes a ladder can be analysed on, a rung's size on each,
// and how a size prints (1.2K, 180K, 1.7B) wherever it is shown — plots,
// tables, verdict reasons, the page.
import type { ResultModel, ScaleAxis } from './schema-types.js';
import { resultSchema } from './schemas/result.js';

/** Every scale axis, in the result schema's order (the `--scale` values). */
export const scaleAxes: readonly ScaleAxis[] = resultSchema.$defs.task.properties.analysis.properties.scaleAxis.enum;

/** A stored model's size on an axis; null for training FLOPs when the ladder gave no trainingTokens. */
export function resultModelScale(model: ResultModel, axis: ScaleAxis): number | null {
  return axis === 'params' ? model.params : axis === 'nonEmbeddingParams' ? model.nonEmbeddingParams : model.trainingFlops;
}

const units: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** Two significant digits and a unit, never an exponent: 1234 → 1.2K, 180000 → 180K, 99970 → 100K, 999600 → 1M. */
export function formatScale(value: number): string {
  // Number(x.toPrecision(2)) turns toPrecision's "1.8e+2" back into 180.
  const rounded = Number(value.toPrecision(2));
  for (const [u, s] of units) if (rounded >= u) return `${Number((rounded / u).toPrecision(2))}${s}`;
  return `${rounded}`;
}
