/** Semantic checks of a window object (`timezone`, `days`, `start`, …) into a TimeWindow. */
import { DateTime } from 'luxon';
import type { ErrorCode } from '../errors/index.js';
import { MINUTES_PER_DAY, formatClockTime, parseClockTime } from './clock-time.js';
import { calendarDate } from './local-instant.js';
import { WEEKDAYS, type TimeWindow, type Weekday, type WindowFreeze } from './time-window.js';
import { isKnownTimeZone, suggestTimeZone } from './time-zone-name.js';

/** A window object as the schema hands it over: keys known, values not yet checked. */
export interface WindowObjectInput {
  timezone?: unknown;
  days?: unknown;
  start?: unknown;
  end?: unknown;
  exclude_dates?: unknown;
  freezes?: unknown;
}

/** One problem in a window object; `path` is relative to the object, e.g. `['freezes', 1, 'to']`. */
export interface WindowProblem {
  path: (string | number)[];
  code: ErrorCode;
  message: string;
  hint?: string;
}

export interface WindowCheckResult {
  /** The normalized window; present only when there are no problems. */
  window?: TimeWindow;
  problems: WindowProblem[];
}

/** Used when a window sets only freezes: freezes are instants, so the zone changes nothing. */
const DEFAULT_TIMEZONE = 'UTC';
const DEFAULT_START = '00:00';
const DEFAULT_END = '24:00';

const FULL_DAY_NAMES = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
];

/**
 * Checks every value of a window object and collects all problems. Omitted keys restrict
 * nothing: `days` defaults to all seven days, `start` to `00:00`, `end` to `24:00`,
 * `exclude_dates` and `freezes` to none. `timezone` is required as soon as `days`, `start`,
 * `end` or `exclude_dates` is set, since those are local; a window of freezes only needs none.
 *
 * @param name The name the window gets: its key in `deployment_time_windows`. @default 'inline'
 */
export function checkWindowObject(raw: WindowObjectInput, name = 'inline'): WindowCheckResult {
  const problems: WindowProblem[] = [];
  const report = (
    path: (string | number)[],
    code: ErrorCode,
    message: string,
    hint?: string,
  ): void => {
    problems.push(hint === undefined ? { path, code, message } : { path, code, message, hint });
  };

  const localKeys = [raw.days, raw.start, raw.end, raw.exclude_dates];
  if ([...localKeys, raw.timezone, raw.freezes].every((v) => v === undefined)) {
    report(
      [],
      'WINDOW_INVALID',
      'the window object sets nothing, so it would always be open',
      'write `deployment_time_window: NONE` for a window that is always open',
    );
    return { problems };
  }

  const timezone = checkTimezone(
    raw.timezone,
    localKeys.some((v) => v !== undefined),
    report,
  );
  const days = checkDays(raw.days, report);
  const [start, end] = checkHours(raw.start, raw.end, report);
  const excludeDates = checkExcludeDates(raw.exclude_dates, report);
  const freezes = checkFreezes(raw.freezes, timezone, report);

  if (
    problems.length > 0 ||
    timezone === undefined ||
    days === undefined ||
    start === undefined ||
    end === undefined ||
    excludeDates === undefined ||
    freezes === undefined
  ) {
    return { problems };
  }
  return {
    window: { name, always: false, timezone, days, start, end, excludeDates, freezes },
    problems,
  };
}

type Report = (path: (string | number)[], code: ErrorCode, message: string, hint?: string) => void;

function checkTimezone(value: unknown, required: boolean, report: Report): string | undefined {
  if (value === undefined) {
    if (!required) return DEFAULT_TIMEZONE;
    report(
      ['timezone'],
      'SCHEMA_MISSING_KEY',
      'the window sets local days or times but no `timezone`',
      'add the IANA name of the zone the times are in, e.g. `timezone: America/Los_Angeles`',
    );
    return undefined;
  }
  if (typeof value !== 'string') {
    report(
      ['timezone'],
      'SCHEMA_INVALID_TYPE',
      `timezone must be an IANA time zone name, not ${describeValue(value)}`,
      'write a name such as `timezone: Europe/Berlin`',
    );
    return undefined;
  }
  if (isKnownTimeZone(value)) return value;
  const suggestion = suggestTimeZone(value);
  const abbreviation =
    /^[A-Za-z]{1,5}$/.test(value.trim()) &&
    value.trim().toLowerCase() !== suggestion?.toLowerCase();
  const message = abbreviation
    ? `timezone "${value}" is an abbreviation, not an IANA time zone name; abbreviations do not say which daylight saving rules apply`
    : `timezone "${value}" is not an IANA time zone name (names are case-sensitive)`;
  report(
    ['timezone'],
    'TIMEZONE_UNKNOWN',
    message,
    suggestion === undefined
      ? 'use a name such as `Europe/Berlin` or `America/New_York` (the tz database list)'
      : `use \`timezone: ${suggestion}\``,
  );
  return undefined;
}

