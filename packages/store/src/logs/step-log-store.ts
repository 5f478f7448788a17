/** The lines steps write while they run, kept so they can be read and streamed later. */

/** Which stream a line came from; `info` is Rampart's own note (a step starting, a retry). */
export type StepLogStream = 'stdout' | 'stderr' | 'info';

/** Every {@link StepLogStream}. */
export const STEP_LOG_STREAMS: readonly StepLogStream[] = ['stdout', 'stderr', 'info'];

/** A line to store. */
export interface NewStepLogLine {
  pipelineId: string;
  /** Absent for lines a stage-level command wrote outside any deployment. */
  deploymentId?: string;
  stage: string;
  step: string;
  /** The command (step call or rollback step) that wrote it. */
  commandId: string;
  /** ISO time. */
  at: string;
  stream: StepLogStream;
  /** One line, without its line break; no U+0000 (the store refuses it on both databases). */
  text: string;
}

/** A stored line: `seq` orders every line of the store, in commit order. */
export interface StepLogLineRecord extends NewStepLogLine {
  seq: number;
}

/** Filters of {@link StepLogStore.read}; lines come oldest first. */
export interface StepLogQuery {
  pipelineId?: string;
  deploymentId?: string;
  stage?: string;
  step?: string;
  /** Only lines with a greater sequence number (streams resume from here). */
  afterSeq?: number;
  /** @default 1000 */
  limit?: number;
}

/** The step log store. */
export interface StepLogStore {
  /**
   * Stores a batch of lines in one transaction and returns their sequence numbers, in order. A
   * reader that saw seq N never later finds a smaller one appear.
   */
  append(lines: readonly NewStepLogLine[]): Promise<number[]>;
  read(query: StepLogQuery): Promise<StepLogLineRecord[]>;
}
