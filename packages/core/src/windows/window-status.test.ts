import { describe, expect, it } from 'vitest';
import { RampartError } from '../errors/index.js';
import { presetWindow } from './presets.js';
import type { TimeWindow } from './time-window.js';
import { windowStatus } from './window-status.js';

const at = (iso: string): Date => new Date(iso);

function custom(fields: Partial<TimeWindow>): TimeWindow {
  return {
    name: 'test',
    always: false,
    timezone: 'UTC',
    days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
    start: '00:00',
    end: '24:00',
    excludeDates: [],
    freezes: [],
    ...fields,
  };
}

function preset(name: string): TimeWindow {
  const window = presetWindow(name);
  if (window === undefined) throw new Error(`no preset ${name}`);
  return window;
}

const pacific = preset('PACIFIC_WORKING_HOURS');

describe('windowStatus: hours and days', () => {
  it('NONE is always open and never closes', () => {
    expect(windowStatus(preset('NONE'), at('2026-12-25T03:00:00Z'))).toEqual({ open: true });
  });

  it('is open inside the hours and says when the day ends', () => {
    // Wednesday 2026-01-14, 10:00 PST.
    expect(windowStatus(pacific, at('2026-01-14T18:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-01-15T01:00:00Z'),
    });
  });

  it('opens at start (inclusive) and closes at end (exclusive)', () => {
    expect(windowStatus(pacific, at('2026-01-14T17:00:00Z')).open).toBe(true);
    expect(windowStatus(pacific, at('2026-01-14T16:59:59.999Z')).open).toBe(false);
    expect(windowStatus(pacific, at('2026-01-15T00:59:59.999Z')).open).toBe(true);
    expect(windowStatus(pacific, at('2026-01-15T01:00:00Z'))).toEqual({
      open: false,
      reason: 'outside-hours',
      opensAt: at('2026-01-15T17:00:00Z'),
    });
  });

  it('is closed before the hours of a window day, opening later that day', () => {
    expect(windowStatus(pacific, at('2026-01-14T15:00:00Z'))).toEqual({
      open: false,
      reason: 'outside-hours',
      opensAt: at('2026-01-14T17:00:00Z'),
    });
  });

  it('is closed on other days and opens on the next window day', () => {
    // Saturday 2026-01-17 noon PST; Monday 09:00 PST is 17:00Z.
    expect(windowStatus(pacific, at('2026-01-17T20:00:00Z'))).toEqual({
      open: false,
      reason: 'not-a-window-day',
      opensAt: at('2026-01-19T17:00:00Z'),
    });
  });

  it('uses the local day, not the UTC day', () => {
    // 2026-01-17T02:00Z is Friday 18:00 PST: after hours on a window day, not a Saturday.
    expect(windowStatus(pacific, at('2026-01-17T02:00:00Z'))).toMatchObject({
      open: false,
      reason: 'outside-hours',
      opensAt: at('2026-01-19T17:00:00Z'),
    });
  });

  it('joins adjacent all-day periods into one open period', () => {
    const window = custom({ days: ['MON', 'TUE'], timezone: 'Europe/Berlin' });
    // Monday 2026-01-12 noon in Berlin; closes at Wednesday 00:00 CET (Tuesday 23:00Z).
    expect(windowStatus(window, at('2026-01-12T11:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-01-13T23:00:00Z'),
    });
  });

  it('joins all-day periods across a DST change and stops at the first closed day', () => {
    const window = custom({ timezone: 'America/Los_Angeles', excludeDates: ['2026-03-12'] });
    // Open from Thursday 2026-03-05 until Thursday 2026-03-12 00:00 PDT (07:00Z).
    expect(windowStatus(window, at('2026-03-05T20:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-03-12T07:00:00Z'),
    });
    // From a closed instant the run opens at 2026-03-13 00:00 PDT.
    expect(windowStatus(window, at('2026-03-12T12:00:00Z')).opensAt).toEqual(
      at('2026-03-13T07:00:00Z'),
    );
  });

  it('leaves closesAt out when the window never closes within the horizon', () => {
    expect(windowStatus(custom({}), at('2026-06-01T00:00:00Z'))).toEqual({ open: true });
  });
});