function checkDays(value: unknown, report: Report): Weekday[] | undefined {
  if (value === undefined) return [...WEEKDAYS];
  if (!Array.isArray(value)) {
    const hint =
      typeof value === 'string'
        ? `write a list: \`days: [${(expandDayRange(value) ?? [value.toUpperCase()]).join(', ')}]\``
        : 'write a list such as `days: [MON, TUE, WED, THU, FRI]`';
    report(
      ['days'],
      'SCHEMA_INVALID_TYPE',
      `days must be a list, not ${describeValue(value)}`,
      hint,
    );
    return undefined;
  }
  if (value.length === 0) {
    report(
      ['days'],
      'WINDOW_INVALID',
      'days is empty, so the window would never open',
      'list the days it opens, e.g. `days: [MON, TUE, WED, THU, FRI]`, or omit `days` for every day',
    );
    return undefined;
  }
  const seen = new Set<Weekday>();
  let ok = true;
  value.forEach((item: unknown, index) => {
    if (typeof item !== 'string') {
      report(
        ['days', index],
        'SCHEMA_INVALID_TYPE',
        `a day must be one of ${WEEKDAYS.join(', ')}, not ${describeValue(item)}`,
      );
      ok = false;
      return;
    }
    if (!isWeekday(item)) {
      report(
        ['days', index],
        'WINDOW_INVALID',
        `"${item}" is not a day; use one of ${WEEKDAYS.join(', ')}`,
        dayHint(item),
      );
      ok = false;
      return;
    }
    if (seen.has(item)) {
      report(
        ['days', index],
        'WINDOW_INVALID',
        `${item} is listed twice in days`,
        `remove one ${item}`,
      );
      ok = false;
      return;
    }
    seen.add(item);
  });
  return ok ? WEEKDAYS.filter((day) => seen.has(day)) : undefined;
}

function isWeekday(text: string): text is Weekday {
  return (WEEKDAYS as readonly string[]).includes(text);
}

function dayHint(text: string): string | undefined {
  const range = expandDayRange(text);
  if (range !== undefined) return `list each day: [${range.join(', ')}]`;
  const day = dayFromName(text);
  return day === undefined ? undefined : `write ${day}`;
}

/** `Monday`, `mon`, `MONDAY` → `MON`. */
function dayFromName(text: string): Weekday | undefined {
  const upper = text.trim().toUpperCase();
  const index = FULL_DAY_NAMES.findIndex((full) => upper.length >= 3 && full.startsWith(upper));
  return WEEKDAYS[index];
}

/** `MON-FRI` or `Mon–Fri` → `[MON, TUE, WED, THU, FRI]`. */
function expandDayRange(text: string): Weekday[] | undefined {
  const match = /^\s*([A-Za-z]+)\s*(?:-|–|\.\.|to)\s*([A-Za-z]+)\s*$/.exec(text);
  if (match === null) return undefined;
  const from = dayFromName(match[1] ?? '');
  const to = dayFromName(match[2] ?? '');
  if (from === undefined || to === undefined) return undefined;
  const a = WEEKDAYS.indexOf(from);
  const b = WEEKDAYS.indexOf(to);
  return a <= b ? WEEKDAYS.slice(a, b + 1) : undefined;
}

function checkHours(
  startValue: unknown,
  endValue: unknown,
  report: Report,
): [string | undefined, string | undefined] {
  const start = checkClockTime('start', startValue ?? DEFAULT_START, report);
  const end = checkClockTime('end', endValue ?? DEFAULT_END, report);
  if (start === undefined || end === undefined) return [undefined, undefined];
  if (end.minutes <= start.minutes) {
    report(
      ['end'],
      'WINDOW_INVALID',
      `end "${end.text}" is not after start "${start.text}"; a window opens and closes on the same day`,
      end.minutes === 0
        ? 'write `end: "24:00"` for a window that lasts until midnight'
        : 'a window cannot span midnight: end it at "24:00", and open the next day at "00:00" with a second window',
    );
    return [undefined, undefined];
  }
  return [start.text, end.text];
}

