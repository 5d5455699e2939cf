// One call from suite and ladder files to a Result: resolve the suite, open
// the journal (resuming if asked), evaluate every model, aggregate, analyse.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError, checkWritable, gitRevision, loadYaml, shortHash, type Device, type Ladder, type ModelSpec, type Result, type ScaleAxis } from '@emergence/core';
import { loadSuite, type ResolvedSuite } from '@emergence/tasks';
import { loadBackend } from '@emergence/backends';
import { dtypeFor, evaluate, plannedSamples, preparePrompts, suiteResult, workFingerprint } from './evaluate.js';
import { checkContextWindows, prepareLadder, type LoadedLadder } from './ladder.js';
import { CHECKSUM_FILE, dtypeFile, fetchLadder, localFolder, resolveModel } from '@emergence/backends';
import { cachedCommit, hubCacheDir } from '@emergence/backends';
import type { RunListener } from '@emergence/core';
import { Journal, describeDamage, readJournal, sameWork, type JournalHeader } from './journal.js';
import { runtimeVersions } from '@emergence/backends';
import { shardLabel, type Shard } from './shard.js';

export interface RunSuiteOptions {
  suiteFile: string;
  ladderFile: string;
  device: Device;
  dtype?: string;
  n?: number;
  seed?: number;
  resume?: boolean;
  offline?: boolean;
  cacheDir?: string;
  shard?: Shard | null;
  failFast?: boolean;
  /** Folder for journals (gitignored); default `runs/` in the working directory. */
  runsDir?: string;
  batchSize?: number;
  /** Where wasm runs (`node` or `browser`); webgpu always runs in the browser. */
  host?: 'node' | 'browser';
  allowMismatch?: boolean;
  scaleAxis?: ScaleAxis;
  onEvent?: RunListener;
  /** Called once the suite and ladder are loaded, before the journal opens or any model loads: the CLI checks its output path here. */
  preflight?: (plan: { resolved: ResolvedSuite; ladder: Ladder; bytes: number }) => void;
  /** Clock for `createdAt`; tests pin it. */
  now?: () => Date;
}

export interface RunSuiteOutcome {
  result: Result;
  journalFile: string;
  failures: number;
}

export function loadLadder(file: string, axis?: ScaleAxis): LoadedLadder {
  return prepareLadder(loadYaml(file, 'ladder'), file, axis);
}

export function journalPath(runsDir: string, suite: string, ladder: string, device: string, dtype: string | undefined, shard: Shard | null): string {
  const parts = [device, dtype ?? 'default', ...(shard ? [`shard-${shard.index}-of-${shard.count}`] : [])];
  return join(runsDir, suite, ladder, `${parts.join('-')}.jsonl`);
}

/** A --dtype no file name or no model of the ladder knows fails before any model loads (exit 2), not once per model. */
function checkDtype(dtype: string | undefined, ladder: Ladder, file: string): void {
  if (dtype === undefined) return;
  if (!(dtype in dtypeFile)) throw new UserError(`--dtype must be one of: ${Object.keys(dtypeFile).join(', ')}; got "${dtype}"`);
  if (!ladder.models.some((m) => m.dtypes.some((d) => d === dtype))) {
    const listed = [...new Set(ladder.models.flatMap((m) => m.dtypes))];
    throw new UserError(`no model of ladder ${ladder.name} lists ${dtype} weights`, { file, hint: `its models list: ${listed.join(', ')}` });
  }
  // A rung without the weights would load nothing and fail only when its turn comes.
  const without = ladder.models.filter((m) => !m.dtypes.some((d) => d === dtype));
  if (without.length) {
    throw new UserError(`${without.map((m) => m.id).join(', ')} ${without.length > 1 ? 'list' : 'lists'} no ${dtype} weights`, { file, hint: `--dtype must be one every rung has; ${without[0]!.id} has ${without[0]!.dtypes.join(', ')}` });
  }
}

/**
 * A fingerprint of a model's weights for sample keys: a local folder's
 * SHA256SUMS (the tiny ladder writes one), the commit a Hub repo's revision
 * resolved to in the cache (a branch that moved is other weights). A
 * retrained model under the same id never reuses the old one's records.
 */
export function modelRevision(spec: ModelSpec, ladderFile: string | undefined, cacheDir: string = hubCacheDir()): string {
  if ('hub' in spec.source) {
    const revision = spec.source.revision ?? 'main';
    return `${spec.source.hub}@${cachedCommit(cacheDir, spec.source.hub, revision) ?? revision}`;
  }
  const sums = join(localFolder(spec.source.folder, ladderFile), CHECKSUM_FILE);
  return existsSync(sums) ? shortHash(readFileSync(sums, 'utf8')) : '';
}

/** The checkout this harness runs from: results record its revision, not the working directory's. */
const harnessRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A rough upper bound of what a run writes: the journal's lines and the result's cells. */
function expectedBytes(planned: number, resolved: ResolvedSuite, ladder: Ladder): number {
  const cells = resolved.runs.reduce((s, r) => s + r.shots.length + 1, 0) * ladder.models.length;
  return 1024 * planned + 4096 * cells + 65536;
}

