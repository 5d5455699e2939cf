// A suite on a ladder, in this browser: the same pipeline as `bench run`
// (resolve the suite, evaluate each model, aggregate, analyse) with
// transformers.js on onnxruntime-web, wasm or WebGPU. Only the model files,
// suites and ladders come from the server.
import * as tjs from '@huggingface/transformers';
import { compareResults, parseValidated, resultFileName, toYaml, type Backend, type Comparison, type LadderDocument, type ModelSpec, type Result, type RunListener, type ScaleAxis } from '@emergence/core';
import { resolveSuite } from '@emergence/tasks';
import {
  ModelError,
  TransformersBackend,
  browserName,
  checkAgainst,
  configureOnnxWeb,
  wasmThreads,
  webgpuAdapterInfo,
} from '@emergence/backends';
import { evaluate, prepareLadder, referencedLadderFile, suiteResult } from '@emergence/harness';
import { modelRoot, type Manifest, type ManifestLadder } from '../manifest.js';
import type { BrowserJournal } from './journal.js';

export interface PageRunOptions {
  manifest: Manifest;
  suite: string;
  ladder: string;
  device: 'wasm' | 'webgpu';
  /** One dtype for every model; default each model's own. */
  dtype?: string;
  n?: number;
  scaleAxis?: ScaleAxis;
  /** Skip the WebGPU-vs-wasm comparison at model load. */
  allowMismatch: boolean;
  journal: BrowserJournal;
  /** Stops between batches; what was scored stays saved, so the next Run resumes. */
  signal?: AbortSignal;
  /** Reuse samples saved in this browser. */
  resume: boolean;
  onEvent: RunListener;
}

export interface PageRunOutcome {
  result: Result;
  yaml: string;
  /** File name `bench` would give it under results/<suite>/. */
  fileName: string;
  /** `bench compare` of the committed result (base) with this one (head), when there is one. */
  comparison: { baseline: string; comparison: Comparison } | null;
}

async function fetchText(path: string): Promise<string> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.text();
}

/** Threads for onnxruntime-web: several only when the page is cross-origin isolated (COOP/COEP). */
function threadCount(): number {
  return globalThis.crossOriginIsolated ? wasmThreads(navigator.hardwareConcurrency) : 1;
}

/** What the page records about its runtime, in every result it writes. */
function pageRuntime(manifest: Manifest, threads: number): Record<string, string> {
  return {
    browser: browserName(),
    transformers: tjs.env.version,
    'onnxruntime-web': manifest.runtime['onnxruntime-web'] ?? 'unknown',
    threads: String(threads),
  };
}

export async function runInPage(options: PageRunOptions): Promise<PageRunOutcome> {
  const { manifest } = options;
  const suiteEntry = manifest.suites.find((s) => s.name === options.suite)!;
  const ladderEntry = manifest.ladders.find((l) => l.name === options.ladder)!;
  const suite = parseValidated(await fetchText(`/suites/${suiteEntry.file}`), suiteEntry.path, 'suite');
  const resolved = resolveSuite(suite, suiteEntry.path, { n: options.n });
  const raw = parseValidated(await fetchText(`/ladders/${ladderEntry.file}`), ladderEntry.path, 'ladder');
  const referenced = await fetchReferencedLadders(raw, ladderEntry.path);
  const ladder = prepareLadder(raw, ladderEntry.path, undefined, (file) => referenced.get(file) ?? null);
  // The CLI's label for wasm in a browser, so page and `bench --runtime browser` results line up.
  const device = options.device === 'wasm' ? 'wasm-browser' : 'webgpu';
  const threads = threadCount();
  configureOnnxWeb(tjs, threads);
  const adapter = options.device === 'webgpu' ? await webgpuAdapterInfo() : {};
  const runtime = { ...pageRuntime(manifest, threads), ...adapter };

  const outcome = await evaluate({
    resolved,
    ladder,
    device,
    dtype: options.dtype,
    journal: options.journal,
    recorded: options.resume ? await options.journal.load() : new Map(),
    onEvent: options.onEvent,
    signal: options.signal,
    loadBackend: (spec, dtype) => loadModel(spec, dtype, { ...options, ladderEntry, runtime }),
  }).finally(() => options.journal.settled());

  const result = suiteResult({
    createdAt: new Date().toISOString(),
    resolved,
    ladder,
    n: options.n,
    dtype: options.dtype,
    records: outcome.records,
    failures: outcome.failures,
    environment: { device, runtime, git: manifest.git, shard: null },
    scaleAxis: options.scaleAxis,
  });
  const fileName = resultFileName(ladder.name, device, options.dtype);
  const header = [
    '# yaml-language-server: $schema=../../packages/core/schemas/result.schema.json',
    `# Written by the emergence-bench page (pnpm web). Save it as results/${resolved.suite.name}/${fileName}.`,
  ].join('\n');
  const yaml = toYaml(result, header);
  // What is downloaded must be what `bench report` and `bench compare` accept.
  parseValidated(yaml, fileName, 'result');
  return { result, yaml, fileName, comparison: await compareWithCommitted(manifest, result) };
}

