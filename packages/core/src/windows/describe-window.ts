/** One line describing a window for people: `Mon–Fri 09:00–17:00 America/Los_Angeles`. */
import { WEEKDAYS, type TimeWindow, type Weekday } from './time-window.js';

/**
 * A one-line summary: days (runs of three or more shown as a range), hours, zone, then how many
 * excluded dates and freezes there are. `always open` for `NONE`.
 */
export function describeWindow(window: TimeWindow): string {
  if (window.always) return 'always open';
  const parts = [`${describeDays(window.days)} ${window.start}–${window.end} ${window.timezone}`];
  if (window.excludeDates.length > 0) {
    parts.push(count(window.excludeDates.length, 'excluded date', 'excluded dates'));
  }
  if (window.freezes.length > 0) {
    parts.push(count(window.freezes.length, 'freeze', 'freezes'));
  }
  return parts.join(', ');
}

function describeDays(days: readonly Weekday[]): string {
  const indexes = WEEKDAYS.map((day, index) => (days.includes(day) ? index : -1)).filter(
    (index) => index >= 0,
  );
  const runs: number[][] = [];
  for (const index of indexes) {
    const run = runs[runs.length - 1];
    if (run !== undefined && run[run.length - 1] === index - 1) run.push(index);
    else runs.push([index]);
  }
  return runs
    .flatMap((run) => {
      const names = run.map((index) => title(WEEKDAYS[index] ?? ''));
      return names.length >= 3 ? [`${names[0]}–${names[names.length - 1]}`] : names;
    })
    .join(', ');
}

function title(day: string): string {
  return day.charAt(0) + day.slice(1).toLowerCase();
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
