// Where a ladder's model lives on disk: a local folder, or a Hub repo's
// snapshot in the Hugging Face cache (models--org--name/snapshots/<commit>/),
// downloaded there first when missing (hub-cache.ts). Models always load from
// disk; problems become ModelError values naming the model and the fix.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError, type Dtype, type Ladder, type ModelSpec } from '@emergence/core';
import { HubError, cachedCommit, downloadSnapshot, hubCacheDir, hubEndpoint, repoCacheDir, type DownloadProgress } from './hub-cache.js';
import { dtypeIn } from './ladder-dtype.js';
import { ModelError } from './model-error.js';

export { ModelError, hubCacheDir, hubEndpoint, type DownloadProgress };

/** ONNX file name transformers.js loads for each dtype (Optimum / transformers.js convention). */
export const dtypeFile: Readonly<Record<string, string>> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
  bnb4: 'model_bnb4.onnx',
} satisfies Record<Dtype, string>;

export interface ResolvedModel {
  /** Folder holding config.json, tokenizer.json and onnx/. */
  folder: string | null;
  /** Hub repo id when the folder is not local yet (online download). */
  hubId: string | null;
  cacheDir: string | null;
}

/** Files a model folder needs besides the ONNX ones. */
const BASE_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

/**
 * The ONNX files transformers.js reads for `file`: the graph and, where the
 * config's `transformers.js_config.use_external_data_format` says so, its
 * external-data chunks (`model.onnx_data`, `model.onnx_data_1`, …).
 */
export function onnxFiles(folder: string, file: string): string[] {
  let external: unknown;
  try {
    external = (JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, { use_external_data_format?: unknown } | undefined>)['transformers.js_config']?.use_external_data_format;
  } catch {
    external = undefined;
  }
  const base = file.replace(/\.onnx$/, '');
  // Keyed by the file's full name, else (as transformers.js falls back) by the session's name, `model`.
  const byName = external as Record<string, unknown>;
  const chunks = !external ? 0 : typeof external === 'object' ? Number(byName[file] ?? byName[base] ?? byName.model ?? 0) : Number(external);
  return [`onnx/${file}`, ...Array.from({ length: chunks }, (_, i) => `onnx/${file}_data${i === 0 ? '' : `_${i}`}`)];
}

/** Snapshot folder of a Hub repo in the cache, or null when it is not there. */
export function findInHubCache(repo: string, revision: string, cacheDir: string): string | null {
  const commit = cachedCommit(cacheDir, repo, revision) ?? revision;
  const snapshot = join(repoCacheDir(cacheDir, repo), 'snapshots', commit);
  return existsSync(join(snapshot, 'config.json')) ? snapshot : null;
}

/** The cached snapshot when it holds everything `file` needs, else null. */
function completeSnapshot(repo: string, revision: string, cacheDir: string, file: string): string | null {
  const snapshot = findInHubCache(repo, revision, cacheDir);
  if (!snapshot) return null;
  const needed = [...BASE_FILES, ...onnxFiles(snapshot, file)];
  return needed.every((f) => existsSync(join(snapshot, f))) ? snapshot : null;
}

