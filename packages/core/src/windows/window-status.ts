/** Whether a window is open at an instant, and when it next opens or closes. */
import { DateTime, IANAZone } from 'luxon';
import { RampartError } from '../errors/index.js';
import { MINUTES_PER_DAY, parseClockTime } from './clock-time.js';
import { calendarDate, localDateOf, localInstant, type CalendarDate } from './local-instant.js';
import { WEEKDAYS, type TimeWindow, type WindowFreeze } from './time-window.js';

/** How far ahead `opensAt` and `closesAt` are looked for. */
export const WINDOW_HORIZON_DAYS = 400;

/** Why a window is closed, most specific first: a freeze beats the day, the day beats the hours. */
export type WindowClosedReason = 'freeze' | 'not-a-window-day' | 'excluded-date' | 'outside-hours';

export interface WindowStatus {
  open: boolean;
  /** Why it is closed; absent when open. */
  reason?: WindowClosedReason;
  /** The freeze holding it closed (the one that ends last when several overlap). */
  freeze?: WindowFreeze;
  /** When closed: the next instant it is open; absent when it stays closed for the whole horizon. */
  opensAt?: Date;
  /** When open: the instant the current open period ends; absent when it stays open throughout. */
  closesAt?: Date;
}

interface Span {
  from: number;
  to: number;
}

interface ParsedFreeze extends Span {
  freeze: WindowFreeze;
}

/**
 * The state of `window` at the instant `at`. Hours are wall-clock time in the window's zone on
 * each local date: the window opens at the first instant the clock shows `start` and closes at
 * the first instant it shows `end` (see `localInstant` for DST gaps and overlaps). Excluded dates
 * and freezes (`from` inclusive, `to` exclusive) close it; adjacent open periods (a window until
 * `24:00` followed by one from `00:00`) count as one.
 *
 * @param horizonDays How many local days ahead to search. @default 400
 */
export function windowStatus(
  window: TimeWindow,
  at: Date,
  horizonDays = WINDOW_HORIZON_DAYS,
): WindowStatus {
  const instant = DateTime.fromJSDate(at);
  if (!instant.isValid) {
    throw new RampartError('INTERNAL', 'windowStatus was given an invalid Date', {
      source: 'system',
    });
  }
  if (window.always) return { open: true };

  const rules = readRules(window);
  const now = instant.toMillis();
  const today = localDateOf(instant, window.timezone);
  // No earlier date can hold `at`: a date's hours end before the next date first begins.
  const spans = openSpans(rules, today, horizonDays + 1);

  let current: Span | undefined;
  for (const span of spans) {
    if (span.to <= now) continue;
    if (current === undefined) {
      if (span.from > now) return closedStatus(rules, now, today, span.from);
      current = { ...span };
    } else if (span.from === current.to) {
      current.to = span.to;
    } else {
      return { open: true, closesAt: new Date(current.to) };
    }
  }
  return current === undefined ? closedStatus(rules, now, today, undefined) : { open: true };
}

interface Rules {
  window: TimeWindow;
  start: number;
  end: number;
  freezes: ParsedFreeze[];
}

function readRules(window: TimeWindow): Rules {
  const start = parseClockTime(window.start);
  const end = parseClockTime(window.end, true);
  if (!IANAZone.isValidZone(window.timezone) || start === undefined || end === undefined) {
    throw new RampartError(
      'WINDOW_INVALID',
      `window "${window.name}" has an invalid timezone, start or end`,
      { hint: 'build windows with checkWindowObject or presetWindow' },
    );
  }
  const freezes = window.freezes.map((freeze) => {
    const from = DateTime.fromISO(freeze.from, { setZone: true });
    const to = DateTime.fromISO(freeze.to, { setZone: true });
    if (!from.isValid || !to.isValid) {
      throw new RampartError(
        'WINDOW_INVALID',
        `window "${window.name}" has a freeze that is not two ISO instants`,
        { hint: 'build windows with checkWindowObject' },
      );
    }
    return { freeze, from: from.toMillis(), to: to.toMillis() };
  });
  return { window, start, end, freezes };
}

