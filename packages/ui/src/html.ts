// A Result as HTML: the summary table, one SVG chart per task with its
// verdict and reason, and a comparison as a table. Fragments are shared with
// the page; renderHtmlReport wraps them in one self-contained file (inline
// style and SVG, no script, no external reference) to attach to a PR.
import { formatScale, resultModelScale, type Comparison, type Result } from '@emergence/core';
import { axisName, composeReport, headlineShots } from './report.js';
import { escapeXml as esc, renderTaskSvg } from './svg.js';

const fixed = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

/** Task × model table of the discrete metric (at the suite's shot counts pooled, as the result stores it), with verdicts. */
export function renderSummaryHtml(result: Result): string {
  const models = result.ladder.models;
  const axis = result.tasks[0]?.analysis.scaleAxis ?? 'nonEmbeddingParams';
  const scale = (m: Result['ladder']['models'][number]) => resultModelScale(m, axis);
  const head = models
    .map((m) => `<th scope="col" title="${esc(`${m.id}: ${m.params.toLocaleString('en')} parameters, ${m.nonEmbeddingParams.toLocaleString('en')} non-embedding`)}">${esc(m.id)}<br><small>${scale(m) === null ? '—' : formatScale(scale(m)!)}</small></th>`)
    .join('');
  const rows = result.tasks.map((task) => {
    const cells = models.map((m) => {
      const mr = task.models.find((x) => x.model === m.id);
      const iv = mr?.metrics[task.discrete];
      if (!iv) return `<td class="num">${m.status === 'failed' ? 'fail' : '—'}</td>`;
      return `<td class="num" title="95% CI ${fixed(iv.low, 3)}–${fixed(iv.high, 3)}, n=${mr!.n}">${fixed(iv.value)}</td>`;
    });
    const k = headlineShots(task);
    return `<tr><th scope="row"><a href="#${anchor(task.id)}">${esc(task.id)}</a> <small>${esc(task.discrete)}${k === null ? '' : ` · ${k}-shot`}</small></th>${cells.join('')}<td class="verdict v-${task.analysis.verdict}">${esc(task.analysis.verdict)}</td></tr>`;
  });
  return [
    `<table class="summary">`,
    `<caption>Each task's discrete metric at its largest shot count, with its 95% interval on hover; columns are models by ${esc(axisName[axis])}.</caption>`,
    `<thead><tr><th scope="col">task</th>${head}<th scope="col">verdict</th></tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    `</table>`,
  ].join('\n');
}

function anchor(id: string): string {
  return `task-${id.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

/** One section per task: its chart, verdict, reason and the curve statistics. */
export function renderTaskSectionsHtml(result: Result): string {
  return composeReport(result)
    .tasks.map((task) => {
      const a = task.analysis;
      const stats = `breakthroughness ${fixed(a.discrete.breakthroughness)} · linearity ${fixed(a.discrete.linearity)} (${esc(task.discrete)}); ${fixed(a.continuous.breakthroughness)} · ${fixed(a.continuous.linearity)} (${esc(task.continuous)})`;
      return [
        `<section class="task" id="${anchor(task.id)}">`,
        `<h2>${esc(task.id)} <span class="verdict v-${a.verdict}">${esc(a.verdict)}</span></h2>`,
        renderTaskSvg(result, task, { inline: true, reason: false }).trimEnd(),
        `<p class="reason">${esc(a.reason)}</p>`,
        `<p class="stats">chance ${fixed(task.chance)} · ${stats}</p>`,
        `</section>`,
      ].join('\n');
    })
    .join('\n');
}

/** `bench compare` as a table: regressions and notes as a list, changed metrics as rows. */
export function renderComparisonHtml(c: Comparison): string {
  const parts: string[] = [
    `<p class="${c.regressions.length ? 'regressed' : 'ok'}"><strong>${c.regressions.length ? `${c.regressions.length} regression(s)` : 'No regressions'}</strong>${c.regressions.length ? '' : ' beyond the stored 95% intervals.'}</p>`,
  ];
  const items = [...c.regressions.map((r) => `<li class="regression">❌ ${esc(r)}</li>`), ...c.notes.map((n) => `<li>${esc(n)}</li>`)];
  if (items.length) parts.push(`<ul>${items.join('')}</ul>`);
  if (c.rows.length) {
    const f = (v: number) => fixed(v, 3);
    const rows = c.rows.map(
      (r) =>
        `<tr class="${r.status}"><td>${esc(r.task)}</td><td>${esc(r.model)}</td><td>${esc(r.metric)}</td><td class="num">${f(r.base)}</td><td class="num">${f(r.head)}</td><td class="num">${r.delta >= 0 ? '+' : ''}${f(r.delta)}</td><td class="num">±${f(r.tolerance)}</td><td>${r.status === 'worse' ? '❌ worse' : r.status === 'better' ? '✅ better' : 'same'}</td></tr>`,
    );
    parts.push(
      `<table class="comparison"><thead><tr><th>task</th><th>model</th><th>metric</th><th>base</th><th>head</th><th>Δ</th><th>tolerance</th><th></th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`,
    );
  } else parts.push('<p>No metric changed.</p>');
  return parts.join('\n');
}

/** Styles shared by the report file and the page. */
export const reportCss = `
.summary, .comparison { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0.5rem 0 1rem; }
.summary th, .summary td, .comparison th, .comparison td { border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.5rem; text-align: left; }
.summary td.num, .comparison td.num { text-align: right; }
.summary thead th, .summary td.verdict { white-space: nowrap; }
.summary th small { font-weight: normal; color: #656d76; white-space: nowrap; }
.summary caption { caption-side: bottom; color: #656d76; font-size: 0.85rem; text-align: left; padding-top: 0.25rem; }
.comparison tr.worse { background: #ffebe9; }
.comparison tr.better { background: #dafbe1; }
.verdict { font-weight: 600; }
.v-emergent { color: #1a7f37; } .v-metric-induced { color: #9a6700; } .v-non-monotone { color: #cf222e; }
.v-smooth, .v-flat, .v-insufficient-data { color: #656d76; }
h2 .verdict { font-size: 0.9rem; margin-left: 0.5rem; }
section.task svg { max-width: 100%; height: auto; }
.reason { max-width: 640px; } .stats { color: #656d76; font-size: 0.85rem; }
`;

/** A whole report as one HTML file: no scripts, no external references. */
export function renderHtmlReport(result: Result, options: { comparison?: Comparison | null } = {}): string {
  const env = result.environment;
  const git = `${env.git.commit.slice(0, 10)}${env.git.dirty ? ' (dirty)' : ''}`;
  const title = `${result.suite.name} on ${result.ladder.name}`;
  const { failed } = composeReport(result);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Emergence Bench: ${esc(title)}</title>`,
    `<style>body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328; margin: 2rem auto; max-width: 980px; padding: 0 1rem; line-height: 1.45; }${reportCss}</style>`,
    '</head>',
    '<body>',
    `<h1>Emergence Bench: ${esc(title)}</h1>`,
    `<p>Device ${esc(env.device)}, dtype ${esc(env.dtype)}; seed ${result.suite.seed}, n ${result.suite.n} per task and shot count (shots ${esc(result.suite.shots.join(', '))}); commit ${esc(git)}; written ${esc(result.createdAt)}.</p>`,
    failed.length ? `<ul class="failed">${failed.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>` : '',
    renderSummaryHtml(result),
    options.comparison ? `<h2>Comparison</h2>\n${renderComparisonHtml(options.comparison)}` : '',
    renderTaskSectionsHtml(result),
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}
