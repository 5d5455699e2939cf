// Ladders that reuse models of another ladder (`from: tiny#tiny-3`).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userErrorOf } from '@emergence/core/testing';
import { loadLadder } from './index.js';
import { prepareLadder, referencedLadderFile } from './ladder.js';

const header = '# yaml-language-server: $schema=ladder.schema.json\n';
const tinyModels = resolve(import.meta.dirname, '../../ladder-tiny/models');

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eb-from-'));
  mkdirSync(join(dir, 'ladders'));
  mkdirSync(join(dir, 'mine'));
  // The base ladder names its folders relative to itself.
  writeFileSync(
    join(dir, 'ladders/base.yaml'),
    `${header}name: base\nmodels:\n` +
      ['tiny-1', 'tiny-4'].map((id) => `  - id: ${id}\n    source: { folder: ${join(tinyModels, id)} }\n    params: ${id === 'tiny-1' ? 11520 : 81264}\n    nonEmbeddingParams: ${id === 'tiny-1' ? 3312 : 56640}\n    dtypes: [fp32, q8]\n`).join('') +
      `  - id: rel\n    source: { folder: ../models/rel }\n    params: 10\n    nonEmbeddingParams: 5\n    dtypes: [fp32]\n`,
  );
  return dir;
}

describe('from: <ladder>#<id>', () => {
  it('copies the model, lets keys beside from replace the copied ones, and sorts the result by size', () => {
    const dir = folder();
    writeFileSync(join(dir, 'ladders/mix.yaml'), `${header}name: mix\nmodels:\n  - from: base#tiny-4\n  - from: base#tiny-1\n    id: smallest\n    dtypes: [fp32]\n`);
    const ladder = loadLadder(join(dir, 'ladders/mix.yaml'));
    expect(ladder.models.map((m) => [m.id, m.params, m.nonEmbeddingParams, m.dtypes.join(',')])).toEqual([
      ['smallest', 11520, 3312, 'fp32'],
      ['tiny-4', 81264, 56640, 'fp32,q8'],
    ]);
    expect(ladder.models[1]!.source).toEqual({ folder: join(tinyModels, 'tiny-4') });
  });

  it('a relative folder stays pointing at the same place from the new ladder, and a path reference works', () => {
    const dir = folder();
    writeFileSync(join(dir, 'mine/l.yaml'), `${header}name: mine\nmodels:\n  - from: ../ladders/base.yaml#rel\n`);
    const ladder = prepareLadder(JSON.parse(JSON.stringify({ name: 'mine', models: [{ from: '../ladders/base.yaml#rel' }] })), join(dir, 'mine/l.yaml'));
    expect(ladder.models[0]!.source).toEqual({ folder: '../models/rel' });
    // From the ladders folder itself the same model is ../models/rel; from mine/ too, since both sit one level down.
    expect(referencedLadderFile('base#x', '/a/b/l.yaml')).toBe('/a/b/base.yaml');
    expect(referencedLadderFile('../c/d.yaml#x', '/a/b/l.yaml')).toBe('/a/c/d.yaml');
    writeFileSync(join(dir, 'deep.yaml'), `${header}name: deep\nmodels:\n  - from: ladders/base#rel\n`);
    expect(loadLadder(join(dir, 'deep.yaml')).models[0]!.source).toEqual({ folder: 'models/rel' });
  });

  it('says what is wrong: a missing ladder, a missing model, a circle; a model without from still needs its keys', () => {
    const dir = folder();
    const fail = (text: string) => {
      writeFileSync(join(dir, 'ladders/bad.yaml'), `${header}name: bad\nmodels:\n${text}`);
      return userErrorOf(() => loadLadder(join(dir, 'ladders/bad.yaml'))).format();
    };
    expect(fail('  - from: nowhere#a\n')).toMatch(/bad\.yaml(:\d+)? at \/models\/0\/from: "nowhere#a" names ladder file .*ladders\/nowhere\.yaml, which does not exist/);
    expect(fail('  - from: base#tiny-9\n')).toMatch(/at \/models\/0\/from: ladder base has no model "tiny-9" \(its models: tiny-1, tiny-4, rel\)/);
    writeFileSync(join(dir, 'ladders/loop.yaml'), `${header}name: loop\nmodels:\n  - from: bad#a\n`);
    expect(fail('  - from: loop#a\n')).toMatch(/ladders refer to each other in a circle/);
    expect(fail('  - id: x\n    params: 1\n')).toMatch(/at \/models\/0: .*source/);
  });

  it('copies another model of the same ladder (a second dtype of one rung, say), but not itself or a copy', () => {
    const dir = folder();
    const own = (extra: string) => {
      writeFileSync(join(dir, 'ladders/own.yaml'), `${header}name: own\nmodels:\n  - id: a\n    source: { folder: ${join(tinyModels, 'tiny-1')} }\n    params: 11520\n    nonEmbeddingParams: 3312\n    dtypes: [fp32, q8]\n${extra}`);
      return join(dir, 'ladders/own.yaml');
    };
    const ladder = loadLadder(own('  - from: own#a\n    id: b\n    group: a\n'));
    expect(ladder.models.map((m) => [m.id, m.params, m.group ?? null])).toEqual([
      ['a', 11520, null],
      ['b', 11520, 'a'],
    ].sort());
    expect(userErrorOf(() => loadLadder(own('  - id: c\n    from: own#c\n'))).format()).toMatch(/at \/models\/1\/from: "own#c": a model cannot copy itself/);
    expect(userErrorOf(() => loadLadder(own('  - from: own#a\n    id: b\n    group: a\n  - from: own#b\n    id: d\n    group: a\n'))).format()).toMatch(/"own#b": "b" is itself a copy \(from: own#a\)/);
  });
});
