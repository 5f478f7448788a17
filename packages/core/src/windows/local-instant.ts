/** Turning a local date and wall-clock time into one instant, across DST gaps and overlaps. */
import { DateTime } from 'luxon';

/**
 * A calendar date with no zone, carried as a luxon DateTime at midnight UTC so that luxon does
 * the calendar arithmetic (`plus({ days: 1 })`, `weekday`, `toISODate()`).
 */
export type CalendarDate = DateTime;

/** The calendar date `YYYY-MM-DD`, or `undefined` when it is not a real date (2026-02-30). */
export function calendarDate(isoDate: string): CalendarDate | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return undefined;
  const date = DateTime.fromISO(isoDate, { zone: 'utc' });
  return date.isValid ? date : undefined;
}

/** The local calendar date of `instant` in `zone`. */
export function localDateOf(instant: DateTime, zone: string): CalendarDate {
  const local = instant.setZone(zone);
  return DateTime.fromObject(
    { year: local.year, month: local.month, day: local.day },
    { zone: 'utc' },
  );
}

/**
 * The first instant at which the wall clock in `zone` shows `minutes` after midnight of `date`
 * (1440 means midnight at the end of that date).
 *
 * - A wall time that happens twice (clocks set back) resolves to its first occurrence.
 * - A wall time that never happens (clocks set forward over it) resolves to the moment of the
 *   jump: the first instant whose wall time is later. 02:30 on 2026-03-08 in
 *   America/Los_Angeles is 03:00 PDT (10:00Z).
 */
export function localInstant(zone: string, date: CalendarDate, minutes: number): DateTime {
  const wallDate = date.plus({ minutes });
  const wall = {
    year: wallDate.year,
    month: wallDate.month,
    day: wallDate.day,
    hour: wallDate.hour,
    minute: wallDate.minute,
  };
  const guess = DateTime.fromObject(wall, { zone });
  const shown = guess.setZone('utc', { keepLocalTime: true });
  if (shown.toMillis() === wallDate.toMillis()) {
    // Both readings of an overlapped wall time are valid; the earlier one comes first.
    const [first, ...rest] = guess.getPossibleOffsets();
    return rest.reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), first ?? guess);
  }
  return firstInstantShowing(zone, wallDate, guess);
}

/**
 * In a gap, luxon moves the wall time forward by the gap length, so the jump lies within one gap
 * length before `after`; bisect for the first millisecond whose wall time reaches `wall`.
 */
function firstInstantShowing(zone: string, wall: DateTime, after: DateTime): DateTime {
  const target = wall.toMillis();
  const wallMillis = (at: number): number =>
    DateTime.fromMillis(at, { zone }).setZone('utc', { keepLocalTime: true }).toMillis();
  let hi = after.toMillis();
  let lo = hi - (wallMillis(hi) - target);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallMillis(mid) >= target) hi = mid;
    else lo = mid;
  }
  return DateTime.fromMillis(hi, { zone });
}
