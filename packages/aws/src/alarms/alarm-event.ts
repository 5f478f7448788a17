// The "CloudWatch Alarm State Change" event EventBridge delivers to Rampart's API destination:
// parsed at the edge so the engine receives only what it needs.
import type { AlarmStateValue } from './alarm-states.js';

/** An alarm state change pushed by EventBridge. */
export interface PushedAlarmState {
  accountId: string;
  region: string;
  alarmName: string;
  alarmArn: string;
  state: AlarmStateValue;
  previousState?: AlarmStateValue;
  reason?: string;
  /** ISO time CloudWatch changed the state. */
  changedAt: string;
}

/** Why a body is not an alarm state change event. */
export class AlarmEventError extends Error {
  override name = 'AlarmEventError';
}

/** Parses an event body; throws {@link AlarmEventError} naming the field that is wrong. */
export function parseAlarmStateChange(body: unknown): PushedAlarmState {
  const event = record(body, 'the event');
  if (event.source !== 'aws.cloudwatch') throw new AlarmEventError('source is not aws.cloudwatch');
  if (event['detail-type'] !== 'CloudWatch Alarm State Change') {
    throw new AlarmEventError('detail-type is not "CloudWatch Alarm State Change"');
  }
  const detail = record(event.detail, 'detail');
  const state = record(detail.state, 'detail.state');
  const previous =
    detail.previousState === undefined
      ? undefined
      : record(detail.previousState, 'detail.previousState');
  const resources = Array.isArray(event.resources) ? event.resources : [];
  const alarmArn =
    resources.find((r): r is string => typeof r === 'string' && r.includes(':alarm:')) ?? '';
  const alarmName = text(detail.alarmName, 'detail.alarmName');
  return {
    accountId: text(event.account, 'account'),
    region: text(event.region, 'region'),
    alarmName,
    alarmArn,
    state: alarmState(state.value, 'detail.state.value'),
    ...(previous === undefined
      ? {}
      : { previousState: alarmState(previous.value, 'detail.previousState.value') }),
    ...(typeof state.reason === 'string' ? { reason: state.reason } : {}),
    changedAt: isoTime(state.timestamp ?? event.time),
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AlarmEventError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '')
    throw new AlarmEventError(`${what} must be a non-empty string`);
  return value;
}

function alarmState(value: unknown, what: string): AlarmStateValue {
  if (value === 'OK' || value === 'ALARM' || value === 'INSUFFICIENT_DATA') return value;
  throw new AlarmEventError(`${what} must be OK, ALARM or INSUFFICIENT_DATA`);
}

function isoTime(value: unknown): string {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new AlarmEventError('detail.state.timestamp (or time) must be an ISO date');
  }
  return date.toISOString();
}