/**
 * The ladder files a ladder's `from: <ladder>#<id>` models name, fetched from
 * the server's ladder folder (references outside it cannot be served), with
 * theirs in turn: path → text, for prepareLadder to read.
 */
async function fetchReferencedLadders(ladder: LadderDocument, file: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const queue: [LadderDocument, string][] = [[ladder, file]];
  while (queue.length) {
    const [l, f] = queue.shift()!;
    for (const m of l.models as { from?: string }[]) {
      if (!m.from) continue;
      const target = referencedLadderFile(m.from, f);
      const name = target.startsWith(folder) ? target.slice(folder.length) : null;
      if (texts.has(target) || name === null || name.includes('/')) continue;
      const res = await fetch(`/ladders/${name}`);
      if (!res.ok) continue; // prepareLadder then says the file cannot be read, naming it
      const text = await res.text();
      texts.set(target, text);
      queue.push([parseValidated(text, target, 'ladder'), target]);
    }
  }
  return texts;
}

/** The committed result of this suite × ladder, as CI compares with it. */
async function compareWithCommitted(manifest: Manifest, result: Result): Promise<PageRunOutcome['comparison']> {
  const name = `${result.suite.name}/${result.ladder.name}.yaml`;
  if (!manifest.results.includes(name)) return null;
  const baseline = `results/${name}`;
  const base = parseValidated(await fetchText(`/${baseline}`), baseline, 'result');
  return { baseline, comparison: compareResults(base, result) };
}

async function loadModel(
  spec: ModelSpec,
  dtype: string,
  o: PageRunOptions & { ladderEntry: ManifestLadder; runtime: Record<string, string> },
): Promise<Backend> {
  const files = o.ladderEntry.models.find((m) => m.id === spec.id)?.dtypes[dtype];
  if (files === undefined) throw new ModelError(spec.id, `the ladder lists no ${dtype} weights for this model`, `choose one of: ${spec.dtypes.join(', ')}`);
  if (files !== null) throw new ModelError(spec.id, files.detail, files.fix);
  const create = (device: 'wasm' | 'webgpu') =>
    TransformersBackend.create(tjs, spec, { device, dtype, offline: true, runtime: o.runtime }, { id: spec.id, localRoot: modelRoot(o.ladder) });
  const backend = await create(o.device);
  if (o.device === 'webgpu' && !o.allowMismatch) {
    // WebGPU can silently give wrong numbers: check it against wasm in this page first.
    let reference: TransformersBackend | null = null;
    try {
      reference = await create('wasm');
      await checkAgainst(reference, backend, {
        spec,
        dtype,
        device: 'WebGPU',
        reference: 'wasm',
        fix: 'choose WASM or another dtype, or tick "Run even if WebGPU disagrees with WASM"',
      });
    } catch (err) {
      await backend.dispose();
      throw err;
    } finally {
      await reference?.dispose();
    }
  }
  return backend;
}
