// Where a ladder's model lives on disk: a local folder, or a Hub repo in the
// Hugging Face cache (models--org--name/snapshots/<rev>/). Problems become
// ModelError values naming the model and the fix.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ModelSpec } from '@emergence/core';
import { ModelError } from './model-error.js';

export { ModelError };

/** ONNX file name transformers.js loads for each dtype (Optimum / transformers.js convention). */
export const dtypeFile: Record<string, string> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
  bnb4: 'model_bnb4.onnx',
};

/** The Hugging Face hub cache: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, 'hub');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface', 'hub');
}

export interface ResolvedModel {
  /** Folder holding config.json, tokenizer.json and onnx/. */
  folder: string | null;
  /** Hub repo id when the folder is not local yet (online download). */
  hubId: string | null;
  cacheDir: string | null;
}

/** Snapshot folder of a Hub repo in the cache, or null when it is not there. */
export function findInHubCache(repo: string, revision: string, cacheDir: string): string | null {
  const repoDir = join(cacheDir, `models--${repo.replace('/', '--')}`);
  if (!existsSync(repoDir)) return null;
  const refFile = join(repoDir, 'refs', revision);
  const commit = existsSync(refFile) ? readFileSync(refFile, 'utf8').trim() : revision;
  const snapshot = join(repoDir, 'snapshots', commit);
  return existsSync(join(snapshot, 'config.json')) ? snapshot : null;
}

export function resolveModel(spec: ModelSpec, ladderFile: string | undefined, options: { offline: boolean; cacheDir?: string; dtype: string }): ResolvedModel {
  const file = dtypeFile[options.dtype];
  if (!file) throw new ModelError(spec.id, `unknown dtype "${options.dtype}"`, `use one of: ${Object.keys(dtypeFile).join(', ')}`);
  if (!spec.dtypes.includes(options.dtype)) {
    throw new ModelError(spec.id, `the ladder lists no ${options.dtype} weights for this model`, `use --dtype ${spec.dtypes.join(' or --dtype ')}`);
  }
  if ('folder' in spec.source) {
    const base = ladderFile ? dirname(ladderFile) : process.cwd();
    const folder = isAbsolute(spec.source.folder) ? spec.source.folder : resolve(base, spec.source.folder);
    checkFolder(spec.id, folder, file);
    return { folder, hubId: null, cacheDir: null };
  }
  const cacheDir = options.cacheDir ?? hubCacheDir();
  const repo = spec.source.hub;
  const snapshot = findInHubCache(repo, spec.source.revision ?? 'main', cacheDir);
  if (snapshot) {
    checkFolder(spec.id, snapshot, file);
    return { folder: snapshot, hubId: repo, cacheDir };
  }
  if (options.offline) {
    throw new ModelError(
      spec.id,
      `${repo} is not in the Hugging Face cache at ${cacheDir} and --offline forbids downloading it`,
      `run once without --offline, or \`huggingface-cli download ${repo} --include "onnx/${file}" "*.json"\``,
    );
  }
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
