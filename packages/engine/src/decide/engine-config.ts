/** Settings that shape decisions; part of the decision's environment so replays stay exact. */

export interface EngineConfig {
  /** How often the alarms of a watched stage are polled. @default 10000 */
  alarmPollIntervalMs: number;
  /** How many finished deployments the state document keeps beyond the ones stages refer to. @default 10 */
  retainFinishedDeployments: number;
  /** How many good revisions per stage stay available as manual rollback targets. @default 5 */
  rollbackTargetsPerStage: number;
  /** How many finished rollback records the state document keeps. @default 50 */
  retainRollbacks: number;
  /**
   * Builds of one revision that run at once (the built-once artifacts before the first stage,
   * and the `per_stage` artifacts of one stage). @default 2
   */
  buildConcurrency: number;
}

export const DEFAULT_ENGINE_CONFIG: Readonly<EngineConfig> = Object.freeze({
  alarmPollIntervalMs: 10_000,
  retainFinishedDeployments: 10,
  rollbackTargetsPerStage: 5,
  retainRollbacks: 50,
  buildConcurrency: 2,
});

/** `DEFAULT_ENGINE_CONFIG` with `overrides` applied. */
export function engineConfig(overrides: Partial<EngineConfig> = {}): EngineConfig {
  return { ...DEFAULT_ENGINE_CONFIG, ...overrides };
}

/** What a decision may read besides the state and the input. */
export interface DecideEnv {
  /** The engine clock's time, ISO 8601. */
  now: string;
  config: EngineConfig;
}
