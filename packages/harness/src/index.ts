// @emergence/harness: a suite on a ladder → per-sample records → a Result.
// Models come from @emergence/backends; bundlers for the browser pick
// `portable.ts` (the "browser" export condition).
export * from './portable.js';
export { Journal, readJournal, sealLine, unsealLine, type JournalHeader, type JournalContents, type DamagedLine } from './journal.js';
export { mergeJournals, type MergeOptions, type MergeOutcome } from './merge.js';
export { runSuite, loadLadder, journalPath, type RunSuiteOptions, type RunSuiteOutcome } from './run-suite.js';
