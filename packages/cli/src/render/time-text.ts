/** Times and durations as the client commands print them: UTC, short, marked with `Z`. */

/** `10:00:03Z` from an ISO time (its time of day in UTC). */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(11, 19)}Z`;
}

/** `2026-03-01 10:00:03Z` from an ISO time. */
export function dateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}Z`;
}

/** `850ms`, `12s`, `4m 30s`, `2h 05m`, `6d 23h`. Negative durations read as 0. */
export function duration(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return `${value}ms`;
  const seconds = Math.floor(value / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}

/** The time from `now` until `iso`: `4m 30s left`, or `due` once it passed. */
export function remaining(iso: string, now: number): string {
  const left = new Date(iso).getTime() - now;
  if (Number.isNaN(left)) return '';
  return left <= 0 ? 'due' : `${duration(left)} left`;
}
