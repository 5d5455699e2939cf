import { describe, expect, it } from 'vitest';
import type { Ladder } from '@emergence/core';
import { userErrorOf } from '@emergence/core/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkContextWindows, prepareLadder, type LoadedLadder } from './ladder.js';

const model = (id: string, params: number, group?: string) => ({ id, ...(group ? { group } : {}), source: { folder: id }, params, nonEmbeddingParams: params, dtypes: ['fp32' as const] });

describe('prepareLadder', () => {
  it('sorts models by size and keeps seeds of one size together', () => {
    const ladder: Ladder = { name: 'l', models: [model('b-s1', 200, 'b'), model('a', 100), model('b-s0', 200, 'b')] };
    expect(prepareLadder(ladder, 'l.yaml').models.map((m) => m.id)).toEqual(['a', 'b-s1', 'b-s0']);
  });

  it('orders by non-embedding parameters, the default axis: a wide one-layer model can have more embedding', () => {
    const wide = { ...model('one-layer-wide', 82944), nonEmbeddingParams: 50112 };
    const deep = { ...model('two-layer', 81264), nonEmbeddingParams: 56640 };
    expect(prepareLadder({ name: 'l', models: [deep, wide] }, 'l.yaml').models.map((m) => m.id)).toEqual(['one-layer-wide', 'two-layer']);
  });

  it('rejects duplicate ids, and a group whose seeds differ in size, naming the file and pointer', () => {
    const dup = userErrorOf(() => prepareLadder({ name: 'l', models: [model('a', 1), model('a', 2)] }, 'l.yaml'));
    expect(dup.details).toMatchObject({ file: 'l.yaml', pointer: '/models/1/id' });
    const group = userErrorOf(() => prepareLadder({ name: 'l', models: [model('x-s0', 100, 'x'), model('x-s1', 101, 'x')] }, 'l.yaml'));
    expect(group.message).toBe('group "x" holds seeds of one size, but x-s1 and x-s0 have different parameter counts');
    expect(group.details).toMatchObject({ file: 'l.yaml', pointer: '/models/1/params' });
  });
});

describe('checkContextWindows', () => {
  it('checks a Hub model against its downloaded snapshot\'s config, before any model loads', () => {
    const snapshot = mkdtempSync(join(tmpdir(), 'eb-snap-'));
    writeFileSync(join(snapshot, 'config.json'), JSON.stringify({ max_position_embeddings: 128 }));
    const hub = { id: 'h', source: { hub: 'org/m' }, params: 10, nonEmbeddingParams: 5, dtypes: ['fp32' as const], contextLength: 512 };
    const ladder: LoadedLadder = { name: 'l', file: 'l.yaml', models: [hub] };
    const e = userErrorOf(() => checkContextWindows(ladder, () => snapshot));
    expect(e.format()).toBe(`l.yaml at /models/0/contextLength: contextLength 512 is larger than the 128-token window in ${join(snapshot, 'config.json')} (use at most 128)`);
    expect(() => checkContextWindows({ ...ladder, models: [{ ...hub, contextLength: 128 }] }, () => snapshot)).not.toThrow();
    // Not downloaded yet (no snapshot): nothing to check.
    expect(() => checkContextWindows(ladder, () => null)).not.toThrow();
  });
});
