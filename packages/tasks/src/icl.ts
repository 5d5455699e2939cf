// In-context learning. Every episode draws a fresh mapping, so only the
// demonstrations in the prompt can tell the model the answer.
import type { LoglikelihoodResult, Rng, Task } from '@emergence/core';
import { defineTask, drawItems, type Item, type TaskSpec } from './define.js';

// ---------------------------------------------------------------- label mapping

export const positiveWords = ['great', 'wonderful', 'fun', 'lovely', 'excellent', 'good', 'amazing', 'nice', 'superb', 'delightful'];
export const negativeWords = ['awful', 'terrible', 'boring', 'bad', 'horrible', 'dull', 'poor', 'sad', 'dreadful', 'nasty'];
const subjects = ['the movie', 'the food', 'the trip', 'the book', 'the game', 'the song', 'the hotel', 'the show', 'the class', 'the party', 'the park', 'the meal'];
const linkers = ['was', 'is', 'seemed', 'felt'];
/** Label pairs with no semantic link to sentiment (Wei et al. 2023, SUL-ICL). */
export const unrelatedPairs: [string, string][] = [
  ['foo', 'bar'],
  ['apple', 'orange'],
  ['cat', 'dog'],
  ['red', 'blue'],
  ['up', 'down'],
  ['sun', 'moon'],
];

const labelSetting = ['natural', 'flipped', 'unrelated'] as const;

function episodeLabels(rng: Rng, setting: string): [string, string] {
  if (setting === 'flipped') return ['negative', 'positive'];
  if (setting === 'unrelated') return rng.pick(unrelatedPairs);
  return ['positive', 'negative'];
}

const labelSpec: TaskSpec = {
  id: 'icl/label-mapping',
  // 2: accuracyNorm per character of the label itself (lm-eval acc_norm).
  version: 2,
  kind: 'choice',
  description: 'sentiment with natural, flipped or semantically unrelated labels (option labels)',
  reference: 'Wei et al. 2023, Larger language models do in-context learning differently',
  defaults: { labels: 'natural' },
  choicesOf: { labels: labelSetting },
  chance: () => 0.5,
  template: { input: (input) => `Review: ${input}\nLabel:` },
  make(rng, options): Item {
    const positive = rng.next() < 0.5;
    const word = rng.pick(positive ? positiveWords : negativeWords);
    const input = `${rng.pick(subjects)} ${rng.pick(linkers)} ${word}`;
    // Label names are per episode: a fresh pair for `unrelated`, flipped for `flipped`.
    const [pos, neg] = episodeLabels(rng, String(options.labels));
    return {
      input,
      target: positive ? pos : neg,
      choices: [pos, neg],
      metadata: { sentiment: positive ? 'positive' : 'negative', positiveLabel: pos, negativeLabel: neg },
      // Labels are relabelled per episode, so the sentence alone decides the split.
      splitKey: input,
    };
  },
  fewShot(example, k, rng, options) {
    // Demonstrations use this episode's labels; half positive, half negative in random order.
    const pos = String(example.metadata.positiveLabel);
    const neg = String(example.metadata.negativeLabel);
    const pool = drawItems(labelSpec, rng, k, 'demo', options);
    return pool.map((d) => {
      const positive = d.metadata.sentiment === 'positive';
      return { ...d, target: positive ? pos : neg, choices: [pos, neg], metadata: { ...d.metadata, positiveLabel: pos, negativeLabel: neg } };
    });
  },
};
export const labelMapping = defineTask(labelSpec);

// ---------------------------------------------------------------- symbol mapping

const syllables = ['da', 'ke', 'lu', 'mo', 'pi', 'ro', 'su', 'ti', 'va', 'zo', 'be', 'fi', 'go', 'ha', 'ni'];
const symbolValues = ['red', 'blue', 'green', 'gold', 'pink', 'gray', 'tan', 'cyan'];

const symbolSpec: TaskSpec = {
  id: 'icl/symbol-mapping',
  // 2: accuracyNorm per character of the colour itself (lm-eval acc_norm).
  version: 2,
  kind: 'choice',
  description: 'a fresh mapping from nonsense words to colours, learned from the demonstrations (option symbols)',
  reference: 'Brown et al. 2020 (few-shot word learning); Chan et al. 2022, Data distributional properties drive emergent in-context learning',
  defaults: { symbols: 4 },
  choicesOf: { symbols: [2, 3, 4, 6, 8] },
  chance: (o) => 1 / Number(o.symbols),
  template: { input: (input) => `${input} ->` },
  make(rng, options): Item {
    const m = Number(options.symbols);
    const keys: string[] = [];
    while (keys.length < m) {
      const w = `${rng.pick(syllables)}${rng.pick(syllables)}`;
      if (!keys.includes(w)) keys.push(w);
    }
    const values = rng.sample(symbolValues, m);
    const q = rng.int(0, m - 1);
    return {
      input: keys[q]!,
      target: values[q]!,
      choices: [...values].sort(),
      metadata: { keys: keys.join(','), values: values.join(',') },
    };
  },
  fewShot(example, k, rng) {
    const keys = String(example.metadata.keys).split(',');
    const values = String(example.metadata.values).split(',');
    // Rounds that each show every pair once, in random order: the queried pair is
    // shown once k ≥ the mapping size, and the first k are the same for every larger k.
    const shown: number[] = [];
    while (shown.length < k) shown.push(...rng.shuffle(keys.map((_, i) => i)));
    return shown.slice(0, k).map((i, j) => ({ id: `${example.id}-d${j}`, input: keys[i]!, target: values[i]!, metadata: {} }));
  },
};
export const symbolMapping = defineTask(symbolSpec);

