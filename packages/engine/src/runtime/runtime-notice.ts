/** What the runtime reports about itself (libraries never print): the server logs these, tests assert on codes. */

export type RuntimeNotice =
  /** Running a command threw; it is retried when its lease expires. */
  | { code: 'runtime.command_failed'; commandId: string; message: string }
  /** A command failed too often and was given up: its step (or check) fails. */
  | { code: 'runtime.command_abandoned'; commandId: string; attempts: number }
  /** The store could not be reached; the loop tries again on its next wake-up. */
  | { code: 'runtime.store_failed'; operation: string; message: string }
  /** Another worker took over a command this one was running. */
  | { code: 'runtime.lease_lost'; commandId: string }
  /** A commit met a newer version of the state and the decision was made again. */
  | { code: 'runtime.commit_conflict'; pipelineId: string; attempt: number }
  /** Alarms could not be read for a stage. */
  | { code: 'runtime.alarm_read_failed'; pipelineId: string; stage: string; message: string }
  /** An event listener threw; the runtime went on. */
  | { code: 'runtime.listener_failed'; message: string };

export type RuntimeNoticeCode = RuntimeNotice['code'];
