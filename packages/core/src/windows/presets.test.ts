import { describe, expect, it } from 'vitest';
import { PRESET_WINDOW_NAMES, isPresetWindowName, presetWindow } from './presets.js';

describe('presetWindow', () => {
  it('NONE is always open with no freezes', () => {
    const none = presetWindow('NONE');
    expect(none).toMatchObject({ name: 'NONE', always: true, freezes: [], excludeDates: [] });
  });

  it('PACIFIC_WORKING_HOURS is Mon–Fri 09:00–17:00 in Los Angeles', () => {
    expect(presetWindow('PACIFIC_WORKING_HOURS')).toEqual({
      name: 'PACIFIC_WORKING_HOURS',
      always: false,
      timezone: 'America/Los_Angeles',
      days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
      start: '09:00',
      end: '17:00',
      excludeDates: [],
      freezes: [],
    });
  });

  it('PACIFIC_WORKING_HOURS_REDUCED is Mon–Fri 10:00–16:00 in Los Angeles', () => {
    expect(presetWindow('PACIFIC_WORKING_HOURS_REDUCED')).toMatchObject({
      always: false,
      timezone: 'America/Los_Angeles',
      days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
      start: '10:00',
      end: '16:00',
    });
  });

  it('knows exactly the three preset names, spelled in upper case', () => {
    expect([...PRESET_WINDOW_NAMES]).toEqual([
      'NONE',
      'PACIFIC_WORKING_HOURS',
      'PACIFIC_WORKING_HOURS_REDUCED',
    ]);
    for (const name of PRESET_WINDOW_NAMES) expect(presetWindow(name)?.name).toBe(name);
    expect(presetWindow('none')).toBeUndefined();
    expect(presetWindow('PACIFIC')).toBeUndefined();
    expect(isPresetWindowName('NONE')).toBe(true);
    expect(isPresetWindowName('inline')).toBe(false);
  });

  it('returns a fresh object each time', () => {
    const first = presetWindow('PACIFIC_WORKING_HOURS');
    first?.days.push('SAT');
    expect(presetWindow('PACIFIC_WORKING_HOURS')?.days).not.toContain('SAT');
  });
});
