// @emergence/harness for any JavaScript runtime (the browser page uses it):
// evaluation, the Result, the ladder checks and shards. `index.ts` adds the
// Node side: the file journal, runs with resume, merge.
export { evaluate, preparePrompts, sampleKey, dtypeFor, suiteResult, type EvaluateOptions, type EvaluateOutcome, type PreparedSample, type RecordSink, type SuiteResultInput } from './evaluate.js';
export { prepareLadder, resolveReferences, referencedLadderFile, type LoadedLadder, type ReadLadder } from './ladder.js';
export { parseShard, inShard, shardLabel, type Shard } from './shard.js';
