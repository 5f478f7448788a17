/** Reads CloudWatch alarm states for a stage, as a port (the AWS adapter calls DescribeAlarms with the stage's credentials). */
import type { StageTarget } from '../model/pipeline-state.js';
import type { AlarmReading } from '../decide/inputs.js';

export interface AlarmReader {
  /**
   * The current state of each named alarm in the stage's account and region. An alarm that does
   * not exist is left out (the engine then knows nothing new about it). Rejects when the alarms
   * could not be read; the next poll tries again.
   */
  readAlarms(target: StageTarget, alarms: readonly string[]): Promise<AlarmReading[]>;
}
