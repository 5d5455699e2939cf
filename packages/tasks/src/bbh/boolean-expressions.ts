// BBH boolean_expressions, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import type { Rng } from '@emergence/core';
import { defineTask, type Item } from '../define.js';
import { reference } from './shared.js';

type BoolExpr = { kind: 'const'; value: boolean } | { kind: 'not'; arg: BoolExpr } | { kind: 'and' | 'or'; left: BoolExpr; right: BoolExpr };

function boolExpr(rng: Rng, depth: number): BoolExpr {
  if (depth === 0) return { kind: 'const', value: rng.next() < 0.5 };
  const r = rng.next();
  if (r < 0.25) return { kind: 'not', arg: boolExpr(rng, depth - 1) };
  return { kind: r < 0.625 ? 'and' : 'or', left: boolExpr(rng, depth - 1), right: boolExpr(rng, rng.int(0, depth - 1)) };
}

function showBool(e: BoolExpr, top = true): string {
  switch (e.kind) {
    case 'const':
      return e.value ? 'True' : 'False';
    case 'not':
      return `not ${showBool(e.arg, false)}`;
    default: {
      const s = `${showBool(e.left, false)} ${e.kind} ${showBool(e.right, false)}`;
      return top ? s : `( ${s} )`;
    }
  }
}

function evalBool(e: BoolExpr, steps: string[]): boolean {
  switch (e.kind) {
    case 'const':
      return e.value;
    case 'not': {
      const v = !evalBool(e.arg, steps);
      if (e.arg.kind !== 'const') steps.push(`${showBool(e)} = ${v ? 'True' : 'False'}.`);
      return v;
    }
    default: {
      const l = evalBool(e.left, steps);
      const r = evalBool(e.right, steps);
      const v = e.kind === 'and' ? l && r : l || r;
      steps.push(`${showBool(e)} = ${v ? 'True' : 'False'}.`);
      return v;
    }
  }
}

export const booleanExpressions = defineTask({
  id: 'bbh/boolean_expressions',
  version: 1,
  kind: 'generate',
  description: 'evaluate a nested boolean expression (option depth)',
  reference,
  defaults: { depth: 2, cot: false },
  choicesOf: { depth: [1, 2, 3, 4] },
  chance: () => 0.5,
  generation: { until: ['\n'], maxTokens: 6 },
  make(rng, options): Item {
    const e = boolExpr(rng, Number(options.depth));
    const steps: string[] = [];
    const v = evalBool(e, steps);
    const expression = showBool(e);
    return { input: `${expression} is`, target: v ? 'True' : 'False', rationale: steps.join(' ') || `${expression} is given.`, metadata: { expression } };
  },
});
