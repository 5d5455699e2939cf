// `bench run`: a suite on a ladder, shown live, written as a result and drawn.
import { relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { ExitCode, UserError, checkOverwrite, checkWritable, devices, loadYaml, scaleAxes, writeValidatedYaml, type Device, type RunEvent, type ScaleAxis } from '@emergence/core';
import { parseShard, runSuite } from '@emergence/harness';
import { MAX_N, defaultOutFile, intFlag, isCi, namesIn, parse, resolveNamed, resultHeader, suitesDir } from '../args.js';
import type { Io } from '../cli.js';
import { createRunDisplay, printReport } from '../display.js';
import { help } from '../help.js';

export async function run(argv: string[], io: Io): Promise<number> {
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
