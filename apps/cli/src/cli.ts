// The `bench` command. Every user error is one line and exit code 2; a model
// or backend failure is exit code 3; a regression found by compare is 4.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  ExitCode,
  UserError,
  checkWritable,
  checkOverwrite,
  decodeUtf8,
  compareResults,
  devices,
  formatScale,
  gitRevision,
  loadYaml,
  parseValidated,
  resultFileName,
  scaleAxes,
  schemaNames,
  writeValidatedYaml,
  type Result,
  type Device,
  type RunEvent,
  type ScaleAxis,
  type SchemaName,
} from '@emergence/core';
import { hubCacheStatus } from '@emergence/backends';
import { loadLadder, mergeJournals, parseShard, runSuite } from '@emergence/harness';
import { loadSuite, registry } from '@emergence/tasks';
import { createRunDisplay, printReport } from './display.js';
import { help } from './help.js';
import { init } from './init.js';
import { listWritten, reportFormats, writeGraphicReport, type ReportFormat } from './output.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** The repository the CLI ships in: where the built-in suites and ladders live. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const suitesDir = join(repoRoot, 'benchmarks/suites');
const laddersDir = join(repoRoot, 'benchmarks/ladders');

function namesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort() : [];
}

/** A built-in name (`icl`) or a path to a file. */
function resolveNamed(kind: 'suite' | 'ladder', value: string, cwd: string): string {
  if (value.includes('/') || value.endsWith('.yaml') || value.endsWith('.yml')) {
    const file = resolve(cwd, value);
    if (!existsSync(file)) throw new UserError(`${kind} file does not exist`, { file });
    return file;
  }
  const dir = kind === 'suite' ? suitesDir : laddersDir;
  const file = join(dir, `${value}.yaml`);
  if (!existsSync(file)) {
    const known = namesIn(dir);
    throw new UserError(`unknown ${kind} "${value}"`, { hint: `known ${kind}s: ${known.join(', ')}; or give a path to a YAML file` });
  }
  return file;
}

/**
 * `--n -3` as `--n=-3`: parseArgs reads a value starting with `-` as an
 * option ("argument is ambiguous"); a negative number is a value the flag's
 * own check then rejects with its range.
 */
function joinNegativeValues(argv: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([^=]+)$/.exec(argv[i]!)?.[1];
    if (name && options[name]?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]!);
  }
  return out;
}

function parse<const T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options: { ...options, help: { type: 'boolean', short: 'h' } as const }, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw new UserError(msg, { hint: `see \`bench ${command} --help\`` });
  }
}

function intFlag(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(`--${name} must be an integer from ${min} to ${max.toLocaleString('en')}, got "${value}"`);
  }
  return n;
}

/** The suite schema's bound on n: checked on the flag before any example is drawn. */
const MAX_N = 100_000;


function resultHeader(file: string, cwd: string): string {
  const schema = relative(dirname(resolve(cwd, file)), join(repoRoot, 'packages/core/schemas/result.schema.json'));
  return `# yaml-language-server: $schema=${schema}\n# Written by \`bench\`. createdAt and environment.git are not compared by \`bench compare\`.`;
}

export function defaultOutFile(suite: string, ladder: string, device: string, dtype: string | undefined): string {
  return join('results', suite, resultFileName(ladder, device, dtype));
}

