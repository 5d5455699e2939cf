// `pnpm web`: serve the page on 127.0.0.1 and print its address.
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '@emergence/core';
import { startWebServer } from './server.js';

const usage = `Usage: pnpm web [--port N]

Serves the Emergence Bench page on 127.0.0.1 (this machine only). Open the
address it prints in Chrome or Edge (WebGPU) or any browser (WASM), pick a
suite and a ladder, run it, and download the result YAML; \`pnpm bench report\`
and \`pnpm bench compare\` read it.

Options:
  --port N    port to listen on (default 5177; 0 picks a free one)
  -h, --help  show this help

Exit codes: 0 stopped with Ctrl-C, 2 bad flag or port in use.`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '5177' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    throw new UserError((err as Error).message.split('\n')[0]!, { hint: 'see `pnpm web --help`' });
  }
  if (values.help) {
    console.log(usage);
    return ExitCode.ok;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  const server = await startWebServer({ port });
  const { suites, ladders } = server.manifest;
  console.log(`Emergence Bench page: ${server.url}/`);
  console.log(`  ${suites.filter((s) => !s.unavailable).length} suites, ${ladders.filter((l) => !l.error).length} ladders; models served from this machine only. Ctrl-C stops.`);
  await new Promise<void>((done) => process.once('SIGINT', done));
  await server.close();
  return ExitCode.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UserError) {
      console.error(`error: ${err.format()}`);
      process.exit(ExitCode.usage);
    }
    console.error(err);
    process.exit(ExitCode.runtime);
  },
);
