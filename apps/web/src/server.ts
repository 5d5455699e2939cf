// The `pnpm web` server: the page, its bundle, the repository's suites and
// ladders, the model folders they name and onnxruntime-web's wasm, on
// 127.0.0.1 only. It reads the disk; the page does all the computing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError, gitRevision, loadYaml } from '@emergence/core';
import { ModelError, resolveModel, runtimeVersions } from '@emergence/backends';
import { loadLadder } from '@emergence/harness';
import { browserBundle, dirRoute, folderRoute, ortRoute, startLoopbackServer, type LoopbackServer, type Route } from '@emergence/backends/server';
import { modelRoot, type Manifest, type ManifestLadder, type ManifestModel, type ManifestSuite } from './manifest.js';

export interface WebServerOptions {
  /** Folder of suite YAML (default benchmarks/suites of this repository). */
  suitesDir?: string;
  /** Folder of ladder YAML (default benchmarks/ladders). */
  laddersDir?: string;
  /** Folder of committed results, `<suite>/<ladder>.yaml` (default results/). */
  resultsDir?: string;
  /** 0 picks a free port. */
  port?: number;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function folders(options: WebServerOptions): { suites: string; ladders: string; results: string } {
  return {
    suites: options.suitesDir ?? join(repoRoot, 'benchmarks/suites'),
    ladders: options.laddersDir ?? join(repoRoot, 'benchmarks/ladders'),
    results: options.resultsDir ?? join(repoRoot, 'results'),
  };
}

/** `<suite>/<ladder>.yaml` for every committed result (the cpu baselines CI compares with). */
function committedResults(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => yamlFiles(join(dir, d.name)).map((f) => `${d.name}/${f}`))
    .sort();
}

/** Model folders found for each ladder: ladder name → model id → folder. */
type ModelFolders = Map<string, Map<string, string>>;

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
      const suite = loadYaml(join(dir, file), 'suite');
      const imports = suite.tasks.some((t) => t.import);
      return { name: suite.name, file, path, unavailable: imports ? 'it imports task files from disk: run it with `pnpm bench`' : null };
    } catch (err) {
      return { name: file.replace(/\.yaml$/, ''), file, path, unavailable: err instanceof UserError ? err.format() : String(err) };
    }
  });
}

function ladders(dir: string, found: ModelFolders): ManifestLadder[] {
  return yamlFiles(dir).map((file) => {
    const path = shown(join(dir, file));
    try {
      const ladder = loadLadder(join(dir, file));
      const served = new Map<string, string>();
      found.set(ladder.name, served);
      const models = ladder.models.map((spec) => {
        const dtypes: ManifestModel['dtypes'] = {};
        for (const dtype of spec.dtypes) {
          try {
            // Not offline: a Hub model missing from the cache gets this page's message, not the CLI's.
            const where = resolveModel(spec, ladder.file, { offline: false, dtype });
            if (where.folder) {
              served.set(spec.id, where.folder);
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

export function buildManifest(options: WebServerOptions = {}, found: ModelFolders = new Map()): Manifest {
  const dirs = folders(options);
  return {
    git: gitRevision(repoRoot),
    suites: suites(dirs.suites),
    ladders: ladders(dirs.ladders, found),
    results: committedResults(dirs.results),
    runtime: runtimeVersions('wasm'),
  };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const found: ModelFolders = new Map();
  const manifest = buildManifest(options, found);
  const dirs = folders(options);
  const js = await browserBundle(join(pageDir, 'app.ts'));
  const json = JSON.stringify(manifest);
  const exact = (path: string, body: string, type: string): Route => (p) => (p === path ? { body, type } : null);
  const routes: Route[] = [
    exact('/', readFileSync(join(pageDir, 'index.html'), 'utf8'), 'text/html; charset=utf-8'),
    exact('/app.css', readFileSync(join(pageDir, 'app.css'), 'utf8'), 'text/css; charset=utf-8'),
    exact('/app.js', js, 'text/javascript'),
    exact('/manifest.json', json, 'application/json'),
    dirRoute('/suites/', dirs.suites),
    dirRoute('/ladders/', dirs.ladders),
    dirRoute('/results/', dirs.results),
    ...[...found].map(([ladder, models]) => folderRoute(modelRoot(ladder), models)),
    ortRoute(),
  ];
  const server = await startLoopbackServer(routes, options.port ?? 0).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new UserError(`port ${options.port} is already in use`, { hint: 'pass another --port, or --port 0 for any free one' });
    throw err;
  });
  return { ...server, manifest };
}
