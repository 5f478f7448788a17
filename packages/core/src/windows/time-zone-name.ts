/** Which time zone names a window may use, and what to suggest for a wrong one. */
import { IANAZone } from 'luxon';

/**
 * Single-segment IANA names that are accepted. Other bare names are refused even where the
 * runtime knows them: ICU also accepts abbreviations such as `IST` (Asia/Kolkata to ICU, Israel
 * or Ireland to many readers) and `BST` (Asia/Dhaka, not British Summer Time).
 */
const BARE_NAMES = new Set([
  'UTC',
  'GMT',
  'CET',
  'EET',
  'MET',
  'WET',
  'EST5EDT',
  'CST6CDT',
  'MST7MDT',
  'PST8PDT',
]);

/** Abbreviations people write for a zone, and the IANA name they usually mean. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  PT: 'America/Los_Angeles',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  MT: 'America/Denver',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CT: 'America/Chicago',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  ET: 'America/New_York',
  HST: 'Pacific/Honolulu',
  AKST: 'America/Anchorage',
  BST: 'Europe/London',
  CEST: 'Europe/Berlin',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  NZST: 'Pacific/Auckland',
  NZDT: 'Pacific/Auckland',
  Z: 'UTC',
  ZULU: 'UTC',
};

let canonicalNames: readonly string[] | undefined;

/** The runtime's canonical zone names (ICU), read once. */
function knownNames(): readonly string[] {
  canonicalNames ??= Intl.supportedValuesOf('timeZone');
  return canonicalNames;
}

/** Whether `name` is an IANA time zone name, spelled exactly (case matters). */
export function isKnownTimeZone(name: string): boolean {
  if (!name.includes('/')) return BARE_NAMES.has(name);
  if (!IANAZone.isValidZone(name)) return false;
  if (knownNames().includes(name)) return true;
  // The runtime matches names case-insensitively and lists only canonical names, so links such
  // as US/Pacific or Asia/Kolkata are checked by shape: each part starts with a capital letter
  // and is not shouted.
  const lower = name.toLowerCase();
  if (knownNames().some((known) => known.toLowerCase() === lower)) return false;
  return name.split('/').every((part) => /^[A-Z]/.test(part) && !/^[A-Z]{4,}$/.test(part));
}

/** A known zone name close to `name` (wrong case, spaces, an abbreviation, a bare city), if any. */
export function suggestTimeZone(name: string): string | undefined {
  const trimmed = name.trim().replace(/\s+/g, '_');
  const abbreviation = ABBREVIATIONS[trimmed.toUpperCase()];
  if (abbreviation !== undefined) return abbreviation;
  const lower = trimmed.toLowerCase();
  const bare = [...BARE_NAMES].find((known) => known.toLowerCase() === lower);
  if (bare !== undefined) return bare;
  const exact = knownNames().find((known) => known.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  if (trimmed.includes('/') && IANAZone.isValidZone(trimmed)) {
    // The runtime understands it (wrong case of a link): offer the name it resolves to.
    return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  }
  const city = lower.split('/').pop() ?? lower;
  const byCity = knownNames().filter((known) => known.toLowerCase().split('/').pop() === city);
  return byCity.length === 1 ? byCity[0] : undefined;
}
