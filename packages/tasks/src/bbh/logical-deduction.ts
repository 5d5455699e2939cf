// BBH logical_deduction, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference, option, optionsBlock } from './shared.js';

const shelfObjects = ['white book', 'green book', 'orange book', 'red book', 'blue book', 'black book', 'gray book'];
const ordinalWords = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh'];

type Clue = { kind: 'leftOf'; a: number; b: number } | { kind: 'at'; a: number; pos: number };

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Orders (object → position) consistent with every clue. */
export function consistentOrders(n: number, clues: Clue[]): number[][] {
  return permutations(n).filter((pos) => clues.every((c) => (c.kind === 'leftOf' ? pos[c.a]! < pos[c.b]! : pos[c.a] === c.pos)));
}

function positionName(pos: number, n: number): string {
  if (pos === 0) return 'leftmost';
  if (pos === n - 1) return 'rightmost';
  return `${ordinalWords[pos]} from the left`;
}

export const logicalDeduction = defineTask({
  id: 'bbh/logical_deduction',
  version: 1,
  kind: 'generate',
  description: 'place objects on a shelf from clues with a unique solution (option objects)',
  reference,
  defaults: { objects: 3, cot: false },
  choicesOf: { objects: [3, 5, 7] },
  chance: (o) => 1 / Number(o.objects),
  generation: { until: ['\n'], maxTokens: 5 },
  make(rng, options): Item {
    const n = Number(options.objects);
    const objs = rng.sample(shelfObjects, n);
    const truth = rng.shuffle([...Array(n).keys()]); // truth[i] = position of object i
    const clues: Clue[] = [];
    // Add true clues until exactly one order is consistent: the answer is unique.
    while (consistentOrders(n, clues).length > 1) {
      let clue: Clue;
      if (rng.next() < 0.7) {
        const [a, b] = rng.sample([...Array(n).keys()], 2) as [number, number];
        clue = truth[a]! < truth[b]! ? { kind: 'leftOf', a, b } : { kind: 'leftOf', a: b, b: a };
      } else {
        const a = rng.int(0, n - 1);
        clue = { kind: 'at', a, pos: truth[a]! };
      }
      // A clue that repeats one already given adds nothing; draw another.
      if (!clues.some((c) => JSON.stringify(c) === JSON.stringify(clue))) clues.push(clue);
    }
    const sentences = clues.map((c) =>
      c.kind === 'leftOf' ? `The ${objs[c.a]} is to the left of the ${objs[c.b]}.` : `The ${objs[c.a]} is the ${positionName(c.pos, n)}.`,
    );
    const askedPos = rng.int(0, n - 1);
    const answer = truth.indexOf(askedPos);
    const order = [...objs].sort((x, y) => truth[objs.indexOf(x)]! - truth[objs.indexOf(y)]!);
    const word = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven'][n];
    return {
      input:
        `The following paragraphs each describe a set of ${word} objects arranged in a fixed order. The statements are logically consistent within each paragraph. ` +
        `On a shelf, there are ${word} books: ${objs.slice(0, -1).map((o) => `a ${o}`).join(', ')}, and a ${objs[n - 1]}. ${sentences.join(' ')}\n` +
        optionsBlock(objs.map((o) => `The ${o} is the ${positionName(askedPos, n)}`)),
      target: option(answer),
      rationale: `From left to right the order is: ${order.join(', ')}. The ${positionName(askedPos, n)} is the ${objs[answer]}.`,
      metadata: { clues: JSON.stringify(clues), truth: truth.join(','), askedPos },
    };
  },
});
