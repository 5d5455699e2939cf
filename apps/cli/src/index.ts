// @emergence/cli as a library: the command entry.
export { main, defaultOutFile, type Io } from './cli.js';