export interface FetchOptions {
  dtype: string;
  offline: boolean;
  cacheDir?: string;
  /** Default HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  onProgress?: (p: DownloadProgress) => void;
}

function offlineMissing(spec: ModelSpec, repo: string, cacheDir: string, file: string): ModelError {
  const revision = 'hub' in spec.source ? (spec.source.revision ?? 'main') : 'main';
  return new ModelError(
    spec.id,
    `${repo} is not in the Hugging Face cache at ${cacheDir} with onnx/${file}${revision === 'main' ? '' : ` at revision ${revision}`}, and --offline forbids downloading it`,
    `run once without --offline, or \`huggingface-cli download ${repo}${revision === 'main' ? '' : ` --revision ${revision}`} --include "onnx/${file}*" "*.json"\``,
  );
}

/**
 * Make a Hub model's files for `dtype` present in the cache (a local folder
 * needs nothing). Offline, a missing one is an error naming the fix; online it
 * is downloaded, and a file already in the cache is never fetched again.
 */
export async function fetchModel(spec: ModelSpec, options: FetchOptions): Promise<void> {
  if (!('hub' in spec.source)) return;
  const file = dtypeFile[options.dtype];
  if (!file) return; // resolveModel words this one
  const cacheDir = options.cacheDir ?? hubCacheDir();
  const repo = spec.source.hub;
  const revision = spec.source.revision ?? 'main';
  if (completeSnapshot(repo, revision, cacheDir, file)) return;
  if (options.offline) throw offlineMissing(spec, repo, cacheDir, file);
  const endpoint = options.endpoint ?? hubEndpoint();
  const base = { repo, endpoint, cacheDir, token: process.env.HF_TOKEN || undefined, onProgress: options.onProgress };
  try {
    const snapshot = await downloadSnapshot({ ...base, revision, files: [...BASE_FILES, `onnx/${file}`, 'generation_config.json'], optional: ['generation_config.json'] });
    const commit = snapshot.split(/[\\/]/).pop()!;
    // External-data chunks are named by the config, which is here now.
    const chunks = onnxFiles(snapshot, file).slice(1);
    if (chunks.length > 0) await downloadSnapshot({ ...base, revision: commit, files: chunks });
  } catch (err) {
    if (!(err instanceof HubError)) throw err;
    throw new ModelError(spec.id, err.message, hubFix(err, options.dtype, cacheDir));
  }
}

function hubFix(err: HubError, dtype: string, cacheDir: string): string {
  switch (err.kind) {
    case 'network':
      return `check the connection, point HF_ENDPOINT at a reachable Hub mirror, or run with --offline to use only what is in the cache (${cacheDir})`;
    case 'revision':
      return 'set `source.revision` in the ladder to a branch, tag or commit of the repo';
    case 'repo':
      return 'check `source.hub` in the ladder; for a gated model set HF_TOKEN';
    case 'file':
      return `the repo has no ${dtype} weights: choose another --dtype, or correct the model's \`dtypes\` in the ladder`;
    case 'integrity':
      return 'run again to download it anew';
    default:
      return 'try again later, or point HF_ENDPOINT at another mirror';
  }
}

/**
 * Every Hub model of a ladder, fetched before any is scored: a revision that
 * does not exist, a dtype file a repo lacks, or no network fails the run at
 * once (a UserError: one line, exit 2), naming the model, the ladder field
 * and the fix, instead of once per model after minutes of scoring.
 */
export async function fetchLadder(
  ladder: Ladder,
  dtypeOf: (spec: ModelSpec) => string,
  options: Omit<FetchOptions, 'dtype' | 'onProgress'> & { ladderFile?: string; onProgress?: (model: string, p: DownloadProgress) => void },
): Promise<void> {
  for (const [i, spec] of ladder.models.entries()) {
    try {
      await fetchModel(spec, { ...options, dtype: dtypeOf(spec), onProgress: (p) => options.onProgress?.(spec.id, p) });
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      throw new UserError(`${spec.id}: ${err.detail}`, { file: options.ladderFile, pointer: `/models/${i}/source`, hint: err.fix });
    }
  }
}

/** A ladder's local model folder: absolute, or relative to the ladder file (the working directory without one). */
export function localFolder(folder: string, ladderFile: string | undefined): string {
  return isAbsolute(folder) ? folder : resolve(ladderFile ? dirname(ladderFile) : process.cwd(), folder);
}

/** Which of a ladder's Hub models are in the cache at the dtype a run would use; null for a ladder of local folders. */
export function hubCacheStatus(ladder: Ladder, cacheDir: string = hubCacheDir()): { cacheDir: string; dtype: string; cached: string[]; missing: string[] } | null {
  const hub = ladder.models.filter((m) => 'hub' in m.source);
  if (hub.length === 0) return null;
  const dtypes = [...new Set(hub.map((m) => dtypeIn(ladder, m, undefined)))];
  const inCache = (m: ModelSpec) => {
    const source = m.source as { hub: string; revision?: string };
    const file = dtypeFile[dtypeIn(ladder, m, undefined)];
    return file !== undefined && completeSnapshot(source.hub, source.revision ?? 'main', cacheDir, file) !== null;
  };
  return { cacheDir, dtype: dtypes.join(','), cached: hub.filter(inCache).map((m) => m.id), missing: hub.filter((m) => !inCache(m)).map((m) => m.id) };
}

export function resolveModel(spec: ModelSpec, ladderFile: string | undefined, options: { offline: boolean; cacheDir?: string; dtype: string }): ResolvedModel {
  const file = dtypeFile[options.dtype];
  if (!file) throw new ModelError(spec.id, `unknown dtype "${options.dtype}"`, `use one of: ${Object.keys(dtypeFile).join(', ')}`);
  if (!spec.dtypes.some((d) => d === options.dtype)) {
    throw new ModelError(spec.id, `the ladder lists no ${options.dtype} weights for this model`, `use --dtype ${spec.dtypes.join(' or --dtype ')}`);
  }
  if ('folder' in spec.source) {
    const folder = localFolder(spec.source.folder, ladderFile);
    checkFolder(spec.id, folder, file);
    return { folder, hubId: null, cacheDir: null };
  }
  const cacheDir = options.cacheDir ?? hubCacheDir();
  const repo = spec.source.hub;
  const snapshot = completeSnapshot(repo, spec.source.revision ?? 'main', cacheDir, file);
  if (snapshot) {
    checkFolder(spec.id, snapshot, file);
    return { folder: snapshot, hubId: repo, cacheDir };
  }
  if (options.offline) throw offlineMissing(spec, repo, cacheDir, file);
  return { folder: null, hubId: repo, cacheDir };
}

function checkFolder(model: string, folder: string, file: string): void {
  if (!existsSync(folder)) throw new ModelError(model, `model folder ${folder} does not exist`, 'check `source.folder` in the ladder file, or rebuild the model (tools/ladder/README.md)');
  for (const needed of ['config.json', 'tokenizer.json', join('onnx', file)]) {
    if (!existsSync(join(folder, needed))) {
      throw new ModelError(model, `${join(folder, needed)} is missing`, needed.startsWith('onnx') ? 'choose a dtype the folder has (--dtype), or re-export the model' : 're-export the model folder');
    }
  }
  verifyChecksums(model, folder, ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', `onnx/${file}`]);
}

/** The checksum list a shipped model folder carries (`sha256sum` format). */
export const CHECKSUM_FILE = 'SHA256SUMS';

/** `<hex>  <path>` lines of a SHA256SUMS file. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (m) sums.set(m[2]!, m[1]!);
  }
  return sums;
}

/**
 * Where a folder carries SHA256SUMS, every file this run loads that it lists
 * must match: weights overwritten in place would otherwise load and silently
 * give other numbers.
 */
function verifyChecksums(model: string, folder: string, files: string[]): void {
  const list = join(folder, CHECKSUM_FILE);
  if (!existsSync(list)) return;
  const sums = parseChecksums(readFileSync(list, 'utf8'));
  for (const f of files) {
    const expected = sums.get(f);
    if (!expected || !existsSync(join(folder, f))) continue;
    const got = createHash('sha256').update(readFileSync(join(folder, f))).digest('hex');
    if (got !== expected) {
      throw new ModelError(
        model,
        `${join(folder, f)} does not match its checksum in ${CHECKSUM_FILE} (sha256 ${got.slice(0, 12)}…, expected ${expected.slice(0, 12)}…)`,
        'the file changed after export: restore it (git checkout -- <folder>) or re-export the model (tools/ladder/README.md)',
      );
    }
  }
}
