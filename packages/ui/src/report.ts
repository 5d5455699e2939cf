// A Result as a report: composed once as sections (composeReport), which the
// plain text below, the Ink view and the HTML file render. Also the text
// pieces: one scale plot per task and a task × model summary table. Pure.
import { formatScale, lowerIsBetter, resultModelScale, type Result, type ScaleAxis, type TaskResult } from '@emergence/core';
import { renderScalePlot, type PlotInput, type PlotPoint } from './plot.js';
import { wrapWords } from './wrap.js';

export const axisName: Record<ScaleAxis, string> = { params: 'parameters', nonEmbeddingParams: 'non-embedding parameters', trainingFlops: 'training FLOPs' };

function scales(result: Result, axis: ScaleAxis): Map<string, number> {
  return new Map(result.ladder.models.map((m) => [m.id, resultModelScale(m, axis) ?? Number.NaN]));
}

/** Continuous twin rescaled to [0, 1] across rungs, oriented so up is better. */
function twinSeries(task: TaskResult, scale: Map<string, number>): { x: number; y: number }[] {
  const raw = task.models.map((m) => ({ x: Math.log10(scale.get(m.model) ?? Number.NaN), v: m.metrics[task.continuous]?.value ?? Number.NaN }));
  const vals = raw.map((r) => (lowerIsBetter.has(task.continuous) ? -r.v : r.v)).filter(Number.isFinite);
  const min = Math.min(...vals);
  const max = Math.max(...vals);
  return raw.map((r) => {
    const v = lowerIsBetter.has(task.continuous) ? -r.v : r.v;
    return { x: r.x, y: max > min ? (v - min) / (max - min) : 0.5 };
  });
}

/** What a task's scale plot shows, built once for the text plot, the SVG chart and the page. */
export interface TaskSeries {
  /** Points of the discrete metric, one per rung (seeds of one size pooled), with the models they stand for. */
  points: (PlotPoint & { label: string })[];
  twin: { x: number; y: number }[];
  chance: number;
  threshold: PlotInput['threshold'];
  xLabel: string;
}

export function taskSeries(result: Result, task: TaskResult): TaskSeries {
  const scale = scales(result, task.analysis.scaleAxis);
  // Seeds of one size are one point (pooled), with their spread as a second whisker.
  const groupOf = new Map(result.ladder.models.map((m) => [m.id, m.group]));
  const pooled = new Map((task.groups ?? []).map((g) => [g.group, g]));
  const drawn = new Set<string>();
  const points = task.models.flatMap((m) => {
    const s = scale.get(m.model);
    const g = pooled.get(groupOf.get(m.model) ?? '');
    if (g) {
      if (drawn.has(g.group) || !(s && s > 0)) return [];
      drawn.add(g.group);
      return [{ x: Math.log10(s), y: g.metric.value, low: g.metric.low, high: g.metric.high, seeds: { min: g.seedMin, max: g.seedMax }, label: `${g.group} (${g.models.length} seeds)` }];
    }
    const iv = m.metrics[task.discrete];
    return iv && s && s > 0 ? [{ x: Math.log10(s), y: iv.value, low: iv.low, high: iv.high, label: m.model }] : [];
  });
  const t = task.analysis.discrete.threshold;
  return {
    points,
    twin: twinSeries(task, scale),
    chance: task.chance,
    threshold: t ? { from: t.from, to: t.to, x: t.log10Scale, low: t.low, high: t.high } : null,
    xLabel: axisName[task.analysis.scaleAxis],
  };
}

export function renderTaskPlot(result: Result, task: TaskResult, width = 66, textWidth = width + 14): string[] {
  const series = taskSeries(result, task);
  return renderScalePlot({
    title: `${task.id} — ${task.analysis.verdict}`,
    ...series,
    width,
    textWidth,
    legend: `● ${task.discrete} │ 95% CI${task.groups?.length ? ' ┊ seeds' : ''}   ○ ${task.continuous} (rescaled)`,
  });
}

function cell(text: string, w: number): string {
  return text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w);
}

/** Cut from the middle, keeping the end, where task variants differ (`addi…-digits5`). */
function middleCell(text: string, w: number): string {
  if (text.length <= w) return text.padEnd(w);
  const head = Math.max(1, Math.floor((w - 1) / 3));
  return `${text.slice(0, head)}…${text.slice(text.length - (w - 1 - head))}`;
}

