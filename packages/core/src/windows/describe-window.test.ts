import { describe, expect, it } from 'vitest';
import { describeWindow } from './describe-window.js';
import { presetWindow } from './presets.js';
import type { TimeWindow } from './time-window.js';

const base: TimeWindow = {
  name: 'x',
  always: false,
  timezone: 'Europe/Berlin',
  days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
  start: '09:00',
  end: '17:00',
  excludeDates: [],
  freezes: [],
};

describe('describeWindow', () => {
  it('describes the presets', () => {
    const none = presetWindow('NONE');
    const pacific = presetWindow('PACIFIC_WORKING_HOURS');
    if (none === undefined || pacific === undefined) throw new Error('missing preset');
    expect(describeWindow(none)).toBe('always open');
    expect(describeWindow(pacific)).toBe('Mon–Fri 09:00–17:00 America/Los_Angeles');
  });

  it('lists short runs of days one by one', () => {
    expect(describeWindow({ ...base, days: ['MON', 'WED', 'FRI'] })).toBe(
      'Mon, Wed, Fri 09:00–17:00 Europe/Berlin',
    );
    expect(describeWindow({ ...base, days: ['SAT', 'SUN'] })).toBe(
      'Sat, Sun 09:00–17:00 Europe/Berlin',
    );
    expect(describeWindow({ ...base, days: ['MON', 'TUE', 'WED', 'FRI', 'SAT'] })).toBe(
      'Mon–Wed, Fri, Sat 09:00–17:00 Europe/Berlin',
    );
    expect(
      describeWindow({ ...base, days: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] }),
    ).toBe('Mon–Sun 09:00–17:00 Europe/Berlin');
  });

  it('counts excluded dates and freezes', () => {
    const freeze = { from: '2026-12-20T00:00:00Z', to: '2027-01-04T00:00:00Z' };
    expect(describeWindow({ ...base, excludeDates: ['2026-12-25'] })).toBe(
      'Mon–Fri 09:00–17:00 Europe/Berlin, 1 excluded date',
    );
    expect(
      describeWindow({ ...base, excludeDates: ['2026-12-25', '2027-01-01'], freezes: [freeze] }),
    ).toBe('Mon–Fri 09:00–17:00 Europe/Berlin, 2 excluded dates, 1 freeze');
    expect(describeWindow({ ...base, end: '24:00', freezes: [freeze, freeze] })).toBe(
      'Mon–Fri 09:00–24:00 Europe/Berlin, 2 freezes',
    );
  });
});
