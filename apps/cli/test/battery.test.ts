// The bad-input battery (battery.ts), in-process: each case's exact message
// and exit code, and nothing written but the files the case brought.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cases, runCase } from './battery.js';

describe('bad input: one line, the documented exit code, nothing written', () => {
  it('covers at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const r = await runCase(c);
    expect(r.code).toBe(c.code);
    if (typeof c.stderr === 'string') expect(r.stderr).toBe(c.stderr);
    else expect(r.stderr).toMatch(c.stderr);
    if (c.stdout !== undefined) {
      if (typeof c.stdout === 'string') expect(r.stdout).toBe(c.stdout);
      else expect(r.stdout).toMatch(c.stdout);
    }
    expect(r.stderr.split('\n').length).toBeLessThanOrEqual(1);
    // No journal, no result: every case fails before any work starts.
    const brought = new Set(Object.keys(c.files ?? {}).map((f) => f.split('/')[0]));
    expect(readdirSync(r.dir).filter((f) => !brought.has(f))).toEqual([]);
  });
});
