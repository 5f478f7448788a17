/** What a timer wakes the engine for. Stale timers (the thing they were set for moved on) are ignored. */

/** Coordinates of one step attempt. */
export type StepRef = {
  deploymentId: string;
  stageIndex: number;
  stepIndex: number;
  /** The stage run the step belongs to. */
  attempt: number;
};

/** Coordinates of one run of one stage. */
export type StageRunRef = {
  deploymentId: string;
  stageIndex: number;
  run: number;
};

export type Timer =
  /** A closed window opens: the stage's newest waiting revision may start. */
  | { kind: 'window-opens'; deploymentId: string; stageIndex: number }
  /** A bake lasted its duration: the step succeeds. */
  | ({ kind: 'bake-ends' } & StepRef)
  /** A step ran longer than its `timeout_minutes`: it fails and its command is cancelled. */
  | ({ kind: 'step-timeout' } & StepRef)
  /** Nobody decided on an approval in time (`timeout_hours`): the step fails. */
  | ({ kind: 'approval-timeout' } & StepRef);

export type TimerKind = Timer['kind'];
