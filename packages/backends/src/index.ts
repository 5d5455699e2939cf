// @emergence/backends: where a model runs. Depends on @emergence/core only;
// the harness (suites, journals, results) sits above it.
// Bundlers for the browser pick `portable.ts` (the "browser" export condition).
export * from './portable.js';
export { loadBackend, checkAgainstCpu, backendFactories, type BackendFactory, type NodeBackendOptions, type TimedBackend } from './backends.js';
export { resolveModel, hubCacheDir, hubEndpoint, findInHubCache, dtypeFile, fetchModel, fetchLadder, hubCacheStatus, localFolder, CHECKSUM_FILE, type DownloadProgress } from './model-source.js';
export { cachedCommit } from './hub-cache.js';
export { runtimeVersions } from './runtime.js';
export { chromiumPath, chromiumArgs, CHROMIUM_INSTALL } from './browser/browser-backend.js';
