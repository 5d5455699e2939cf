// Static servers on 127.0.0.1 (loopback only) for pages that run models: the
// CLI's headless runner page and the `pnpm web` app. Every reply carries
// COOP/COEP headers so onnxruntime-web may use wasm threads; onnxruntime-web's
// wasm files come from node_modules, never a CDN.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** A file under `root`, or null when `rel` escapes it or names no file. */
export function fileInside(root: string, rel: string): string | null {
  const file = normalize(join(root, rel));
  return file.startsWith(resolve(root) + sep) && existsSync(file) && statSync(file).isFile() ? file : null;
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
    return folder ? fileOrNull(fileInside(folder, rest.slice(slash + 1))) : null;
  };
}

function fileOrNull(file: string | null): Reply {
  return file ? { file } : null;
}

function contentType(file: string): string {
  return types[extname(file)] ?? 'application/octet-stream';
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
    if (!hosts.includes(req.headers.host ?? '')) {
      res.writeHead(403, headers).end('forbidden host');
      return;
    }
    void (async () => {
      let path: string;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      } catch {
        res.writeHead(400, headers).end('bad path');
        return;
      }
      if (process.env.BENCH_DEBUG_SERVER) console.error('GET', path);
      let reply: Reply = null;
      for (const route of routes) {
        reply = await route(path);
        if (reply) break;
      }
      if (!reply) res.writeHead(404, headers).end('not found');
      else if ('file' in reply) {
        res.writeHead(200, { ...headers, 'Content-Type': contentType(reply.file), 'Content-Length': String(statSync(reply.file).size) });
        createReadStream(reply.file).pipe(res);
      } else res.writeHead(200, { ...headers, 'Content-Type': reply.type }).end(reply.body);
    })().catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, headers);
      res.end(String(err.message));
    });
  });
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
  const js = await browserBundle(fileURLToPath(new URL('./page.ts', import.meta.url)));
  const server = await startLoopbackServer([
    (path) => (path === '/' || path === '/index.html' ? { body: runnerPage, type: types['.html']! } : null),
    (path) => (path === '/bundle.js' ? { body: js, type: types['.js']! } : null),
    ortRoute(),
    folderRoute('/models/', models),
  ]);
  return { ...server, addModel: (id, folder) => models.set(id, folder) };
}
