// BIG-Bench-Hard-style reasoning (Suzgun et al. 2022), generated in BBH's
// formats with difficulty knobs. `cot: true` shows demonstrations with a
// rationale ending "So the answer is X." and extracts X.
import type { Rng, Task } from '@emergence/core';
import { defineTask, type Item } from './define.js';

const reference = 'Suzgun et al. 2022, Challenging BIG-Bench Tasks and Whether Chain-of-Thought Can Solve Them';
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const option = (i: number) => `(${letters[i]})`;
const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
const optionsBlock = (texts: string[]) => `Options:\n${texts.map((t, i) => `${option(i)} ${t}`).join('\n')}`;

// ---------------------------------------------------------------- boolean_expressions

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

// ---------------------------------------------------------------- multistep_arithmetic_two

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

// ---------------------------------------------------------------- dyck_languages

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

// ---------------------------------------------------------------- word_sorting

export const wordList = (
  'apple river stone cloud garden honey island jacket kettle lemon mirror needle orange pencil quiet rabbit ' +
  'saddle tunnel umbrella velvet window yellow zebra anchor basket candle dragon engine forest guitar hammer ' +
  'insect jungle kitten ladder magnet number oyster planet question rocket silver tomato unicorn violin walnut ' +
  'butter castle desert feather glove harbor ink jelly kingdom lantern meadow nest ocean puzzle quilt ribbon ' +
  'shadow thunder valley wagon yard bridge cotton dinner eagle fabric gravel helmet iron jewel knot lizard ' +
  'marble noodle onion parrot rain salt table urban vessel whale crayon donkey elbow falcon ginger hollow ' +
  'igloo jigsaw koala lobster mango napkin orbit pepper radish spoon tiger vase wolf bottle cactus dolphin ' +
  'acorn blanket cherry daisy empire fossil goblet hazel iris jasmine kernel lagoon maple nectar olive pillow ' +
  'quarry raven sapphire timber tulip vapor willow yogurt zipper almond beacon canyon domino ember fjord glacier ' +
  'harvest ivory juniper kayak lilac mosaic nickel orchid pebble quartz rascal saffron tundra utensil vortex ' +
  'wizard anvil bamboo cobalt dune eclipse fiddle gecko hornet indigo jester kiwi locket mitten nomad oasis ' +
  'panda quiver ridge scarf trumpet velcro wheat yacht badger comet drizzle fern goose hatchet'
).split(' ');

export const wordSorting = defineTask({
  id: 'bbh/word_sorting',
  version: 1,
  kind: 'generate',
  description: 'sort a list of words alphabetically (option words)',
  reference,
  defaults: { words: 4, cot: false },
  choicesOf: { words: [2, 3, 4, 6, 8, 10, 12] },
  chance: () => 0,
  generation: { until: ['\n'], maxTokens: 100 },
  make(rng, options): Item {
    const words = rng.sample(wordList, Number(options.words));
    const sorted = [...words].sort();
    return {
      input: `Sort the following words alphabetically: List: ${words.join(' ')}`,
      target: sorted.join(' '),
      rationale: `The first letters are ${words.map((w) => `${w}: ${w[0]}`).join(', ')}. In order: ${sorted.join(' < ')}.`,
    };
  },
});

// ---------------------------------------------------------------- object_counting

const numberWords = ['zero', 'one', 'two', 'three', 'four', 'five'];
const categories: Record<string, string[]> = {
  fruits: ['apple', 'banana', 'peach', 'plum', 'grape', 'orange', 'strawberry', 'nectarine'],
  vegetables: ['carrot', 'potato', 'onion', 'cabbage', 'yam', 'celery stalk', 'garlic', 'lettuce head'],
  animals: ['cat', 'dog', 'goat', 'rabbit', 'pig', 'cow', 'chicken', 'donkey'],
  instruments: ['piano', 'flute', 'drum', 'violin', 'trumpet', 'trombone', 'clarinet', 'accordion'],
};

export const objectCounting = defineTask({
  id: 'bbh/object_counting',
  version: 1,
  kind: 'generate',
  description: 'count the items of one category among distractors (option items)',
  reference,
  defaults: { items: 4, cot: false },
  choicesOf: { items: [2, 3, 4, 5, 6, 8] },
  chance: () => 0,
  generation: { until: ['\n'], maxTokens: 4 },
  make(rng, options): Item {
    const names = Object.keys(categories);
    const [asked, other] = rng.sample(names, 2) as [string, string];
    const count = Number(options.items);
    const parts: { name: string; qty: number; asked: boolean }[] = [];
    const usedAsked = rng.sample(categories[asked]!, Math.min(count, 4));
    const usedOther = rng.sample(categories[other]!, rng.int(1, 2));
    for (const name of usedAsked) parts.push({ name, qty: rng.int(1, 3), asked: true });
    for (const name of usedOther) parts.push({ name, qty: rng.int(1, 2), asked: false });
    const shown = rng.shuffle(parts);
    const phrase = (p: { name: string; qty: number }) =>
      p.qty === 1 ? `${article(p.name)} ${p.name}` : `${numberWords[p.qty]} ${p.name.endsWith('y') ? `${p.name.slice(0, -1)}ies` : p.name.endsWith('h') ? `${p.name}es` : `${p.name}s`}`;
    const list = shown.map(phrase);
    const text = list.length > 1 ? `${list.slice(0, -1).join(', ')}, and ${list[list.length - 1]}` : list[0]!;
    const total = shown.filter((p) => p.asked).reduce((s, p) => s + p.qty, 0);
    const counted = shown.filter((p) => p.asked);
    return {
      input: `I have ${text}. How many ${asked} do I have?`,
      target: String(total),
      rationale: `The ${asked} are ${counted.map((p) => `${phrase(p)} (${p.qty})`).join(', ')}. ${counted.map((p) => p.qty).join(' + ')} = ${total}.`,
    };
  },
});