describe('windowStatus: daylight saving time in America/Los_Angeles', () => {
  it('follows the spring-forward change (2026-03-08) across a weekend', () => {
    // Friday 2026-03-06 closes at 17:00 PST = 01:00Z; Monday opens at 09:00 PDT = 16:00Z.
    expect(windowStatus(pacific, at('2026-03-06T20:00:00Z')).closesAt).toEqual(
      at('2026-03-07T01:00:00Z'),
    );
    expect(windowStatus(pacific, at('2026-03-07T20:00:00Z')).opensAt).toEqual(
      at('2026-03-09T16:00:00Z'),
    );
    expect(windowStatus(pacific, at('2026-03-09T16:30:00Z')).closesAt).toEqual(
      at('2026-03-10T00:00:00Z'),
    );
  });

  it('has a 23-hour all-day period on the spring-forward day', () => {
    const daily = custom({ timezone: 'America/Los_Angeles', days: ['SUN'] });
    const status = windowStatus(daily, at('2026-03-08T12:00:00Z'));
    expect(status).toEqual({ open: true, closesAt: at('2026-03-09T07:00:00Z') });
    // The period started at 00:00 PST = 08:00Z.
    expect(windowStatus(daily, at('2026-03-08T07:59:00Z')).opensAt).toEqual(
      at('2026-03-08T08:00:00Z'),
    );
  });

  it('opens a window starting at a skipped time (02:30) when the clocks jump, at 03:00 PDT', () => {
    const window = custom({ timezone: 'America/Los_Angeles', start: '02:30', end: '04:00' });
    expect(windowStatus(window, at('2026-03-08T09:30:00Z'))).toEqual({
      open: false,
      reason: 'outside-hours',
      opensAt: at('2026-03-08T10:00:00Z'),
    });
    expect(windowStatus(window, at('2026-03-08T10:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-03-08T11:00:00Z'),
    });
    // The next day 02:30 exists again: 02:30 PDT = 09:30Z.
    expect(windowStatus(window, at('2026-03-08T12:00:00Z')).opensAt).toEqual(
      at('2026-03-09T09:30:00Z'),
    );
  });

  it('skips a window that lies entirely in the skipped hour that day', () => {
    const window = custom({ timezone: 'America/Los_Angeles', start: '02:00', end: '02:45' });
    // 01:00 PST on 2026-03-08: nothing opens until 02:00 PDT on 2026-03-09.
    expect(windowStatus(window, at('2026-03-08T09:00:00Z'))).toEqual({
      open: false,
      reason: 'outside-hours',
      opensAt: at('2026-03-09T09:00:00Z'),
    });
  });

  it('follows the fall-back change (2026-11-01) across a weekend', () => {
    // Friday 2026-10-30 closes at 17:00 PDT = 00:00Z; Monday opens at 09:00 PST = 17:00Z.
    expect(windowStatus(pacific, at('2026-10-30T23:30:00Z')).closesAt).toEqual(
      at('2026-10-31T00:00:00Z'),
    );
    expect(windowStatus(pacific, at('2026-10-31T20:00:00Z')).opensAt).toEqual(
      at('2026-11-02T17:00:00Z'),
    );
    expect(windowStatus(pacific, at('2026-11-02T17:00:00Z')).closesAt).toEqual(
      at('2026-11-03T01:00:00Z'),
    );
  });

  it('spans the repeated hour: 01:30–03:00 lasts 2.5 hours on the fall-back day', () => {
    const window = custom({ timezone: 'America/Los_Angeles', start: '01:30', end: '03:00' });
    expect(windowStatus(window, at('2026-11-01T08:00:00Z')).opensAt).toEqual(
      at('2026-11-01T08:30:00Z'),
    );
    expect(windowStatus(window, at('2026-11-01T09:15:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-11-01T11:00:00Z'),
    });
  });

  it('ends at the first occurrence of a repeated end time', () => {
    const window = custom({ timezone: 'America/Los_Angeles', start: '00:00', end: '01:30' });
    // 01:15 PST (09:15Z) comes after 01:30 PDT (08:30Z): closed until Monday 00:00 PST.
    expect(windowStatus(window, at('2026-11-01T08:00:00Z')).closesAt).toEqual(
      at('2026-11-01T08:30:00Z'),
    );
    expect(windowStatus(window, at('2026-11-01T09:15:00Z'))).toEqual({
      open: false,
      reason: 'outside-hours',
      opensAt: at('2026-11-02T08:00:00Z'),
    });
  });
});

