// Score against model scale as a standalone SVG chart: the same series as the
// text plot (taskSeries), drawn with 95% intervals, the chance line, the
// continuous twin and the threshold bracket. Pure string building, so the CLI
// (no DOM) and the page draw the same bytes; a small renderer of our own
// rather than a charting library because the chart is one fixed shape and its
// output must be deterministic and free of external references.
import { formatScale, type Result, type TaskResult } from '@emergence/core';
import { taskSeries } from './report.js';
import { wrapWords } from './wrap.js';

export interface SvgOptions {
  /** Pixels; the chart scales with its container (viewBox). */
  width?: number;
  height?: number;
  /** Leave out the xmlns attribute (inline in HTML it is implied). */
  inline?: boolean;
  /** Draw the verdict's reason under the chart (default true; the HTML report prints it as text instead). */
  reason?: boolean;
}

const palette = {
  ink: '#1f2328',
  muted: '#656d76',
  grid: '#d0d7de',
  discrete: '#0550ae',
  twin: '#bc4c00',
  seeds: '#8250df',
  chance: '#6e7781',
  threshold: '#cf222e',
  band: '#ffebe9',
};

/** Text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const num = (v: number) => String(Math.round(v * 100) / 100);

/** One task's chart: title and verdict on top, the reason under the axis. */
export function renderTaskSvg(result: Result, task: TaskResult, options: SvgOptions = {}): string {
  const width = options.width ?? 640;
  const plotH = options.height ?? 300;
  const series = taskSeries(result, task);
  const reason = options.reason === false ? [] : wrapWords(task.analysis.reason, Math.floor((width - 70) / 6.2));
  const margin = { left: 52, right: 20, top: 44, bottom: 62 };
  // Threshold label, legend, reason lines, and room for the last line's descenders.
  const extra = (series.threshold ? 16 : 0) + 18 + reason.length * 15 + 8;
  const height = margin.top + plotH + margin.bottom + extra;
  const innerW = width - margin.left - margin.right;

  const xs = series.points.map((p) => p.x);
  const t = series.threshold;
  if (t) xs.push(t.from, t.to, ...[t.x, t.low, t.high].filter((v): v is number => v !== null));
  const lo = xs.length ? Math.min(...xs) : 0;
  const hi = xs.length ? Math.max(...xs) : 1;
  const pad = Math.max((hi - lo) * 0.06, 0.15);
  const x0 = lo - pad;
  const x1 = hi + pad;
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * innerW;
  const py = (y: number) => margin.top + (1 - Math.max(0, Math.min(1, y))) * plotH;
  const bottom = margin.top + plotH;

  const out: string[] = [];
  const add = (s: string) => out.push(s);
  const title = `${task.id} — ${task.analysis.verdict}`;
  add(
    `<svg${options.inline ? '' : ' xmlns="http://www.w3.org/2000/svg"'} class="scale-plot" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="t-${slug(task.id)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" data-task="${escapeXml(task.id)}" data-verdict="${task.analysis.verdict}">`,
  );
  add(`<title id="t-${slug(task.id)}">${escapeXml(`${title}: ${task.discrete} against ${series.xLabel}`)}</title>`);
  add(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  add(`<text x="${margin.left}" y="20" font-size="15" font-weight="600" fill="${palette.ink}">${escapeXml(task.id)}</text>`);
  add(`<text class="verdict" x="${width - margin.right}" y="20" text-anchor="end" font-size="13" font-weight="600" fill="${verdictColour(task.analysis.verdict)}">${escapeXml(task.analysis.verdict)}</text>`);

  // Threshold band behind everything: the step lies between the rungs either side.
  if (t) {
    add(`<rect class="threshold-band" x="${num(px(t.from))}" y="${margin.top}" width="${num(px(t.to) - px(t.from))}" height="${plotH}" fill="${palette.band}" data-from="${t.from}" data-to="${t.to}"/>`);
  }

  // y grid and labels.
  for (const y of [0, 0.25, 0.5, 0.75, 1]) {
    add(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${num(py(y))}" y2="${num(py(y))}" stroke="${palette.grid}" stroke-width="1"/>`);
    add(`<text x="${margin.left - 6}" y="${num(py(y) + 4)}" text-anchor="end" fill="${palette.muted}">${y.toFixed(2)}</text>`);
  }
  add(`<text x="14" y="${num(margin.top + plotH / 2)}" transform="rotate(-90 14 ${num(margin.top + plotH / 2)})" text-anchor="middle" fill="${palette.muted}">${escapeXml(task.discrete)}</text>`);

  // x axis: ticks at powers of ten in range (at the ends when none is).
  add(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${bottom}" y2="${bottom}" stroke="${palette.ink}"/>`);
  const ticks: number[] = [];
  for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) ticks.push(e);
  if (ticks.length === 0) ticks.push(lo, hi);
  for (const e of ticks) {
    add(`<line class="tick" x1="${num(px(e))}" x2="${num(px(e))}" y1="${bottom}" y2="${bottom + 5}" stroke="${palette.ink}"/>`);
    add(`<text x="${num(px(e))}" y="${bottom + 18}" text-anchor="middle" fill="${palette.ink}">${formatScale(10 ** e)}</text>`);
  }
  add(`<text x="${num(margin.left + innerW / 2)}" y="${bottom + 36}" text-anchor="middle" fill="${palette.muted}">${escapeXml(series.xLabel)} (log scale)</text>`);

  // Chance.
  add(`<line class="chance" x1="${margin.left}" x2="${width - margin.right}" y1="${num(py(series.chance))}" y2="${num(py(series.chance))}" stroke="${palette.chance}" stroke-dasharray="5 4" data-value="${series.chance}"/>`);
  add(`<text x="${width - margin.right}" y="${num(py(series.chance) - 4)}" text-anchor="end" fill="${palette.chance}">chance ${series.chance.toFixed(2)}</text>`);

  // Continuous twin (rescaled to [0, 1] across rungs).
  const twin = series.twin.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (twin.length) {
    add(`<polyline class="twin-line" points="${twin.map((p) => `${num(px(p.x))},${num(py(p.y))}`).join(' ')}" fill="none" stroke="${palette.twin}" stroke-width="1.5" stroke-dasharray="3 3"/>`);
    for (const p of twin) add(`<circle class="twin" cx="${num(px(p.x))}" cy="${num(py(p.y))}" r="3.5" fill="#ffffff" stroke="${palette.twin}" stroke-width="1.5"/>`);
  }

  // Discrete metric: line, 95% intervals with caps, seed spread, points.
  if (series.points.length > 1) {
    add(`<polyline class="discrete-line" points="${series.points.map((p) => `${num(px(p.x))},${num(py(p.y))}`).join(' ')}" fill="none" stroke="${palette.discrete}" stroke-width="2"/>`);
  }
  for (const p of series.points) {
    const x = px(p.x);
    add(
      `<path class="interval" d="M${num(x)},${num(py(p.high))}V${num(py(p.low))}M${num(x - 4)},${num(py(p.high))}H${num(x + 4)}M${num(x - 4)},${num(py(p.low))}H${num(x + 4)}" stroke="${palette.discrete}" stroke-width="1.5" fill="none" data-low="${p.low}" data-high="${p.high}"/>`,
    );
    if (p.seeds) {
      add(`<line class="seeds" x1="${num(x + 7)}" x2="${num(x + 7)}" y1="${num(py(p.seeds.max))}" y2="${num(py(p.seeds.min))}" stroke="${palette.seeds}" stroke-width="2" stroke-dasharray="2 2" data-min="${p.seeds.min}" data-max="${p.seeds.max}"/>`);
    }
  }
  for (const p of series.points) {
    const tip = `${p.label}: ${task.discrete} ${p.y.toFixed(3)} (95% CI ${p.low.toFixed(3)}–${p.high.toFixed(3)}) at ${formatScale(10 ** p.x)} ${series.xLabel}`;
    add(
      `<circle class="point" cx="${num(px(p.x))}" cy="${num(py(p.y))}" r="4.5" fill="${palette.discrete}" data-model="${escapeXml(p.label)}" data-scale="${num(10 ** p.x)}" data-value="${p.y}"><title>${escapeXml(tip)}</title></circle>`,
    );
  }

  // Threshold bracket under the axis, midpoint with its interval.
  let y = bottom + 52;
  if (t) {
    const a = px(t.from);
    const b = px(t.to);
    add(`<path class="threshold-bracket" d="M${num(a)},${y - 6}V${y}H${num(b)}V${y - 6}" fill="none" stroke="${palette.threshold}" stroke-width="1.5"/>`);
    if (t.x !== null) {
      const l = t.low === null ? margin.left : px(t.low);
      const h = t.high === null ? width - margin.right : px(t.high);
      add(`<line class="threshold-interval" x1="${num(l)}" x2="${num(h)}" y1="${y}" y2="${y}" stroke="${palette.threshold}" stroke-width="3" data-low="${t.low ?? 'open'}" data-high="${t.high ?? 'open'}"/>`);
      add(`<path class="threshold-midpoint" d="M${num(px(t.x))},${y - 7}l5,9h-10z" fill="${palette.threshold}" data-x="${t.x}"/>`);
    }
    const bound = (v: number | null) => (v === null ? 'open' : formatScale(10 ** v));
    const midpoint = t.x === null ? ' (no rung on the rise)' : `; midpoint ${formatScale(10 ** t.x)} (95% CI ${bound(t.low)}–${bound(t.high)})`;
    y += 16;
    add(`<text class="threshold-label" x="${margin.left}" y="${y}" fill="${palette.threshold}">threshold between ${formatScale(10 ** t.from)} and ${formatScale(10 ** t.to)}${escapeXml(midpoint)}</text>`);
  }
  // Legend, then the reason.
  y += 18;
  const legend = [
    `<circle cx="${margin.left + 4}" cy="${y - 4}" r="4" fill="${palette.discrete}"/><text x="${margin.left + 12}" y="${y}" fill="${palette.ink}">${escapeXml(task.discrete)} (95% CI)</text>`,
    `<circle cx="${margin.left + 164}" cy="${y - 4}" r="3.5" fill="#ffffff" stroke="${palette.twin}" stroke-width="1.5"/><text x="${margin.left + 172}" y="${y}" fill="${palette.ink}">${escapeXml(task.continuous)} (rescaled)</text>`,
  ];
  if (task.groups?.length) legend.push(`<line x1="${margin.left + 344}" x2="${margin.left + 344}" y1="${y - 10}" y2="${y + 1}" stroke="${palette.seeds}" stroke-width="2" stroke-dasharray="2 2"/><text x="${margin.left + 352}" y="${y}" fill="${palette.ink}">seed range</text>`);
  add(`<g class="legend">${legend.join('')}</g>`);
  for (const line of reason) {
    y += 15;
    add(`<text class="reason" x="${margin.left}" y="${y}" fill="${palette.muted}">${escapeXml(line)}</text>`);
  }
  add('</svg>');
  return `${out.join('\n')}\n`;
}

function slug(id: string): string {
  return id.replace(/[^a-zA-Z0-9]+/g, '-');
}

function verdictColour(verdict: string): string {
  return verdict === 'emergent' ? '#1a7f37' : verdict === 'metric-induced' ? '#9a6700' : verdict === 'non-monotone' ? palette.threshold : palette.muted;
}

/** File name for a task's chart: `icl/induction` → `icl-induction.svg`. */
export function svgFileName(task: TaskResult): string {
  return `${slug(task.id)}.svg`;
}