function checkClockTime(
  key: 'start' | 'end',
  value: unknown,
  report: Report,
): { text: string; minutes: number } | undefined {
  if (typeof value === 'number') {
    // YAML 1.1 reads an unquoted 09:00 as the base-60 number 540.
    const likely =
      Number.isInteger(value) && value >= 0 && value <= MINUTES_PER_DAY
        ? formatClockTime(value)
        : 'HH:MM';
    report(
      [key],
      'SCHEMA_INVALID_TYPE',
      `${key} must be a quoted "HH:MM" time, not the number ${value}`,
      `quote the time: \`${key}: "${likely}"\``,
    );
    return undefined;
  }
  if (typeof value !== 'string') {
    report(
      [key],
      'SCHEMA_INVALID_TYPE',
      `${key} must be a "HH:MM" time, not ${describeValue(value)}`,
    );
    return undefined;
  }
  const minutes = parseClockTime(value, key === 'end');
  if (minutes !== undefined) return { text: value, minutes };
  const short = /^(\d):(\d{2})$/.exec(value);
  if (short !== null && parseClockTime(`0${value}`) !== undefined) {
    report([key], 'WINDOW_INVALID', `${key} "${value}" is not in HH:MM form`, `write "0${value}"`);
  } else if (key === 'start' && value === '24:00') {
    report(
      [key],
      'WINDOW_INVALID',
      'start "24:00" is the end of the day; a window cannot start there',
      'write `start: "00:00"` to open at midnight',
    );
  } else if (/^\d{2}:\d{2}$/.test(value)) {
    report(
      [key],
      'WINDOW_INVALID',
      `${key} "${value}" is not a time of day (00:00–23:59${key === 'end' ? ', or 24:00' : ''})`,
    );
  } else {
    report(
      [key],
      'WINDOW_INVALID',
      `${key} "${value}" is not a "HH:MM" time`,
      'write 24-hour local time with two-digit hours and minutes, e.g. "09:00" or "17:30"',
    );
  }
  return undefined;
}

function checkExcludeDates(value: unknown, report: Report): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(
      ['exclude_dates'],
      'SCHEMA_INVALID_TYPE',
      `exclude_dates must be a list of dates, not ${describeValue(value)}`,
      'write `exclude_dates: ["2026-12-25", "2027-01-01"]`',
    );
    return undefined;
  }
  const dates = new Set<string>();
  let ok = true;
  value.forEach((item: unknown, index) => {
    const date = checkDate(item, ['exclude_dates', index], report);
    if (date === undefined) ok = false;
    else dates.add(date);
  });
  return ok ? [...dates].sort() : undefined;
}

function checkDate(value: unknown, path: (string | number)[], report: Report): string | undefined {
  if (value instanceof Date) {
    // A YAML 1.1 loader turns an unquoted date into a Date at midnight UTC.
    const iso = Number.isNaN(value.getTime()) ? '' : value.toISOString();
    if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
    report(path, 'WINDOW_INVALID', `${iso || 'an invalid date'} is a date and time, not a date`);
    return undefined;
  }
  if (typeof value !== 'string') {
    report(path, 'SCHEMA_INVALID_TYPE', `a date must be "YYYY-MM-DD", not ${describeValue(value)}`);
    return undefined;
  }
  if (calendarDate(value) !== undefined) return value;
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (parts === null) {
    report(
      path,
      'WINDOW_INVALID',
      `"${value}" is not a "YYYY-MM-DD" date`,
      'write e.g. "2026-12-25"',
    );
    return undefined;
  }
  const month = DateTime.fromObject(
    { year: Number(parts[1]), month: Number(parts[2]) },
    { zone: 'utc' },
  );
  report(
    path,
    'WINDOW_INVALID',
    month.isValid
      ? `"${value}" is not a real date: ${month.toFormat('MMMM yyyy')} has ${month.daysInMonth} days`
      : `"${value}" is not a real date: there is no month ${parts[2]}`,
  );
  return undefined;
}

