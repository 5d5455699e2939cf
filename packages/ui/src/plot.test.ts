import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '@emergence/core';
import { renderScalePlot } from './plot.js';
import { renderReport, renderSummaryTable } from './report.js';
import { eta, initialProgress, reduceProgress, renderProgress, runEta } from './progress.js';
import { result } from './__fixtures__/result.js';

const points = [
  { x: 4, y: 0.5, low: 0.37, high: 0.63 },
  { x: 5, y: 0.52, low: 0.39, high: 0.65 },
  { x: 6, y: 1, low: 0.9, high: 1 },
];

describe('renderScalePlot', () => {
  const lines = renderScalePlot({ title: 'T', points, chance: 0.5, threshold: { from: 5, to: 6, x: 5.5, low: 5.2, high: 5.8 }, width: 40, height: 11, textWidth: 80 });
  const body = lines.slice(1, 12);

  it('draws a y axis from 1.00 to 0.00 with labels', () => {
    expect(lines[0]).toBe('T');
    expect(body[0]!.startsWith('1.00┤')).toBe(true);
    expect(body[10]!.startsWith('0.00┤')).toBe(true);
    expect(body).toHaveLength(11);
  });

  it('draws the chance line at its row and labels it', () => {
    const row = body.findIndex((l) => l.includes('chance 0.50'));
    expect(row).toBe(5);
    expect(body[row]).toContain('┄┄┄');
  });

  it('places points by log scale with their intervals', () => {
    const cols = (ch: string) => body.map((l) => l.slice(5).indexOf(ch)).filter((c) => c >= 0);
    const dotCols = body.flatMap((l) => [...l.slice(5, 5 + 35)].map((c, i) => (c === '●' ? i : -1)).filter((i) => i >= 0));
    expect(new Set(dotCols).size).toBe(3);
    const [a, b, c] = [...new Set(dotCols)].sort((p, q) => p - q) as [number, number, number];
    // Equal spacing in log10: 10^4, 10^5, 10^6.
    expect(Math.abs(b - a - (c - b))).toBeLessThanOrEqual(1);
    // The top point sits on the 1.00 row; intervals draw │ above and below the middle ones.
    expect(body[0]!.slice(5)).toContain('●');
    expect(cols('│').length).toBeGreaterThan(0);
  });

  it('draws ticks at powers of ten and the threshold marker with its interval', () => {
    const axis = lines[12]!;
    expect(axis.trim().startsWith('└')).toBe(true);
    expect((axis.match(/┬/g) ?? []).length).toBe(3);
    expect(lines[13]).toMatch(/10K\s+100K\s+1M/);
    const marker = lines[14]!;
    // The bracket ├─┤ spans the rungs either side of the step; ━ is the midpoint's interval.
    expect(marker.indexOf('├')).toBeLessThan(marker.indexOf('━'));
    expect(marker.indexOf('━')).toBeLessThan(marker.indexOf('▲'));
    expect(marker.lastIndexOf('━')).toBeGreaterThan(marker.indexOf('▲'));
    expect(marker.lastIndexOf('━')).toBeLessThan(marker.indexOf('┤'));
    expect(lines[15]).toBe('     threshold between 100K and 1M; midpoint 320K (95% CI 160K–630K)');
  });

  it('without a midpoint draws the bracket alone, and says when a bound is open', () => {
    const bracket = renderScalePlot({ title: 'T', points, chance: 0.5, threshold: { from: 5, to: 6, x: null, low: null, high: null }, width: 40, height: 11, textWidth: 80 });
    expect(bracket[14]).not.toContain('▲');
    expect(bracket[14]).toMatch(/├─+┤/);
    expect(bracket[15]).toBe('     threshold between 100K and 1M (no rung on the rise)');
    const open = renderScalePlot({ title: 'T', points, chance: 0.5, threshold: { from: 5, to: 6, x: 5.5, low: null, high: 5.8 }, width: 40, height: 11, textWidth: 80 });
    expect(open[15]).toContain('(95% CI open–630K)');
    expect(open[14]!.startsWith(`     ━`)).toBe(true);
  });

  it('fits 80 columns', () => {
    for (const l of renderScalePlot({ title: 'x', points, chance: 0.25 })) expect([...l].length).toBeLessThanOrEqual(80);
  });
});

