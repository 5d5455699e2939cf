// `bench merge`: the journals of `--shard i/n` runs as one result.
import { relative, resolve } from 'node:path';
import { ExitCode, gitRevision, writeValidatedYaml } from '@emergence/core';
import { mergeJournals } from '@emergence/harness';
import { defaultOutFile, parse, repoRoot, resultHeader } from '../args.js';
import type { Io } from '../cli.js';
import { help } from '../help.js';

export async function merge(argv: string[], io: Io): Promise<number> {
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
