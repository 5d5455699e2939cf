// @emergence/runner: suites on transformers.js models → per-sample records.
export { TransformersBackend, type TransformersBackendOptions } from './transformers-backend.js';
export { loadBackend, type NodeBackendOptions, type TimedBackend } from './backends.js';
export { ModelError, resolveModel, hubCacheDir, findInHubCache, dtypeFile } from './model-source.js';
export { evaluate, preparePrompts, sampleKey, dtypeFor, type EvaluateOptions, type EvaluateOutcome, type PreparedSample } from './evaluate.js';
export { Journal, readJournal, type JournalHeader, type JournalContents } from './journal.js';
export { parseShard, inShard, shardLabel, type Shard } from './shard.js';
export { runSuite, loadLadder, taskDescriptors, journalPath, type RunSuiteOptions, type RunSuiteOutcome } from './run-suite.js';
export { runtimeVersions } from './runtime.js';
export type { RunEvent, RunListener } from './events.js';
