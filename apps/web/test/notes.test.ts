// What the page says about a ladder's files and the WebGPU adapter, without a browser.
import { describe, expect, it } from 'vitest';
import { failureNotes, gpuNote, ladderNotes } from '../src/page/notes.js';

const missing = (hub: string, ladder: string, dtype: string) => ({
  detail: `${hub} is not in the Hugging Face cache at /home/u/.cache/huggingface/hub, and the page serves models from this machine only`,
  fix: `download it once with \`pnpm bench --suite icl --ladder ${ladder} --dtype ${dtype}\`, then restart \`pnpm web\``,
});

describe('ladderNotes', () => {
  it('a Hub ladder missing from the cache is one line, not one per model × dtype', () => {
    const dtypes = ['fp32', 'fp16', 'q4', 'q4f16', 'q8'];
    const models = Array.from({ length: 7 }, (_, i) => ({ id: `m${i}`, dtypes: Object.fromEntries(dtypes.map((d) => [d, missing(`Org/m${i}`, 'big', d)])) }));
    const notes = ladderNotes({ name: 'big', file: 'big.yaml', path: 'benchmarks/ladders/big.yaml', error: null, models });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^35 model files cannot be served \(m0 fp32, fp16, q4, q4f16, q8; m1 fp32, .*; m6 .*\): each is not in the Hugging Face cache at \/home\/u\/\.cache\/huggingface\/hub, and the page serves models from this machine only — fix: download it once with `pnpm bench --suite icl --ladder big --dtype <dtype>`, then restart `pnpm web`$/);
  });

  it('different problems stay apart; a single one keeps its exact fix', () => {
    const notes = ladderNotes({
      name: 'mixed',
      file: 'mixed.yaml',
      path: 'mixed.yaml',
      error: null,
      models: [
        { id: 'hub-a', dtypes: { fp32: missing('Org/a', 'mixed', 'fp32'), q8: null } },
        { id: 'local-b', dtypes: { fp32: { detail: 'folder models/b does not exist', fix: 'check source.folder' } } },
      ],
    });
    expect(notes).toEqual([
      'hub-a fp32: Org/a is not in the Hugging Face cache at /home/u/.cache/huggingface/hub, and the page serves models from this machine only — fix: download it once with `pnpm bench --suite icl --ladder mixed --dtype fp32`, then restart `pnpm web`',
      'local-b fp32: folder models/b does not exist — fix: check source.folder',
    ]);
  });
});

describe('gpuNote', () => {
  it('says in words why the page runs on WASM', () => {
    expect(gpuNote({ webgpu: 'no adapter' })).toBe('WebGPU found no graphics adapter in this browser, so the page runs on WASM.');
    expect(gpuNote({ webgpu: 'unavailable' })).toMatch(/^This browser has no WebGPU/);
    expect(gpuNote({ webgpuFallback: 'true', webgpuAdapter: 'google swiftshader' })).toMatch(/software fallback \(google swiftshader\)/);
    expect(gpuNote({ webgpuFallback: 'false', webgpuAdapter: 'nvidia' })).toBeNull();
  });
});

describe('failureNotes', () => {
  it('models that failed the same way are one line; a different failure keeps its own', () => {
    const hub = (id: string, repo: string) => ({ id, error: `${id}: ${repo} is not in the Hugging Face cache at /c, and the page serves models from this machine only — fix: download it once` });
    expect(failureNotes([hub('a', 'Org/A'), hub('b', 'Org/B'), { id: 'c', error: 'c: out of memory' }])).toEqual([
      '2 models failed the same way (a, b); the first: a: Org/A is not in the Hugging Face cache at /c, and the page serves models from this machine only — fix: download it once',
      'c: out of memory',
    ]);
    expect(failureNotes([{ id: 'x' }])).toEqual(['x failed']);
  });
});
