import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareResults, tolerance } from './compare.js';
import type { Result } from './types.js';
import { parseValidated } from './yaml.js';

const file = join(import.meta.dirname, '../../../results/icl/tiny.yaml');
const committed = () => parseValidated(readFileSync(file, 'utf8'), file, 'result');

describe('compareResults', () => {
  it('a result compared with itself has no regressions and no changed rows', () => {
    const c = compareResults(committed(), committed());
    expect(c.regressions).toEqual([]);
    expect(c.markdown).toContain('**No regressions**');
    expect(c.markdown).not.toContain('| task |');
  });

  it('a drop beyond the combined margin regresses; one inside it does not', () => {
    const base = committed();
    const at = (r: Result) => r.tasks.findIndex((t) => t.id === 'icl/label-mapping');
    const task = base.tasks[at(base)]!;
    const metric = task.continuous;
    const iv = task.models[4]!.metrics[metric]!;
    const tol = tolerance(iv, iv);
    // Brier score: lower is better, so "worse" is up.
    expect(metric).toBe('brierScore');
    for (const [shift, regresses] of [
      [tol * 1.2, true],
      [tol * 0.8, false],
      [-tol * 1.2, false],
    ] as const) {
      const head = committed();
      const m = head.tasks[at(head)]!.models[4]!.metrics[metric]!;
      m.value += shift;
      const c = compareResults(base, head);
      expect(c.regressions.length, String(shift)).toBe(regresses ? 1 : 0);
      if (regresses) expect(c.regressions[0]).toContain(`${task.id} × tiny-5: brierScore`);
      expect(c.markdown).toContain(regresses ? '❌ worse' : shift < 0 ? '✅ better' : 'same');
    }
  });

  it('a missing task or model is a regression; a different n is a note', () => {
    const base = committed();
    const head = committed();
    head.tasks.pop();
    const last = head.tasks[0]!.models.pop()!;
    head.suite.n = 2;
    const c = compareResults(base, head);
    expect(c.regressions).toContain(`task ${base.tasks.at(-1)!.id} is missing from head`);
    expect(c.regressions).toContain(`${base.tasks[0]!.id} × ${last.model}: missing from head`);
    expect(c.notes.join('\n')).toMatch(/n differ .* sampling noise/);
  });
});
