// Did anything regress between two results? Used by `bench compare` (CI) and
// by the page against the committed result. Tolerances come from the stored 95%
// intervals, and a threshold may move by at most one rung.
import { lowerIsBetter } from './metric-registry.js';
import type { Interval, MetricName, Result } from './types.js';

/** One metric of one task × model that changed, as the markdown table shows it. */
export interface ComparisonRow {
  task: string;
  model: string;
  metric: MetricName;
  base: number;
  head: number;
  delta: number;
  /** Combined 95% margin the change is measured against. */
  tolerance: number;
  status: 'worse' | 'better' | 'same';
}

export interface Comparison {
  regressions: string[];
  notes: string[];
  /** Changed metrics, in task and model order (what the markdown table lists). */
  rows: ComparisonRow[];
  markdown: string;
}

/** Half-width of an interval: a 95% margin for the value. */
const half = (iv: Interval) => Math.max(0, (iv.high - iv.low) / 2);

/**
 * A change is beyond noise when it exceeds the combined 95% margin of the two
 * estimates, sqrt(h_base² + h_head²): the usual test for a difference of two
 * independent estimates, read off the intervals the results already store.
 */
export function tolerance(base: Interval, head: Interval): number {
  return Math.sqrt(half(base) ** 2 + half(head) ** 2);
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '—';
}

export function compareResults(base: Result, head: Result): Comparison {
  const regressions: string[] = [];
  const notes: string[] = [];
  const rows: string[] = [];
  const table: ComparisonRow[] = [];
  if (base.suite.name !== head.suite.name || base.ladder.name !== head.ladder.name) {
    notes.push(`comparing ${base.suite.name}/${base.ladder.name} with ${head.suite.name}/${head.ladder.name}`);
  }
  if (base.suite.seed !== head.suite.seed || base.suite.n !== head.suite.n) {
    notes.push(`seed or n differ (base seed ${base.suite.seed} n ${base.suite.n}; head seed ${head.suite.seed} n ${head.suite.n}): differences include sampling noise`);
  }
  const rungIds = base.ladder.models.map((m) => m.id);
  for (const bt of base.tasks) {
    const ht = head.tasks.find((t) => t.id === bt.id);
    if (!ht) {
      regressions.push(`task ${bt.id} is missing from head`);
      continue;
    }
    if (ht.version !== bt.version) notes.push(`${bt.id}: task version ${bt.version} → ${ht.version}; scores are not comparable`);
    for (const bm of bt.models) {
      const hm = ht.models.find((m) => m.model === bm.model);
      if (!hm) {
        regressions.push(`${bt.id} × ${bm.model}: missing from head`);
        continue;
      }
      for (const metric of [bt.discrete, bt.continuous] as MetricName[]) {
        const b = bm.metrics[metric];
        const h = hm.metrics[metric];
        if (!b || !h) continue;
        const delta = h.value - b.value;
        const tol = tolerance(b, h);
        const worse = lowerIsBetter.has(metric) ? delta > tol : delta < -tol;
        const better = lowerIsBetter.has(metric) ? delta < -tol : delta > tol;
        const status = worse ? '❌ worse' : better ? '✅ better' : 'same';
        if (worse) regressions.push(`${bt.id} × ${bm.model}: ${metric} ${fmt(b.value)} → ${fmt(h.value)} (tolerance ±${fmt(tol)})`);
        if (worse || better || delta !== 0) table.push({ task: bt.id, model: bm.model, metric, base: b.value, head: h.value, delta, tolerance: tol, status: worse ? 'worse' : better ? 'better' : 'same' });
        if (worse || better || delta !== 0) rows.push(`| ${bt.id} | ${bm.model} | ${metric} | ${fmt(b.value)} | ${fmt(h.value)} | ${delta >= 0 ? '+' : ''}${fmt(delta)} | ±${fmt(tol)} | ${status} |`);
      }
    }
    const bth = bt.analysis.discrete.threshold;
    const hth = ht.analysis.discrete.threshold;
    if (bth && !hth) regressions.push(`${bt.id}: threshold at ${rungIds[bth.rung] ?? bth.rung} disappeared (verdict ${ht.analysis.verdict})`);
    else if (bth && hth && Math.abs(hth.rung - bth.rung) > 1) {
      regressions.push(`${bt.id}: threshold moved from rung ${rungIds[bth.rung] ?? bth.rung} to ${rungIds[hth.rung] ?? hth.rung} (more than one rung)`);
    } else if (!bth && hth) notes.push(`${bt.id}: new threshold at ${rungIds[hth.rung] ?? hth.rung}`);
    if (bt.analysis.verdict !== ht.analysis.verdict) notes.push(`${bt.id}: verdict ${bt.analysis.verdict} → ${ht.analysis.verdict}`);
  }
  for (const ht of head.tasks) if (!base.tasks.some((t) => t.id === ht.id)) notes.push(`new task ${ht.id}`);

  const md: string[] = [`### Emergence Bench: ${head.suite.name} on ${head.ladder.name}`, ''];
  md.push(regressions.length ? `**${regressions.length} regression(s)**` : '**No regressions** beyond the stored 95% intervals.', '');
  for (const r of regressions) md.push(`- ❌ ${r}`);
  for (const n of notes) md.push(`- ${n}`);
  if (rows.length) {
    md.push('', '| task | model | metric | base | head | Δ | tolerance | |', '|---|---|---|---|---|---|---|---|', ...rows);
  }
  md.push('', `base ${base.environment.git.commit.slice(0, 10)}${base.environment.git.dirty ? ' (dirty)' : ''} · head ${head.environment.git.commit.slice(0, 10)}${head.environment.git.dirty ? ' (dirty)' : ''}`);
  return { regressions, notes, rows: table, markdown: `${md.join('\n')}\n` };
}