describe('windowStatus: other zones', () => {
  const kathmandu = custom({
    timezone: 'Asia/Kathmandu',
    days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
    start: '09:00',
    end: '17:00',
  });

  it('handles the +05:45 offset of Asia/Kathmandu', () => {
    // Monday 2026-03-02 09:00 NPT = 03:15Z; 17:00 NPT = 11:15Z.
    expect(windowStatus(kathmandu, at('2026-03-02T03:14:59Z'))).toEqual({
      open: false,
      reason: 'outside-hours',
      opensAt: at('2026-03-02T03:15:00Z'),
    });
    expect(windowStatus(kathmandu, at('2026-03-02T03:15:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-03-02T11:15:00Z'),
    });
    // Sunday 2026-03-01 20:00Z is already Monday 01:45 in Kathmandu.
    expect(windowStatus(kathmandu, at('2026-03-01T20:00:00Z')).reason).toBe('outside-hours');
    expect(windowStatus(kathmandu, at('2026-02-28T20:00:00Z')).reason).toBe('not-a-window-day');
  });

  const sydney = custom({
    timezone: 'Australia/Sydney',
    days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
    start: '09:00',
    end: '17:00',
  });

  it('follows Australia/Sydney ending daylight saving time in April', () => {
    // Friday 2026-04-03 09:00 AEDT (+11) = Thursday 22:00Z.
    expect(windowStatus(sydney, at('2026-04-02T22:30:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-04-03T06:00:00Z'),
    });
    // Saturday; Monday 2026-04-06 09:00 AEST (+10) = Sunday 23:00Z.
    expect(windowStatus(sydney, at('2026-04-04T00:00:00Z'))).toEqual({
      open: false,
      reason: 'not-a-window-day',
      opensAt: at('2026-04-05T23:00:00Z'),
    });
  });

  it('follows Australia/Sydney starting daylight saving time in October', () => {
    // Friday 2026-10-02 17:00 AEST = 07:00Z; Monday 2026-10-05 09:00 AEDT = Sunday 22:00Z.
    expect(windowStatus(sydney, at('2026-10-02T06:00:00Z')).closesAt).toEqual(
      at('2026-10-02T07:00:00Z'),
    );
    expect(windowStatus(sydney, at('2026-10-02T07:00:00Z')).opensAt).toEqual(
      at('2026-10-04T22:00:00Z'),
    );
  });

  it('keeps a period that the clocks set back across midnight (St. John’s, 2010-11-07)', () => {
    // At 00:01 NDT (02:31Z) Newfoundland went back to 23:01 NST on Saturday 2010-11-06.
    const sunday = custom({ timezone: 'America/St_Johns', days: ['SUN'], end: '01:00' });
    // 03:00Z reads Saturday 23:30 NST, yet Sunday's 00:00–01:00 began at 02:30Z.
    expect(windowStatus(sunday, at('2010-11-07T03:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2010-11-07T04:30:00Z'),
    });
  });

  it('never opens on a date the zone skipped (Samoa, 2011-12-30)', () => {
    const apia = custom({ timezone: 'Pacific/Apia', start: '09:00', end: '17:00' });
    // Thursday 2011-12-29 19:00 (-10); the next 09:00 is Saturday 2011-12-31 (+14) = 19:00Z.
    expect(windowStatus(apia, at('2011-12-30T05:00:00Z'))).toEqual({
      open: false,
      reason: 'outside-hours',
      opensAt: at('2011-12-30T19:00:00Z'),
    });
  });
});

