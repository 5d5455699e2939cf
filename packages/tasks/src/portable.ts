// @emergence/tasks for any JavaScript runtime: every registered task, prompts,
// scoring and suite resolution. `index.ts` adds the file-based importers.
export { defineTask, drawItems, TooFewItemsError, splitOf, resolveOptions, generateMetrics, choiceMetrics, type Item, type TaskSpec } from './define.js';
export { buildPrompt, DEMO_SEPARATOR } from './prompt.js';
export { planSample, scoreSample, type SamplePlan, type SampleScore } from './scoring.js';
export { registry, getTask, taskIds } from './registry.js';
export { resolveSuite, variantId, type ResolvedSuite, type TaskRun, type ResolveOverrides, type ImportTask } from './suite.js';
export * as arithmetic from './arithmetic.js';
export * as bbh from './bbh/index.js';
export * as icl from './icl.js';
export * as instruct from './instruct.js';
