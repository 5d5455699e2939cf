// `bench validate`: suite, ladder and result files against their schemas; suites and ladders also resolve.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, UserError, decodeUtf8, parseValidated, schemaNames, type SchemaName } from '@emergence/core';
import { loadLadder } from '@emergence/harness';
import { loadSuite } from '@emergence/tasks';
import { parse } from '../args.js';
import type { Io } from '../cli.js';
import { help } from '../help.js';

/** Which schema a file is written against: its `$schema` comment, else its folder. */
function schemaFor(file: string, text: string): SchemaName | null {
  const m = /\$schema=\S*?(suite|ladder|result)\.schema\.json/.exec(text);
  if (m) return m[1] as SchemaName;
  for (const name of schemaNames) if (file.includes(`/${name}s/`)) return name;
  return null;
}

export async function validate(argv: string[], io: Io): Promise<number> {
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
