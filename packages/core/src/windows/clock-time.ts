/** `HH:MM` wall-clock times as written in window objects. */

const CLOCK_TIME = /^(\d{2}):(\d{2})$/;

/** Minutes in a day; also the value of `24:00`. */
export const MINUTES_PER_DAY = 24 * 60;

/**
 * Minutes after local midnight for `HH:MM` (00:00–23:59), or `undefined` when the text is not
 * such a time. `24:00` is accepted only with `allowEndOfDay`, for a window's `end`.
 */
export function parseClockTime(text: string, allowEndOfDay = false): number | undefined {
  const match = CLOCK_TIME.exec(text);
  if (match === null) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (allowEndOfDay && hours === 24 && minutes === 0) return MINUTES_PER_DAY;
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

/** `HH:MM` for a number of minutes after midnight (0–1440). */
export function formatClockTime(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  return `${String(hours).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