// ---------------------------------------------------------------- commands

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      suite: { type: 'string', short: 's' },
      ladder: { type: 'string', short: 'l', default: 'tiny' },
      device: { type: 'string', short: 'd', default: 'cpu' },
      dtype: { type: 'string' },
      n: { type: 'string' },
      seed: { type: 'string' },
      resume: { type: 'boolean', default: false },
      offline: { type: 'boolean', default: false },
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean', default: false },
      'fail-fast': { type: 'boolean', default: false },
      shard: { type: 'string' },
      scale: { type: 'string', default: 'nonEmbeddingParams' },
      force: { type: 'boolean', default: false },
      'batch-size': { type: 'string' },
      runtime: { type: 'string' },
      'allow-mismatch': { type: 'boolean', default: false },
    },
    'run',
  );
  if (values.help) return io.stdout(help.run), ExitCode.ok;
  if (positionals.length) throw new UserError(`unexpected argument "${positionals[0]}"`, { hint: 'see `bench run --help`' });
  if (!values.suite) throw new UserError('missing --suite', { hint: `e.g. --suite icl; suites: ${namesIn(suitesDir).join(', ')}` });
  const device = values.device as string;
  if (!devices.some((d) => d === device)) throw new UserError(`--device must be one of: ${devices.join(', ')}; got "${device}"`);
  if (!scaleAxes.some((a) => a === values.scale)) throw new UserError(`--scale must be one of: ${scaleAxes.join(', ')}; got "${values.scale}"`);
  const host = (values.runtime ?? (device === 'webgpu' ? 'browser' : 'node')) as 'node' | 'browser';
  if (host !== 'node' && host !== 'browser') throw new UserError(`--runtime must be node or browser; got "${values.runtime}"`);
  if (host === 'browser' && device === 'cpu') throw new UserError('--runtime browser runs wasm or webgpu', { hint: 'use --device wasm --runtime browser, or --device webgpu' });
  if (host === 'node' && device === 'webgpu') throw new UserError('webgpu runs only in the browser', { hint: 'drop --runtime node' });
  const suiteFile = resolveNamed('suite', values.suite, io.cwd);
  const ladderFile = resolveNamed('ladder', values.ladder as string, io.cwd);
  const shard = values.shard ? parseShard(values.shard) : null;
  const interactive = io.isTTY && !values.json && !isCi(io.env);
  const display = values.json ? null : await createRunDisplay(interactive, io);
  const onEvent = (e: RunEvent) => display?.event(e);
  // Records are journaled as they arrive, so an interrupt loses nothing; say how to go on.
  const onSigint = () => {
    void (display?.stop() ?? Promise.resolve()).finally(() => {
      io.stderr('\nbench: interrupted; every scored sample is in the journal — run the same command with --resume to continue\n');
      process.exit(130);
    });
  };
  process.once('SIGINT', onSigint);
  let outcome;
  let out = '';
  try {
    outcome = await runSuite({
      suiteFile,
      ladderFile,
      device: device as Device,
      dtype: values.dtype,
      n: intFlag(values.n, 'n', 1, MAX_N),
      seed: intFlag(values.seed, 'seed', 0),
      resume: values.resume,
      offline: values.offline || io.env.HF_HUB_OFFLINE === '1',
      shard,
      failFast: values['fail-fast'],
      runsDir: resolve(io.cwd, 'runs'),
      batchSize: intFlag(values['batch-size'], 'batch-size', 1),
      host,
      allowMismatch: values['allow-mismatch'],
      scaleAxis: values.scale as ScaleAxis,
      onEvent,
      // Before any model loads: the result can be written where it will go.
      preflight: ({ resolved, ladder, bytes }) => {
        if (shard) return;
        out = resolve(io.cwd, values.out ?? defaultOutFile(resolved.suite.name, ladder.name, device === 'wasm' && host === 'browser' ? 'wasm-browser' : device, values.dtype));
        checkWritable(out, bytes);
        checkOverwrite(out, 'result', values.force);
        if (!values.out && !values.force) checkBaseline(out, resolved.suite.n, resolved.suite.seed, io.cwd);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    await display?.stop();
  }
  const { result } = outcome;
  if (shard) {
    io.stderr(`shard ${shard.index}/${shard.count}: records in ${relative(io.cwd, outcome.journalFile)}; combine the shards with \`bench merge\`\n`);
  } else {
    writeValidatedYaml(out, result, 'result', { header: resultHeader(out, io.cwd), force: values.force });
    if (!values.json) io.stderr(`wrote ${relative(io.cwd, out)} (journal ${relative(io.cwd, outcome.journalFile)})\n`);
  }
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else await printReport(result, interactive, io);
  return outcome.failures > 0 ? ExitCode.runtime : ExitCode.ok;
}

/**
 * The default result path usually holds a committed baseline: a run at
 * another n or seed would silently replace it with a result CI compares
 * against. Ask for --force or --out instead.
 */
function checkBaseline(out: string, n: number, seed: number, cwd: string): void {
  if (!existsSync(out)) return;
  const old = loadYaml(out, 'result');
  if (old.suite.n === n && old.suite.seed === seed) return;
  throw new UserError(`${relative(cwd, out)} holds a result at n = ${old.suite.n}, seed ${old.suite.seed}; this run is n = ${n}, seed ${seed}`, {
    hint: 'pass --out <file> to write beside it, or --force to replace it',
  });
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

async function list(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } }, 'list');
  if (values.help) return io.stdout(help.list), ExitCode.ok;
  if (positionals.length) throw new UserError(`unexpected argument "${positionals[0]}"`, { hint: 'see `bench list --help`' });
  if (values.json) {
    const listing = {
      suites: namesIn(suitesDir).map((name) => {
        const s = loadYaml(join(suitesDir, `${name}.yaml`), 'suite');
        return { name, file: relative(repoRoot, join(suitesDir, `${name}.yaml`)), description: s.description ?? null, n: s.n, seed: s.seed, shots: s.shots, tasks: s.tasks.length };
      }),
      tasks: registry.map((t) => ({ id: t.id, version: t.version, kind: t.kind, chance: t.chance(t.defaults), description: t.description })),
      ladders: namesIn(laddersDir).map((name) => {
        const l = loadLadder(join(laddersDir, `${name}.yaml`));
        return { name, file: relative(repoRoot, join(laddersDir, `${name}.yaml`)), models: l.models.map((m) => ({ id: m.id, params: m.params, nonEmbeddingParams: m.nonEmbeddingParams })), hubCache: hubCacheStatus(l) };
      }),
    };
    io.stdout(`${JSON.stringify(listing, null, 2)}\n`);
    return ExitCode.ok;
  }
  const lines: string[] = ['Suites (benchmarks/suites):'];
  for (const name of namesIn(suitesDir)) {
    const s = loadYaml(join(suitesDir, `${name}.yaml`), 'suite');
    lines.push(`  ${name.padEnd(12)} ${String(s.tasks.length).padStart(3)} tasks  n=${s.n}  ${s.description ?? ''}`.trimEnd());
  }
  lines.push('', 'Tasks:');
  for (const t of registry) {
    lines.push(`  ${t.id.padEnd(32)} ${t.kind.padEnd(8)} chance ${t.chance(t.defaults).toFixed(2)}  ${t.description}`);
  }
  lines.push('', 'Ladders (benchmarks/ladders):');
  for (const name of namesIn(laddersDir)) {
    const l = loadLadder(join(laddersDir, `${name}.yaml`));
    lines.push(`  ${name}: ${l.models.map((m) => `${m.id} (${formatScale(m.params)}, ${formatScale(m.nonEmbeddingParams)} non-emb)`).join(', ')}`);
    const hub = hubCacheStatus(l);
    if (hub) lines.push(`    in the Hugging Face cache at ${hub.dtype}: ${hub.cached.length} of ${hub.cached.length + hub.missing.length}${hub.missing.length ? ` (not: ${hub.missing.join(', ')})` : ''}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

/** Which schema a file is written against: its `$schema` comment, else its folder. */
function schemaFor(file: string, text: string): SchemaName | null {
  const m = /\$schema=\S*?(suite|ladder|result)\.schema\.json/.exec(text);
  if (m) return m[1] as SchemaName;
  for (const name of schemaNames) if (file.includes(`/${name}s/`)) return name;
  return null;
}

async function validate(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { schema: { type: 'string' } }, 'validate');
  if (values.help) return io.stdout(help.validate), ExitCode.ok;
  if (positionals.length === 0) throw new UserError('give one or more YAML files to validate', { hint: 'e.g. bench validate benchmarks/suites/*.yaml' });
  if (values.schema !== undefined && !schemaNames.includes(values.schema as SchemaName)) {
    throw new UserError(`--schema must be one of: ${schemaNames.join(', ')}; got "${values.schema}"`);
  }
  let bad = 0;
  for (const p of positionals) {
    const file = resolve(io.cwd, p);
    try {
      if (!existsSync(file)) throw new UserError('file does not exist', { file: p });
      const text = decodeUtf8(readFileSync(file), p);
      const schema = (values.schema as SchemaName | undefined) ?? schemaFor(file, text);
      if (!schema) throw new UserError('cannot tell which schema applies', { file: p, hint: 'add a `# yaml-language-server: $schema=…` line or pass --schema suite|ladder|result' });
      parseValidated(text, p, schema);
      // Suites also resolve: task ids, options and n are checked against the registry.
      if (schema === 'suite') loadSuite(file);
      if (schema === 'ladder') loadLadder(file);
      io.stdout(`ok  ${p} (${schema})\n`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      bad++;
      io.stdout(`bad ${err.format()}\n`);
    }
  }
  return bad ? ExitCode.usage : ExitCode.ok;
}

async function report(argv: string[], io: Io): Promise<number> {
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

async function compare(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } }, 'compare');
  if (values.help) return io.stdout(help.compare), ExitCode.ok;
  if (positionals.length !== 2) throw new UserError('give a base and a head result file', { hint: 'e.g. bench compare results/icl/tiny.yaml /tmp/icl.yaml' });
  const [base, head] = positionals.map((p) => loadYaml(resolve(io.cwd, p), 'result')) as [Result, Result];
  // Different suites or ladders are not a regression but a mistake in the command.
  if (base.suite.name !== head.suite.name || base.ladder.name !== head.ladder.name) {
    throw new UserError(`base is suite ${base.suite.name} on ladder ${base.ladder.name}, head is suite ${head.suite.name} on ladder ${head.ladder.name}`, {
      hint: 'compare two results of one suite and ladder',
    });
  }
  const c = compareResults(base, head);
  if (values.json) {
    const { markdown: _, ...fields } = c;
    io.stdout(`${JSON.stringify({ base: positionals[0], head: positionals[1], ...fields }, null, 2)}\n`);
  } else io.stdout(c.markdown);
  return c.regressions.length ? ExitCode.regression : ExitCode.ok;
}

