// @emergence/core: contracts, schemas, YAML I/O, RNG, metrics and statistics.
// Bundlers for the browser pick `portable.ts` (the "browser" export condition).
export * from './portable.js';
export * from './git.js';
export * from './yaml-io.js';
