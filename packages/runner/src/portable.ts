// @emergence/runner for any JavaScript runtime (the browser page uses it): the
// transformers.js backend (the caller injects transformers.js), evaluation,
// the start-up guard and the ladder checks. `index.ts` adds the Node side:
// model folders, child processes, Chromium, the file journal.
export { TransformersBackend, type TransformersBackendOptions, type ModelLocation } from './transformers-backend.js';
export { ModelError } from './model-error.js';
export { evaluate, preparePrompts, sampleKey, dtypeFor, suiteResult, type EvaluateOptions, type EvaluateOutcome, type PreparedSample, type RecordSink, type SuiteResultInput } from './evaluate.js';
export { checkAgainst, guardRequests, guardTolerance, type GuardCheck } from './guard.js';
export { prepareLadder, resolveReferences, referencedLadderFile, type ReadLadder } from './ladder.js';
export { parseShard, inShard, shardLabel, type Shard } from './shard.js';
export { configureOnnxWeb, browserName, webgpuAdapterInfo, wasmThreads } from './browser/page-runtime.js';