function checkFreezes(
  value: unknown,
  timezone: string | undefined,
  report: Report,
): WindowFreeze[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(
      ['freezes'],
      'SCHEMA_INVALID_TYPE',
      `freezes must be a list, not ${describeValue(value)}`,
      'write `freezes: [{ from: "2026-12-20T00:00:00Z", to: "2027-01-04T00:00:00Z", reason: "holidays" }]`',
    );
    return undefined;
  }
  const freezes: WindowFreeze[] = [];
  let ok = true;
  value.forEach((item: unknown, index) => {
    const freeze = checkFreeze(item, index, timezone, report);
    if (freeze === undefined) ok = false;
    else freezes.push(freeze);
  });
  return ok ? freezes : undefined;
}

function checkFreeze(
  item: unknown,
  index: number,
  timezone: string | undefined,
  report: Report,
): WindowFreeze | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item) || item instanceof Date) {
    report(
      ['freezes', index],
      'SCHEMA_INVALID_TYPE',
      `a freeze must be a map with from and to, not ${describeValue(item)}`,
      'write `{ from: "2026-12-20T00:00:00Z", to: "2027-01-04T00:00:00Z" }`',
    );
    return undefined;
  }
  const record = item as Record<string, unknown>;
  const from = checkInstant(record.from, ['freezes', index, 'from'], timezone, report);
  const to = checkInstant(record.to, ['freezes', index, 'to'], timezone, report);
  let reason: string | undefined;
  let ok = from !== undefined && to !== undefined;
  if (record.reason !== undefined) {
    if (typeof record.reason === 'string') reason = record.reason;
    else {
      report(
        ['freezes', index, 'reason'],
        'SCHEMA_INVALID_TYPE',
        `a freeze reason must be text, not ${describeValue(record.reason)}`,
      );
      ok = false;
    }
  }
  if (from === undefined || to === undefined || !ok) return undefined;
  if (to.at.toMillis() <= from.at.toMillis()) {
    report(
      ['freezes', index, 'to'],
      'WINDOW_INVALID',
      `freeze ends (to "${to.text}") ${to.at.toMillis() === from.at.toMillis() ? 'when' : 'before'} it starts (from "${from.text}")`,
      'set `to` after `from`',
    );
    return undefined;
  }
  const freeze: WindowFreeze = { from: from.text, to: to.text };
  if (reason !== undefined) freeze.reason = reason;
  return freeze;
}

function checkInstant(
  value: unknown,
  path: (string | number)[],
  timezone: string | undefined,
  report: Report,
): { text: string; at: DateTime } | undefined {
  const key = path[path.length - 1];
  if (value === undefined) {
    report(
      path,
      'SCHEMA_MISSING_KEY',
      `the freeze has no \`${String(key)}\``,
      `add \`${String(key)}: "2026-12-20T00:00:00Z"\``,
    );
    return undefined;
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    // A YAML 1.1 loader turns an unquoted timestamp into a Date; the instant is what counts.
    const text = value.toISOString();
    return { text, at: DateTime.fromISO(text, { setZone: true }) };
  }
  if (typeof value !== 'string') {
    report(
      path,
      'SCHEMA_INVALID_TYPE',
      `${String(key)} must be an ISO 8601 instant, not ${describeValue(value)}`,
    );
    return undefined;
  }
  // Text that carries its own offset reads as the same instant whatever zone is assumed.
  const at = DateTime.fromISO(value, { zone: 'utc' });
  const elsewhere = DateTime.fromISO(value, { zone: 'UTC+14' });
  if (at.isValid && at.toMillis() === elsewhere.toMillis()) return { text: value, at };
  const local = DateTime.fromISO(value, { zone: timezone ?? DEFAULT_TIMEZONE });
  if (local.isValid) {
    const example = local.toISO({ suppressMilliseconds: true }) ?? '';
    report(
      path,
      'WINDOW_INVALID',
      `${String(key)} "${value}" has no time zone offset, so it is not one instant`,
      `add the offset: "${example}"${timezone === undefined ? '' : ` is that time in ${timezone}`}`,
    );
  } else {
    report(
      path,
      'WINDOW_INVALID',
      `${String(key)} "${value}" is not an ISO 8601 instant`,
      'write a date, time and offset, e.g. "2026-12-20T00:00:00Z" or "2026-12-20T09:00:00-08:00"',
    );
  }
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the text "${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean')
    return `${typeof value} ${String(value)}`;
  return typeof value;
}
