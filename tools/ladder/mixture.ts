// The tiny ladder's training mixtures: which task formats, with which
// options and shot counts, in what proportion. See MIXTURE.md for why.
import type { TaskOptions } from '@emergence/core';

export interface MixtureEntry {
  task: string;
  /** Option sets drawn uniformly per document. */
  options: TaskOptions[];
  /** Shot counts drawn uniformly per document. */
  shots: number[];
  /** Relative share of documents. */
  weight: number;
  /**
   * Facts to memorise (1-digit sums): answered items come from every item, not
   * only the demonstration split. With 100 facts, a held-out quarter could only
   * be guessed; the overlap check skips these entries, and MIXTURE.md says so.
   */
  facts?: boolean;
}

const few = [0, 1, 2, 3];
const many = [0, 1, 2, 4, 8, 12, 16];
// Lengths 4–16 (the task's default), letters spaced and unspaced.
const copy: TaskOptions[] = [{}, { spaced: false }];
const sums: TaskOptions[] = [{ digits: 2 }, { digits: 3 }, { digits: 4 }, { digits: 5 }];

/**
 * Phase one: short documents where the mechanisms pay off often — copying at
 * random offsets (induction heads), sums digit by digit, short in-context
 * mappings. Packed into 128-token rows, so thousands of steps fit the budget.
 */
export const shortMixture: MixtureEntry[] = [
  { task: 'icl/induction', options: copy, shots: [0], weight: 36 },
  { task: 'arithmetic/addition', options: [{ digits: 1 }], shots: [0, 1, 2], weight: 10, facts: true },
  { task: 'arithmetic/addition', options: sums, shots: [0, 1, 2], weight: 28 },
  { task: 'arithmetic/subtraction', options: [{ digits: 1 }, { digits: 2 }], shots: [0, 1, 2], weight: 4 },
  { task: 'icl/symbol-mapping', options: [{ symbols: 2 }, { symbols: 3 }, { symbols: 4 }], shots: [1, 2, 4, 6, 8], weight: 10 },
  { task: 'icl/linear-function', options: [{}], shots: [1, 2, 3, 4, 6, 8], weight: 8 },
  { task: 'icl/label-mapping', options: [{ labels: 'natural' }, { labels: 'flipped' }, { labels: 'unrelated' }], shots: [0, 1, 2], weight: 6 },
];

/** Phase two: every format the suites ask for, at context 256 (long prompts keep their tail). */
export const fullMixture: MixtureEntry[] = [
  // In-context learning: the abilities we most want to see appear with scale.
  { task: 'icl/label-mapping', options: [{ labels: 'natural' }, { labels: 'flipped' }, { labels: 'unrelated' }], shots: many, weight: 12 },
  { task: 'icl/symbol-mapping', options: [{ symbols: 2 }, { symbols: 3 }, { symbols: 4 }, { symbols: 6 }], shots: [1, 2, 4, 6, 8, 12], weight: 8 },
  { task: 'icl/linear-function', options: [{}], shots: [1, 2, 3, 4, 6, 8], weight: 6 },
  { task: 'icl/induction', options: copy, shots: [0], weight: 14 },
  // Arithmetic, answer-only and scratchpad.
  { task: 'arithmetic/addition', options: [{ digits: 1 }], shots: few, weight: 3, facts: true },
  { task: 'arithmetic/addition', options: [...sums, { digits: 2, cot: true }, { digits: 3, cot: true }, { digits: 4, cot: true }], shots: few, weight: 12 },
  { task: 'arithmetic/subtraction', options: [{ digits: 1 }, { digits: 2 }, { digits: 2, cot: true }, { digits: 3, cot: true }], shots: few, weight: 5 },
  { task: 'arithmetic/multiplication', options: [{ digits: 1 }, { digits: 2 }, { digits: 2, cot: true }], shots: few, weight: 3 },
  { task: 'arithmetic/composite', options: [{}, { cot: true }], shots: few, weight: 3 },
  // BIG-Bench-Hard-style formats, answer-only and chain-of-thought.
  { task: 'bbh/boolean_expressions', options: [{ depth: 1 }, { depth: 2 }, { depth: 2, cot: true }, { depth: 3, cot: true }], shots: few, weight: 4 },
  { task: 'bbh/multistep_arithmetic_two', options: [{ terms: 2 }, { terms: 2, cot: true }], shots: few, weight: 2 },
  { task: 'bbh/dyck_languages', options: [{ length: 4 }, { length: 6 }, { length: 8 }, { length: 8, cot: true }], shots: few, weight: 3 },
  { task: 'bbh/word_sorting', options: [{ words: 2 }, { words: 3 }, { words: 4 }], shots: few, weight: 3 },
  { task: 'bbh/object_counting', options: [{ items: 2 }, { items: 3 }, { items: 3, cot: true }], shots: few, weight: 2 },
  { task: 'bbh/navigate', options: [{ steps: 2 }, { steps: 3 }, { steps: 3, cot: true }], shots: few, weight: 2 },
  { task: 'bbh/web_of_lies', options: [{ people: 2 }, { people: 3 }, { people: 3, cot: true }, { people: 5, cot: true }], shots: few, weight: 3 },
  { task: 'bbh/tracking_shuffled_objects', options: [{ objects: 3 }, { objects: 3, cot: true }], shots: [0, 1, 2], weight: 2 },
  { task: 'bbh/logical_deduction', options: [{ objects: 3 }, { objects: 3, cot: true }], shots: [0, 1, 2], weight: 2 },
  { task: 'bbh/date_understanding', options: [{}, { cot: true }], shots: few, weight: 2 },
  // Instruction following: instruction-only and demonstration-only documents.
  { task: 'instruct/reverse-word', options: [{ instruction: true }, { instruction: false }], shots: [0, 1, 2, 3], weight: 3 },
  { task: 'instruct/uppercase', options: [{ instruction: true }, { instruction: false }], shots: [0, 1, 2, 3], weight: 3 },
  { task: 'instruct/count-letters', options: [{ instruction: true }, { instruction: false }], shots: [0, 1, 2, 3], weight: 2 },
];

export const mixtures = { short: shortMixture, full: fullMixture } as const;
export type MixtureName = keyof typeof mixtures;

/** Seeds of the corpus: far from every evaluation seed (suites use < 1,000,000). */
export const CORPUS_SEED_BASE = 1_000_000_000;
