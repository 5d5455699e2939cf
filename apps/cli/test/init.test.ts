// `bench init ladder`: parameter counts read from ONNX exports must equal the
// counts training measured (tiny ladder) and torch's own (the Hub twins).
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError, loadYaml } from '@emergence/core';
import { loadLadder } from '@emergence/harness';
import { init } from '../src/commands/init.js';

const root = resolve(import.meta.dirname, '../../..');
const tinyModels = join(root, 'packages/ladder-tiny/models');
const twins = join(root, 'packages/backends/src/__fixtures__/hub-twins');

function io(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (t: string) => {
      out.stdout += t;
    },
    stderr: (t: string) => {
      out.stderr += t;
    },
    cwd,
    env: {},
    isTTY: false,
  };
  return { out, io };
}

describe('bench init ladder', () => {
  it('writes the tiny ladder again from its folders: the same exact counts, dtypes and windows as benchmarks/ladders/tiny.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-init-'));
    const { out, io: fake } = io(dir);
    const folders = readdirSync(tinyModels).map((d) => join(tinyModels, d)).reverse();
    expect(await init(['ladder', ...folders, '--name', 'again'], fake)).toBe(0);
    expect(out.stdout).toMatch(/^wrote again\.yaml \(ladder again, 7 models, smallest first\)/);
    // The written file is a ladder `bench` runs: it validates and its folders resolve.
    const written = loadLadder(join(dir, 'again.yaml'));
    const shipped = loadYaml(join(root, 'benchmarks/ladders/tiny.yaml'), 'ladder');
    expect(written.models.map((m) => m.id)).toEqual(shipped.models.map((m) => m.id));
    for (const m of shipped.models) {
      const w = written.models.find((x) => x.id === m.id)!;
      expect({ params: w.params, nonEmbeddingParams: w.nonEmbeddingParams, dtypes: w.dtypes, contextLength: w.contextLength }, m.id).toEqual({
        params: m.params,
        nonEmbeddingParams: m.nonEmbeddingParams,
        dtypes: m.dtypes,
        contextLength: m.contextLength,
      });
    }
    expect(readFileSync(join(dir, 'again.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=.*packages\/core\/schemas\/ladder\.schema\.json\n/);
  });

  it.skipIf(!existsSync(twins))('counts the Hub architectures (llama, qwen2, gpt_neox, gpt2) as torch does: tied copies once, rotary tables and masks left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-init-'));
    const names = readdirSync(twins).filter((d) => !d.endsWith('.json'));
    expect(names.length).toBeGreaterThanOrEqual(4);
    const { io: fake } = io(dir);
    expect(await init(['ladder', ...names.map((n) => join(twins, n)), '--name', 'twins'], fake)).toBe(0);
    const written = loadYaml(join(dir, 'twins.yaml'), 'ladder');
    for (const name of names) {
      const reference = JSON.parse(readFileSync(join(twins, `${name}.reference.json`), 'utf8')) as { params: number; nonEmbeddingParams: number };
      const m = written.models.find((x) => x.id === name)!;
      expect({ params: m.params, nonEmbeddingParams: m.nonEmbeddingParams }, name).toEqual({ params: reference.params, nonEmbeddingParams: reference.nonEmbeddingParams });
      // Every dtype listed has its file, named as transformers.js looks for it.
      const dtypes = m.dtypes ?? [];
      expect(dtypes.slice(0, 3)).toEqual(['fp32', 'fp16', 'q8']);
      const file = (d: string) => (d === 'fp32' ? 'model.onnx' : d === 'q8' ? 'model_quantized.onnx' : `model_${d}.onnx`);
      for (const d of dtypes) expect(existsSync(join(twins, name, 'onnx', file(d))), `${name} ${d}`).toBe(true);
      expect(dtypes).toHaveLength(readdirSync(join(twins, name, 'onnx')).filter((f) => f.endsWith('.onnx')).length);
    }
  });

  it('says what is wrong: no config.json, no ONNX file, an existing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-init-'));
    mkdirSync(join(dir, 'models/empty'), { recursive: true });
    mkdirSync(join(dir, 'models/no-onnx'), { recursive: true });
    writeFileSync(join(dir, 'models/no-onnx/config.json'), '{"vocab_size": 10, "hidden_size": 4}');
    const { io: fake } = io(dir);
    const fail = (args: string[]) => init(args, fake).then(() => null, (e: unknown) => (e instanceof UserError ? e.format() : String(e)));
    expect(await fail(['ladder', 'models/empty'])).toMatch(/no config\.json in this model folder/);
    expect(await fail(['ladder', 'models/no-onnx'])).toMatch(/no onnx\/model\*\.onnx file in this model folder/);
    expect(await fail(['ladder'])).toMatch(/give the model folders of the ladder/);
    expect(await fail(['suite', 'x'])).toMatch(/bench init makes a ladder; got "suite"/);
    writeFileSync(join(dir, 'taken.yaml'), 'x');
    expect(await fail(['ladder', join(tinyModels, 'tiny-1'), '--out', 'taken.yaml'])).toMatch(/the ladder file exists/);
    expect(readFileSync(join(dir, 'taken.yaml'), 'utf8')).toBe('x');
  });
});
