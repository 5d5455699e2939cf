// A Hugging Face Hub on 127.0.0.1 for tests and for machines without network
// (`pnpm hub:serve`): serves folders as model repos the way the Hub's resolve
// URLs do, so the harness's real download path runs end to end.
//
//   HEAD|GET /<org>/<name>/resolve/<revision>/<path>
//     200 with X-Repo-Commit and ETag (git blob id) for small files;
//     302 to /cdn/<sha256> with X-Linked-Etag / X-Linked-Size for LFS-style
//     files (*.onnx, *.onnx_data*), as the Hub redirects to its CDN;
//     404 X-Error-Code: EntryNotFound / RevisionNotFound; 401 RepoNotFound.
// A repo's one revision is `main`, whose commit is a hash of its files.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';

interface RepoFile {
  /** Served from disk as it is asked for: repos of real models are many gigabytes. */
  path: string;
  size: number;
  /** Git blob id (small files) or sha256 (LFS files). */
  oid: string;
  lfs: boolean;
}

interface Repo {
  commit: string;
  files: Map<string, RepoFile>;
}

export interface LoopbackHub {
  /** http://127.0.0.1:<port> — what HF_ENDPOINT should say. */
  url: string;
  /** Every request as `METHOD /path`, in order. */
  requests: string[];
  /** Commit of `main` for each repo. */
  commits: Record<string, string>;
  close(): Promise<void>;
}

export interface LoopbackHubOptions {
  /** Repo id (`org/name`) → folder holding its files. */
  repos: Record<string, string>;
  /** 0 (default) picks a free port. */
  port?: number;
}

const isLfs = (path: string) => /\.onnx(_data(_\d+)?)?$/.test(path);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** A file's hash, read in 1 MiB pieces (files over 2 GiB cannot be read whole). */
function hashFile(file: string, hash: ReturnType<typeof createHash>): string {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function loadRepo(folder: string): Repo {
  const files = new Map<string, RepoFile>();
  for (const full of walk(folder).sort()) {
    const path = relative(folder, full).split(sep).join('/');
    const size = statSync(full).size;
    const lfs = isLfs(path);
    const oid = lfs ? hashFile(full, createHash('sha256')) : hashFile(full, createHash('sha1').update(`blob ${size}\0`));
    files.set(path, { path: full, size, oid, lfs });
  }
  const tree = createHash('sha1');
  for (const [path, f] of files) tree.update(`${path}\0${f.oid}\n`);
  return { commit: tree.digest('hex'), files };
}

/** The architecture twins (tools/hub-twins), as the repos `emergence-twins/<twin>`. */
export const TWINS_DIR = join(import.meta.dirname, '__fixtures__', 'hub-twins');
export const TWIN_ORG = 'emergence-twins';

export function twinRepos(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(TWINS_DIR)
      .filter((name) => existsSync(join(TWINS_DIR, name, 'config.json')))
      .map((name) => [`${TWIN_ORG}/${name}`, join(TWINS_DIR, name)]),
  );
}

/** Repos of a folder laid out as `<org>/<name>/…` (each name folder holding a config.json). */
export function reposIn(root: string): Record<string, string> {
  const repos: Record<string, string> = {};
  if (!existsSync(root)) return repos;
  for (const org of readdirSync(root)) {
    if (!statSync(join(root, org)).isDirectory()) continue;
    for (const name of readdirSync(join(root, org))) {
      if (existsSync(join(root, org, name, 'config.json'))) repos[`${org}/${name}`] = join(root, org, name);
    }
  }
  return repos;
}

export async function startLoopbackHub(options: LoopbackHubOptions): Promise<LoopbackHub> {
  const repos = new Map(Object.entries(options.repos).map(([id, folder]) => [id, loadRepo(folder)]));
  const blobs = new Map<string, RepoFile>();
  for (const repo of repos.values()) for (const f of repo.files.values()) if (f.lfs) blobs.set(f.oid, f);
  const requests: string[] = [];

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string, method: string) => {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { 'content-length': String(data.length), ...headers });
    res.end(method === 'HEAD' ? undefined : data);
  };

  const sendFile = (res: ServerResponse, headers: Record<string, string>, f: RepoFile, method: string) => {
    res.writeHead(200, { 'content-length': String(f.size), ...headers });
    if (method === 'HEAD') return void res.end();
    createReadStream(f.path)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return send(res, 400, {}, 'bad path', method);
    }
    requests.push(`${method} ${path}`);
    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, {}, 'method not allowed', method);
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(path);
    if (cdn) {
      const blob = blobs.get(cdn[1]!);
      if (!blob) return send(res, 404, {}, 'no such blob', method);
      return sendFile(res, { 'content-type': 'application/octet-stream', etag: `"${cdn[1]}"`, 'accept-ranges': 'bytes' }, blob, method);
    }
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (!m) return send(res, 404, {}, 'not found', method);
    const [, id, revision, file] = m as unknown as [string, string, string, string];
    const repo = repos.get(id);
    if (!repo) return send(res, 401, { 'x-error-code': 'RepoNotFound', 'x-error-message': 'Repository not found' }, 'Repository not found', method);
    if (revision !== 'main' && revision !== repo.commit) {
      return send(res, 404, { 'x-error-code': 'RevisionNotFound', 'x-error-message': `Invalid rev id: ${revision}` }, `Invalid rev id: ${revision}`, method);
    }
    const f = repo.files.get(file);
    if (!f) return send(res, 404, { 'x-error-code': 'EntryNotFound', 'x-error-message': 'Entry not found', 'x-repo-commit': repo.commit }, 'Entry not found', method);
    if (f.lfs) {
      return send(res, 302, { location: `http://127.0.0.1:${port}/cdn/${f.oid}`, 'x-repo-commit': repo.commit, 'x-linked-etag': `"${f.oid}"`, 'x-linked-size': String(f.size), etag: `"${f.oid.slice(0, 40)}"` }, '', method);
    }
    return sendFile(res, { 'content-type': 'application/octet-stream', 'x-repo-commit': repo.commit, etag: `"${f.oid}"`, 'accept-ranges': 'bytes' }, f, method);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    commits: Object.fromEntries([...repos].map(([id, r]) => [id, r.commit])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
