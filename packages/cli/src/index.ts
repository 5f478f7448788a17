/** @rampart/cli: the `rampart` command as a library, for tests and embedding. */
export { main, version } from './main.js';
export { EXIT, processIo, type CliIo } from './cli-io.js';
export { UsageError } from './usage-error.js';
