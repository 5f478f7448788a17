// Retention on the sandbox clock: events older than the group's retention are gone from reads.
import type { LogGroupRecord } from './logs-state.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The oldest timestamp still retained (`-Infinity` without a retention policy). */
export function retentionCutoff(group: LogGroupRecord, nowMs: number): number {
  return group.retentionInDays === undefined ? -Infinity : nowMs - group.retentionInDays * DAY_MS;
}