// ---------------------------------------------------------------- navigate

export const navigate = defineTask({
  id: 'bbh/navigate',
  version: 1,
  kind: 'generate',
  description: 'do the steps return to the start? (option steps)',
  reference,
  defaults: { steps: 4, cot: false },
  choicesOf: { steps: [2, 3, 4, 5, 6, 8] },
  chance: () => 0.5,
  generation: { until: ['\n'], maxTokens: 4 },
  make(rng, options): Item {
    const n = Number(options.steps);
    const dirs = { forward: [0, 1], backward: [0, -1], left: [-1, 0], right: [1, 0] } as const;
    const names = Object.keys(dirs) as (keyof typeof dirs)[];
    const opposite = { forward: 'backward', backward: 'forward', left: 'right', right: 'left' } as const;
    let steps: { dir: keyof typeof dirs; k: number }[] = [];
    if (rng.next() < 0.5) {
      // Half the items return by construction (moves paired with their reverses), so "Yes" and "No" are balanced.
      while (steps.length + 2 <= n) {
        const dir = rng.pick(names);
        const k = rng.int(2, 9);
        steps.push({ dir, k }, { dir: opposite[dir], k });
      }
      if (steps.length < n) {
        // Odd count: split one move in two.
        const first = steps[0]!;
        const part = rng.int(1, first.k - 1);
        steps.splice(0, 1, { dir: first.dir, k: part }, { dir: first.dir, k: first.k - part });
      }
      steps = rng.shuffle(steps);
    } else {
      for (let i = 0; i < n; i++) steps.push({ dir: rng.pick(names), k: rng.int(1, 9) });
    }
    let x = 0;
    let y = 0;
    const trace: string[] = [];
    for (const s of steps) {
      x += dirs[s.dir][0] * s.k;
      y += dirs[s.dir][1] * s.k;
      trace.push(`(${x}, ${y})`);
    }
    const back = x === 0 && y === 0;
    const text = steps.map((s) => `Take ${s.k} step${s.k > 1 ? 's' : ''} ${s.dir}.`).join(' ');
    return {
      input: `If you follow these instructions, do you return to the starting point? Always face forward. ${text}\nOptions:\n- Yes\n- No`,
      target: back ? 'Yes' : 'No',
      rationale: `Start at (0, 0). Positions: ${trace.join(', ')}. The end is ${back ? '' : 'not '}the start.`,
    };
  },
});

// ---------------------------------------------------------------- web_of_lies

export const people = ['Alice', 'Bob', 'Claire', 'Dave', 'Eve', 'Fred', 'Gwen', 'Hank', 'Ida', 'Jack', 'Kate', 'Leo'];

export const webOfLies = defineTask({
  id: 'bbh/web_of_lies',
  version: 1,
  kind: 'generate',
  description: 'follow a chain of people calling each other liars (option people)',
  reference,
  defaults: { people: 5, cot: false },
  choicesOf: { people: [2, 3, 4, 5, 6, 7] },
  chance: () => 0.5,
  generation: { until: ['\n'], maxTokens: 4 },
  make(rng, options): Item {
    const chain = rng.sample(people, Number(options.people));
    let truthful = rng.next() < 0.5;
    const sentences = [`${chain[0]} ${truthful ? 'tells the truth' : 'lies'}.`];
    const steps = [`${chain[0]} ${truthful ? 'tells the truth' : 'lies'}.`];
    for (let i = 1; i < chain.length; i++) {
      const claimTruth = rng.next() < 0.5;
      sentences.push(`${chain[i]} says ${chain[i - 1]} ${claimTruth ? 'tells the truth' : 'lies'}.`);
      truthful = claimTruth === truthful;
      steps.push(`${chain[i]} ${truthful ? 'tells the truth' : 'lies'}.`);
    }
    return {
      input: `Question: ${sentences.join(' ')} Does ${chain[chain.length - 1]} tell the truth?`,
      target: truthful ? 'Yes' : 'No',
      rationale: steps.join(' '),
    };
  },
});

// ---------------------------------------------------------------- tracking_shuffled_objects

const balls = ['red', 'blue', 'green', 'yellow', 'white', 'black', 'purple', 'orange', 'pink'];

