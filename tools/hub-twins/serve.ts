// `pnpm hub:serve`: a Hugging Face Hub on 127.0.0.1 serving the architecture
// twins (emergence-twins/<twin>) and any repos under --dir (<org>/<name>/…),
// for running Hub ladders on a machine without network.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { reposIn, startLoopbackHub, twinRepos } from '../../packages/backends/src/loopback-hub.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8765' },
    dir: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`pnpm hub:serve [--port 8765] [--dir <folder of org/name repos>]

Serves the architecture twins as emergence-twins/<twin>, plus every <org>/<name>
folder (with a config.json) under --dir, at http://127.0.0.1:<port>/<org>/<name>/resolve/main/<file>.
Then, in another shell:

  HF_ENDPOINT=http://127.0.0.1:<port> pnpm bench --suite icl --ladder twins
`);
  process.exit(0);
}
const repos = { ...twinRepos(), ...(values.dir ? reposIn(resolve(values.dir)) : {}) };
const hub = await startLoopbackHub({ repos, port: Number(values.port) });
process.stdout.write(`loopback Hub at ${hub.url} serving ${Object.keys(repos).length} repos:\n`);
for (const [id, commit] of Object.entries(hub.commits)) process.stdout.write(`  ${id}  main = ${commit}\n`);
process.stdout.write(`\n  HF_ENDPOINT=${hub.url} pnpm bench --suite icl --ladder twins\n\nCtrl-C stops it.\n`);
process.on('SIGINT', () => void hub.close().then(() => process.exit(0)));
