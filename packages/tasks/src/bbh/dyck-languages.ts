// BBH dyck_languages, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference } from './shared.js';

const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

export const dyckLanguages = defineTask({
  id: 'bbh/dyck_languages',
  version: 1,
  kind: 'generate',
  description: 'close the open brackets of a Dyck-4 prefix (option length)',
  reference,
  defaults: { length: 8, cot: false },
  choicesOf: { length: [4, 6, 8, 12, 16, 20] },
  chance: () => 0,
  generation: { until: ['\n'], maxTokens: 40 },
  make(rng, options): Item {
    const length = Number(options.length);
    const seq: string[] = [];
    const stack: string[] = [];
    while (seq.length < length || stack.length === 0) {
      const close = stack.length > 0 && rng.next() < 0.4 && seq.length < length;
      if (close) seq.push(pairs[stack.pop()!]!);
      else {
        const o = rng.pick(Object.keys(pairs));
        seq.push(o);
        stack.push(o);
      }
    }
    const closing = [...stack].reverse().map((o) => pairs[o]!);
    return {
      input: `Complete the rest of the sequence, making sure that the parentheses are closed properly. Input: ${seq.join(' ')}`,
      target: closing.join(' '),
      rationale: `The stack of open brackets is ${stack.join(' ')}. Close them from the last: ${closing.join(' ')}.`,
      metadata: { prefix: seq.join(' ') },
    };
  },
});
