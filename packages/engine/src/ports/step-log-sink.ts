/** Where the live log lines of steps go (the server stores and streams them). */

export interface StepLogLine {
  /** The command that wrote it (one step call or rollback step). */
  commandId: string;
  pipelineId: string;
  deploymentId?: string;
  stage: string;
  step: string;
  /** ISO time on the engine clock. */
  at: string;
  stream: 'stdout' | 'stderr' | 'info';
  text: string;
}

export interface StepLogSink {
  write(line: StepLogLine): void;
}

/** Drops every line. */
export const discardStepLogs: StepLogSink = { write: () => undefined };
