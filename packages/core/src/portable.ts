// @emergence/core for any JavaScript runtime (Node or a browser page): no file
// system, processes or Node built-ins. `index.ts` adds the Node-only modules.
export * from './types.js';
export * from './events.js';
export * from './errors.js';
export * from './rng.js';
export * from './hash.js';
export * from './metric-registry.js';
export * from './metrics.js';
export * from './stats.js';
export * from './schemas.js';
export * from './yaml.js';
export * from './verdict.js';
export * from './emergence.js';
export * from './result.js';
export * from './scale.js';
export * from './compare.js';
