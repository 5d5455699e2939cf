// Downloads from the Hugging Face Hub (or a mirror: HF_ENDPOINT) into the
// standard Hub cache (models--org--name/{blobs,snapshots/<commit>,refs}), the
// layout huggingface_hub and `huggingface-cli download` write and read, so a
// model fetched by either is found by the other and loads from its snapshot.
//
// The protocol is huggingface_hub's file_download: HEAD each file's resolve
// URL for its commit (X-Repo-Commit) and content hash (X-Linked-Etag for LFS
// files, ETag otherwise), then GET it pinned to that commit. It needs only the
// resolve URLs every mirror serves. @huggingface/hub's downloadFileToCacheDir
// was the alternative; it asks the paths-info API instead, files each file
// under the commit that last touched it (so one revision's files can land in
// different snapshot folders), reports no progress and logs with console.debug.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { homedir } from 'node:os';
import { pipeline } from 'node:stream/promises';

/** The Hub, or the mirror HF_ENDPOINT names (as huggingface_hub reads it). */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
}

/** The Hugging Face hub cache: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, 'hub');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface', 'hub');
}

/** The repo's folder in the cache. */
export function repoCacheDir(cacheDir: string, repo: string): string {
  return join(cacheDir, `models--${repo.split('/').join('--')}`);
}

/** Commit a revision (branch, tag or commit) points to in the cache, or null. */
export function cachedCommit(cacheDir: string, repo: string, revision: string): string | null {
  const dir = repoCacheDir(cacheDir, repo);
  const ref = join(dir, 'refs', revision);
  if (existsSync(ref)) return readFileSync(ref, 'utf8').trim();
  return /^[0-9a-f]{40}$/.test(revision) && existsSync(join(dir, 'snapshots', revision)) ? revision : null;
}

export type HubErrorKind = 'network' | 'repo' | 'revision' | 'file' | 'http' | 'integrity';

