// `bench report`: a stored result drawn again — text, JSON, one HTML file or SVG charts.
import { resolve } from 'node:path';
import { ExitCode, UserError, loadYaml } from '@emergence/core';
import { isCi, parse } from '../args.js';
import type { Io } from '../cli.js';
import { printReport } from '../display.js';
import { help } from '../help.js';
import { listWritten, reportFormats, writeGraphicReport, type ReportFormat } from '../output.js';

export async function report(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { json: { type: 'boolean', default: false }, format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' }, task: { type: 'string' } },
    'report',
  );
  if (values.help) return io.stdout(help.report), ExitCode.ok;
  if (positionals.length !== 1) throw new UserError('give exactly one result file', { hint: 'e.g. bench report results/icl/tiny.yaml' });
  const format = (values.format ?? (values.json ? 'json' : 'text')) as ReportFormat;
  if (!reportFormats.includes(format)) throw new UserError(`--format must be one of: ${reportFormats.join(', ')}; got "${values.format}"`);
  if (values.json && format !== 'json') throw new UserError(`--json and --format ${format} disagree`, { hint: 'give one of them' });
  if (values.out && (format === 'text' || format === 'json')) throw new UserError(`--out writes --format html or svg`, { hint: `for ${format}, redirect stdout: bench report … > file` });
  const result = loadYaml(resolve(io.cwd, positionals[0]!), 'result');
  if (format === 'html' || format === 'svg') {
    const written = writeGraphicReport(result, format, { out: values.out, task: values.task, cwd: io.cwd });
    io.stdout(written.stdout);
    if (written.files.length) io.stderr(listWritten(written.files, io.cwd));
    return ExitCode.ok;
  }
  const shown = values.task ? { ...result, tasks: result.tasks.filter((t) => t.id === values.task) } : result;
  if (values.task && shown.tasks.length === 0) throw new UserError(`no task "${values.task}" in this result`, { hint: `tasks: ${result.tasks.map((t) => t.id).join(', ')}` });
  if (format === 'json') io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
  else await printReport(shown, io.isTTY && !isCi(io.env), io);
  return ExitCode.ok;
}
