// @emergence/core: contracts, schemas, YAML I/O, RNG, metrics and statistics.
export * from './types.js';
export * from './errors.js';
export * from './rng.js';
export * from './hash.js';
export * from './git.js';
export * from './metrics.js';
export * from './stats.js';
export * from './schemas.js';
export * from './yaml-io.js';
export * from './emergence.js';
export * from './result.js';