export const trackingShuffledObjects = defineTask({
  id: 'bbh/tracking_shuffled_objects',
  version: 1,
  kind: 'generate',
  description: 'who holds which ball after pairwise swaps (option objects: 3, 5, 7)',
  reference,
  defaults: { objects: 3, cot: false },
  choicesOf: { objects: [3, 5, 7] },
  chance: (o) => 1 / Number(o.objects),
  generation: { until: ['\n'], maxTokens: 5 },
  make(rng, options): Item {
    const n = Number(options.objects);
    const who = people.slice(0, n);
    const colors = rng.sample(balls, n);
    const holding = [...colors];
    const swaps: [number, number][] = [];
    const ordinals = ['First', 'Then', 'Then', 'Then', 'Then', 'Then', 'Then'];
    const state: string[] = [];
    for (let s = 0; s < n; s++) {
      const [i, j] = rng.sample([...who.keys()], 2) as [number, number];
      swaps.push([i, j]);
      [holding[i], holding[j]] = [holding[j]!, holding[i]!];
      state.push(`${who[i]} has ${holding[i]}, ${who[j]} has ${holding[j]}.`);
    }
    const asked = rng.int(0, n - 1);
    const answer = colors.indexOf(holding[asked]!);
    const listing = who.map((p, i) => `${p} has ${article(colors[i]!)} ${colors[i]} ball`);
    const swapText = swaps
      .map(([i, j], s) => `${s === n - 1 ? 'Finally' : ordinals[s]}, ${who[i]} and ${who[j]} swap balls.`)
      .join(' ');
    return {
      input:
        `${who.slice(0, -1).join(', ')}, and ${who[n - 1]} are playing a game. At the start of the game, they are each holding a ball: ` +
        `${listing.slice(0, -1).join(', ')}, and ${listing[n - 1]}. As the game progresses, pairs of players trade balls. ${swapText} ` +
        `At the end of the game, ${who[asked]} has the\n${optionsBlock(colors.map((c) => `${c} ball`))}`,
      target: option(answer),
      rationale: `${state.join(' ')} ${who[asked]} ends with the ${holding[asked]} ball.`,
      metadata: { colors: colors.join(','), swaps: swaps.map(([i, j]) => `${i}-${j}`).join(','), asked },
    };
  },
});

// ---------------------------------------------------------------- logical_deduction

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

// ---------------------------------------------------------------- date_understanding

const pad = (n: number) => String(n).padStart(2, '0');
export const formatDate = (d: Date) => `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
const shifts = [
  { text: 'tomorrow', days: 1 },
  { text: 'yesterday', days: -1 },
  { text: 'one week from today', days: 7 },
  { text: 'one week ago', days: -7 },
  { text: '10 days ago', days: -10 },
  { text: '24 hours later', days: 1 },
  { text: 'two days from today', days: 2 },
] as const;

export const dateUnderstanding = defineTask({
  id: 'bbh/date_understanding',
  version: 1,
  kind: 'generate',
  description: 'date arithmetic in MM/DD/YYYY across month and year ends',
  reference,
  defaults: { options: 4, cot: false },
  choicesOf: { options: [2, 3, 4, 5, 6] },
  chance: (o) => 1 / Number(o.options),
  generation: { until: ['\n'], maxTokens: 5 },
  make(rng, options): Item {
    const day = Date.UTC(rng.int(1990, 2030), rng.int(0, 11), rng.int(1, 28));
    const today = new Date(day);
    const shift = rng.pick(shifts);
    const answer = new Date(day + shift.days * 86_400_000);
    const k = Number(options.options);
    const wrong = new Set<string>();
    const offsets = rng.shuffle([-30, -3, -2, -1, 1, 2, 3, 365, -365, 30]);
    for (const o of offsets) {
      if (wrong.size === k - 1) break;
      const d = formatDate(new Date(answer.getTime() + o * 86_400_000));
      if (d !== formatDate(answer)) wrong.add(d);
    }
    const choices = rng.shuffle([formatDate(answer), ...wrong]);
    const gold = choices.indexOf(formatDate(answer));
    return {
      input: `Today is ${formatDate(today)}. What is the date ${shift.text} in MM/DD/YYYY?\n${optionsBlock(choices)}`,
      target: option(gold),
      rationale: `Today is ${formatDate(today)}. ${shift.text[0]!.toUpperCase()}${shift.text.slice(1)} is ${Math.abs(shift.days)} day${Math.abs(shift.days) > 1 ? 's' : ''} ${shift.days > 0 ? 'later' : 'earlier'}: ${formatDate(answer)}.`,
      metadata: { today: formatDate(today), days: shift.days, choices: choices.join(',') },
    };
  },
});

export const bbhTasks: Task[] = [
  booleanExpressions,
  multistepArithmetic,
  dyckLanguages,
  wordSorting,
  objectCounting,
  navigate,
  webOfLies,
  trackingShuffledObjects,
  logicalDeduction,
  dateUnderstanding,
];
