// `bench merge`: one result from the journals of a sharded run — or from one
// unsharded journal — that refuses to say more than the journals hold. Every
// journal must plan the same work (suite, ladder, n, seed, device, dtype, and
// the same files as when it ran); every planned sample must be present or
// covered by a failure of its model, unless a partial result is asked for.
import { existsSync } from 'node:fs';
import { UserError, type FailureRecord, type ModelSpec, type GitRevision, type Result, type SampleRecord } from '@emergence/core';
import { loadSuite } from '@emergence/tasks';
import { plannedSamples, suiteResult, workFingerprint, type PlannedSample } from './evaluate.js';
import { describeDamage, readJournal, type JournalContents, type JournalHeader } from './journal.js';
import { loadLadder, modelRevision } from './run-suite.js';
import { runtimeVersions } from '@emergence/backends';
import { parseShard } from './shard.js';

export interface MergeOptions {
  /** Journals as named by the user (for messages) and their paths. */
  journals: { name: string; file: string }[];
  /** Write what is there when samples are missing, instead of refusing. */
  partial?: boolean;
  /** The harness's revision, for journals written before headers recorded one. */
  git: GitRevision;
  createdAt: string;
  warn: (message: string) => void;
}

export interface MergeOutcome {
  result: Result;
  samples: number;
  /** Planned samples of the given journals that are not there. */
  missing: number;
  /** Shards not given at all (with --partial). */
  absentShards: number;
  /** The --dtype the run was given, if any (it names the default result file). */
  dtype?: string;
}

const identityKeys = ['suite', 'ladder', 'seed', 'n', 'device', 'dtype'] as const;

