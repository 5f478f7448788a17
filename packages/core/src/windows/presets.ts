/** The named windows every pipeline may use without defining them. */
import { WEEKDAYS, type TimeWindow, type Weekday } from './time-window.js';

/** Names accepted by `deployment_time_window` without a `deployment_time_windows` entry. */
export const PRESET_WINDOW_NAMES = [
  'NONE',
  'PACIFIC_WORKING_HOURS',
  'PACIFIC_WORKING_HOURS_REDUCED',
] as const;

export type PresetWindowName = (typeof PRESET_WINDOW_NAMES)[number];

const WORKDAYS: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];

/** Whether `name` is one of the preset window names (exact spelling, upper case). */
export function isPresetWindowName(name: string): name is PresetWindowName {
  return (PRESET_WINDOW_NAMES as readonly string[]).includes(name);
}

/**
 * The preset window called `name`, or `undefined` when there is none. Each call returns a fresh
 * object, so callers may change it.
 */
export function presetWindow(name: string): TimeWindow | undefined {
  if (!isPresetWindowName(name)) return undefined;
  switch (name) {
    case 'NONE':
      return window(name, true, [...WEEKDAYS], '00:00', '24:00', 'UTC');
    case 'PACIFIC_WORKING_HOURS':
      return window(name, false, [...WORKDAYS], '09:00', '17:00', 'America/Los_Angeles');
    case 'PACIFIC_WORKING_HOURS_REDUCED':
      return window(name, false, [...WORKDAYS], '10:00', '16:00', 'America/Los_Angeles');
    default: {
      const unreachable: never = name;
      return unreachable;
    }
  }
}

function window(
  name: string,
  always: boolean,
  days: Weekday[],
  start: string,
  end: string,
  timezone: string,
): TimeWindow {
  return { name, always, timezone, days, start, end, excludeDates: [], freezes: [] };
}
