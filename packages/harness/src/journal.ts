// The run journal: one JSON record per line, appended and flushed as each
// sample is scored, so a run killed at any point loses at most the line being
// written. Resume reads it back and skips what is recorded; `bench merge`
// builds a result from shard journals.
//
// Three things keep a journal honest:
// - every line ends in a checksum of itself, so a line cut by a kill or a
//   flipped bit is dropped (and its sample redone or reported missing), never
//   read as a different score;
// - a header opens each *segment*: a run resumed with another n, seed, suite
//   or ladder appends a new header, and only records the current header plans
//   for count (sample keys are content hashes, see sampleKey);
// - a lock file: two runs never append to one journal at once.
import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { UserError, fileError, shortHash, type FailureRecord, type GitRevision, type SampleRecord } from '@emergence/core';

/** What a segment of the journal was started to compute. */
export interface JournalHeader {
  kind: 'header';
  /** 2: lines carry checksums; the header names the planned work. Absent in older journals. */
  version?: number;
  suite: string;
  suiteFile: string;
  ladder: string;
  ladderFile: string;
  seed: number;
  n: number | null;
  device: string;
  dtype: string;
  shard: string | null;
  /** The planned sample keys of this shard: how many, and a hash of them (changes with suite, ladder, n, seed, task versions). */
  work?: { samples: number; hash: string };
  /** Each model's weights fingerprint, part of its sample keys (a Hub model's commit): merge rebuilds the plan from these. */
  revisions?: Record<string, string>;
  /** Where the numbers are computed, recorded when the run starts (merge reports these). */
  runtime?: Record<string, string>;
  git?: GitRevision;
  startedAt?: string;
}

/** What the first model that loaded says it ran on (a browser run: the browser and its adapter), journaled so a resume or a merge reports it. */
export interface RuntimeRecord {
  kind: 'runtime';
  runtime: Record<string, string>;
}

export type JournalEntry = JournalHeader | FailureRecord | RuntimeRecord | (SampleRecord & { kind?: 'sample' });

/** A line that was not read: cut by a kill (the last line) or corrupt (parse or checksum failure). */
export interface DamagedLine {
  line: number;
  reason: 'cut' | 'corrupt';
}

export interface JournalContents {
  /** The current segment's header: what the journal now holds. */
  header: JournalHeader | null;
  /** Every segment's header, oldest first. */
  headers: JournalHeader[];
  /** Every sample, by key (keys are content hashes: a record from an earlier segment is valid where its key is planned). */
  samples: Map<string, SampleRecord>;
  /** Failures of the current segment that no later sample of the same model (and task) superseded. */
  failures: FailureRecord[];
  /** The last runtime record: what the backend said it ran on. */
  runtime: Record<string, string> | null;
  damaged: DamagedLine[];
}

const SUM = 'sum';

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** `line 12 cut off by a kill; line 40 corrupt`: for warnings and errors. */
export function describeDamage(damaged: readonly DamagedLine[]): string {
  return damaged.map((d) => `line ${d.line} ${d.reason === 'cut' ? 'cut off by a kill' : 'corrupt (its checksum does not match)'}`).join('; ');
}

/** One journal line: the record's JSON with a checksum of that JSON as its last field. */
export function sealLine(entry: JournalEntry): string {
  const json = JSON.stringify(entry);
  return `${json.slice(0, -1)},"${SUM}":"${shortHash(json).slice(0, 8)}"}`;
}

/** The record on a line, or null when the line does not parse or its checksum does not match. */
export function unsealLine(line: string, requireSum: boolean): JournalEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const { [SUM]: sum, ...entry } = value as Record<string, unknown>;
  if (sum === undefined) return requireSum ? null : (entry as unknown as JournalEntry);
  // Stringifying parsed JSON reproduces it exactly (key order, number round trip), so the hash is comparable.
  return sum === shortHash(JSON.stringify(entry)).slice(0, 8) ? (entry as unknown as JournalEntry) : null;
}

export function readJournal(file: string): JournalContents {
  const out: JournalContents = { header: null, headers: [], samples: new Map(), failures: [], runtime: null, damaged: [] };
  if (!existsSync(file)) return out;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw fileError(err, file, 'read');
  }
  const lines = text.split('\n');
  // Failures in file order with their line; the last line of a sample per model and per model+task.
  const failures: { line: number; segment: number; record: FailureRecord }[] = [];
  const lastSample = new Map<string, number>();
  let segment = -1;
  lines.forEach((raw, i) => {
    if (!raw.trim()) return;
    const line = i + 1;
    // Checksums are required from the first version-2 header on (a flipped bit could otherwise drop the field).
    const entry = unsealLine(raw, (out.header?.version ?? 0) >= 2);
    if (!entry) {
      // A line that does not parse was cut by a kill (the last line, or one a resumed run wrote after);
      // one that parses but fails its checksum was changed on disk.
      out.damaged.push({ line, reason: isJson(raw) ? 'corrupt' : 'cut' });
      return;
    }
    if (entry.kind === 'header') {
      out.header = entry;
      out.headers.push(entry);
      segment++;
    } else if (entry.kind === 'failure') failures.push({ line, segment, record: entry });
    else if (entry.kind === 'runtime') out.runtime = entry.runtime;
    else {
      out.samples.set(entry.key, entry);
      lastSample.set(entry.model, line);
      lastSample.set(`${entry.model}\u0000${entry.task}`, line);
    }
  });
  // A failure stands only if the run did not later score that model (or that task) after all, e.g. on --resume.
  out.failures = failures
    .filter((f) => f.segment === segment)
    .filter((f) => (lastSample.get(f.record.task ? `${f.record.model}\u0000${f.record.task}` : f.record.model) ?? 0) < f.line)
    .map((f) => f.record);
  return out;
}