describe('windowStatus: excluded dates', () => {
  const holidays = { ...pacific, excludeDates: ['2026-12-25'] };

  it('stays closed on an excluded local date', () => {
    // Friday 2026-12-25 10:00 PST; the next window day is Monday 2026-12-28.
    expect(windowStatus(holidays, at('2026-12-25T18:00:00Z'))).toEqual({
      open: false,
      reason: 'excluded-date',
      opensAt: at('2026-12-28T17:00:00Z'),
    });
  });

  it('reads excluded dates in the window zone', () => {
    // 2026-12-25T07:30Z is Thursday 2026-12-24 23:30 in Los Angeles.
    expect(windowStatus(holidays, at('2026-12-25T07:30:00Z')).reason).toBe('outside-hours');
    // Thursday's period is unaffected.
    expect(windowStatus(holidays, at('2026-12-24T20:00:00Z')).closesAt).toEqual(
      at('2026-12-25T01:00:00Z'),
    );
  });

  it('skips excluded dates when looking for opensAt', () => {
    const window = { ...pacific, excludeDates: ['2026-12-28', '2026-12-29'] };
    expect(windowStatus(window, at('2026-12-26T20:00:00Z')).opensAt).toEqual(
      at('2026-12-30T17:00:00Z'),
    );
  });

  it('reports a non-window day before an excluded date', () => {
    const window = { ...pacific, excludeDates: ['2026-12-26'] };
    expect(windowStatus(window, at('2026-12-26T20:00:00Z')).reason).toBe('not-a-window-day');
  });

  it('cuts a joined all-day period at an excluded date', () => {
    const window = custom({ excludeDates: ['2026-06-03'] });
    expect(windowStatus(window, at('2026-06-01T00:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-06-03T00:00:00Z'),
    });
  });
});

