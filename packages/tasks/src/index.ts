// @emergence/tasks: the abilities the harness measures.
// Bundlers for the browser pick `portable.ts` (the "browser" export condition).
export * from './portable.js';
export { importBbh, importBigBench, importLmEval, parseBbhPrompt, type BbhOptions, type BigBenchOptions } from './importers.js';
export { loadSuite, importTaskFile } from './suite-files.js';