// ---------------------------------------------------------------- linear function

const linearSpec: TaskSpec = {
  id: 'icl/linear-function',
  version: 1,
  kind: 'generate',
  description: 'y = a·x + b with a fresh a, b each episode, inferred from the demonstrations',
  reference: 'Garg et al. 2022, What Can Transformers Learn In-Context? A Case Study of Simple Function Classes',
  defaults: {},
  chance: () => 1 / 40,
  generation: { until: ['\n'], maxTokens: 4 },
  template: { input: (input) => `f(${input}) =` },
  make(rng): Item {
    const a = rng.int(1, 4);
    const b = rng.int(0, 9);
    const x = rng.int(0, 9);
    return { input: String(x), target: String(a * x + b), metadata: { a, b } };
  },
  fewShot(example, k, rng) {
    const a = Number(example.metadata.a);
    const b = Number(example.metadata.b);
    const xs = rng.shuffle([...Array(10).keys()].filter((x) => String(x) !== example.input));
    return Array.from({ length: k }, (_, i) => {
      const x = xs[i % xs.length]!;
      return { id: `${example.id}-d${i}`, input: String(x), target: String(a * x + b), metadata: { a, b } };
    });
  },
};
export const linearFunction = defineTask(linearSpec);

// ---------------------------------------------------------------- induction / copying

const copyAlphabet = 'abcdefghijklmnopqrstuvwxyz'.split('');
const fillerAlphabet = '0123456789'.split('');
/** Shortest sequence when lengths are mixed. */
const MIN_MIXED_LENGTH = 4;
/** Longest random filler before `Copy:`. */
const MAX_FILLER = 15;

const inductionSpec: TaskSpec = {
  id: 'icl/induction',
  version: 2,
  kind: 'generate',
  description: 'repeat a random letter sequence seen once, after a random-length filler (options length, mixed, spaced)',
  reference: 'Olsson et al. 2022, In-context Learning and Induction Heads',
  // `mixed`: lengths drawn from 4…length. `spaced`: letters separated by spaces.
  defaults: { length: 16, mixed: true, spaced: true },
  choicesOf: { length: [4, 6, 8, 12, 16, 24] },
  // Exact match by guessing needs every letter: 26^-L at the shortest length drawn.
  chance: (o) => 26 ** -(o.mixed === true ? MIN_MIXED_LENGTH : Number(o.length)),
  // Character accuracy (edit similarity) is the per-letter twin of exact match;
  // the in-context loss drop is Olsson et al.'s induction measurement.
  metrics: {
    discrete: 'exactMatch',
    continuous: 'charEditSimilarity',
    all: ['exactMatch', 'charEditSimilarity', 'meanTargetLogProb', 'inContextLossDrop'],
  },
  generation: { until: ['\n'], maxTokens: 50 },
  template: { input: (input) => `${input} |` },
  make(rng, options): Item {
    const max = Number(options.length);
    const length = options.mixed === true ? rng.int(Math.min(MIN_MIXED_LENGTH, max), max) : max;
    const seq = Array.from({ length }, () => rng.pick(copyAlphabet)).join(options.spaced === false ? '' : ' ');
    // A random-length filler moves the sequence to a random offset: with a fixed
    // offset, absolute positions alone say where to copy from, and a one-layer
    // model passes without an induction head.
    const filler = Array.from({ length: rng.int(0, MAX_FILLER) }, () => rng.pick(fillerAlphabet)).join('');
    return { input: `${filler}${filler ? ' ' : ''}Copy: ${seq}`, target: seq, metadata: { filler: filler.length } };
  },
  probes(example, prompt) {
    // Loss on the sequence the first time it is seen (unpredictable) and the
    // second time (predictable only by looking back): the drop is induction.
    const first = prompt.slice(0, prompt.length - example.target.length - ' |'.length);
    return [
      { context: first.trimEnd(), continuation: ` ${example.target}` },
      { context: prompt, continuation: ` ${example.target}` },
    ];
  },
  scoreProbes(results: LoglikelihoodResult[]) {
    const [first, second] = results as [LoglikelihoodResult, LoglikelihoodResult];
    return { inContextLossDrop: -first.logprob / first.tokens - -second.logprob / second.tokens };
  },
};
export const induction = defineTask(inductionSpec);

export const iclTasks: Task[] = [labelMapping, symbolMapping, linearFunction, induction];
