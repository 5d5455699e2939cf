// BBH web_of_lies, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference, people } from './shared.js';

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
