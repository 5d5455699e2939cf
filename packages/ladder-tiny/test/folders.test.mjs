// Every rung is laid out like a Hugging Face Optimum export.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const models = join(import.meta.dirname, '..', 'models');

test('every rung has the files transformers.js loads, within the size budget', () => {
  const rungs = readdirSync(models).filter((d) => statSync(join(models, d)).isDirectory());
  assert.ok(rungs.length >= 5, `expected at least 5 rungs, found ${rungs.join(', ')}`);
  let bytes = 0;
  for (const r of rungs) {
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx', 'reference.json', 'training.json']) {
      assert.ok(existsSync(join(models, r, f)), `${r}/${f} is missing`);
    }
    const config = JSON.parse(readFileSync(join(models, r, 'config.json'), 'utf8'));
    assert.equal(config.model_type, 'gpt2');
    assert.ok(config.n_positions >= 512, 'context must hold a 16-shot ICL prompt');
    const tok = JSON.parse(readFileSync(join(models, r, 'tokenizer_config.json'), 'utf8'));
    assert.equal(tok.padding_side, 'left');
    assert.equal(tok.clean_up_tokenization_spaces, false);
    for (const f of readdirSync(join(models, r, 'onnx'))) bytes += statSync(join(models, r, 'onnx', f)).size;
  }
  assert.ok(bytes < 45 * 1024 * 1024, `committed weights are ${(bytes / 1048576).toFixed(1)} MB`);
});

test('non-embedding parameters span two orders of magnitude', () => {
  const cards = readdirSync(models).map((d) => JSON.parse(readFileSync(join(models, d, 'training.json'), 'utf8')));
  const sizes = cards.map((c) => c.nonEmbeddingParams).sort((a, b) => a - b);
  assert.ok(sizes[sizes.length - 1] / sizes[0] >= 100, `span is ${sizes[sizes.length - 1] / sizes[0]}`);
  const tokens = new Set(cards.map((c) => c.tokens));
  assert.equal(tokens.size, 1, 'every rung sees the same tokens');
});
