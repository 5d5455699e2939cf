// `bench compare`: did anything regress between two results of one suite and ladder (exit 4 when so).
import { resolve } from 'node:path';
import { ExitCode, UserError, compareResults, loadYaml, type Result } from '@emergence/core';
import { parse } from '../args.js';
import type { Io } from '../cli.js';
import { help } from '../help.js';

export async function compare(argv: string[], io: Io): Promise<number> {
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
