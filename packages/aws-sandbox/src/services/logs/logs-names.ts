// Log group and stream name rules, checked before authorization as AWS validates first.
import { constraintViolation } from './logs-errors.js';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_NAME = /^[^:*]{1,512}$/;

/** Throws `InvalidParameterException` unless `name` is a valid log group name. */
export function checkLogGroupName(name: string, field = 'logGroupName'): void {
  if (!GROUP_NAME.test(name)) {
    throw constraintViolation(
      field,
      name,
      'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ and have length between 1 and 512',
    );
  }
}

/** Throws `InvalidParameterException` unless `name` is a valid log stream name. */
export function checkLogStreamName(name: string, field = 'logStreamName'): void {
  if (!STREAM_NAME.test(name)) {
    throw constraintViolation(
      field,
      name,
      'Member must satisfy regular expression pattern: [^:*]* and have length between 1 and 512',
    );
  }
}

/** The retention periods CloudWatch Logs accepts, in days. */
const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** Throws `InvalidParameterException` unless `days` is an accepted retention period. */
export function checkRetention(days: number): void {
  if (!RETENTION_DAYS.includes(days)) {
    throw constraintViolation(
      'retentionInDays',
      String(days),
      `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
}
