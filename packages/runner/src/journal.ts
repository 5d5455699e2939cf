// The run journal: one JSON record per line, appended and flushed as each
// sample is scored, so a run killed at any point loses at most the line being
// written. Resume reads it back and skips what is recorded.
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FailureRecord, SampleRecord } from '@emergence/core';

export interface JournalHeader {
  kind: 'header';
  suite: string;
  suiteFile: string;
  ladder: string;
  ladderFile: string;
  seed: number;
  n: number | null;
  device: string;
  dtype: string;
  shard: string | null;
}

export type JournalEntry = JournalHeader | FailureRecord | (SampleRecord & { kind?: 'sample' });

export interface JournalContents {
  header: JournalHeader | null;
  samples: Map<string, SampleRecord>;
  failures: FailureRecord[];
  /** Lines that could not be parsed (a write cut off by a kill). */
  damaged: number;
}

export function readJournal(file: string): JournalContents {
  const out: JournalContents = { header: null, samples: new Map(), failures: [], damaged: 0 };
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      out.damaged++;
      continue;
    }
    if (entry.kind === 'header') out.header ??= entry;
    else if (entry.kind === 'failure') out.failures.push(entry);
    else out.samples.set(entry.key, entry);
  }
  return out;
}

export class Journal {
  private fd: number;

  /**
   * Open for appending. Without `resume`, an existing journal is kept under a
   * numbered name rather than overwritten.
   */
  constructor(
    readonly file: string,
    resume: boolean,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    if (!resume && existsSync(file)) {
      let i = 1;
      while (existsSync(`${file}.${i}`)) i++;
      renameSync(file, `${file}.${i}`);
    }
    this.fd = openSync(file, 'a+');
    // A kill mid-write leaves a partial last line: start a fresh line after it.
    const size = statSync(file).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(this.fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) appendFileSync(this.fd, '\n');
    }
  }

  append(entry: JournalEntry): void {
    appendFileSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  /** Make what was appended durable (called after each batch of records). */
  flush(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
