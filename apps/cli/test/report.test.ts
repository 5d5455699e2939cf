// `bench report --format html|svg`, `list --json`, `compare --json`, and a
// closed stdout pipe: the real command, on the committed results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '@emergence/core';

const bin = resolve(import.meta.dirname, '../bin/bench.js');
const root = resolve(import.meta.dirname, '../../..');
const icl = join(root, 'results/icl/tiny.yaml');

function bench(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'eb-report-'));
const result = loadYaml(icl, 'result');

describe('bench report --format', () => {
  it('html: one self-contained file with a chart per task and the table of tasks', () => {
    const dir = tmp();
    const r = bench(['report', icl, '--format', 'html', '--out', 'report.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('wrote report.html\n');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect((html.match(/<svg /g) ?? []).length).toBe(result.tasks.length);
    expect(html).toContain('<table class="summary">');
    // Nothing a browser would fetch: no src/href but in-page anchors, no url(), no script.
    expect(html.match(/\s(?:src|href)="(?!#)[^"]*"/g)).toBeNull();
    expect(html).not.toMatch(/url\(|@import|<script|<link/i);
    for (const t of result.tasks) expect(html).toContain(`>${t.analysis.verdict}<`);
    // A folder gets <suite>-<ladder>.html; without --out the page goes to stdout.
    expect(bench(['report', icl, '--format', 'html', '--out', dir], dir).stderr).toBe(`wrote ${join(dir, 'icl-tiny.html')}\n`.replace(`${dir}/`, ''));
    expect(bench(['report', icl, '--format', 'html'], dir).stdout).toBe(html);
  });

  it('svg: a .svg file name for several tasks is refused, not turned into a folder', () => {
    const dir = tmp();
    const r = bench(['report', icl, '--format', 'svg', '--out', 'charts.svg'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^bench: --out charts\.svg names a file, and --format svg writes one file per task \(\d+ here\) \(give a folder, or --task <id> with a \.svg file\)$/);
    expect(existsSync(join(dir, 'charts.svg'))).toBe(false);
  });

  it('svg: one chart per task into a folder, with a point and an interval per model', () => {
    const dir = tmp();
    const r = bench(['report', icl, '--format', 'svg', '--out', 'charts/'], dir);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(dir, 'charts')).sort();
    expect(files).toEqual(result.tasks.map((t) => `${t.id.replace(/[^a-zA-Z0-9]+/g, '-')}.svg`).sort());
    for (const t of result.tasks) {
      const svg = readFileSync(join(dir, 'charts', `${t.id.replace(/[^a-zA-Z0-9]+/g, '-')}.svg`), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      const rungs = new Set(result.ladder.models.map((m) => m.group ?? m.id)).size;
      expect((svg.match(/class="point"/g) ?? []).length, t.id).toBe(rungs);
      expect((svg.match(/class="interval"/g) ?? []).length, t.id).toBe(rungs);
      expect(svg).toContain(`chance ${t.chance.toFixed(2)}`);
      expect(svg.includes('class="threshold-bracket"'), t.id).toBe(t.analysis.discrete.threshold !== null);
    }
    const one = bench(['report', icl, '--format', 'svg', '--task', 'icl/induction'], dir);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^<svg [^>]*data-task="icl\/induction"/);
  });

  it('says what is wrong with a format, a task or an --out it cannot use', () => {
    const dir = tmp();
    for (const [args, message] of [
      [['--format', 'pdf'], /^bench: --format must be one of: text, html, svg, json; got "pdf"$/],
      [['--format', 'svg'], /^bench: --format svg draws one file per task \(7 here\) \(give --out <folder>, or --task <id> to print one chart\)$/],
      [['--format', 'svg', '--task', 'icl/nope'], /^bench: no task "icl\/nope" in this result \(tasks: icl\/induction, /],
      [['--out', 'x.txt'], /^bench: --out writes --format html or svg/],
      [['--json', '--format', 'html'], /^bench: --json and --format html disagree/],
    ] as const) {
      const r = bench(['report', icl, ...args], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a closed pipe ends the command quietly (`bench report --json | head -1`)', () => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" report "${join(root, 'results/all/tiny.yaml')}" --json | head -1`], { encoding: 'utf8' });
    expect(r.stdout).toBe('{\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('--json on list and compare', () => {
  it('list --json has every suite, task and ladder with exact parameter counts', () => {
    const r = bench(['list', '--json'], tmp());
    expect(r.code, r.stderr).toBe(0);
    const listing = JSON.parse(r.stdout) as { suites: { name: string }[]; tasks: { id: string; chance: number }[]; ladders: { name: string; models: { id: string; params: number; nonEmbeddingParams: number }[] }[] };
    expect(listing.suites.map((s) => s.name)).toEqual(readdirSync(join(root, 'benchmarks/suites')).map((f) => f.replace(/\.yaml$/, '')).sort());
    expect(listing.tasks.map((t) => t.id)).toContain('icl/induction');
    const tiny = listing.ladders.find((l) => l.name === 'tiny')!;
    expect(tiny.models.map((m) => m.id)).toEqual(result.ladder.models.map((m) => m.id));
    expect(tiny.models.map((m) => m.params)).toEqual(result.ladder.models.map((m) => m.params));
  });

  it('compare --json lists regressions and changed metrics as data, exit code 4', () => {
    const dir = tmp();
    const worse = structuredClone(result);
    const task = worse.tasks.find((t) => t.id === 'icl/induction')!;
    const top = task.models.at(-1)!;
    top.metrics[task.discrete] = { value: 0, low: 0, high: 0.05 };
    // YAML is a superset of JSON: compare reads this as a result file.
    writeFileSync(join(dir, 'worse.yaml'), JSON.stringify(worse));
    const r = bench(['compare', icl, 'worse.yaml', '--json'], dir);
    expect(r.code).toBe(4);
    const c = JSON.parse(r.stdout) as { base: string; head: string; regressions: string[]; rows: { task: string; model: string; status: string; head: number }[] };
    expect(c.head).toBe('worse.yaml');
    expect(c.regressions.some((x) => x.startsWith(`icl/induction × ${top.model}: ${task.discrete}`))).toBe(true);
    expect(c.rows).toContainEqual(expect.objectContaining({ task: 'icl/induction', model: top.model, status: 'worse', head: 0 }));
  });
});
