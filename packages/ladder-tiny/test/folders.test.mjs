// Every rung is laid out like a Hugging Face Optimum export.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const models = join(import.meta.dirname, '..', 'models');

test('every rung has the files transformers.js loads, within the size budget', () => {
  const rungs = readdirSync(models).filter((d) => statSync(join(models, d)).isDirectory());
  assert.ok(rungs.length >= 6, `expected at least 6 rungs, found ${rungs.join(', ')}`);
  let bytes = 0;
  for (const r of rungs) {
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx', 'reference.json', 'training.json', 'SHA256SUMS']) {
      assert.ok(existsSync(join(models, r, f)), `${r}/${f} is missing`);
    }
    const config = JSON.parse(readFileSync(join(models, r, 'config.json'), 'utf8'));
    assert.equal(config.model_type, 'gpt2');
    // Long prompts are cut from the left to the window; 256 holds an 8-shot label-mapping prompt.
    assert.ok(config.n_positions >= 256, 'context must hold the suites\' prompts');
    const tok = JSON.parse(readFileSync(join(models, r, 'tokenizer_config.json'), 'utf8'));
    assert.equal(tok.padding_side, 'left');
    assert.equal(tok.clean_up_tokenization_spaces, false);
    for (const f of readdirSync(join(models, r, 'onnx'))) bytes += statSync(join(models, r, 'onnx', f)).size;
  }
  assert.ok(bytes < 60 * 1024 * 1024, `committed weights are ${(bytes / 1048576).toFixed(1)} MB`);
});

test('every file of every rung matches its SHA256SUMS', () => {
  for (const r of readdirSync(models)) {
    const lines = readFileSync(join(models, r, 'SHA256SUMS'), 'utf8').trim().split('\n');
    assert.ok(lines.some((l) => l.endsWith('  onnx/model.onnx')), `${r}: SHA256SUMS lists onnx/model.onnx`);
    for (const line of lines) {
      const [sum, file] = line.split('  ');
      const got = createHash('sha256').update(readFileSync(join(models, r, file))).digest('hex');
      assert.equal(got, sum, `${r}/${file} changed since tools/ladder/write-ladder.ts listed it`);
    }
  }
});

test('non-embedding parameters span two orders of magnitude', () => {
  const cards = readdirSync(models).map((d) => JSON.parse(readFileSync(join(models, d, 'training.json'), 'utf8')));
  const sizes = cards.map((c) => c.nonEmbeddingParams).sort((a, b) => a - b);
  assert.ok(sizes[sizes.length - 1] / sizes[0] >= 100, `span is ${sizes[sizes.length - 1] / sizes[0]}`);
  const tokens = new Set(cards.map((c) => c.tokens));
  assert.equal(tokens.size, 1, 'every rung sees the same tokens');
  const steps = new Set(cards.map((c) => JSON.stringify(c.steps)));
  assert.equal(steps.size, 1, 'every rung takes the same optimizer steps');
});
