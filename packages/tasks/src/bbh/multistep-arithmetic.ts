// BBH multistep_arithmetic_two, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference } from './shared.js';

function signed(n: number): string {
  return String(n);
}

export const multistepArithmetic = defineTask({
  id: 'bbh/multistep_arithmetic_two',
  version: 1,
  kind: 'generate',
  description: 'two bracketed groups of signed one-digit terms combined (option terms per group)',
  reference,
  defaults: { terms: 2, cot: false },
  choicesOf: { terms: [2, 3, 4] },
  chance: () => 0,
  generation: { until: ['\n'], maxTokens: 8 },
  make(rng, options): Item {
    const t = Number(options.terms);
    const ops = ['+', '-', '*'] as const;
    const group = () => {
      const nums = Array.from({ length: t }, () => rng.int(-9, 9));
      const os = Array.from({ length: t - 1 }, () => rng.pick(ops));
      const text = nums.map((n, i) => (i === 0 ? signed(n) : `${os[i - 1]} ${signed(n)}`)).join(' ');
      // Standard precedence: multiplication first, then left to right.
      const terms: bigint[] = [BigInt(nums[0]!)];
      const signs: string[] = [];
      for (let i = 1; i < t; i++) {
        const n = BigInt(nums[i]!);
        if (os[i - 1] === '*') terms[terms.length - 1] = terms[terms.length - 1]! * n;
        else {
          signs.push(os[i - 1]!);
          terms.push(n);
        }
      }
      let v = terms[0]!;
      for (let i = 1; i < terms.length; i++) v = signs[i - 1] === '+' ? v + terms[i]! : v - terms[i]!;
      return { text, value: v };
    };
    const a = group();
    const b = group();
    const op = rng.pick(ops);
    const value = op === '+' ? a.value + b.value : op === '-' ? a.value - b.value : a.value * b.value;
    return {
      input: `((${a.text}) ${op} (${b.text})) =`,
      target: value.toString(),
      rationale: `A = (${a.text}) = ${a.value}. B = (${b.text}) = ${b.value}. A ${op} B = ${a.value} ${op} ${b.value} = ${value}.`,
      metadata: { expression: `((${a.text}) ${op} (${b.text}))` },
    };
  },
});
