// BBH tracking_shuffled_objects, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference, option, article, optionsBlock, people } from './shared.js';

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
