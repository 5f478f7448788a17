// The event as EventBridge delivers it: the envelope every target and pattern sees.
import { randomUUID } from 'node:crypto';
import type { SandboxEvent } from '../../framework/background.js';

/** An EventBridge event. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** `yyyy-mm-ddThh:mm:ssZ`, EventBridge's format (no milliseconds). */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** EventBridge's time format: ISO 8601 in UTC without milliseconds. */
export function eventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The envelope of an internal event (CloudWatch alarm state changes, …). */
export function envelopeOf(event: SandboxEvent, id: string = randomUUID()): EventEnvelope {
  const time = new Date(event.time);
  return {
    version: '0',
    id,
    'detail-type': event.detailType,
    source: event.source,
    account: event.accountId,
    time: Number.isNaN(time.getTime()) ? event.time : eventTime(time),
    region: event.region,
    resources: [...event.resources],
    detail: event.detail,
  };
}