/** Open spans in time order, one or more per window day (freezes cut days apart). */
function* openSpans(rules: Rules, first: CalendarDate, dayCount: number): Generator<Span> {
  const { timezone } = rules.window;
  const allDay = rules.start === 0 && rules.end === MINUTES_PER_DAY;
  const opensOn = dayFilter(rules.window, first);
  let offset = 0;
  while (offset < dayCount) {
    const firstOffset = offset;
    offset += 1;
    if (!opensOn(firstOffset)) continue;
    // Whole days in a row form one span whatever DST does inside it: compute only its two ends.
    while (allDay && offset < dayCount && opensOn(offset)) offset += 1;
    const from = localInstant(timezone, first.plus({ days: firstOffset }), rules.start).toMillis();
    const to = localInstant(timezone, first.plus({ days: offset - 1 }), rules.end).toMillis();
    // Empty when both ends fall into one DST gap, or on a date the zone skipped.
    if (from >= to) continue;
    const pieces = withoutFreezes({ from, to }, rules.freezes);
    yield* pieces;
    if (pieces.length === 0) {
      // Frozen throughout: the freezes over it form one span, so resume on the date it ends
      // instead of walking every frozen day.
      const resume = Math.max(
        ...rules.freezes.filter((f) => f.from < to && f.to > from).map((f) => f.to),
      );
      const resumeDay = localDateOf(DateTime.fromMillis(resume), timezone);
      offset = Math.max(offset, Math.floor(resumeDay.diff(first, 'days').days));
    }
  }
}

/**
 * Whether the window opens on the date `n` days after `first`. Weekdays repeat every seven days
 * and excluded dates are turned into day numbers once, so walking the horizon stays cheap.
 */
function dayFilter(window: TimeWindow, first: CalendarDate): (n: number) => boolean {
  const excluded = new Set(
    window.excludeDates.map((date) => calendarDate(date)?.diff(first, 'days').days),
  );
  const openWeekdays = WEEKDAYS.map((day) => window.days.includes(day));
  return (n) => openWeekdays[(first.weekday - 1 + n) % 7] === true && !excluded.has(n);
}

function withoutFreezes(span: Span, freezes: readonly Span[]): Span[] {
  let pieces = [span];
  for (const freeze of freezes) {
    pieces = pieces.flatMap((piece) => {
      if (freeze.to <= piece.from || freeze.from >= piece.to) return [piece];
      const kept: Span[] = [];
      if (freeze.from > piece.from) kept.push({ from: piece.from, to: freeze.from });
      if (freeze.to < piece.to) kept.push({ from: freeze.to, to: piece.to });
      return kept;
    });
  }
  return pieces.sort((a, b) => a.from - b.from);
}

function closedStatus(
  rules: Rules,
  now: number,
  today: CalendarDate,
  opensAt: number | undefined,
): WindowStatus {
  const status: WindowStatus = { open: false, reason: 'outside-hours' };
  const holding = rules.freezes
    .filter((f) => f.from <= now && now < f.to)
    .reduce<ParsedFreeze | undefined>(
      (a, b) => (a === undefined || b.to > a.to ? b : a),
      undefined,
    );
  const weekday = WEEKDAYS[today.weekday - 1];
  if (holding !== undefined) {
    status.reason = 'freeze';
    status.freeze = holding.freeze;
  } else if (weekday === undefined || !rules.window.days.includes(weekday)) {
    status.reason = 'not-a-window-day';
  } else if (rules.window.excludeDates.includes(today.toISODate() ?? '')) {
    status.reason = 'excluded-date';
  }
  if (opensAt !== undefined) status.opensAt = new Date(opensAt);
  return status;
}
