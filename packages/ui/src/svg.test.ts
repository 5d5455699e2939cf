import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareResults, loadYaml, type Result } from '@emergence/core';
import { renderComparisonHtml, renderHtmlReport } from './html.js';
import { renderTaskSvg } from './svg.js';
import { wrapWords } from './wrap.js';
import { result } from './__fixtures__/result.js';

/** Every element's attributes, in document order, by class. */
function elements(svg: string, cls: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(/<(\w+)\s([^>]*?)\/?>/g)) {
    const attrs = Object.fromEntries([...m[2]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    if ((attrs.class ?? '').split(' ').includes(cls)) out.push({ tag: m[1]!, ...attrs });
  }
  return out;
}

/** Tags balance and attribute values are quoted: what a browser's XML parser needs for a standalone .svg. */
function wellFormed(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (m[1]) expect(stack.pop(), `closing </${m[2]}>`).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]!);
  }
  expect(stack).toEqual([]);
  // Every "<" opens a tag we matched; a stray one (unescaped text) would break the file.
  expect(body.replace(/<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '')).not.toMatch(/[<>]/);
  expect(body.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
}

const jump = result.tasks[0]!;

describe('renderTaskSvg', () => {
  const svg = renderTaskSvg(result, jump);
  const points = elements(svg, 'point');
  const x = (p: Record<string, string>) => Number(p.cx);
  const y = (p: Record<string, string>) => Number(p.cy);

  it('is a well-formed standalone SVG with a title', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    wellFormed(svg);
    expect(svg).toContain('<title id="t-toy-jump">toy/jump — emergent: accuracy against non-embedding parameters</title>');
  });

  it('places one point per rung, equally spaced on the log axis, higher scores higher', () => {
    expect(points.map((p) => p.dataModel ?? p['data-model'])).toEqual(['a', 'b', 'c']);
    const [a, b, c] = points;
    expect(Math.abs(x(b!) - x(a!) - (x(c!) - x(b!)))).toBeLessThan(0.05);
    expect(y(c!)).toBeLessThan(y(b!));
    expect(y(b!)).toBeLessThan(y(a!));
    expect(points.map((p) => Number(p['data-value']))).toEqual([0.5, 0.52, 0.96]);
    // Ticks and their labels at 10K, 100K, 1M.
    expect(elements(svg, 'tick')).toHaveLength(3);
    expect(svg).toMatch(/>10K<[\s\S]*>100K<[\s\S]*>1M</);
  });

  it('draws each 95% interval from low to high through its point', () => {
    const intervals = elements(svg, 'interval');
    expect(intervals).toHaveLength(3);
    // y = 44 + (1 - v) * 300 on the default 300-pixel plot.
    const py = (v: number) => 44 + (1 - v) * 300;
    for (const [i, iv] of intervals.entries()) {
      const m = /^M([\d.]+),([\d.]+)V([\d.]+)/.exec(iv.d!)!;
      expect(Number(m[1])).toBeCloseTo(x(points[i]!), 1);
      expect(Number(m[2])).toBeCloseTo(py(Number(iv['data-high'])), 1);
      expect(Number(m[3])).toBeCloseTo(py(Number(iv['data-low'])), 1);
      expect(Number(m[2])).toBeLessThanOrEqual(y(points[i]!));
      expect(Number(m[3])).toBeGreaterThanOrEqual(y(points[i]!));
    }
  });

  it('draws chance, the continuous twin and the threshold bracket between the rungs either side', () => {
    const chance = elements(svg, 'chance')[0]!;
    expect(Number(chance.y1)).toBeCloseTo(44 + 0.5 * 300, 1);
    expect(svg).toContain('chance 0.50');
    // Brier score, lower is better: rescaled so the best rung (c) is at the top.
    const twin = elements(svg, 'twin');
    expect(twin).toHaveLength(3);
    expect(Number(twin[2]!.cy)).toBeCloseTo(44, 1);
    const band = elements(svg, 'threshold-band')[0]!;
    expect(Number(band.x)).toBeCloseTo(x(points[1]!), 1);
    expect(Number(band.x) + Number(band.width)).toBeCloseTo(x(points[2]!), 1);
    const bracket = /^M([\d.]+),[\d.]+V[\d.]+H([\d.]+)/.exec(elements(svg, 'threshold-bracket')[0]!.d!)!;
    expect(Number(bracket[1])).toBeCloseTo(x(points[1]!), 1);
    expect(Number(bracket[2])).toBeCloseTo(x(points[2]!), 1);
    // The midpoint's interval: low at 10^5.2, open above (to the plot's edge).
    const interval = elements(svg, 'threshold-interval')[0]!;
    expect(interval['data-high']).toBe('open');
    expect(Number(interval.x1)).toBeGreaterThan(x(points[1]!));
    expect(svg).toContain('threshold between 100K and 1M; midpoint 320K (95% CI 160K–open)');
  });

  it('states the verdict and the reason; a task without a threshold has no bracket', () => {
    expect(elements(svg, 'verdict')[0]).toBeDefined();
    expect(svg).toContain('>emergent</text>');
    expect(svg).toContain('95% of the accuracy rise happens at b → c.');
    const flat = renderTaskSvg(result, result.tasks[1]!);
    expect(elements(flat, 'threshold-bracket')).toEqual([]);
    expect(elements(flat, 'threshold-band')).toEqual([]);
    expect(elements(flat, 'point')).toHaveLength(3);
  });

  it('keeps every text line inside the drawing (descenders included); the HTML report leaves the reason to its paragraph', () => {
    for (const task of result.tasks) {
      const out = renderTaskSvg(result, { ...task, analysis: { ...task.analysis, reason: `${'long words '.repeat(40)}end` } });
      const height = Number(/height="(\d+)"/.exec(out)![1]);
      const ys = [...out.matchAll(/<text [^>]*\by="([\d.]+)"/g)].map((m) => Number(m[1]));
      expect(Math.max(...ys) + 5, task.id).toBeLessThanOrEqual(height);
    }
    expect(elements(renderTaskSvg(result, jump, { reason: false }), 'reason')).toEqual([]);
    expect(renderHtmlReport(result).match(/95% of the accuracy rise/g)).toHaveLength(1);
  });

  it('escapes text, and wraps long reasons', () => {
    const odd = { ...jump, id: 'toy/<b>&"x"', analysis: { ...jump.analysis, reason: `${'word '.repeat(60)}end` } };
    const out = renderTaskSvg(result, odd);
    wellFormed(out);
    expect(out).toContain('toy/&lt;b&gt;&amp;&quot;x&quot;');
    expect(elements(out, 'reason').length).toBeGreaterThan(2);
    expect(wrapWords('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
  });

  it('draws a pooled size once, with its seed range', () => {
    const models = ['a-s0', 'a-s1', 'b-s0'].map((id, i) => ({ id, group: id.slice(0, 1), params: 10 ** (4 + Math.floor(i / 2)), nonEmbeddingParams: 10 ** (4 + Math.floor(i / 2)), trainingFlops: null, status: 'ok' as const }));
    const iv = (v: number) => ({ value: v, low: v - 0.05, high: v + 0.05 });
    const task = {
      ...jump,
      models: models.map((m, i) => ({ model: m.id, n: 50, metrics: { accuracy: iv([0.2, 0.6, 0.9][i]!), brierScore: iv(0.3) }, shots: [], truncated: 0 })),
      groups: [{ group: 'a', models: ['a-s0', 'a-s1'], n: 100, metric: iv(0.4), seedMin: 0.2, seedMax: 0.6, seedSd: 0.28 }],
    };
    const out = renderTaskSvg({ ...result, ladder: { ...result.ladder, models } }, task);
    expect(elements(out, 'point').map((p) => p['data-model'])).toEqual(['a (2 seeds)', 'b-s0']);
    expect(elements(out, 'seeds')).toEqual([expect.objectContaining({ 'data-min': '0.2', 'data-max': '0.6' })]);
  });
});

/** What a self-contained file may not hold: anything the browser would fetch. */
function externalReferences(html: string): string[] {
  const refs = [...html.matchAll(/\s(?:src|href|xlink:href|action|poster|srcset)="(?!#)[^"]*"/g)].map((m) => m[0]);
  refs.push(...[...html.matchAll(/url\(|@import|<script|<link|<iframe|<object|<embed|<img/gi)].map((m) => m[0]));
  // Namespace names are identifiers, not fetched; anything else with a scheme is suspect.
  refs.push(...[...html.replace(/xmlns="[^"]*"/g, '').matchAll(/\b(?:https?|ftp|file):\/\//g)].map((m) => m[0]));
  return refs;
}

describe('renderHtmlReport', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const shipped = readdirSync(join(root, 'results')).map((suite) => join(root, 'results', suite, 'tiny.yaml'));

  it('every shipped result becomes one self-contained page with a chart per task and the table', () => {
    expect(shipped.length).toBeGreaterThan(0);
    for (const file of shipped) {
      const r = loadYaml(file, 'result');
      const html = renderHtmlReport(r);
      expect(externalReferences(html), file).toEqual([]);
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect((html.match(/<svg /g) ?? []).length, file).toBe(r.tasks.length);
      for (const task of r.tasks) {
        expect(html).toContain(`id="task-${task.id.replace(/[^a-zA-Z0-9]+/g, '-')}"`);
        expect(html).toContain(`<a href="#task-${task.id.replace(/[^a-zA-Z0-9]+/g, '-')}">`);
      }
      // One row per task in the summary table, one cell per model.
      const summary = /<table class="summary">[\s\S]*?<\/table>/.exec(html)![0];
      expect((summary.match(/<tr>/g) ?? []).length).toBe(r.tasks.length + 1);
      expect((summary.match(/<td class="num"/g) ?? []).length).toBe(r.tasks.length * r.ladder.models.length);
      wellFormed(html.replace(/^<!doctype html>\n/, '').replace(/<meta [^>]*>/g, '').replace(/<br>/g, ''));
    }
  });

  it('renders a comparison as a table with a row per changed metric', () => {
    const head: Result = structuredClone(result);
    head.tasks[0]!.models[2]!.metrics.accuracy = { value: 0.5, low: 0.45, high: 0.55 };
    const c = compareResults(result, head);
    const html = renderComparisonHtml(c);
    expect(html).toContain('1 regression(s)');
    expect(html).toMatch(/<tr class="worse"><td>toy\/jump<\/td><td>c<\/td><td>accuracy<\/td><td class="num">0\.960<\/td><td class="num">0\.500<\/td><td class="num">-0\.460<\/td>/);
    expect(html).not.toContain('|---|');
    expect(renderHtmlReport(head, { comparison: c })).toContain('<table class="comparison">');
  });
});