export class HubError extends Error {
  constructor(
    readonly kind: HubErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export interface DownloadProgress {
  repo: string;
  file: string;
  /** Bytes of this file so far, and its size. */
  bytes: number;
  totalBytes: number;
  /** Files finished (cached ones included) of those this snapshot needs. */
  files: number;
  totalFiles: number;
}

export interface SnapshotRequest {
  repo: string;
  revision: string;
  /** Paths in the repo; those in `optional` may be missing upstream. */
  files: string[];
  optional?: string[];
  endpoint: string;
  cacheDir: string;
  token?: string;
  onProgress?: (p: DownloadProgress) => void;
}

interface FileMeta {
  commit: string;
  etag: string;
  size: number;
}

function resolveUrl(endpoint: string, repo: string, revision: string, file: string): string {
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

async function request(url: string, init: RequestInit, endpoint: string): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new HubError('network', `cannot reach ${endpoint} (${why})`);
  }
}

/** A 4xx/5xx answer from a resolve URL as the Hub words it (X-Error-Code). */
function answerError(res: Response, repo: string, revision: string, file: string, endpoint: string): HubError {
  const code = res.headers.get('x-error-code') ?? '';
  if (code === 'RevisionNotFound') return new HubError('revision', `revision "${revision}" does not exist in ${repo} at ${endpoint}`);
  if (code === 'RepoNotFound' || res.status === 401) return new HubError('repo', `${repo} does not exist at ${endpoint} (or is private or gated: set HF_TOKEN)`);
  if (code === 'EntryNotFound' || res.status === 404) return new HubError('file', `${repo} has no file ${file} at revision "${revision}" (${endpoint})`);
  return new HubError('http', `${endpoint} answered ${res.status} ${res.statusText} for ${repo}/${file}`);
}

async function head(req: SnapshotRequest, revision: string, file: string): Promise<FileMeta | null> {
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  let url = resolveUrl(req.endpoint, req.repo, revision, file);
  for (let hops = 0; ; hops++) {
    // Not followed: an LFS file redirects to a CDN, and the Hub's own headers are on the redirect.
    const res = await request(url, { method: 'HEAD', headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) }, req.endpoint);
    const location = res.headers.get('location');
    // A relative redirect (renamed repo) stays on the Hub: follow it.
    if (res.status >= 300 && res.status < 400 && location?.startsWith('/') && hops < 5) {
      url = new URL(location, url).href;
      continue;
    }
    if (res.status >= 400) {
      if (res.status === 404 && req.optional?.includes(file) && res.headers.get('x-error-code') !== 'RevisionNotFound') return null;
      throw answerError(res, req.repo, revision, file, req.endpoint);
    }
    const commit = res.headers.get('x-repo-commit');
    const etag = (res.headers.get('x-linked-etag') ?? res.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
    const size = Number(res.headers.get('x-linked-size') ?? res.headers.get('content-length') ?? NaN);
    if (!commit || !etag) throw new HubError('http', `${req.endpoint} gave no X-Repo-Commit or ETag for ${req.repo}/${file}: is HF_ENDPOINT a Hugging Face Hub or mirror?`);
    // Both become path parts of the cache (snapshots/<commit>, blobs/<etag>): only what the Hub sends — hex hashes — is accepted,
    // so a server cannot name a path outside the cache or turn the content check off.
    if (!/^[0-9a-f]{40}$/.test(commit) || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(etag)) {
      throw new HubError('http', `${req.endpoint} answered for ${req.repo}/${file} with a commit or ETag that is not a hex hash (${JSON.stringify(commit).slice(0, 50)}, ${JSON.stringify(etag).slice(0, 50)}): is HF_ENDPOINT a Hugging Face Hub or mirror?`);
    }
    return { commit, etag, size };
  }
}

/** Hash the Hub names a file by: sha256 for LFS files, the git blob id otherwise. */
function contentHash(etag: string, size: number): { algorithm: 'sha256' | 'sha1'; prefix: Buffer } | null {
  if (/^[0-9a-f]{64}$/.test(etag)) return { algorithm: 'sha256', prefix: Buffer.alloc(0) };
  if (/^[0-9a-f]{40}$/.test(etag) && Number.isFinite(size)) return { algorithm: 'sha1', prefix: Buffer.from(`blob ${size}\0`) };
  return null;
}

/** A download that delivers no byte for this long is abandoned (a stalled connection, not a slow one). */
const IDLE_MS = 60_000;

async function fetchBlob(req: SnapshotRequest, commit: string, file: string, meta: FileMeta, blob: string, done: number, total: number): Promise<void> {
  const headers: Record<string, string> = {};
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  const url = resolveUrl(req.endpoint, req.repo, commit, file);
  const res = await request(url, { headers }, req.endpoint);
  if (!res.ok || !res.body) throw answerError(res, req.repo, commit, file, req.endpoint);
  const expected = contentHash(meta.etag, meta.size);
  const hash = expected ? createHash(expected.algorithm).update(expected.prefix) : null;
  // One file per download: two runs fetching one model never write into each other's; the rename is atomic.
  const partial = `${blob}.${process.pid}-${randomUUID().slice(0, 8)}.incomplete`;
  try {
    mkdirSync(dirname(blob), { recursive: true });
  } catch (err) {
    throw new HubError('http', `cannot write the Hugging Face cache at ${req.cacheDir} (${(err as NodeJS.ErrnoException).code ?? err}): set HF_HUB_CACHE to a folder you can write`);
  }
  let bytes = 0;
  let reported = 0;
  // A stalled transfer is abandoned after a minute without a byte.
  const idle = new AbortController();
  let timer = setTimeout(() => idle.abort(), IDLE_MS);
  async function* counted(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      if (idle.signal.aborted) throw new Error(`no data for ${IDLE_MS / 1000} s`);
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), IDLE_MS);
      hash?.update(chunk);
      bytes += chunk.length;
      // At most ~100 progress events per file; the last chunk is reported by the caller, as the file's completion.
      if (bytes - reported >= meta.size / 100 && bytes < meta.size) {
        reported = bytes;
        req.onProgress?.({ repo: req.repo, file, bytes, totalBytes: meta.size, files: done, totalFiles: total });
      }
      yield chunk;
    }
  }
  try {
    // pipeline() ends, errors and closes both ends together: a full disk or an unwritable cache is one error, not a hang.
    await pipeline(counted(res.body as unknown as AsyncIterable<Uint8Array>), createWriteStream(partial), { signal: idle.signal });
  } catch (err) {
    rmSync(partial, { force: true });
    if (err instanceof HubError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new HubError('http', `no space left in the Hugging Face cache at ${req.cacheDir} for ${req.repo}/${file} (${meta.size} bytes)`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new HubError('http', `cannot write the Hugging Face cache at ${req.cacheDir} (${code}): set HF_HUB_CACHE to a folder you can write`);
    const why = idle.signal.aborted ? `no data for ${IDLE_MS / 1000} s` : (err as Error).message;
    throw new HubError('network', `the download of ${req.repo}/${file} from ${req.endpoint} broke off after ${bytes} bytes (${why})`);
  } finally {
    clearTimeout(timer);
  }
  const got = hash?.digest('hex');
  if ((Number.isFinite(meta.size) && bytes !== meta.size) || (got !== undefined && got !== meta.etag)) {
    rmSync(partial, { force: true });
    throw new HubError('integrity', `${req.repo}/${file} from ${req.endpoint} arrived damaged (${bytes} of ${meta.size} bytes${got ? `, hash ${got.slice(0, 12)}… not ${meta.etag.slice(0, 12)}…` : ''})`);
  }
  renameSync(partial, blob);
}

function link(blob: string, pointer: string): void {
  mkdirSync(dirname(pointer), { recursive: true });
  // Made aside and renamed into place, so a concurrent run never sees it half made.
  const aside = `${pointer}.${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    // Relative, as huggingface_hub writes them: the cache can move.
    symlinkSync(relative(dirname(pointer), blob), aside);
  } catch {
    copyFileSync(blob, aside); // file systems without symlinks
  }
  renameSync(aside, pointer);
}

/**
 * Make `files` of `repo` at `revision` present in the cache's snapshot for the
 * revision's commit; returns the snapshot folder. Files already there are not
 * fetched again (only their HEAD is asked, to learn the commit).
 */
export async function downloadSnapshot(req: SnapshotRequest): Promise<string> {
  // The revision names refs/<revision> in the cache: a branch, tag or commit, never a path out of it.
  if (req.revision.split('/').some((part) => part === '..' || part === '') || req.revision.startsWith('/')) {
    throw new HubError('revision', `revision "${req.revision}" is not a branch, tag or commit name`);
  }
  const repoDir = repoCacheDir(req.cacheDir, req.repo);
  // The first file fixes the commit; the rest are fetched at that commit, so a branch that moves meanwhile cannot mix two.
  const [first, ...rest] = req.files;
  const firstMeta = await head(req, req.revision, first!);
  const commit = firstMeta!.commit;
  const metas = new Map<string, FileMeta | null>([[first!, firstMeta]]);
  for (const f of rest) metas.set(f, await head(req, commit, f));
  const snapshot = join(repoDir, 'snapshots', commit);
  const present = [...metas].filter(([, m]) => m !== null);
  let done = 0;
  for (const [file, meta] of present) {
    const pointer = join(snapshot, file);
    let fetched = false;
    if (!existsSync(pointer)) {
      const blob = join(repoDir, 'blobs', meta!.etag);
      if (!existsSync(blob)) {
        await fetchBlob(req, commit, file, meta!, blob, done, present.length);
        fetched = true;
      }
      link(blob, pointer);
    }
    done++;
    // Files that were already in the cache report nothing: only what arrives is news.
    if (fetched) req.onProgress?.({ repo: req.repo, file, bytes: meta!.size, totalBytes: meta!.size, files: done, totalFiles: present.length });
  }
  if (req.revision !== commit) {
    const ref = join(repoDir, 'refs', req.revision);
    mkdirSync(dirname(ref), { recursive: true });
    writeFileSync(ref, commit);
  }
  return snapshot;
}
