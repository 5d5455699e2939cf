// Static servers on 127.0.0.1 (loopback only) for pages that run models: the
// CLI's headless runner page and the `pnpm web` app. Every reply carries
// COOP/COEP headers so onnxruntime-web may use wasm threads; onnxruntime-web's
// wasm files come from node_modules, never a CDN.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { transformersEntry } from '../runtime.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.yaml': 'text/yaml; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain',
};

/** What a route answers: bytes with a content type, a file to stream, or null (not mine). */
export type Reply = { body: string | Uint8Array; type: string } | { file: string } | null;
export type Route = (path: string) => Reply | Promise<Reply>;

const bundles = new Map<string, Promise<string>>();

/** A TypeScript entry bundled for the browser (esbuild, the "browser" export condition), once per process. */
export function browserBundle(entry: string): Promise<string> {
  let js = bundles.get(entry);
  if (!js) {
    js = build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    }).then((r) => r.outputFiles[0]!.text);
    bundles.set(entry, js);
  }
  return js;
}

/** onnxruntime-web's dist folder, as pinned by transformers.js. */
export function ortDist(): string {
  return dirname(createRequire(transformersEntry()).resolve('onnxruntime-web'));
}

/**
 * A file under `root`, or null when `rel` escapes it, names no file, or
 * resolves — through a symbolic link anywhere on the way — to a file outside
 * `within` (default `root`). A link in `results/` to /etc/passwd serves nothing.
 */
export function fileInside(root: string, rel: string, within: string = root): string | null {
  const file = normalize(join(root, rel));
  if (!file.startsWith(resolve(root) + sep) || !existsSync(file)) return null;
  try {
    const real = realpathSync(file);
    if (!real.startsWith(realpathSync(within) + sep) || !statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

/**
 * What a model folder may link into: itself, or for a snapshot of the Hugging
 * Face cache (`models--org--name/snapshots/<rev>/`, whose files link into
 * `../../blobs/`) the repository's own folder.
 */
function linkRoot(folder: string): string {
  return basename(dirname(folder)) === 'snapshots' ? dirname(dirname(folder)) : folder;
}

/** `<prefix><file>`: a file under `dir`. */
export function dirRoute(prefix: string, dir: string): Route {
  return (path) => (path.startsWith(prefix) ? fileOrNull(fileInside(dir, path.slice(prefix.length))) : null);
}

/** `/ort/<file>`: onnxruntime-web's wasm and its loader scripts. */
export function ortRoute(): Route {
  return dirRoute('/ort/', ortDist());
}

/** `<prefix><id>/<file>`: the folder registered for `id` (a model folder). */
export function folderRoute(prefix: string, folders: Map<string, string>): Route {
  return (path) => {
    if (!path.startsWith(prefix)) return null;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const folder = slash > 0 ? folders.get(rest.slice(0, slash)) : undefined;
    return folder ? fileOrNull(fileInside(folder, rest.slice(slash + 1), linkRoot(folder))) : null;
  };
}

function fileOrNull(file: string | null): Reply {
  return file ? { file } : null;
}

function contentType(file: string): string {
  return types[extname(file)] ?? 'application/octet-stream';
}

/** Longest request URL served (paths here are short; a huge one is an attack or a bug). */
const MAX_URL = 4096;

/**
 * Stream a file. It is opened before the status line is sent, so a file that
 * cannot be opened gets 500; a read error later (EIO) ends that response
 * early — the client sees a short body against Content-Length — and the
 * server keeps serving.
 */
async function sendFile(file: string, res: ServerResponse, headers: Record<string, string>, head: boolean): Promise<void> {
  let handle: FileHandle;
  let size: number;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    res.writeHead(500, headers).end(`cannot read ${basename(file)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return;
  }
  try {
    size = (await handle.stat()).size;
  } catch (err) {
    await handle.close();
    res.writeHead(500, headers).end(`cannot read ${basename(file)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': contentType(file), 'Content-Length': String(size) });
  if (head) {
    await handle.close();
    res.end();
    return;
  }
  // pipeline closes the file when the client goes away (a cancelled model download) or a read fails.
  await pipeline(handle.createReadStream(), res).catch(() => res.destroy());
}

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** Serve `routes` (first non-null reply wins) on 127.0.0.1; port 0 picks a free one. */
export async function startLoopbackServer(routes: Route[], port = 0): Promise<LoopbackServer> {
  // Only pages of this origin may talk to it: a foreign Host header means DNS rebinding.
  let hosts: string[] = [];
  const server: Server = createServer((req, res) => {
    const headers: Record<string, string> = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    // A broken connection is that request's problem, never the server's.
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    if (!hosts.includes(req.headers.host ?? '')) {
      res.writeHead(403, headers).end('forbidden host');
      return;
    }
    // Read-only: nothing here takes uploads.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end('method not allowed');
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding']) {
      // Answer, then close: the body is never read.
      res.writeHead(413, { ...headers, Connection: 'close' }).end('a GET request has no body');
      return;
    }
    if ((req.url ?? '').length > MAX_URL) {
      res.writeHead(414, headers).end('URL too long');
      return;
    }
    const head = req.method === 'HEAD';
    void (async () => {
      let path: string;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      } catch {
        res.writeHead(400, headers).end('bad path');
        return;
      }
      if (process.env.BENCH_DEBUG_SERVER) console.error(req.method, path);
      let reply: Reply = null;
      for (const route of routes) {
        reply = await route(path);
        if (reply) break;
      }
      if (!reply) res.writeHead(404, headers).end('not found');
      else if ('file' in reply) await sendFile(reply.file, res, headers, head);
      else {
        res.writeHead(200, { ...headers, 'Content-Type': reply.type, 'Content-Length': String(Buffer.byteLength(reply.body)) });
        res.end(head ? undefined : reply.body);
      }
    })().catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, headers).end(String(err.message));
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const address = server.address() as { port: number };
  hosts = [`127.0.0.1:${address.port}`, `localhost:${address.port}`];
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// ------------------------------------------------------- the CLI's runner page

const runnerPage = `<!doctype html><meta charset="utf-8"><title>emergence-bench runner</title><script type="module" src="/bundle.js"></script>`;

export interface RunnerServer extends LoopbackServer {
  /** Serve a model folder under /models/<id>/. */
  addModel(id: string, folder: string): void;
}

/** The page the browser backend drives: `/` and `/bundle.js` (page.ts), `/ort/`, `/models/<id>/`. */
export async function startRunnerServer(): Promise<RunnerServer> {
  const models = new Map<string, string>();
  // Through the package's own export, so the path holds from the source and from the CLI's bundle alike.
  const js = await browserBundle(createRequire(import.meta.url).resolve('@emergence/backends/page'));
  const server = await startLoopbackServer([
    (path) => (path === '/' || path === '/index.html' ? { body: runnerPage, type: types['.html']! } : null),
    (path) => (path === '/bundle.js' ? { body: js, type: types['.js']! } : null),
    ortRoute(),
    folderRoute('/models/', models),
  ]);
  return { ...server, addModel: (id, folder) => models.set(id, folder) };
}
