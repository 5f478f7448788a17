import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { calendarDate, localDateOf, localInstant } from './local-instant.js';

const date = (iso: string) => {
  const d = calendarDate(iso);
  if (d === undefined) throw new Error(`bad date ${iso}`);
  return d;
};
const utc = (zone: string, iso: string, minutes: number) =>
  localInstant(zone, date(iso), minutes).toUTC().toISO();

describe('calendarDate', () => {
  it('accepts real dates only', () => {
    expect(calendarDate('2028-02-29')?.toISODate()).toBe('2028-02-29');
    expect(calendarDate('2026-02-29')).toBeUndefined();
    expect(calendarDate('2026-02-30')).toBeUndefined();
    expect(calendarDate('2026-1-01')).toBeUndefined();
    expect(calendarDate('2026-12-25T00:00')).toBeUndefined();
  });
});

describe('localDateOf', () => {
  it('is the date on the wall calendar of the zone', () => {
    const instant = DateTime.fromISO('2026-12-25T07:30:00Z');
    expect(localDateOf(instant, 'America/Los_Angeles').toISODate()).toBe('2026-12-24');
    expect(localDateOf(instant, 'Asia/Kathmandu').toISODate()).toBe('2026-12-25');
  });
});

describe('localInstant', () => {
  it('maps an ordinary wall time with the offset of that day', () => {
    expect(utc('America/Los_Angeles', '2026-03-06', 9 * 60)).toBe('2026-03-06T17:00:00.000Z');
    expect(utc('America/Los_Angeles', '2026-03-09', 9 * 60)).toBe('2026-03-09T16:00:00.000Z');
    expect(utc('Asia/Kathmandu', '2026-03-02', 9 * 60)).toBe('2026-03-02T03:15:00.000Z');
  });

  it('treats 1440 minutes as midnight at the end of the date', () => {
    expect(utc('America/Los_Angeles', '2026-03-08', 1440)).toBe('2026-03-09T07:00:00.000Z');
  });

  it('resolves a skipped wall time to the moment the clocks jump', () => {
    // 02:30 does not exist on 2026-03-08 in Los Angeles: 02:00 PST becomes 03:00 PDT at 10:00Z.
    expect(utc('America/Los_Angeles', '2026-03-08', 150)).toBe('2026-03-08T10:00:00.000Z');
    expect(utc('America/Los_Angeles', '2026-03-08', 120)).toBe('2026-03-08T10:00:00.000Z');
    expect(utc('America/Los_Angeles', '2026-03-08', 180)).toBe('2026-03-08T10:00:00.000Z');
    // Lord Howe Island moves its clocks by 30 minutes, 02:00 → 02:30.
    expect(utc('Australia/Lord_Howe', '2026-10-04', 130)).toBe('2026-10-03T15:30:00.000Z');
  });

  it('resolves a repeated wall time to its first occurrence', () => {
    // 01:30 happens at 08:30Z (PDT) and again at 09:30Z (PST) on 2026-11-01.
    expect(utc('America/Los_Angeles', '2026-11-01', 90)).toBe('2026-11-01T08:30:00.000Z');
    expect(utc('America/Los_Angeles', '2026-11-01', 120)).toBe('2026-11-01T10:00:00.000Z');
    // Sydney sets clocks back from 03:00 AEDT to 02:00 AEST on 2026-04-05.
    expect(utc('Australia/Sydney', '2026-04-05', 150)).toBe('2026-04-04T15:30:00.000Z');
  });

  it('maps every time of a skipped date to the jump', () => {
    // Samoa skipped 2011-12-30 when it moved across the date line.
    expect(utc('Pacific/Apia', '2011-12-30', 9 * 60)).toBe('2011-12-30T10:00:00.000Z');
    expect(utc('Pacific/Apia', '2011-12-30', 17 * 60)).toBe('2011-12-30T10:00:00.000Z');
  });
});
