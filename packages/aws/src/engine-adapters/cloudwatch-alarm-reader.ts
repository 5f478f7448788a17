// The engine's AlarmReader over CloudWatch DescribeAlarms, read with the stage's own credentials
// in the stage's account and region.
import type { AlarmReader, AlarmReading, CredentialsProvider, StageTarget } from '@rampart/engine';
import { describeAlarmStates } from '../alarms/alarm-states.js';
import { systemClock, type Clock } from '../credentials/clock.js';
import type { AwsClientFactory } from '../sdk/aws-client-factory.js';

/** Options of {@link CloudWatchAlarmReader}. */
export interface CloudWatchAlarmReaderOptions {
  sdk: AwsClientFactory;
  /** The stage credentials (the same provider the engine runtime uses). */
  credentials: CredentialsProvider;
  /**
   * Stands in for `changedAt` when CloudWatch returns an alarm without `StateUpdatedTimestamp`
   * (it always sends one for an existing alarm). @default the system clock
   */
  clock?: Clock;
}

/** Reads a stage's rollback alarms; alarms that do not exist are left out, as the port says. */
export class CloudWatchAlarmReader implements AlarmReader {
  constructor(private readonly options: CloudWatchAlarmReaderOptions) {}

  async readAlarms(target: StageTarget, alarms: readonly string[]): Promise<AlarmReading[]> {
    if (alarms.length === 0) return [];
    const { credentials } = this.options;
    const cloudWatch = this.options.sdk.cloudWatch({
      region: target.region,
      credentials: async () => {
        const c = await credentials.credentialsFor(target);
        return {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
          ...(c.expiration === undefined ? {} : { expiration: c.expiration }),
        };
      },
    });
    const states = await describeAlarmStates(cloudWatch, alarms);
    const clock = this.options.clock ?? systemClock;
    const readings: AlarmReading[] = [];
    for (const alarm of states) {
      if (alarm.state === 'MISSING') continue;
      readings.push({
        alarm: alarm.name,
        state: alarm.state,
        changedAt: alarm.updatedAt ?? clock.now().toISOString(),
      });
    }
    return readings;
  }
}