describe('windowStatus: freezes', () => {
  const holidayFreeze = {
    from: '2026-12-18T00:00:00-08:00',
    to: '2027-01-04T00:00:00-08:00',
    reason: 'holidays',
  };
  const frozen = { ...pacific, freezes: [holidayFreeze] };

  it('is closed during a freeze and opens at the first window hour after it', () => {
    // Monday 2026-12-21 10:00 PST is inside the freeze; Monday 2027-01-04 09:00 PST = 17:00Z.
    expect(windowStatus(frozen, at('2026-12-21T18:00:00Z'))).toEqual({
      open: false,
      reason: 'freeze',
      freeze: holidayFreeze,
      opensAt: at('2027-01-04T17:00:00Z'),
    });
  });

  it('reports the freeze even outside window hours', () => {
    expect(windowStatus(frozen, at('2026-12-26T20:00:00Z'))).toMatchObject({
      reason: 'freeze',
      freeze: holidayFreeze,
    });
  });

  it('ends the open period early when a freeze starts during the day', () => {
    // Thursday 2026-12-17 10:00 PST; the freeze starts at Friday 00:00 PST, after hours.
    expect(windowStatus(frozen, at('2026-12-17T18:00:00Z')).closesAt).toEqual(
      at('2026-12-18T01:00:00Z'),
    );
    const lunch = { from: '2026-03-10T20:00:00Z', to: '2026-03-10T21:00:00Z' };
    const window = { ...pacific, freezes: [lunch] };
    // Tuesday 2026-03-10 11:00 PDT: open until the freeze at 13:00 PDT.
    expect(windowStatus(window, at('2026-03-10T18:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-03-10T20:00:00Z'),
    });
    expect(windowStatus(window, at('2026-03-10T20:00:00Z'))).toEqual({
      open: false,
      reason: 'freeze',
      freeze: lunch,
      opensAt: at('2026-03-10T21:00:00Z'),
    });
    // `to` is exclusive: deployments may start again at that instant.
    expect(windowStatus(window, at('2026-03-10T21:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-03-11T00:00:00Z'),
    });
  });

  it('names the freeze that ends last when freezes overlap', () => {
    const short = { from: '2026-03-10T18:00:00Z', to: '2026-03-10T19:00:00Z' };
    const long = { from: '2026-03-10T17:30:00Z', to: '2026-03-10T22:00:00Z', reason: 'release' };
    const window = { ...pacific, freezes: [short, long] };
    expect(windowStatus(window, at('2026-03-10T18:30:00Z'))).toEqual({
      open: false,
      reason: 'freeze',
      freeze: long,
      opensAt: at('2026-03-10T22:00:00Z'),
    });
  });

  it('works for a window of freezes only', () => {
    const freeze = { from: '2026-07-01T00:00:00Z', to: '2026-07-02T00:00:00Z' };
    const window = custom({ freezes: [freeze] });
    expect(windowStatus(window, at('2026-06-30T12:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-07-01T00:00:00Z'),
    });
    expect(windowStatus(window, at('2026-07-01T12:00:00Z'))).toEqual({
      open: false,
      reason: 'freeze',
      freeze,
      opensAt: at('2026-07-02T00:00:00Z'),
    });
    expect(windowStatus(window, at('2026-07-02T00:00:00Z'))).toEqual({ open: true });
  });

  it('opens at the end of a long freeze that ends inside window hours', () => {
    const freeze = { from: '2026-12-18T00:00:00-08:00', to: '2027-01-04T12:00:00-08:00' };
    expect(windowStatus({ ...pacific, freezes: [freeze] }, at('2026-12-21T18:00:00Z'))).toEqual({
      open: false,
      reason: 'freeze',
      freeze,
      opensAt: at('2027-01-04T20:00:00Z'),
    });
  });

  it('chains overlapping freezes when looking for opensAt', () => {
    const first = { from: '2026-12-18T00:00:00Z', to: '2026-12-24T00:00:00Z' };
    const second = { from: '2026-12-23T00:00:00Z', to: '2027-01-06T00:00:00Z' };
    const window = { ...pacific, freezes: [first, second] };
    // The second ends at Tuesday 2027-01-05 16:00 PST, leaving the last hour of that day.
    expect(windowStatus(window, at('2026-12-21T18:00:00Z')).opensAt).toEqual(
      at('2027-01-06T00:00:00Z'),
    );
  });

  it('leaves opensAt out when the window stays closed for the whole horizon', () => {
    const freeze = { from: '2026-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' };
    const status = windowStatus({ ...pacific, freezes: [freeze] }, at('2026-01-05T18:00:00Z'));
    expect(status).toEqual({ open: false, reason: 'freeze', freeze });
  });

  it('searches only as far as the horizon given', () => {
    const freeze = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' };
    const window = { ...pacific, freezes: [freeze] };
    expect(windowStatus(window, at('2026-01-05T18:00:00Z'), 10).opensAt).toBeUndefined();
    expect(windowStatus(window, at('2026-01-05T18:00:00Z'), 40).opensAt).toEqual(
      at('2026-02-02T17:00:00Z'),
    );
  });
});

describe('windowStatus: bad input', () => {
  it('throws on an invalid Date', () => {
    expect(() => windowStatus(pacific, new Date('not a date'))).toThrow(RampartError);
  });

  it('throws WINDOW_INVALID on a window that did not come from the checks', () => {
    const cases: Partial<TimeWindow>[] = [
      { timezone: 'Mars/Olympus' },
      { start: '9am' },
      { end: '25:00' },
      { freezes: [{ from: 'soon', to: '2026-01-01T00:00:00Z' }] },
    ];
    for (const fields of cases) {
      try {
        windowStatus(custom(fields), at('2026-01-05T18:00:00Z'));
        expect.unreachable(`accepted ${JSON.stringify(fields)}`);
      } catch (error) {
        expect(error).toBeInstanceOf(RampartError);
        expect((error as RampartError).code).toBe('WINDOW_INVALID');
      }
    }
  });
});
