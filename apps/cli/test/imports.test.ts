// Imported task formats through the real `bench` command on the tiny ladder:
// an lm-evaluation-harness task YAML over a local JSONL file, checked against
// a computation by hand from the journal's raw outputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml, shortHash } from '@emergence/core';
import { readJournal } from '@emergence/harness';

const bin = resolve(import.meta.dirname, '../bin/bench.js');

describe('bench with an lm-evaluation-harness task', () => {
  it('scores a local JSONL task; every exact-match cell equals the hand computation from the outputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-lmeval-'));
    const sums = [
      [3, 4],
      [5, 2],
      [1, 8],
      [6, 3],
      [2, 7],
      [4, 4],
    ];
    writeFileSync(join(dir, 'sums.jsonl'), sums.map(([a, b]) => JSON.stringify({ a, b, answer: String(a! + b!) })).join('\n'));
    // The tiny ladder's own arithmetic format, so the larger rungs get some right.
    writeFileSync(
      join(dir, 'sums.yaml'),
      // The answer carries its leading space: lm-eval compares the generation as produced, unstripped.
      'task: sums\ndataset_path: sums.jsonl\ntest_split: train\noutput_type: generate_until\ndoc_to_text: "Q: What is {{a}} plus {{b}}?\\nA:"\ndoc_to_target: " {{answer}}"\ntarget_delimiter: ""\ngeneration_kwargs:\n  until: ["\\n"]\n  max_gen_toks: 6\n',
    );
    writeFileSync(join(dir, 'suite.yaml'), 'name: lmeval\nseed: 3\nn: 6\nshots: [0]\ntasks:\n  - import: { format: lm-eval, path: sums.yaml }\n');
    const r = spawnSync(process.execPath, [bin, '--suite', './suite.yaml', '--out', 'r.yaml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.stderr).toContain('wrote r.yaml');
    expect(r.status).toBe(0);
    const result = loadYaml(join(dir, 'r.yaml'), 'result');
    const task = result.tasks[0]!;
    expect(task.id).toBe('lm-eval/sums');
    const journal = readJournal(join(dir, 'runs/lmeval/tiny/cpu-default.jsonl'));
    const prompts = new Set(sums.map(([a, b]) => shortHash(`Q: What is ${a} plus ${b}?\nA:`)));
    for (const cell of task.models) {
      const records = [...journal.samples.values()].filter((s) => s.model === cell.model);
      expect(records).toHaveLength(6);
      // The prompts are exactly the template's, with no preamble or delimiter added.
      expect(new Set(records.map((s) => s.promptHash))).toEqual(prompts);
      // By hand, by lm-eval's rule: the output cut at the first "\n" (the until), unstripped, equal to " <answer>".
      const answers = new Map(sums.map(([a, b]) => [shortHash(`Q: What is ${a} plus ${b}?\nA:`), ` ${a! + b!}`]));
      const byHand = records.filter((s) => s.output.split('\n')[0] === answers.get(s.promptHash)).length / records.length;
      expect(cell.metrics.exactMatch!.value, cell.model).toBeCloseTo(byHand, 6);
    }
    // The larger rungs add one-digit numbers: the hand computation is not trivially 0.
    expect(Math.max(...task.models.map((m) => m.metrics.exactMatch!.value))).toBeGreaterThan(0.5);
    expect(readFileSync(join(dir, 'r.yaml'), 'utf8')).toContain('lm-eval/sums');
  });
});
