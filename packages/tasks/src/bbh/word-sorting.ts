// BBH word_sorting, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference } from './shared.js';
import { wordList } from '../words.js';

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
