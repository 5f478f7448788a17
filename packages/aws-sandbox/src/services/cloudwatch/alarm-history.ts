// Alarm history: configuration changes and state changes, kept 30 days as CloudWatch keeps them,
// and the HistoryData JSON each kind carries.
import { configurationOf } from './alarm-render.js';
import type {
  AlarmRecord,
  AlarmStateValue,
  CloudWatchState,
  HistoryRecord,
} from './cloudwatch-state.js';

/** How long history items are kept. */
export const HISTORY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Appends an item and drops the ones past retention. */
export function recordHistory(state: CloudWatchState, item: HistoryRecord, now: Date): void {
  state.history.push(item);
  const cutoff = now.getTime() - HISTORY_RETENTION_MS;
  const firstKept = state.history.findIndex((entry) => Date.parse(entry.Timestamp) >= cutoff);
  if (firstKept > 0) state.history.splice(0, firstKept);
}

/** A state as history data shows it. */
export interface HistoryState {
  value: AlarmStateValue;
  reason: string;
  reasonData?: string;
}

function historyState(state: HistoryState): Record<string, unknown> {
  let reasonData: unknown;
  if (state.reasonData !== undefined) {
    try {
      reasonData = JSON.parse(state.reasonData) as unknown;
    } catch {
      reasonData = state.reasonData;
    }
  }
  return {
    stateValue: state.value,
    stateReason: state.reason,
    ...(reasonData !== undefined ? { stateReasonData: reasonData } : {}),
  };
}

/** The `StateUpdate` item of a state change. */
export function stateUpdateItem(
  alarm: AlarmRecord,
  from: HistoryState,
  to: HistoryState,
  now: Date,
): HistoryRecord {
  return {
    AlarmName: alarm.AlarmName,
    AlarmType: alarm.type,
    Timestamp: now.toISOString(),
    HistoryItemType: 'StateUpdate',
    HistorySummary: `Alarm updated from ${from.value} to ${to.value}`,
    HistoryData: JSON.stringify({
      version: '1.0',
      oldState: historyState(from),
      newState: historyState(to),
    }),
  };
}

/** The `ConfigurationUpdate` item of a creation, an update or a deletion. */
export function configurationUpdateItem(
  kind: 'Create' | 'Update' | 'Delete',
  alarm: AlarmRecord,
  now: Date,
  previous?: AlarmRecord,
): HistoryRecord {
  const verb = kind === 'Create' ? 'created' : kind === 'Update' ? 'updated' : 'deleted';
  const data =
    kind === 'Create'
      ? { createdAlarm: configurationOf(alarm) }
      : kind === 'Update'
        ? {
            ...(previous ? { oldState: configurationOf(previous) } : {}),
            updatedAlarm: configurationOf(alarm),
          }
        : { deletedAlarm: configurationOf(alarm) };
  return {
    AlarmName: alarm.AlarmName,
    AlarmType: alarm.type,
    Timestamp: now.toISOString(),
    HistoryItemType: 'ConfigurationUpdate',
    HistorySummary: `Alarm "${alarm.AlarmName}" ${verb}`,
    HistoryData: JSON.stringify({ type: kind, version: '1.0', ...data }),
  };
}