async function merge(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, partial: { type: 'boolean', default: false } },
    'merge',
  );
  if (values.help) return io.stdout(help.merge), ExitCode.ok;
  const outcome = mergeJournals({
    journals: positionals.map((p) => ({ name: p, file: resolve(io.cwd, p) })),
    partial: values.partial,
    git: gitRevision(repoRoot),
    createdAt: new Date().toISOString(),
    warn: (message) => io.stderr(`bench: warning: ${message}\n`),
  });
  const { result } = outcome;
  const out = resolve(io.cwd, values.out ?? defaultOutFile(result.suite.name, result.ladder.name, result.environment.device, outcome.dtype));
  writeValidatedYaml(out, result, 'result', { header: resultHeader(out, io.cwd), force: values.force });
  const partial = [outcome.missing ? `${outcome.missing} samples missing` : '', outcome.absentShards ? `${outcome.absentShards} shard(s) absent` : ''].filter(Boolean).join(', ');
  io.stdout(`merged ${positionals.length} journal(s), ${outcome.samples} samples${partial ? ` (partial: ${partial})` : ''} → ${relative(io.cwd, out)}\n`);
  return ExitCode.ok;
}

const commands: Record<string, (argv: string[], io: Io) => Promise<number>> = { run, list, validate, report, compare, merge, init };

export async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout(help.main);
      return first === undefined ? ExitCode.usage : ExitCode.ok;
    }
    // `bench --suite icl` is `bench run --suite icl`.
    if (first.startsWith('-')) return await run(argv, io);
    const command = commands[first];
    if (!command) {
      throw new UserError(`unknown command "${first}"`, { hint: `commands: ${Object.keys(commands).join(', ')}` });
    }
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr(`bench: ${err.format()}\n`);
      return ExitCode.usage;
    }
    const e = err as Error;
    io.stderr(`bench: ${e.message}\n`);
    if (io.env.BENCH_DEBUG) io.stderr(`${e.stack}\n`);
    return ExitCode.runtime;
  }
}

