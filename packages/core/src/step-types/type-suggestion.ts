/** Suggests a known type id for a mistyped one, tolerating case, separators and a bad prefix. */
import { closestMatch, editDistance } from './closest-match.js';

/**
 * The nearest of `bodies` (`GROUP:NAME`, upper case) to `raw`, written with the prefix the user
 * seemed to mean (`DEVRAMPS` when their prefix is closer to it, else `RAMPART`). When the group is
 * right but the name is far off, the group's nearest name is still offered.
 */
export function suggestTypeId(raw: string, bodies: readonly string[]): string | undefined {
  const cleaned = raw.trim().toUpperCase().replace(/\s+/g, '').replace(/-/g, '_');
  const parts = cleaned.split(':');
  let prefix = 'RAMPART';
  let body = cleaned;
  if (parts.length >= 3) {
    const [written = ''] = parts;
    if (editDistance(written, 'DEVRAMPS') < editDistance(written, 'RAMPART')) prefix = 'DEVRAMPS';
    body = parts.slice(1).join(':');
  }
  const threshold = Math.max(2, Math.floor(body.length / 3));
  const near = closestMatch(body, bodies, threshold);
  if (near !== undefined) return `${prefix}:${near}`;
  const group = body.split(':')[0];
  const sameGroup = bodies.filter((b) => b.split(':')[0] === group);
  const inGroup = closestMatch(body, sameGroup, Number.MAX_SAFE_INTEGER);
  return inGroup === undefined ? undefined : `${prefix}:${inGroup}`;
}