/** `tiny-3 icl/induction 40, tiny-4 icl/induction 38, …`: where samples are missing, most first. */
function describeMissing(missing: readonly PlannedSample[]): string {
  const counts = new Map<string, number>();
  for (const m of missing) counts.set(`${m.model} ${m.task}`, (counts.get(`${m.model} ${m.task}`) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, 3).map(([k, v]) => `${k} ${v}`);
  return `${shown.join(', ')}${sorted.length > 3 ? `, and ${sorted.length - 3} more model × task cells` : ''}`;
}

export function mergeJournals(options: MergeOptions): MergeOutcome {
  if (options.journals.length === 0) throw new UserError('give the shard journals to merge', { hint: 'e.g. bench merge runs/icl/tiny/cpu-default-shard-*.jsonl' });
  const read: { name: string; j: JournalContents; h: JournalHeader }[] = [];
  for (const { name, file } of options.journals) {
    if (!existsSync(file)) throw new UserError('file does not exist', { file: name });
    const j = readJournal(file);
    if (!j.header) throw new UserError('not a run journal (no header line)', { file: name, hint: 'journals are the .jsonl files under runs/' });
    const cut = j.damaged.filter((d) => d.reason === 'cut');
    const corrupt = j.damaged.filter((d) => d.reason === 'corrupt');
    // A cut line's sample was usually run again by a --resume; a missing one is reported below either way.
    if (cut.length) options.warn(`${name}: ${describeDamage(cut)}; ignored`);
    if (corrupt.length) options.warn(`${name}: ${describeDamage(corrupt)}; ignored`);
    read.push({ name, j, h: j.header });
  }

  // One run: the same identity everywhere, and shards of one sharding, each once.
  const first = read[0]!;
  for (const r of read.slice(1)) {
    for (const key of identityKeys) {
      if (r.h[key] !== first.h[key]) {
        throw new UserError(`this journal's ${key} is ${JSON.stringify(r.h[key])}, but ${first.name}'s is ${JSON.stringify(first.h[key])}; merge journals of one run only`, { file: r.name });
      }
    }
  }
  const sharded = read.filter((r) => r.h.shard !== null);
  if (sharded.length && sharded.length < read.length) {
    const whole = read.find((r) => r.h.shard === null)!;
    throw new UserError(`${whole.name} is an unsharded run, but ${sharded[0]!.name} is shard ${sharded[0]!.h.shard}; merge the shards of one sharded run`, { file: whole.name });
  }
  if (!sharded.length && read.length > 1) {
    throw new UserError(`${read.length} unsharded journals given; merge combines the shards of one run (or rebuilds the result of one journal)`, { file: read[1]!.name });
  }
  const count = sharded.length ? parseShard(first.h.shard!).count : 1;
  const seen = new Map<number, string>();
  for (const r of sharded) {
    const s = parseShard(r.h.shard!);
    if (s.count !== count) throw new UserError(`this journal is shard ${r.h.shard}, but ${first.name} is shard ${first.h.shard}: different shardings`, { file: r.name });
    if (seen.has(s.index)) throw new UserError(`shard ${r.h.shard} given twice (also ${seen.get(s.index)})`, { file: r.name });
    seen.set(s.index, r.name);
  }
  const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => sharded.length && !seen.has(i));
  if (absent.length && !options.partial) {
    throw new UserError(`got ${seen.size} of ${count} shards; missing ${absent.map((i) => `${i}/${count}`).join(', ')}`, { hint: 'pass every shard journal, or --partial to merge what is there' });
  }
  if (absent.length) options.warn(`shards ${absent.map((i) => `${i}/${count}`).join(', ')} missing: the result is partial`);
  // Every segment's code: samples scored by different commits are merged, but not silently.
  const commits = [...new Set(read.flatMap((r) => r.j.headers.map((h) => h.git?.commit).filter((c): c is string => Boolean(c))))];
  if (commits.length > 1) options.warn(`the journals were written by ${commits.length} commits (${commits.map((c) => c.slice(0, 7)).join(', ')}); the result records the first journal's`);

  // What the run planned, recomputed from its files: they must not have changed since.
  const n = first.h.n ?? undefined;
  const resolved = loadSuite(first.h.suiteFile, { n, seed: first.h.seed });
  const ladder = loadLadder(first.h.ladderFile);
  const dtype = first.h.dtype === 'default' ? undefined : first.h.dtype;
  const samples = new Map<string, SampleRecord>();
  const failures: FailureRecord[] = [];
  const missing: PlannedSample[] = [];
  let planned = 0;
  for (const r of read) {
    // The weights' fingerprints the run recorded (a Hub commit need not be in this machine's cache).
    const revisionOf = (spec: ModelSpec) => r.h.revisions?.[spec.id] ?? modelRevision(spec, ladder.file);
    const plan = plannedSamples(resolved, ladder, r.h.device, dtype, r.h.shard ? parseShard(r.h.shard) : null, undefined, revisionOf);
    if (r.h.work && r.h.work.hash !== workFingerprint(plan).hash) {
      throw new UserError(`the suite or ladder changed since this journal was written (${first.h.suiteFile}, ${first.h.ladderFile}): its samples are not the ones they now plan`, {
        file: r.name,
        hint: 'restore the files as they were, or run again',
      });
    }
    planned += plan.length;
    // Only planned keys count: records of an earlier segment (another n or seed) stay out.
    const failed = new Set(r.j.failures.map((f) => (f.task ? `${f.model}\u0000${f.task}` : f.model)));
    for (const p of plan) {
      const rec = r.j.samples.get(p.key);
      if (rec) samples.set(p.key, rec);
      else if (!failed.has(p.model) && !failed.has(`${p.model}\u0000${p.task}`)) missing.push(p);
    }
    failures.push(...r.j.failures);
    const stale = r.j.samples.size - plan.filter((p) => r.j.samples.has(p.key)).length;
    if (stale > 0) options.warn(`${r.name}: ${stale} record(s) from an earlier segment (another n, seed, suite or ladder) left out`);
  }
  if (missing.length) {
    const what = `${missing.length} of ${planned} planned samples are missing (${describeMissing(missing)})`;
    if (!options.partial) throw new UserError(what, { hint: 'finish the run with --resume, or pass --partial to merge what is there' });
    options.warn(`${what}: the result is partial`);
  }
  const result = suiteResult({
    createdAt: options.createdAt,
    resolved,
    ladder,
    n,
    dtype,
    records: [...samples.values()],
    failures,
    environment: {
      device: first.h.device,
      // What the backend said it ran on (a browser run's browser), else what the run started on.
      runtime: read.find((r) => r.j.runtime)?.j.runtime ?? first.h.runtime ?? runtimeVersions(first.h.device === 'cpu' ? 'cpu' : 'wasm'),
      git: first.h.git ?? options.git,
      shard: null,
    },
  });
  return { result, samples: samples.size, missing: missing.length, absentShards: absent.length, dtype };
}
