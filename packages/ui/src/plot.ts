// Score against model scale on a log axis, as plain lines of text: the
// discrete metric with its 95% interval, its continuous twin (rescaled), the
// chance line, and the threshold marker with its interval. Pure.
import { formatScale } from '@emergence/core';
import { wrapWords } from './wrap.js';

export interface PlotPoint {
  /** log10 of the scale. */
  x: number;
  y: number;
  low: number;
  high: number;
  /** Range of the seeds' own scores, where the point pools several seeds of one size. */
  seeds?: { min: number; max: number };
}

export interface PlotInput {
  title: string;
  points: PlotPoint[];
  /** Continuous twin in [0, 1] (already rescaled), same x as `points`. */
  twin?: { x: number; y: number }[];
  chance: number;
  /** The step's bracket (log10 scales of the rungs either side) and, where fitted, the sigmoid midpoint with its interval (null bounds are open). */
  threshold?: { from: number; to: number; x: number | null; low: number | null; high: number | null } | null;
  /** Total width in columns, axis labels included. */
  width?: number;
  /** Plot rows between 1.0 and 0.0. */
  height?: number;
  xLabel?: string;
  legend?: string;
  /** Columns the text lines under the plot (threshold, axis name, legend) wrap at; default width + 14, as far as the chance label reaches. */
  textWidth?: number;
}

const LABEL_W = 5; // "1.00┤"

export function renderScalePlot(input: PlotInput): string[] {
  const width = input.width ?? 66;
  const textW = (input.textWidth ?? width + 14) - LABEL_W;
  // Only a line too long is wrapped (wrapping collapses the legend's spacing).
  const under = (text: string) => ([...text].length <= textW ? [text] : wrapWords(text, textW)).map((l) => `${' '.repeat(LABEL_W)}${l}`);
  const height = input.height ?? 11;
  const W = width - LABEL_W - 1;
  const xs = input.points.map((p) => p.x);
  if (input.threshold) xs.push(input.threshold.from, input.threshold.to, input.threshold.low ?? Number.NaN, input.threshold.high ?? Number.NaN);
  const finite = xs.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const pad = Math.max((hi - lo) * 0.08, 0.15);
  const x0 = lo - pad;
  const x1 = hi + pad;
  const col = (x: number) => Math.max(0, Math.min(W - 1, Math.round(((x - x0) / (x1 - x0)) * (W - 1))));
  const row = (y: number) => Math.max(0, Math.min(height - 1, Math.round((1 - Math.max(0, Math.min(1, y))) * (height - 1))));
  const grid: string[][] = Array.from({ length: height }, () => Array<string>(W).fill(' '));
  const chanceRow = row(input.chance);
  for (let c = 0; c < W; c++) grid[chanceRow]![c] = '┄';
  for (const p of input.points) {
    const c = col(p.x);
    for (let r = row(p.high); r <= row(p.low); r++) grid[r]![c] = '│';
    // The second whisker, one column right: the spread between seeds of this size.
    if (p.seeds && c + 1 < W) for (let r = row(p.seeds.max); r <= row(p.seeds.min); r++) grid[r]![c + 1] = '┊';
  }
  for (const t of input.twin ?? []) {
    if (Number.isFinite(t.y)) grid[row(t.y)]![col(t.x)] = '○';
  }
  for (const p of input.points) {
    const r = row(p.y);
    const c = col(p.x);
    grid[r]![c] = grid[r]![c] === '○' ? '◉' : '●';
  }
  const lines: string[] = [input.title];
  grid.forEach((cells, r) => {
    const y = 1 - r / (height - 1);
    const labelled = r % Math.max(1, Math.floor((height - 1) / 4)) === 0 || r === height - 1;
    const label = labelled ? y.toFixed(2).padStart(4) : '    ';
    const chance = r === chanceRow ? ` chance ${input.chance.toFixed(2)}` : '';
    lines.push(`${label}${labelled ? '┤' : '│'}${cells.join('')}${chance}`);
  });
  // x axis: ticks at powers of ten in range.
  const axis = Array<string>(W).fill('─');
  const labels = Array<string>(W + 8).fill(' ');
  for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) {
    const c = col(e);
    axis[c] = '┬';
    const text = formatScale(10 ** e);
    const start = Math.max(0, Math.min(W - text.length, c - Math.floor(text.length / 2)));
    if (labels.slice(start, start + text.length + 1).every((ch) => ch === ' ')) for (let i = 0; i < text.length; i++) labels[start + i] = text[i]!;
  }
  lines.push(`${' '.repeat(LABEL_W - 1)}└${axis.join('')}`);
  lines.push(`${' '.repeat(LABEL_W)}${labels.join('').trimEnd()}`);
  if (input.threshold) {
    // The bracket between the rungs either side of the step (├──┤), the
    // sigmoid midpoint (▲) and its interval (━) where rungs lie on the rise.
    const t = input.threshold;
    const marker = Array<string>(W).fill(' ');
    const from = col(t.from);
    const to = col(t.to);
    for (let c = from; c <= to; c++) marker[c] = '─';
    marker[from] = '├';
    marker[to] = '┤';
    if (t.x !== null) {
      const low = t.low === null ? 0 : col(t.low);
      const high = t.high === null ? W - 1 : col(t.high);
      for (let c = low; c <= high; c++) marker[c] = '━';
      marker[col(t.x)] = '▲';
    }
    lines.push(`${' '.repeat(LABEL_W)}${marker.join('').trimEnd()}`);
    const bound = (v: number | null) => (v === null ? 'open' : formatScale(10 ** v));
    const midpoint = t.x === null ? ' (no rung on the rise)' : `; midpoint ${formatScale(10 ** t.x)} (95% CI ${bound(t.low)}–${bound(t.high)})`;
    lines.push(...under(`threshold between ${formatScale(10 ** t.from)} and ${formatScale(10 ** t.to)}${midpoint}`));
  }
  if (input.xLabel) lines.push(...under(`x: ${input.xLabel} (log scale)`));
  if (input.legend) lines.push(...under(input.legend));
  return lines;
}