describe('report', () => {
  it('prints a plot per task and a summary table with verdicts, within 80 columns', () => {
    const text = renderReport(result);
    expect(text).toContain('toy/jump — emergent');
    expect(text).toContain('threshold between 100K and 1M; midpoint 320K (95% CI 160K–open)');
    expect(text).toContain('95% of the accuracy rise');
    // Which shot count and which size the table's numbers are.
    expect(text.replace(/\s+/g, ' ')).toContain("Scores: each task's discrete metric at 0-shot (the largest); columns: models by non-embedding parameters.");
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    const table = renderSummaryTable(result);
    // Every task is toy/…: the shared family goes into the header.
    expect(table[0]).toMatch(/^task \(toy\/…\)\s+10K\s+100K\s+1M\s+verdict/);
    expect(table[3]).toMatch(/^jump\s+0\.50\s+0\.52\s+0\.96 emergent$/);
    expect(table[4]).toMatch(/^flat\s+0\.00\s+0\.00\s+0\.02 flat$/);
  });

  it('every shipped result: tables and the whole report fit 60, 80 and 100 columns with unique task and model labels', () => {
    const root = resolve(import.meta.dirname, '../../..');
    for (const suite of readdirSync(join(root, 'results'))) {
      const r = loadYaml(join(root, 'results', suite, 'tiny.yaml'), 'result');
      for (const width of [60, 80, 100]) {
        const table = renderSummaryTable(r, width);
        const where = `${suite} at ${width}`;
        for (const line of renderReport(r, width).split('\n')) expect([...line].length, `${where}: ${line}`).toBeLessThanOrEqual(width);
        const labels = table.slice(3).map((l) => l.split(/\s+/)[0]);
        expect(new Set(labels).size, `${where}: ${labels.join(' ')}`).toBe(r.tasks.length);
        const ids = table[1]!.trim().split(/\s+/).slice(-r.ladder.models.length);
        expect(new Set(ids).size, `${where}: ${table[1]}`).toBe(r.ladder.models.length);
      }
    }
  });

  it('wraps long reasons under the plot area, never back to column 0', () => {
    const long = { ...result, tasks: [{ ...result.tasks[0]!, analysis: { ...result.tasks[0]!.analysis, reason: `${'a rather long reason '.repeat(12)}end.` } }] };
    const lines = renderReport(long, 60).split('\n');
    const at = lines.findIndex((l) => l.includes('a rather long'));
    const reason = lines.slice(at, lines.indexOf('', at));
    expect(reason.length).toBeGreaterThan(3);
    for (const l of reason) {
      expect(l.startsWith('     a') || l.startsWith('     r') || l.startsWith('     l') || l.startsWith('     e')).toBe(true);
      expect([...l].length).toBeLessThanOrEqual(60);
    }
  });

  it('keeps task names apart in narrow tables: the end of a name survives', () => {
    const models = Array.from({ length: 7 }, (_, i) => ({ id: `tiny-${i + 1}`, params: 10 ** (3 + i / 2), nonEmbeddingParams: 10 ** (3 + i / 2), trainingFlops: null, status: 'ok' as const }));
    const task = (id: string) => ({ ...result.tasks[1]!, id, models: [] });
    const wide = { ...result, ladder: { ...result.ladder, models }, tasks: [1, 2, 3, 4, 5].map((d) => task(`arithmetic/addition-digits${d}`)).concat([task('arithmetic/addition-digits2-cot')]) };
    for (const width of [60, 80]) {
      const rows = renderSummaryTable(wide, width).slice(3).map((l) => l.split(/\s+/)[0]);
      expect(new Set(rows).size, `${width} columns: ${rows.join(' ')}`).toBe(6);
      for (const line of renderSummaryTable(wide, width)) expect([...line].length).toBeLessThanOrEqual(Math.max(width, 72));
    }
  });
});

