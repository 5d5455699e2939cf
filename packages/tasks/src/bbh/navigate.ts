// BBH navigate, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference } from './shared.js';

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
