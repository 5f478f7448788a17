// Stores events in a stream, keeping `(timestamp, seq)` order so reads never sort.
import type { LogStreamRecord, StoredLogEvent } from './logs-state.js';

/** An event as writers give it. */
export interface InputLogEvent {
  timestamp: number;
  message: string;
}

/** The first index whose event has a timestamp greater than `timestamp`. */
function upperBound(events: readonly StoredLogEvent[], timestamp: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((events[mid]?.timestamp ?? 0) <= timestamp) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Stores events (any order) in a stream at `ingestionTime`. Events with equal timestamps keep
 * their arrival order: a later write sorts after an earlier one.
 */
export function storeLogEvents(
  stream: LogStreamRecord,
  events: readonly InputLogEvent[],
  ingestionTime: number,
): void {
  for (const event of events) {
    const stored: StoredLogEvent = {
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime,
      seq: stream.nextSeq,
    };
    stream.nextSeq += 1;
    const last = stream.events[stream.events.length - 1];
    if (!last || last.timestamp <= stored.timestamp) stream.events.push(stored);
    else stream.events.splice(upperBound(stream.events, stored.timestamp), 0, stored);
  }
  if (events.length > 0) stream.lastIngestionTime = ingestionTime;
}

/**
 * The event id FilterLogEvents reports: unique within the group (stream ordinal + seq) and
 * all digits, like AWS's.
 */
export function logEventId(stream: LogStreamRecord, event: StoredLogEvent): string {
  return (
    String(event.timestamp).padStart(16, '0') +
    String(stream.ordinal).padStart(8, '0') +
    String(event.seq).padStart(12, '0')
  );
}

/**
 * The sequence token PutLogEvents and DescribeLogStreams still return, although AWS no longer
 * requires or checks it.
 */
export function sequenceToken(stream: LogStreamRecord): string {
  return String(stream.nextSeq).padStart(56, '4');
}
