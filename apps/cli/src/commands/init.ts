// `bench init ladder <folder…>`: a ladder file for model folders on disk, with
// exact parameter counts read from each folder's ONNX export and config.json,
// the dtypes its onnx/ folder holds and its context window. Writes a file that
// `bench validate` accepts, sorted by non-embedding parameters.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, UserError, dtypeNames, formatScale, writeValidatedYaml, type Dtype, type Ladder } from '@emergence/core';
import { dtypeFile } from '@emergence/backends';
import { repoRoot } from '../args.js';
import type { Io } from '../cli.js';
import { help } from '../help.js';
import { countParameters, onnxInitializers } from '../onnx-params.js';

// onnx/model<suffix>.onnx → dtype: the inverse of the file names the backend loads.
const dtypeOfFile: Record<string, Dtype> = Object.fromEntries(dtypeNames.map((d) => [/^model(.*)\.onnx$/.exec(dtypeFile[d]!)![1]!, d]));

type Config = Record<string, unknown>;

function num(config: Config, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof config[k] === 'number') return config[k] as number;
  // Multimodal-style configs nest the language model's numbers.
  const text = config.text_config;
  if (text && typeof text === 'object') return num(text as Config, ...keys);
  return undefined;
}

/** One ladder entry for a model folder. */
export function describeModelFolder(folder: string, ladderFile: string): Ladder['models'][number] & { counted: string; embeddings: string[]; tiedCopies: string[]; buffers: string[] } {
  const shown = relative(process.cwd(), folder) || folder;
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UserError('not a folder', { file: shown });
  const configFile = join(folder, 'config.json');
  if (!existsSync(configFile)) throw new UserError('no config.json in this model folder', { file: shown, hint: 'give folders laid out as transformers.js reads them: config.json, tokenizer.json, onnx/*.onnx' });
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Config;
  const onnxDir = join(folder, 'onnx');
  const files = existsSync(onnxDir) ? readdirSync(onnxDir).filter((f) => f.endsWith('.onnx')) : [];
  const found = new Map<string, string>();
  for (const f of files) {
    // Only the files the runner loads (onnx/model*.onnx); a decoder_model_merged export would list dtypes that cannot run.
    const m = /^model(.*)\.onnx$/.exec(f);
    const dtype = m ? dtypeOfFile[m[1]!] : undefined;
    if (dtype && !found.has(dtype)) found.set(dtype, join(onnxDir, f));
  }
  if (found.size === 0) throw new UserError('no onnx/model*.onnx file in this model folder', { file: shown, hint: 'export it with optimum (or tools/ladder), or download the onnx/ folder of the Hub repo' });
  const dtypes = dtypeNames.filter((d) => found.has(d));
  // Quantized files store integer weights and scales: the float export counts parameters.
  const counted = found.get('fp32') ?? found.get('fp16');
  if (!counted) throw new UserError(`parameters are counted from onnx/model.onnx or model_fp16.onnx, and this folder has only ${dtypes.join(', ')}`, { file: shown });
  const vocab = num(config, 'vocab_size');
  const hidden = num(config, 'hidden_size', 'n_embd', 'd_model');
  if (vocab === undefined || hidden === undefined) throw new UserError('config.json gives no vocab_size and hidden_size (or n_embd, d_model)', { file: relative(process.cwd(), configFile) });
  // Hugging Face configs tie input and output embeddings unless they say otherwise.
  const tied = config.tie_word_embeddings !== false;
  const count = countParameters(onnxInitializers(counted), { vocab, hidden, tied });
  const context = num(config, 'n_positions', 'max_position_embeddings');
  return {
    id: basename(folder),
    source: { folder: relative(dirname(ladderFile), folder) || '.' },
    params: count.params,
    nonEmbeddingParams: count.nonEmbeddingParams,
    ...(context ? { contextLength: context } : {}),
    dtypes,
    defaultDtype: dtypes[0]!,
    counted: relative(folder, counted),
    embeddings: count.embeddings,
    tiedCopies: count.tiedCopies,
    buffers: count.buffers,
  };
}

export async function init(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { name: { type: 'string' }, out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UserError((err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''), { hint: 'see `bench init --help`' });
  }
  const { values, positionals } = parsed;
  if (values.help) return io.stdout(help.init), ExitCode.ok;
  const [what, ...folders] = positionals;
  if (what !== 'ladder') throw new UserError(what ? `bench init makes a ladder; got "${what}"` : 'say what to create: bench init ladder <folder…>', { hint: 'see `bench init --help`' });
  if (folders.length === 0) throw new UserError('give the model folders of the ladder', { hint: 'e.g. bench init ladder models/small models/large --name mine' });
  const dirs = folders.map((f) => resolve(io.cwd, f));
  const name = values.name ?? basename(dirname(dirs[0]!)).toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) throw new UserError(`ladder name "${name}" must be lower-case letters, digits, dots and dashes`, { hint: 'pass --name' });
  const out = resolve(io.cwd, values.out ?? `${name}.yaml`);
  if (existsSync(out) && !values.force) throw new UserError('the ladder file exists', { file: relative(io.cwd, out), hint: 'pass --force to replace it, or --out another file' });
  const models = dirs.map((d) => describeModelFolder(d, out));
  const ids = new Set<string>();
  for (const m of models) {
    if (ids.has(m.id)) throw new UserError(`two folders are named "${m.id}"; model ids must be unique`, { hint: 'rename a folder, or edit the ids in the written file' });
    ids.add(m.id);
  }
  models.sort((a, b) => a.nonEmbeddingParams - b.nonEmbeddingParams || a.params - b.params);
  const ladder: Ladder = {
    name,
    description: `Written by bench init ladder from ${models.length} model folder(s); parameter counts from their ONNX exports.`,
    models: models.map(({ counted: _c, embeddings: _e, tiedCopies: _t, buffers: _b, ...m }) => m),
  };
  const schema = relative(dirname(out), join(repoRoot, 'packages/core/schemas/ladder.schema.json'));
  writeValidatedYaml(out, ladder, 'ladder', {
    header: `# yaml-language-server: $schema=${schema}\n# Written by \`bench init ladder\`: params and nonEmbeddingParams counted from each folder's ONNX initializers.`,
    force: values.force,
  });
  const lines = models.map(
    (m) =>
      `  ${m.id.padEnd(16)} ${m.params.toLocaleString('en').padStart(15)} params (${formatScale(m.params)}), ${m.nonEmbeddingParams.toLocaleString('en').padStart(15)} non-embedding (${formatScale(m.nonEmbeddingParams)})  ${m.dtypes.join(', ')}  from ${m.counted}` +
      `${m.embeddings.length ? `; embedding: ${m.embeddings.join(', ')}` : ''}${m.tiedCopies.length ? `; tied copy not counted: ${m.tiedCopies.join(', ')}` : ''}${m.buffers.length ? `; buffers not counted: ${m.buffers.join(', ')}` : ''}`,
  );
  io.stdout(`wrote ${relative(io.cwd, out)} (ladder ${name}, ${models.length} models, smallest first):\n${lines.join('\n')}\n`);
  return ExitCode.ok;
}
