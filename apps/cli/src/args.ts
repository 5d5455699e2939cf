// What the commands share: where the built-in suites and ladders are, flag
// parsing with errors that name the fix, and the result file's header.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError, resultFileName } from '@emergence/core';

/** The repository the CLI ships in: where the built-in suites and ladders live. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const suitesDir = join(repoRoot, 'benchmarks/suites');
export const laddersDir = join(repoRoot, 'benchmarks/ladders');

export function namesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort() : [];
}

/** A built-in name (`icl`) or a path to a file. */
export function resolveNamed(kind: 'suite' | 'ladder', value: string, cwd: string): string {
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

type Flags = NonNullable<ParseArgsConfig['options']>;
type HelpFlag = { help: { type: 'boolean'; short: 'h' } };
/** What parse() returns for a command's flags: parseArgs' own result type (named, so the declaration can be emitted). */
export type ParsedFlags<T extends Flags> = ReturnType<typeof parseArgs<{ args: string[]; options: T & HelpFlag; allowPositionals: true; strict: true }>>;

/** A command's flags (and `--help`), with parseArgs' errors as one line that points at the command's help. */
export function parse<const T extends Flags>(argv: string[], options: T, command: string): ParsedFlags<T> {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options: { ...options, help: { type: 'boolean', short: 'h' } as const }, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw new UserError(msg, { hint: `see \`bench ${command} --help\`` });
  }
}

export function intFlag(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(`--${name} must be an integer from ${min} to ${max.toLocaleString('en')}, got "${value}"`);
  }
  return n;
}

/** The suite schema's bound on n: checked on the flag before any example is drawn. */
export const MAX_N = 100_000;


export function resultHeader(file: string, cwd: string): string {
  const schema = relative(dirname(resolve(cwd, file)), join(repoRoot, 'packages/core/schemas/result.schema.json'));
  return `# yaml-language-server: $schema=${schema}\n# Written by \`bench\`. createdAt and environment.git are not compared by \`bench compare\`.`;
}

export function defaultOutFile(suite: string, ladder: string, device: string, dtype: string | undefined): string {
  return join('results', suite, resultFileName(ladder, device, dtype));
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}
