import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { gitRevision } from './git.js';

describe('gitRevision', () => {
  it('reports unknown outside a repository', () => {
    expect(gitRevision(mkdtempSync(`${tmpdir()}/eb-`))).toEqual({ commit: 'unknown', dirty: false });
  });

  it('is dirty when code changes, not when a committed result does', () => {
    const dir = mkdtempSync(`${tmpdir()}/eb-git-`);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    mkdirSync(join(dir, 'results/icl'), { recursive: true });
    writeFileSync(join(dir, 'results/icl/tiny.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'code.ts'), 'export {};\n');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x');
    expect(gitRevision(dir).dirty).toBe(false);
    writeFileSync(join(dir, 'results/icl/tiny.yaml'), 'a: 2\n');
    writeFileSync(join(dir, 'notes.txt'), 'untracked\n');
    expect(gitRevision(dir)).toMatchObject({ commit: expect.stringMatching(/^[0-9a-f]{40}$/), dirty: false });
    // From a subfolder too, the whole working tree counts.
    expect(gitRevision(join(dir, 'results/icl')).dirty).toBe(false);
    writeFileSync(join(dir, 'code.ts'), 'export const x = 1;\n');
    expect(gitRevision(dir).dirty).toBe(true);
    expect(gitRevision(join(dir, 'results/icl')).dirty).toBe(true);
  });
});
