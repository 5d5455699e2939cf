import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userErrorOf } from './testing/user-error.js';
import { UserError } from './errors.js';
import * as nodeFs from 'node:fs';
import { checkWritable, decodeUtf8, loadYaml, writeAtomic, writeValidatedYaml } from './yaml-io.js';
import { toYaml } from './yaml.js';

const fixture = (name: string) => join(import.meta.dirname, '__fixtures__', name);


describe('loadYaml', () => {
  it('loads a valid suite', () => {
    const suite = loadYaml(fixture('suite-ok.yaml'), 'suite');
    expect(suite.name).toBe('demo');
    expect(suite.tasks[0]?.options).toEqual({ labels: 'flipped' });
  });

  it('names file, line, pointer and expected type for a wrong type', () => {
    const e = userErrorOf(() => loadYaml(fixture('suite-wrong-type.yaml'), 'suite'));
    expect(e.format()).toBe(`${fixture('suite-wrong-type.yaml')}:2 at /seed: expected integer`);
    expect(e.stack === undefined || !e.format().includes('    at ')).toBe(true);
  });

  it('suggests the nearest key for an unknown key', () => {
    const e = userErrorOf(() => loadYaml(fixture('suite-unknown-key.yaml'), 'suite'));
    expect(e.details.line).toBe(6);
    expect(e.details.pointer).toBe('/tasks/0/shot');
    expect(e.format()).toContain('unknown key "shot"');
    expect(e.format()).toContain('did you mean "shots"?');
  });

  it('names a missing required key', () => {
    const e = userErrorOf(() => loadYaml(fixture('suite-missing.yaml'), 'suite'));
    expect(e.message).toBe('missing required key "seed"');
    expect(e.details.pointer).toBe('/');
    expect(e.details.line).toBe(1);
  });

  it('reports YAML syntax errors with a line', () => {
    const e = userErrorOf(() => loadYaml(fixture('suite-syntax.yaml'), 'suite'));
    expect(e.message).toMatch(/^invalid YAML/);
    expect(e.details.line).toBeGreaterThanOrEqual(4);
  });

  it('lists allowed values for an enum', () => {
    const e = userErrorOf(() => loadYaml(fixture('ladder-bad-enum.yaml'), 'ladder'));
    expect(e.details.pointer).toBe('/models/0/dtypes/1');
    expect(e.details.line).toBe(7);
    expect(e.message).toContain('"fp32", "fp16", "q8"');
  });

  it('rejects an empty file and a missing file clearly', () => {
    expect(userErrorOf(() => loadYaml(fixture('empty.yaml'), 'suite')).message).toMatch(/file is empty/);
    expect(userErrorOf(() => loadYaml(fixture('nope.yaml'), 'suite')).format()).toBe(`${fixture('nope.yaml')}: file does not exist`);
  });
});

describe('writeValidatedYaml', () => {
  const suite = { name: 'x', seed: 1, n: 2, tasks: [{ task: 'a/b' }], shots: [0] };

  it('writes deterministic YAML with rounded floats and no temp files left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-'));
    const file = join(dir, 'out', 's.yaml');
    writeValidatedYaml(file, suite, 'suite', { header: '# hello' });
    const first = readFileSync(file, 'utf8');
    writeValidatedYaml(file, suite, 'suite', { header: '# hello' });
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(first.startsWith('# hello\nname: x\n')).toBe(true);
    expect(readdirSync(join(dir, 'out'))).toEqual(['s.yaml']);
    expect(toYaml({ a: 1 / 3, b: -0.0000001 })).toBe('a: 0.333333\nb: 0\n');
  });

  it('refuses to write invalid data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-'));
    const file = join(dir, 's.yaml');
    expect(() => writeValidatedYaml(file, { ...suite, seed: 'x' }, 'suite')).toThrow(UserError);
    expect(existsSync(file)).toBe(false);
  });

  it('never overwrites an existing file that fails validation unless forced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, 'name: x\nseed: oops\n');
    const e = userErrorOf(() => writeValidatedYaml(file, suite, 'suite'));
    expect(e.format()).toContain('refusing to overwrite');
    expect(readFileSync(file, 'utf8')).toBe('name: x\nseed: oops\n');
    writeValidatedYaml(file, suite, 'suite', { force: true });
    expect(readFileSync(file, 'utf8')).toContain('seed: 1');
  });
});

describe('writeAtomic under a full disk (injected writer)', () => {
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

  it('removes its temp file, keeps the old file, and says what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-atomic-'));
    const file = join(dir, 'r.yaml');
    writeFileSync(file, 'old: 1\n');
    const fs = { ...nodeFs, writeFileSync: ((fd: number, text: string) => {
      // Half the bytes land, then the disk is full.
      nodeFs.writeFileSync(fd, text.slice(0, text.length / 2));
      throw enospc();
    }) as typeof nodeFs.writeFileSync };
    const e = userErrorOf(() => writeAtomic(file, 'new: 2\n'.repeat(100), fs));
    expect(e.format()).toBe(`${file}: cannot write: the disk is full (ENOSPC) (free some space, or write elsewhere with --out)`);
    expect(readdirSync(dir)).toEqual(['r.yaml']);
    expect(readFileSync(file, 'utf8')).toBe('old: 1\n');
  });

  it('a failing rename (another device, permissions) also leaves no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-atomic-'));
    const fs = { ...nodeFs, renameSync: (() => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    }) as typeof nodeFs.renameSync };
    const e = userErrorOf(() => writeAtomic(join(dir, 'r.yaml'), 'x: 1\n', fs));
    expect(e.message).toBe('cannot write: permission denied (EACCES)');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('checkWritable', () => {
  it('refuses when the disk has less free space than the run needs, before anything is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-free-'));
    const fs = { ...nodeFs, statfsSync: ((p: string) => ({ ...nodeFs.statfsSync(p), bavail: 10, bsize: 1024 })) as typeof nodeFs.statfsSync };
    const e = userErrorOf(() => checkWritable(join(dir, 'r.yaml'), 1024 * 1024, fs));
    expect(e.format()).toBe(`${dir}: cannot write: 1024 KiB are needed and 10 KiB are free (free some space, or write elsewhere with --out)`);
    expect(readdirSync(dir)).toEqual([]);
    expect(() => checkWritable(join(dir, 'r.yaml'), 1024)).not.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('decodeUtf8', () => {
  it('names the first line with invalid bytes', () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nb: ok ✓\nc: '), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('\nd: 4\n')]);
    expect(userErrorOf(() => decodeUtf8(bytes, 'f.yaml')).format()).toBe('f.yaml:3: the file is not valid UTF-8 (save it as UTF-8)');
    expect(decodeUtf8(Buffer.from('a: ✓\n'), 'f.yaml')).toBe('a: ✓\n');
  });
});
