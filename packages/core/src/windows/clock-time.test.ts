import { describe, expect, it } from 'vitest';
import { formatClockTime, parseClockTime } from './clock-time.js';

describe('parseClockTime', () => {
  it('reads HH:MM as minutes after midnight', () => {
    expect(parseClockTime('00:00')).toBe(0);
    expect(parseClockTime('09:30')).toBe(570);
    expect(parseClockTime('23:59')).toBe(1439);
  });

  it('accepts 24:00 only as an end of day', () => {
    expect(parseClockTime('24:00')).toBeUndefined();
    expect(parseClockTime('24:00', true)).toBe(1440);
    expect(parseClockTime('24:01', true)).toBeUndefined();
  });

  it.each(['9:00', '09:0', '0900', '24:30', '23:60', '25:00', ' 09:00', '09:00:00', '', 'noon'])(
    'refuses %j',
    (text) => {
      expect(parseClockTime(text, true)).toBeUndefined();
    },
  );
});

describe('formatClockTime', () => {
  it('pads hours and minutes', () => {
    expect(formatClockTime(0)).toBe('00:00');
    expect(formatClockTime(545)).toBe('09:05');
    expect(formatClockTime(1440)).toBe('24:00');
  });
});
