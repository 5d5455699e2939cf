// BBH date_understanding, generated in BBH's format with difficulty knobs (Suzgun et al. 2022).
import { defineTask, type Item } from '../define.js';
import { reference, option, optionsBlock } from './shared.js';

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
