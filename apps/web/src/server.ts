// The `pnpm web` server: the page, its bundle, the repository's suites and
// ladders, the model folders they name and onnxruntime-web's wasm, on
// 127.0.0.1 only. It reads the disk; the page does all the computing.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError, gitRevision, loadYaml, type Suite } from '@emergence/core';
import { ModelError, loadLadder, resolveModel, runtimeVersions } from '@emergence/runner';
import { browserBundle, fileInside, ortRoute, startLoopbackServer, type LoopbackServer, type Route } from '@emergence/runner/server';
import type { Manifest, ManifestLadder, ManifestModel, ManifestSuite } from './manifest.js';

export interface WebServerOptions {
  /** Folder of suite YAML (default benchmarks/suites of this repository). */
  suitesDir?: string;
  /** Folder of ladder YAML (default benchmarks/ladders). */
  laddersDir?: string;
  /** 0 picks a free port. */
  port?: number;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface WebServer extends LoopbackServer {
  manifest: Manifest;
}

const pageDir = fileURLToPath(new URL('./page/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** How files are named to the person: relative to the repository when inside it. */
function shown(file: string): string {
  const rel = relative(repoRoot, file);
  return rel.startsWith('..') ? file : rel;
}

function suites(dir: string): ManifestSuite[] {
  return yamlFiles(dir).map((file) => {
    const path = shown(join(dir, file));
    try {
      const suite = loadYaml<Suite>(join(dir, file), 'suite');
      const imports = suite.tasks.some((t) => t.import);
      return { name: suite.name, file, path, unavailable: imports ? 'it imports task files from disk: run it with `pnpm bench`' : null };
    } catch (err) {
      return { name: file.replace(/\.yaml$/, ''), file, path, unavailable: err instanceof UserError ? err.format() : String(err) };
    }
  });
}

function ladders(dir: string, folders: Map<string, string>): ManifestLadder[] {
  return yamlFiles(dir).map((file) => {
    const path = shown(join(dir, file));
    try {
      const ladder = loadLadder(join(dir, file));
      const models = ladder.models.map((spec) => {
        const dtypes: ManifestModel['dtypes'] = {};
        for (const dtype of spec.dtypes) {
          try {
            // Not offline: a Hub model missing from the cache gets this page's message, not the CLI's.
            const where = resolveModel(spec, ladder.file, { offline: false, dtype });
            if (where.folder) {
              folders.set(`${ladder.name}/${spec.id}`, where.folder);
              dtypes[dtype] = null;
            } else {
              dtypes[dtype] = {
                detail: `${where.hubId} is not in the Hugging Face cache at ${where.cacheDir}, and the page serves models from this machine only`,
                fix: `download it once with \`pnpm bench --suite icl --ladder ${ladder.name} --dtype ${dtype}\`, then restart \`pnpm web\``,
              };
            }
          } catch (err) {
            if (!(err instanceof ModelError)) throw err;
            dtypes[dtype] = { detail: err.detail, fix: err.fix };
          }
        }
        return { id: spec.id, dtypes };
      });
      return { name: ladder.name, file, path, error: null, models };
    } catch (err) {
      return { name: file.replace(/\.yaml$/, ''), file, path, error: err instanceof UserError ? err.format() : String(err), models: [] };
    }
  });
}

export function buildManifest(options: WebServerOptions = {}, folders = new Map<string, string>()): Manifest {
  return {
    git: gitRevision(repoRoot),
    suites: suites(options.suitesDir ?? join(repoRoot, 'benchmarks/suites')),
    ladders: ladders(options.laddersDir ?? join(repoRoot, 'benchmarks/ladders'), folders),
    runtime: runtimeVersions('wasm'),
  };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const folders = new Map<string, string>();
  const manifest = buildManifest(options, folders);
  const js = await browserBundle(join(pageDir, 'app.ts'));
  const json = JSON.stringify(manifest);
  const exact = (path: string, body: string, type: string): Route => (p) => (p === path ? { body, type } : null);
  const routes: Route[] = [
    exact('/', readFileSync(join(pageDir, 'index.html'), 'utf8'), 'text/html; charset=utf-8'),
    exact('/app.css', readFileSync(join(pageDir, 'app.css'), 'utf8'), 'text/css; charset=utf-8'),
    exact('/app.js', js, 'text/javascript'),
    exact('/manifest.json', json, 'application/json'),
    (p) => fileReply(p, '/suites/', options.suitesDir ?? join(repoRoot, 'benchmarks/suites')),
    (p) => fileReply(p, '/ladders/', options.laddersDir ?? join(repoRoot, 'benchmarks/ladders')),
    // /models/<ladder>/<id>/… → the folder resolved for that ladder's model.
    modelRoute(folders),
    ortRoute(),
  ];
  const server = await startLoopbackServer(routes, options.port ?? 0).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new UserError(`port ${options.port} is already in use`, { hint: 'pass another --port, or --port 0 for any free one' });
    throw err;
  });
  return { ...server, manifest };
}

function fileReply(path: string, prefix: string, dir: string) {
  if (!path.startsWith(prefix)) return null;
  const file = fileInside(dir, path.slice(prefix.length));
  return file ? { file } : null;
}

function modelRoute(folders: Map<string, string>): Route {
  return (path) => {
    const m = /^\/models\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
    const folder = m ? folders.get(`${m[1]}/${m[2]}`) : undefined;
    const file = folder ? fileInside(folder, m![3]!) : null;
    return file ? { file } : null;
  };
}