/** Task × model table of the discrete metric, with each task's verdict; fits `width` columns. */
export function renderSummaryTable(result: Result, width = 80): string[] {
  const models = result.ladder.models;
  // Narrow terminals: narrower value columns first, then short verdicts, so the task names keep ≥ 12 columns.
  const short: Record<string, string> = { 'metric-induced': 'metric-ind.', 'insufficient-data': 'insuff.data', 'non-monotone': 'non-monot.' };
  const verdictOf = (v: string, abbreviate: boolean) => (abbreviate ? (short[v] ?? v) : v);
  const verdictWidth = (abbreviate: boolean) => Math.max(7, ...result.tasks.map((t) => verdictOf(t.analysis.verdict, abbreviate).length));
  const layouts: [number, boolean][] = [false, true].flatMap((a) => [6, 5, 4].map((w): [number, boolean] => [w, a]));
  const [valueW, abbreviate] = layouts.find(([w, a]) => width - models.length * (w + 1) - verdictWidth(a) - 1 >= 12) ?? layouts.at(-1)!;
  const verdictW = verdictWidth(abbreviate);
  // A family every task shares goes into the header, so narrow tables keep what differs.
  const families = new Set(result.tasks.map((t) => t.id.split('/')[0]));
  const shared = families.size === 1 && result.tasks.every((t) => t.id.includes('/')) ? `${[...families][0]}/` : '';
  const name = (id: string) => (shared ? id.slice(shared.length) : id);
  const longest = Math.max(4 + shared.length, ...result.tasks.map((t) => name(t.id).length));
  const taskW = Math.max(12, Math.min(longest, width - models.length * (valueW + 1) - verdictW - 1));
  // Model ids that do not fit their column lose the prefix they all share (`tiny-1` → `1`).
  const ids = models.map((m) => m.id);
  let idPrefix = '';
  if (ids.some((id) => id.length > valueW) && ids.length > 1) {
    while (idPrefix.length < ids[0]!.length && ids.every((id) => id.startsWith(ids[0]!.slice(0, idPrefix.length + 1)) && id.length > idPrefix.length + 1)) idPrefix = ids[0]!.slice(0, idPrefix.length + 1);
  }
  const idCell = (id: string) => middleCell(id.slice(idPrefix.length), valueW);
  const header = `${cell(shared ? `task (${shared}…)` : 'task', taskW)} ${models.map((m) => cell(formatScale(m.nonEmbeddingParams), valueW).padStart(valueW)).join(' ')} ${cell('verdict', verdictW)}`;
  const names = `${cell(idPrefix ? `model (${idPrefix}…)` : '', taskW)} ${models.map((m) => idCell(m.id)).join(' ')}`;
  const lines = [header, names, '─'.repeat(Math.min(width, header.length))];
  for (const task of result.tasks) {
    const values = models.map((m) => {
      const mr = task.models.find((x) => x.model === m.id);
      const v = mr?.metrics[task.discrete]?.value;
      return (m.status === 'failed' && !mr ? 'fail' : v === undefined ? '—' : v.toFixed(2)).padStart(valueW);
    });
    lines.push(`${middleCell(name(task.id), taskW)} ${values.join(' ')} ${cell(verdictOf(task.analysis.verdict, abbreviate), verdictW)}`.trimEnd());
  }
  return lines.map((l) => l.trimEnd());
}

/** Which shot count and which size the table's numbers are. */
export function tableLegend(result: Result): string {
  const found = [...new Set(result.tasks.map((t) => headlineShots(t)))].filter((k) => k !== null);
  const shots = found.length ? found : result.suite.shots.length ? [Math.max(...result.suite.shots)] : [];
  const at = shots.length === 1 ? `${shots[0]}-shot` : "each task's largest shot count";
  return `Scores: each task's discrete metric at ${at}${shots.length === 1 ? ' (the largest)' : ''}; columns: models by non-embedding parameters.`;
}

/** The shot count a task's headline score is taken at: its largest. */
export function headlineShots(task: TaskResult): number | null {
  const ks = task.models.flatMap((m) => m.shots.map((s) => s.k));
  return ks.length ? Math.max(...ks) : null;
}

/** What every view of a report shows, composed once: each view draws the tasks' charts and the table in its own medium. */
export interface ReportSections {
  /** `icl on tiny (cpu, fp32); seed 1234`. */
  title: string;
  /** One chart each, with its verdict and reason. */
  tasks: TaskResult[];
  /** What the summary table's numbers are (shot count, columns). */
  legend: string;
  /** `failed: <why>`, one per model that failed. */
  failed: string[];
}

export function composeReport(result: Result): ReportSections {
  return {
    title: `${result.suite.name} on ${result.ladder.name} (${result.environment.device}, ${result.environment.dtype}); seed ${result.suite.seed}`,
    tasks: result.tasks,
    legend: tableLegend(result),
    failed: result.ladder.models.filter((m) => m.status === 'failed').map((m) => `failed: ${m.error ?? m.id}`),
  };
}

/** Everything `bench report` prints: plots with reasons, then the table, its legend and the failures. */
export function renderReport(result: Result, width = 80): string {
  const sections = composeReport(result);
  const out: string[] = [sections.title, ''];
  for (const task of sections.tasks) {
    out.push(...renderTaskPlot(result, task, Math.min(66, width - 14), width));
    // Wrapped under the plot area, not back to column 0 under the y-axis labels.
    out.push(...wrapWords(task.analysis.reason, Math.max(20, width - 6)).map((l) => `     ${l}`), '');
  }
  out.push(...renderSummaryTable(result, width));
  out.push(...wrapWords(sections.legend, width));
  out.push(...sections.failed);
  return `${out.join('\n')}\n`;
}
