// BBH object_counting, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference, article } from './shared.js';

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
