// @emergence/runner: suites on transformers.js models → per-sample records.
// Bundlers for the browser pick `portable.ts` (the "browser" export condition).
export * from './portable.js';
export { loadBackend, checkAgainstCpu, type NodeBackendOptions, type TimedBackend } from './backends.js';
export { resolveModel, hubCacheDir, hubEndpoint, findInHubCache, dtypeFile, fetchModel, fetchLadder, hubCacheStatus, type DownloadProgress } from './model-source.js';
export { ladderDtype, dtypeIn } from './ladder-dtype.js';
export { Journal, readJournal, sealLine, unsealLine, type JournalHeader, type JournalContents, type DamagedLine } from './journal.js';
export { mergeJournals, type MergeOptions, type MergeOutcome } from './merge.js';
export { runSuite, loadLadder, journalPath, type RunSuiteOptions, type RunSuiteOutcome } from './run-suite.js';
export { runtimeVersions } from './runtime.js';
export { chromiumPath, chromiumArgs, CHROMIUM_INSTALL } from './browser/browser-backend.js';
