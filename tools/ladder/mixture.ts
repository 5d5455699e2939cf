// The tiny ladder's training mixture: which task formats, with which
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
}

const few = [0, 1, 2, 3];
const many = [0, 1, 2, 4, 8, 12, 16];

export const mixture: MixtureEntry[] = [
  // In-context learning: the abilities we most want to see appear with scale.
  { task: 'icl/label-mapping', options: [{ labels: 'natural' }, { labels: 'flipped' }, { labels: 'unrelated' }], shots: many, weight: 14 },
  { task: 'icl/symbol-mapping', options: [{ symbols: 2 }, { symbols: 3 }, { symbols: 4 }, { symbols: 6 }], shots: [1, 2, 4, 6, 8, 12], weight: 10 },
  { task: 'icl/linear-function', options: [{}], shots: [1, 2, 3, 4, 6, 8], weight: 8 },
  { task: 'icl/induction', options: [{ length: 4 }, { length: 6 }, { length: 8 }, { length: 12 }, { length: 16 }], shots: [0], weight: 10 },
  // Arithmetic, answer-only and scratchpad.
  { task: 'arithmetic/addition', options: [{ digits: 1 }, { digits: 2 }, { digits: 3 }, { digits: 2, cot: true }, { digits: 3, cot: true }, { digits: 4, cot: true }], shots: few, weight: 12 },
  { task: 'arithmetic/subtraction', options: [{ digits: 1 }, { digits: 2 }, { digits: 2, cot: true }, { digits: 3, cot: true }], shots: few, weight: 6 },
  { task: 'arithmetic/multiplication', options: [{ digits: 1 }, { digits: 2 }, { digits: 2, cot: true }], shots: few, weight: 4 },
  { task: 'arithmetic/composite', options: [{}, { cot: true }], shots: few, weight: 4 },
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

/** Seeds of the corpus: far from every evaluation seed (suites use < 1,000,000). */
export const CORPUS_SEED_BASE = 1_000_000_000;
