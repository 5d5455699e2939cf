// `bench list`: the shipped suites, every registered task and the shipped ladders (with how much of a Hub ladder is cached).
import { join, relative } from 'node:path';
import { ExitCode, UserError, formatScale, loadYaml } from '@emergence/core';
import { hubCacheStatus } from '@emergence/backends';
import { loadLadder } from '@emergence/harness';
import { registry } from '@emergence/tasks';
import { laddersDir, namesIn, parse, repoRoot, suitesDir } from '../args.js';
import type { Io } from '../cli.js';
import { help } from '../help.js';

export async function list(argv: string[], io: Io): Promise<number> {
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
