/** CloudWatch alarms for tests: states a test sets per account, region and name. */
import type { AlarmReading } from '../decide/inputs.js';
import type { StageTarget } from '../model/pipeline-state.js';
import type { AlarmState } from '../model/statuses.js';
import type { AlarmReader } from '../ports/alarm-reader.js';

export class FakeAlarmReader implements AlarmReader {
  private readonly states = new Map<string, AlarmReading>();
  /** Reads made, for assertions. */
  reads = 0;
  /** When set, every read rejects with it. */
  failWith: string | undefined;

  set(
    accountId: string,
    region: string,
    alarm: string,
    state: AlarmState,
    changedAt: string,
  ): void {
    this.states.set(`${accountId}/${region}/${alarm}`, { alarm, state, changedAt });
  }

  readAlarms(target: StageTarget, alarms: readonly string[]): Promise<AlarmReading[]> {
    this.reads += 1;
    if (this.failWith !== undefined) return Promise.reject(new Error(this.failWith));
    const found = alarms.flatMap((alarm) => {
      const reading = this.states.get(`${target.accountId}/${target.region}/${alarm}`);
      return reading === undefined ? [] : [{ ...reading }];
    });
    return Promise.resolve(found);
  }
}
