/** Test helper: whether a process still runs. */
import { readFileSync } from 'node:fs';

/**
 * Whether `pid` still runs. A zombie counts as stopped: it has exited, and PID 1 of some
 * containers never reaps orphans, so `kill(pid, 0)` would still find it.
 */
export function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