/** The header fields that say what a segment computes: a resume that changes any of them starts a new segment. */
export function sameWork(a: JournalHeader, b: JournalHeader): boolean {
  return (
    a.suite === b.suite &&
    a.ladder === b.ladder &&
    a.seed === b.seed &&
    a.n === b.n &&
    a.device === b.device &&
    a.dtype === b.dtype &&
    a.shard === b.shard &&
    a.work?.hash === b.work?.hash &&
    // Samples scored by other code are a segment of their own, so the header names the code that scored them.
    a.git?.commit === b.git?.commit
  );
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lock: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(lock, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/**
 * Remove a dead holder's lock without ever removing a live one: two runs that
 * both saw the same dead lock race here. Renaming is atomic, so only one of
 * them moves the file; what it moved is checked, and a lock that turns out to
 * be a live run's (taken in between) is put back with link(), which fails
 * rather than overwrite a newer one.
 */
export function takeOver(lock: string, dead: LockHolder): void {
  const aside = `${lock}.${process.pid}.${randomUUID()}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // another run moved it first
  }
  const moved = readHolder(aside);
  if (!moved || moved.pid !== dead.pid || moved.since !== dead.since) {
    try {
      linkSync(aside, lock);
    } catch {
      // a third run holds the lock now; the moved one's owner will find its journal locked by it
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Take `<journal>.lock`, or say who holds it. A lock left by a killed run
 * (its pid is gone) is taken over; one from another host is respected.
 */
function acquireLock(journal: string): string {
  const lock = `${journal}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies LockHolder));
      closeSync(fd);
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(err, lock, 'write');
    }
    const holder = readHolder(lock);
    // A lock file still being written has no holder yet: look again.
    if (holder && (holder.host !== hostname() || alive(holder.pid))) {
      throw new UserError(`the journal is in use by another bench run (pid ${holder.pid} on ${holder.host}, since ${holder.since})`, {
        file: journal,
        hint: `wait for that run or stop it; if no such run exists, delete ${lock}`,
      });
    }
    if (holder) takeOver(lock, holder);
  }
  throw new UserError('could not take the journal lock', { file: journal, hint: `another run keeps taking it; if none is running, delete ${lock}` });
}

/** The longest a scored line waits for fsync (it is in the file, and survives a killed process, at once). */
const FSYNC_EVERY_MS = 1000;

export class Journal {
  private fd: number;
  private lock: string;
  /** A kill mid-write left a partial last line: the next record starts on a fresh line. */
  private needsNewline = false;
  /** When the journal was last fsynced (performance.now()). */
  private synced = -Infinity;

  /**
   * Lock, then open for appending. Without `resume`, an existing journal is
   * kept under a numbered name rather than overwritten.
   */
  constructor(
    readonly file: string,
    resume: boolean,
  ) {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (err) {
      throw fileError(err, dirname(file), 'write');
    }
    this.lock = acquireLock(file);
    try {
      if (!resume && existsSync(file)) {
        let i = 1;
        while (existsSync(`${file}.${i}`)) i++;
        renameSync(file, `${file}.${i}`);
      }
      this.fd = openSync(file, 'a+');
      const size = statSync(file).size;
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(this.fd, last, 0, 1, size - 1);
        this.needsNewline = last[0] !== 0x0a;
      }
    } catch (err) {
      rmSync(this.lock, { force: true });
      throw err instanceof UserError ? err : fileError(err, file, 'write');
    }
  }

  append(entry: JournalEntry): void {
    const line = `${this.needsNewline ? '\n' : ''}${sealLine(entry)}\n`;
    this.needsNewline = false;
    try {
      appendFileSync(this.fd, line);
    } catch (err) {
      throw fileError(err, this.file, 'write');
    }
  }

  /**
   * Make what was appended durable (called after each batch of records).
   * Every line is written to the file as it is appended, so a killed run
   * keeps it; fsync guards against the machine going down. It is paid only
   * when a second or more has passed since the last one (a batch of a tiny
   * model takes milliseconds; an fsync per batch was 1.3% of a 1,000-prompt
   * run), and at close: a crash loses at most the batches since the last
   * fsync, which a resume scores again.
   */
  flush(): void {
    const now = performance.now();
    if (now - this.synced < FSYNC_EVERY_MS) return;
    fsyncSync(this.fd);
    this.synced = now;
  }

  close(): void {
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      rmSync(this.lock, { force: true });
    }
  }
}
