// BIG-Bench-Hard-style reasoning (Suzgun et al. 2022), generated in BBH's
// formats with difficulty knobs, one file per task. `cot: true` shows
// demonstrations with a rationale ending "So the answer is X." and extracts X.
import type { Task } from '@emergence/core';
import { booleanExpressions } from './boolean-expressions.js';
import { multistepArithmetic } from './multistep-arithmetic.js';
import { dyckLanguages } from './dyck-languages.js';
import { wordSorting } from './word-sorting.js';
import { objectCounting } from './object-counting.js';
import { navigate } from './navigate.js';
import { webOfLies } from './web-of-lies.js';
import { trackingShuffledObjects } from './tracking-shuffled-objects.js';
import { logicalDeduction } from './logical-deduction.js';
import { dateUnderstanding } from './date-understanding.js';

export { people } from './shared.js';
export * from './boolean-expressions.js';
export * from './multistep-arithmetic.js';
export * from './dyck-languages.js';
export * from './word-sorting.js';
export * from './object-counting.js';
export * from './navigate.js';
export * from './web-of-lies.js';
export * from './tracking-shuffled-objects.js';
export * from './logical-deduction.js';
export * from './date-understanding.js';
export { wordList } from '../words.js';

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
