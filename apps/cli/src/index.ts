// @emergence/cli as a library: the command entry and the comparison used by CI.
export { main, defaultOutFile, type Io } from './cli.js';
export { compareResults, tolerance, type Comparison } from './compare-results.js';
