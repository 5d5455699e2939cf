import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { gitRevision } from './git.js';

describe('gitRevision', () => {
  it('reports unknown outside a repository', () => {
    expect(gitRevision(mkdtempSync(`${tmpdir()}/eb-`))).toEqual({ commit: 'unknown', dirty: false });
  });
});
