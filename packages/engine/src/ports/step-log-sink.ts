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

/**
 * The `stage` of the lines a built-once artifact's build writes (no stage runs yet); `per_stage`
 * builds write under their stage's name. Stage names never hold parentheses.
 */
export const BUILD_LOG_STAGE = '(build)';

/** The `step` of the lines an artifact's build writes: `build:<artifact name>`. */
export function buildLogStep(artifactName: string): string {
  return `build:${artifactName}`;
}

/** The `step` of the lines a stage's artifact mirroring writes. */
export const MIRROR_LOG_STEP = 'mirror:artifacts';

/** Drops every line. */
export const discardStepLogs: StepLogSink = { write: () => undefined };
