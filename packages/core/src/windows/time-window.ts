/** The normalized deployment time window that checks produce and the engine evaluates. */

/** A day of the week as written in pipeline files. */
export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

/** The days in week order, Monday first (ISO 8601 and luxon's `weekday` 1–7). */
export const WEEKDAYS: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** A span during which the window is closed, whatever the hours say. */
export interface WindowFreeze {
  /** ISO 8601 instant with `Z` or an offset; the freeze starts here (inclusive). */
  from: string;
  /** ISO 8601 instant with `Z` or an offset; deployments may start again at this instant. */
  to: string;
  /** Shown to people waiting on the freeze. */
  reason?: string;
}

/**
 * When deployments into a stage may start. Hours are local wall-clock time in `timezone`, so a
 * window follows daylight saving time.
 */
export interface TimeWindow {
  /** `NONE`, a preset name, the key of a window in `deployment_time_windows`, or `inline`. */
  name: string;
  /** True only for `NONE`: always open, no freezes; the other fields are then ignored. */
  always: boolean;
  /** IANA time zone name, e.g. `America/Los_Angeles`. */
  timezone: string;
  /** Days on which the window opens, in week order, each once. */
  days: Weekday[];
  /** Local opening time, `HH:MM`. */
  start: string;
  /** Local closing time, `HH:MM` after `start` on the same day; `24:00` means midnight. */
  end: string;
  /** Local dates (`YYYY-MM-DD`, in `timezone`) on which the window stays closed; sorted, unique. */
  excludeDates: string[];
  /** Spans during which the window stays closed. */
  freezes: WindowFreeze[];
}