describe('progress', () => {
  it('folds run events into bars, running scores and an ETA', () => {
    let s = initialProgress(0);
    s = reduceProgress(s, { type: 'run-start', suite: 'icl', ladder: 'tiny', models: [{ id: 'a', params: 2000, nonEmbeddingParams: 1000 }, { id: 'b', params: 200000, nonEmbeddingParams: 100000 }], tasks: [{ id: 'x/y', total: 10 }] }, 0);
    s = reduceProgress(s, { type: 'model-loading', model: 'a', index: 0, count: 2 }, 1000);
    s = reduceProgress(s, { type: 'model-loaded', model: 'a', seconds: 0.1, device: 'cpu', dtype: 'fp32', contextLength: 1024 }, 1100);
    s = reduceProgress(s, { type: 'progress', model: 'a', task: 'x/y', done: 5, total: 10, score: 0.4, metric: 'accuracy' }, 3000);
    s = reduceProgress(s, { type: 'warning', message: '2 prompts truncated' }, 3000);
    const lines = renderProgress(s);
    // Model a: 5 of 10 samples in 2 s → 2 s left; model b waits and takes at least as long as a (4 s).
    expect(lines[0]).toBe('bench icl · ladder tiny · elapsed 0:03 · run ≥ 0:06 left');
    expect(lines[1]).toBe('▶ a 1K  · b 100K');
    expect(lines[2]).toBe('model a (1K non-embedding params) · ETA 0:02');
    // ▸ marks the task whose batch is computing.
    expect(lines[3]).toMatch(/^▸x\/y\s+███████░░░░░░░\s+5\/10 accuracy 0\.40$/);
    expect(lines[4]).toBe('! 2 prompts truncated');
  });

  it('the ETA counts down during a long batch and never reads 0:00 with work left', () => {
    let s = initialProgress(0);
    s = reduceProgress(s, { type: 'run-start', suite: 'icl', ladder: 'tiny', models: [{ id: 'a', params: 2000, nonEmbeddingParams: 1000 }], tasks: [{ id: 'x/y', total: 10 }, { id: 'x/z', total: 10 }] }, 0);
    s = reduceProgress(s, { type: 'model-loading', model: 'a', index: 0, count: 1 }, 0);
    s = reduceProgress(s, { type: 'progress', model: 'a', task: 'x/y', done: 10, total: 10, score: 0.4, metric: 'accuracy' }, 10_000);
    // 10 of 20 samples in 10 s: 10 s left, and counting down while the next batch computes.
    expect(eta({ ...s, now: 10_000 })).toBe(10);
    expect(eta({ ...s, now: 14_000 })).toBe(6);
    expect(eta({ ...s, now: 30_000 })).toBe(1);
    expect(renderProgress({ ...s, now: 30_000 })[2]).toContain('ETA 0:01');
    // x/y is complete, so nothing is marked until x/z reports.
    expect(renderProgress(s).slice(3).some((l) => l.startsWith('▸'))).toBe(false);
    s = reduceProgress(s, { type: 'progress', model: 'a', task: 'x/z', done: 10, total: 10, score: 0.5, metric: 'accuracy' }, 31_000);
    expect(eta(s)).toBe(0);
    expect(runEta(s)).toBe(0);
  });
});

describe('seeds', () => {
  it('a size with several seeds is one point with a second whisker for their spread', () => {
    const models = ['a-s0', 'a-s1', 'b-s0', 'b-s1'].map((id, i) => ({ id, group: id.slice(0, 1), params: 10 ** (4 + Math.floor(i / 2)), nonEmbeddingParams: 10 ** (4 + Math.floor(i / 2)), trainingFlops: null, status: 'ok' as const }));
    const iv = (v: number) => ({ value: v, low: v - 0.05, high: v + 0.05 });
    const base = result.tasks[0]!;
    const task = {
      ...base,
      models: models.map((m, i) => ({ model: m.id, n: 50, metrics: { accuracy: iv([0.2, 0.6, 0.9, 0.95][i]!), brierScore: iv(0.3) }, shots: [], truncated: 0 })),
      groups: [
        { group: 'a', models: ['a-s0', 'a-s1'], n: 100, metric: iv(0.4), seedMin: 0.2, seedMax: 0.6, seedSd: 0.28 },
        { group: 'b', models: ['b-s0', 'b-s1'], n: 100, metric: iv(0.925), seedMin: 0.9, seedMax: 0.95, seedSd: 0.04 },
      ],
    };
    const text = renderReport({ ...result, ladder: { ...result.ladder, models }, tasks: [task] });
    const plot = text.split('\n').slice(2, 14).join('\n');
    expect((plot.match(/●|◉/g) ?? []).length).toBe(2);
    expect(plot).toContain('┊');
    expect(text).toContain('┊ seeds');
  });
});
