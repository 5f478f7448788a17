// Public API of @rampart/steps.
export {
  runProcess,
  type ProcessLogLine,
  type ProcessOutcome,
  type ProcessSpec,
} from './process/run-process.js';
export { LineSplitter, MAX_LINE_CHARS } from './process/line-splitter.js';
export {
  parseOutputFile,
  type OutputFileProblem,
  type ParsedOutputFile,
} from './process/output-file.js';
