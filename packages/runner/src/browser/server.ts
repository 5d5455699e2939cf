// A static server on 127.0.0.1 (loopback only, a free port) for the browser
// runner: the page, its bundle, onnxruntime-web's wasm files and the model
// folders, with COOP/COEP headers so wasm threads are allowed.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { transformersEntry } from '../runtime.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain',
};

const page = `<!doctype html><meta charset="utf-8"><title>emergence-bench runner</title><script type="module" src="/bundle.js"></script>`;

let bundle: Promise<string> | null = null;

/** The page script, bundled once per process from the TypeScript source. */
export function runnerBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return bundle;
}

/** onnxruntime-web's dist folder, as pinned by transformers.js. */
export function ortDist(): string {
  return dirname(createRequire(transformersEntry()).resolve('onnxruntime-web'));
}

export interface RunnerServer {
  url: string;
  /** Serve a model folder under /models/<id>/. */
  addModel(id: string, folder: string): void;
  close(): Promise<void>;
}

function inside(root: string, rel: string): string | null {
  const file = normalize(join(root, rel));
  return file.startsWith(resolve(root) + sep) && existsSync(file) && statSync(file).isFile() ? file : null;
}

export async function startRunnerServer(): Promise<RunnerServer> {
  const models = new Map<string, string>();
  const ort = ortDist();
  const js = await runnerBundle();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (process.env.BENCH_DEBUG_SERVER) console.error('GET', path);
    const headers: Record<string, string> = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { ...headers, 'Content-Type': types['.html']! }).end(page);
      return;
    }
    if (path === '/bundle.js') {
      res.writeHead(200, { ...headers, 'Content-Type': types['.js']! }).end(js);
      return;
    }
    let file: string | null = null;
    if (path.startsWith('/ort/')) file = inside(ort, path.slice(5));
    const m = /^\/models\/([^/]+)\/(.+)$/.exec(path);
    if (m && models.has(m[1]!)) file = inside(models.get(m[1]!)!, m[2]!);
    if (!file) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(statSync(file).size) });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    addModel: (id, folder) => models.set(id, folder),
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