export async function runSuite(options: RunSuiteOptions): Promise<RunSuiteOutcome> {
  // Everything the flags and files decide is checked before the journal opens or any model loads.
  const ladder = loadLadder(options.ladderFile, options.scaleAxis);
  checkDtype(options.dtype, ladder, options.ladderFile);
  const resolved = loadSuite(options.suiteFile, { n: options.n, seed: options.seed });
  const shard = options.shard ?? null;
  const device = options.host === 'browser' && options.device === 'wasm' ? 'wasm-browser' : options.device;
  const prepared = preparePrompts(resolved);
  // For the space checks an upper bound will do (a shard runs a share of it); the keyed plan waits for the weights.
  const sampleCount = prepared.length * ladder.models.length;
  options.preflight?.({ resolved, ladder, bytes: expectedBytes(sampleCount, resolved, ladder) });
  // Hub models are downloaded (or found in the cache) before any is scored: a bad revision, a missing dtype file or no network stops here.
  await fetchLadder(ladder, (spec) => dtypeFor(spec, options.dtype, ladder), {
    offline: options.offline ?? false,
    cacheDir: options.cacheDir,
    ladderFile: ladder.file,
    onProgress: (model, p) => options.onEvent?.({ type: 'download', model, ...p }),
  });
  // Now that Hub snapshots are on disk, their windows are checked as local folders' were.
  checkContextWindows(ladder, (spec) => resolveModel(spec, ladder.file, { offline: true, cacheDir: options.cacheDir, dtype: dtypeFor(spec, options.dtype, ladder) }).folder);
  // Keys name the weights, so they are made once the weights are here (a Hub branch resolves to its commit).
  const revisions = Object.fromEntries(ladder.models.map((spec) => [spec.id, modelRevision(spec, ladder.file, options.cacheDir)]));
  const revisionOf = (spec: ModelSpec) => revisions[spec.id] ?? '';
  const planned = plannedSamples(resolved, ladder, device, options.dtype, shard, prepared, revisionOf);
  const journalFile = journalPath(options.runsDir ?? 'runs', resolved.suite.name, ladder.name, device, options.dtype, shard);
  const runtime = runtimeVersions(options.device === 'cpu' ? 'cpu' : 'wasm');
  const git = gitRevision(harnessRoot);
  // The journal's folder too (a shard run writes nothing else): writable, with room for its lines.
  checkWritable(journalFile, 1024 * sampleCount + 65536);
  const journal = new Journal(journalFile, options.resume ?? false);
  try {
    // Read under the lock: no other run appends while we decide what is left.
    const previous = options.resume ? readJournal(journalFile) : null;
    const header: JournalHeader = {
      kind: 'header',
      version: 2,
      suite: resolved.suite.name,
      suiteFile: options.suiteFile,
      ladder: ladder.name,
      ladderFile: options.ladderFile,
      seed: resolved.suite.seed,
      n: options.n ?? null,
      device,
      dtype: options.dtype ?? 'default',
      shard: shardLabel(shard),
      work: workFingerprint(planned),
      revisions,
      runtime,
      git,
      startedAt: (options.now?.() ?? new Date()).toISOString(),
    };
    // A resume that computes something else (another n, seed, suite or ladder) starts a new segment.
    if (!previous?.header || !sameWork(previous.header, header)) {
      journal.append(header);
      journal.flush();
    }
    for (const run of resolved.runs) for (const message of run.task.warnings ?? []) options.onEvent?.({ type: 'warning', message });
    if (previous && previous.damaged.length > 0) {
      options.onEvent?.({ type: 'warning', message: `${previous.damaged.length} damaged journal line(s) ignored (${describeDamage(previous.damaged)}); those samples are run again` });
    }
    const outcome = await evaluate({
      resolved,
      ladder,
      device,
      dtype: options.dtype,
      journal,
      recorded: previous?.samples,
      prepared,
      revisionOf,
      shard,
      failFast: options.failFast,
      onEvent: options.onEvent,
      loadBackend: (spec, dtype) =>
        loadBackend(spec, {
          device: options.device,
          dtype,
          offline: options.offline ?? false,
          cacheDir: options.cacheDir,
          ladderFile: ladder.file,
          batchSize: options.batchSize,
          host: options.host,
          allowMismatch: options.allowMismatch,
        }),
    });
    // What the backend said it ran on, journaled once, so a later resume or merge reports the same.
    if (outcome.runtime && JSON.stringify(outcome.runtime) !== JSON.stringify(previous?.runtime ?? null)) {
      journal.append({ kind: 'runtime', runtime: outcome.runtime });
      journal.flush();
    }
    const result = suiteResult({
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      resolved,
      ladder,
      n: options.n,
      dtype: options.dtype,
      records: outcome.records,
      failures: outcome.failures,
      // The backend's own account where a model loaded: a browser run records the browser, not this Node.
      environment: { device, runtime: outcome.runtime ?? previous?.runtime ?? runtime, git, shard: shardLabel(shard) },
      scaleAxis: options.scaleAxis,
    });
    return { result, journalFile, failures: outcome.failures.length };
  } finally {
    journal.close();
  }
}
