// CloudWatch Logs' plain-data state per account and region: log groups, their streams, events.
import { putOwn } from '../../state/own-record.js';

/** The signing name and state key of CloudWatch Logs. */
export const LOGS_SERVICE = 'logs';

/** One stored log event. */
export interface StoredLogEvent {
  /** Epoch milliseconds, as given by the writer. */
  timestamp: number;
  message: string;
  /** Epoch milliseconds on the sandbox clock when the event was stored. */
  ingestionTime: number;
  /** Increases with every event stored in the stream: orders events with equal timestamps. */
  seq: number;
}

/** One log stream. Events are kept sorted by `(timestamp, seq)`. */
export interface LogStreamRecord {
  name: string;
  /** Epoch milliseconds. */
  creationTime: number;
  /** The stream's creation order in its group; part of event ids, which are unique per group. */
  ordinal: number;
  /** The next `seq` to assign. */
  nextSeq: number;
  /** Epoch milliseconds of the last ingestion, when any. */
  lastIngestionTime?: number;
  events: StoredLogEvent[];
}

/** One log group. */
export interface LogGroupRecord {
  name: string;
  /** Epoch milliseconds. */
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  tags: Record<string, string>;
  /** The ordinal of the next stream created. */
  nextStreamOrdinal: number;
  streams: Record<string, LogStreamRecord>;
}

/** The Logs state of one account and region. */
export interface LogsState {
  groups: Record<string, LogGroupRecord>;
}

/** A fresh, empty state. */
export function initLogsState(): LogsState {
  return { groups: {} };
}

/** Where a log group lives. */
export interface LogGroupLocation {
  accountId: string;
  region: string;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>`, the ARN IAM policies name. */
export function logGroupArn(where: LogGroupLocation, name: string): string {
  return `arn:aws:logs:${where.region}:${where.accountId}:log-group:${name}`;
}

/** `…:log-group:<name>:log-stream:<stream>`, the ARN stream-level actions are authorized on. */
export function logStreamArn(where: LogGroupLocation, group: string, stream: string): string {
  return `${logGroupArn(where, group)}:log-stream:${stream}`;
}

/** The store of a new stream. */
export function newLogStream(
  group: LogGroupRecord,
  name: string,
  creationTime: number,
): LogStreamRecord {
  const stream: LogStreamRecord = {
    name,
    creationTime,
    ordinal: group.nextStreamOrdinal,
    nextSeq: 0,
    events: [],
  };
  group.nextStreamOrdinal += 1;
  putOwn(group.streams, name, stream);
  return stream;
}

/** A new, empty log group record. */
export function newLogGroup(
  name: string,
  creationTime: number,
  options: { retentionInDays?: number; kmsKeyId?: string; tags?: Record<string, string> } = {},
): LogGroupRecord {
  return {
    name,
    creationTime,
    ...(options.retentionInDays !== undefined ? { retentionInDays: options.retentionInDays } : {}),
    ...(options.kmsKeyId !== undefined ? { kmsKeyId: options.kmsKeyId } : {}),
    tags: options.tags ?? {},
    nextStreamOrdinal: 0,
    streams: {},
  };
}
