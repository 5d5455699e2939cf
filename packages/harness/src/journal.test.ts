// The journal's guarantees under damage: a cut or flipped line is never read
// as a record, failures yield to later successes, a resume with other work
// starts a segment, and two runs never share one journal.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FailureRecord, SampleRecord } from '@emergence/core';
import { userErrorOf } from '@emergence/core/testing';
import { Journal, readJournal, sealLine, takeOver, unsealLine, type JournalHeader } from './journal.js';

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'eb-journal-')), 'j.jsonl');

const header = (over: Partial<JournalHeader> = {}): JournalHeader => ({
  kind: 'header',
  version: 2,
  suite: 's',
  suiteFile: '/s.yaml',
  ladder: 'l',
  ladderFile: '/l.yaml',
  seed: 1,
  n: 4,
  device: 'cpu',
  dtype: 'default',
  shard: null,
  work: { samples: 2, hash: 'abc' },
  ...over,
});

const sample = (key: string, model = 'm1', task = 't', score = 1): SampleRecord => ({
  key,
  task,
  taskVersion: 1,
  exampleId: key,
  shots: 0,
  model,
  device: 'cpu',
  dtype: 'fp32',
  promptHash: 'p',
  output: 'é "quoted" \\ ✓',
  target: 'x',
  scores: { exactMatch: score, charEditSimilarity: 0.123456789 },
  truncated: 0,
});

const failure = (model: string, task?: string): FailureRecord => ({ kind: 'failure', model, device: 'cpu', dtype: 'fp32', ...(task ? { task } : {}), message: 'boom' });

function write(file: string, entries: (JournalHeader | SampleRecord | FailureRecord)[]): void {
  writeFileSync(file, entries.map((e) => `${sealLine(e)}\n`).join(''));
}

describe('journal lines', () => {
  it('round-trip exactly through their checksum', () => {
    for (const e of [header(), sample('k1'), failure('m', 't')]) expect(unsealLine(sealLine(e), true)).toEqual(e);
  });

  it('never read a line with any single bit flipped as a record', () => {
    const line = sealLine(sample('k1'));
    const bytes = Buffer.from(line);
    let misread = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(bytes);
        flipped[i]! ^= 1 << bit;
        const entry = unsealLine(flipped.toString('utf8'), true);
        if (entry !== null && JSON.stringify(entry) !== JSON.stringify(sample('k1'))) misread++;
      }
    }
    expect(misread).toBe(0);
  });

  it('a flipped digit in a score, which stays valid JSON, fails its checksum', () => {
    const line = sealLine(sample('k1')).replace('"exactMatch":1', '"exactMatch":0');
    expect(JSON.parse(line)).toBeTruthy();
    expect(unsealLine(line, true)).toBeNull();
  });
});

describe('readJournal', () => {
  it('reports a line cut by a kill and a corrupt middle line, and reads the rest', () => {
    const file = tmpFile();
    write(file, [header(), sample('a'), sample('b'), sample('c')]);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2]!.replace('"exactMatch":1', '"exactMatch":0');
    writeFileSync(file, lines.join('\n'));
    appendFileSync(file, sealLine(sample('d')).slice(0, 40));
    const j = readJournal(file);
    expect([...j.samples.keys()]).toEqual(['a', 'c']);
    expect(j.damaged).toEqual([
      { line: 3, reason: 'corrupt' },
      { line: 5, reason: 'cut' },
    ]);
  });

  it('requires checksums from a version-2 header on, and reads older journals without them', () => {
    const file = tmpFile();
    writeFileSync(file, `${JSON.stringify({ ...header(), version: undefined })}\n${JSON.stringify(sample('a'))}\n`);
    expect(readJournal(file).samples.size).toBe(1);
    writeFileSync(file, `${sealLine(header())}\n${JSON.stringify(sample('a'))}\n`);
    expect(readJournal(file).samples.size).toBe(0);
    expect(readJournal(file).damaged).toEqual([{ line: 2, reason: 'corrupt' }]);
  });

  it('drops a failure that a later sample of the same model or task superseded (a resume that worked)', () => {
    const file = tmpFile();
    write(file, [header(), failure('m1'), failure('m2', 't'), failure('m3', 't'), sample('a', 'm1'), sample('b', 'm2', 't'), sample('c', 'm3', 'other')]);
    const j = readJournal(file);
    expect(j.failures.map((f) => `${f.model} ${f.task ?? ''}`)).toEqual(['m3 t']);
  });

  it('keeps only the current segment\'s failures; the header is the last segment\'s', () => {
    const file = tmpFile();
    write(file, [header(), failure('m1'), header({ n: 8 }), sample('a', 'm2')]);
    const j = readJournal(file);
    expect(j.headers.map((h) => h.n)).toEqual([4, 8]);
    expect(j.header?.n).toBe(8);
    expect(j.failures).toEqual([]);
  });
});

describe('Journal', () => {
  it('continues a cut last line on a fresh line', () => {
    const file = tmpFile();
    write(file, [header(), sample('a')]);
    appendFileSync(file, '{"key":"b","ta');
    const j = new Journal(file, true);
    j.append(sample('c'));
    j.close();
    const read = readJournal(file);
    expect([...read.samples.keys()]).toEqual(['a', 'c']);
    // Still a cut line (it does not parse), though no longer the last: the resume wrote after it.
    expect(read.damaged).toEqual([{ line: 3, reason: 'cut' }]);
  });

  it('refuses a second run on a journal in use, naming the holder, and never renames it', () => {
    const file = tmpFile();
    const first = new Journal(file, false);
    first.append(header());
    for (const resume of [true, false]) {
      const err = userErrorOf(() => new Journal(file, resume));
      expect(err.message).toMatch(new RegExp(`^the journal is in use by another bench run \\(pid ${process.pid} on .+, since \\d{4}-`));
      expect(err.details.hint).toContain(`${file}.lock`);
    }
    expect(existsSync(`${file}.1`)).toBe(false);
    first.close();
    // Released: the next run takes it.
    new Journal(file, true).close();
  });

  it('a takeover that lost the race never removes the live lock that replaced the dead one', () => {
    const file = tmpFile();
    const live = { pid: process.pid, host: 'h', since: '2026-11-29T00:00:01Z' };
    writeFileSync(`${file}.lock`, JSON.stringify(live));
    // This run saw a dead holder a moment ago; another run replaced it with its own meanwhile.
    takeOver(`${file}.lock`, { pid: 999999999, host: 'h', since: '2026-11-29T00:00:00Z' });
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8'))).toEqual(live);
    expect(readdirSync(dirname(file)).filter((f) => f.includes('.lock.'))).toEqual([]);
    // The dead holder's own lock is removed.
    const dead = { pid: 999999999, host: 'h', since: '2026-11-29T00:00:00Z' };
    writeFileSync(`${file}.lock`, JSON.stringify(dead));
    takeOver(`${file}.lock`, dead);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over the lock of a run that was killed', async () => {
    const file = tmpFile();
    // A process that exits at once leaves a pid that no longer runs.
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    writeFileSync(`${file}.lock`, JSON.stringify({ pid, host: (await import('node:os')).hostname(), since: '2026-01-01T00:00:00Z' }));
    const j = new Journal(file, true);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).pid).toBe(process.pid);
    j.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
