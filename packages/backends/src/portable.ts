// @emergence/backends for any JavaScript runtime (the browser page uses it):
// the transformers.js backend (the caller injects transformers.js), the
// start-up guard and the page's onnxruntime-web settings. `index.ts` adds the
// Node side: model folders and the Hub cache, the wasm child process, Chromium.
export { TransformersBackend, type TransformersBackendOptions, type ModelLocation } from './transformers-backend.js';
export { ModelError } from './model-error.js';
export { checkAgainst, guardRequests, guardTolerance, type GuardCheck } from './guard.js';
export { ladderDtype, dtypeIn } from './ladder-dtype.js';
export { configureOnnxWeb, browserName, webgpuAdapterInfo, wasmThreads } from './browser/page-runtime.js';
