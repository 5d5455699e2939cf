// Arithmetic after GPT-3 (Brown et al. 2020, §3.9.1): n-digit addition and
// subtraction, 2-digit multiplication, one-digit composites; each with a
// step-by-step (scratchpad) variant via `cot: true`.
import type { Rng, Task } from '@emergence/core';
import { defineTask, type Item } from './define.js';

const reference = 'Brown et al. 2020, Language Models are Few-Shot Learners, §3.9.1';
const generation = { until: ['\n'], maxTokens: 10 };

function number(rng: Rng, digits: number): bigint {
  return BigInt(rng.int(10 ** (digits - 1), 10 ** digits - 1));
}

const digitsOf = (x: bigint) => [...x.toString()].reverse().map(Number);

/** Column addition, right to left, with carries: the scratchpad a person writes. */
export function additionSteps(a: bigint, b: bigint): string {
  const da = digitsOf(a);
  const db = digitsOf(b);
  const steps: string[] = [];
  let carry = 0;
  for (let i = 0; i < Math.max(da.length, db.length); i++) {
    const x = da[i] ?? 0;
    const y = db[i] ?? 0;
    const s = x + y + carry;
    steps.push(`${x}+${y}${carry ? '+1' : ''}=${s}, write ${s % 10}${s >= 10 ? ' carry 1' : ''}.`);
    carry = s >= 10 ? 1 : 0;
  }
  if (carry) steps.push('Write the carry 1.');
  return steps.join(' ');
}

/** Column subtraction with borrows for a ≥ b. */
function subtractionSteps(a: bigint, b: bigint): string {
  if (a < b) return `${a} is less than ${b}, so compute ${b}-${a} and negate. ${subtractionSteps(b, a)}`;
  const da = digitsOf(a);
  const db = digitsOf(b);
  const steps: string[] = [];
  let borrow = 0;
  for (let i = 0; i < da.length; i++) {
    const x = da[i]! - borrow;
    const y = db[i] ?? 0;
    borrow = x < y ? 1 : 0;
    steps.push(`${x + borrow * 10}-${y}=${x + borrow * 10 - y}${borrow ? ' borrow 1' : ''}.`);
  }
  return steps.join(' ');
}

const digitsChoice = [1, 2, 3, 4, 5] as const;

function binary(
  name: string,
  word: string,
  op: (a: bigint, b: bigint) => bigint,
  steps: (a: bigint, b: bigint) => string,
  defaults: { digits: number },
): Task {
  return defineTask({
    id: `arithmetic/${name}`,
    version: 1,
    kind: 'generate',
    description: `${word} of two n-digit numbers (option digits)`,
    reference,
    defaults: { digits: defaults.digits, cot: false },
    choicesOf: { digits: digitsChoice },
    chance: () => 0,
    generation,
    make(rng, options) {
      const d = Number(options.digits);
      const a = number(rng, d);
      const b = number(rng, d);
      const target = op(a, b).toString();
      return { input: `What is ${a} ${word} ${b}?`, target, rationale: steps(a, b), metadata: { a: a.toString(), b: b.toString() } };
    },
  });
}

export const addition = binary('addition', 'plus', (a, b) => a + b, additionSteps, { digits: 2 });
export const subtraction = binary('subtraction', 'minus', (a, b) => a - b, subtractionSteps, { digits: 2 });

export const multiplication = defineTask({
  id: 'arithmetic/multiplication',
  version: 1,
  kind: 'generate',
  description: 'product of two 2-digit numbers',
  reference,
  defaults: { digits: 2, cot: false },
  choicesOf: { digits: [1, 2, 3] },
  chance: () => 0,
  generation,
  make(rng, options): Item {
    const d = Number(options.digits);
    const a = number(rng, d);
    const b = number(rng, d);
    const tens = (b / 10n) * 10n;
    const ones = b % 10n;
    const rationale =
      tens === 0n ? `${a}*${ones}=${a * ones}.` : `${a}*${b} = ${a}*${tens} + ${a}*${ones} = ${a * tens} + ${a * ones} = ${a * b}.`;
    return { input: `What is ${a} times ${b}?`, target: (a * b).toString(), rationale, metadata: { a: a.toString(), b: b.toString() } };
  },
});

type Op = '+' | '-' | '*';
const apply = (x: number, op: Op, y: number) => (op === '+' ? x + y : op === '-' ? x - y : x * y);

export const composite = defineTask({
  id: 'arithmetic/composite',
  version: 1,
  kind: 'generate',
  description: 'three one-digit operands, e.g. 6+(4*8)',
  reference,
  defaults: { cot: false },
  chance: () => 0,
  generation,
  make(rng): Item {
    const ops: Op[] = ['+', '-', '*'];
    const [a, b, c] = [rng.int(0, 9), rng.int(0, 9), rng.int(0, 9)];
    const [p, q] = [rng.pick(ops), rng.pick(ops)];
    const innerFirst = rng.next() < 0.5;
    if (innerFirst) {
      const inner = apply(a, p, b);
      const value = apply(inner, q, c);
      return {
        input: `What is (${a}${p}${b})${q}${c}?`,
        target: String(value),
        rationale: `${a}${p}${b}=${inner}. ${inner}${q}${c}=${value}.`,
        metadata: { expression: `(${a}${p}${b})${q}${c}` },
      };
    }
    const inner = apply(b, q, c);
    const value = apply(a, p, inner);
    return {
      input: `What is ${a}${p}(${b}${q}${c})?`,
      target: String(value),
      rationale: `${b}${q}${c}=${inner}. ${a}${p}${inner}=${value}.`,
      metadata: { expression: `${a}${p}(${b}${q}${c})` },
    };
  },
});

export const arithmeticTasks: Task[] = [addition, subtraction, multiplication, composite];
