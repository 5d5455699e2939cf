// Where `bench report --format svg|html` puts its files, and how stdout
// behaves when the reader goes away (`bench report --json | head -1`).
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError, type Result } from '@emergence/core';
import { renderHtmlReport, renderTaskSvg, svgFileName } from '@emergence/ui';

export const reportFormats = ['text', 'html', 'svg', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** A folder given as `--out`: one that exists, or a path ending in a slash. */
function isFolder(path: string, given: string): boolean {
  return given.endsWith('/') || (existsSync(path) && statSync(path).isDirectory());
}

/**
 * Writes the HTML report or the SVG charts. Returns what to print on stdout
 * (the content itself when there is no --out) and the files written.
 */
export function writeGraphicReport(
  result: Result,
  format: 'html' | 'svg',
  options: { out?: string; task?: string; cwd: string },
): { stdout: string; files: string[] } {
  const tasks = options.task ? result.tasks.filter((t) => t.id === options.task) : result.tasks;
  if (options.task && tasks.length === 0) {
    throw new UserError(`no task "${options.task}" in this result`, { hint: `tasks: ${result.tasks.map((t) => t.id).join(', ')}` });
  }
  if (format === 'html') {
    const html = renderHtmlReport(options.task ? { ...result, tasks } : result);
    if (!options.out) return { stdout: html, files: [] };
    let file = resolve(options.cwd, options.out);
    if (isFolder(file, options.out)) file = join(file, `${result.suite.name}-${result.ladder.name}.html`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
    return { stdout: '', files: [file] };
  }
  if (!options.out) {
    if (tasks.length === 1) return { stdout: renderTaskSvg(result, tasks[0]!), files: [] };
    throw new UserError(`--format svg draws one file per task (${tasks.length} here)`, { hint: 'give --out <folder>, or --task <id> to print one chart' });
  }
  const target = resolve(options.cwd, options.out);
  // One task into a named .svg file; otherwise a folder of <task>.svg.
  if (tasks.length === 1 && options.out.endsWith('.svg')) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, renderTaskSvg(result, tasks[0]!));
    return { stdout: '', files: [target] };
  }
  if ((existsSync(target) && !statSync(target).isDirectory()) || options.out.endsWith('.svg')) {
    throw new UserError(`--out ${options.out} names a file, and --format svg writes one file per task (${tasks.length} here)`, { hint: 'give a folder, or --task <id> with a .svg file' });
  }
  // Two task ids that make one file name would overwrite each other.
  const names = tasks.map((task) => svgFileName(task));
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (clash) throw new UserError(`two tasks would both be written to ${clash}`, { hint: 'write them one at a time with --task <id> --out <file>.svg' });
  mkdirSync(target, { recursive: true });
  const files = tasks.map((task) => {
    const file = join(target, svgFileName(task));
    writeFileSync(file, renderTaskSvg(result, task));
    return file;
  });
  return { stdout: '', files };
}

export function listWritten(files: string[], cwd: string): string {
  return files.map((f) => `wrote ${relative(cwd, f).startsWith('..') ? f : relative(cwd, f)}\n`).join('');
}
