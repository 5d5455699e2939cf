// The \`bench\` command: dispatch to one module per command (commands/), each
// loaded only when it runs, so \`bench --help\` loads no model runtime, Ink or
// harness. Every user error is one line and exit code 2; a model or backend
// failure is exit code 3; a regression found by compare is 4.
import { ExitCode, UserError } from '@emergence/core';
import { help } from './help.js';

export { defaultOutFile } from './args.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

type Command = (argv: string[], io: Io) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).run,
  list: async () => (await import('./commands/list.js')).list,
  validate: async () => (await import('./commands/validate.js')).validate,
  report: async () => (await import('./commands/report.js')).report,
  compare: async () => (await import('./commands/compare.js')).compare,
  merge: async () => (await import('./commands/merge.js')).merge,
  init: async () => (await import('./commands/init.js')).init,
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout(help.main);
      return first === undefined ? ExitCode.usage : ExitCode.ok;
    }
    // `bench --suite icl` is `bench run --suite icl`.
    if (first.startsWith('-')) return await (await commands.run!())(argv, io);
    const load = commands[first];
    if (!load) {
      throw new UserError(`unknown command "${first}"`, { hint: `commands: ${Object.keys(commands).join(', ')}` });
    }
    return await (await load())(rest, io);
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
