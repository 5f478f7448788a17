import { describe, expect, it } from 'vitest';
import { addMilliseconds, normalizeIsoTime } from './iso-time.js';

describe('stored times', () => {
  it('normalizes ISO times to UTC with milliseconds', () => {
    expect(normalizeIsoTime('2030-01-01T00:00:00Z', 't')).toBe('2030-01-01T00:00:00.000Z');
    expect(normalizeIsoTime('2030-06-01T12:30:00+02:00', 't')).toBe('2030-06-01T10:30:00.000Z');
    expect(normalizeIsoTime('2030-01-01T00:00:00.123Z', 't')).toBe('2030-01-01T00:00:00.123Z');
  });

  it('refuses text that is not a time, and years whose text would sort wrongly', () => {
    for (const value of [
      '',
      'soon',
      '2030-13-01T00:00:00Z',
      '+010000-01-01T00:00:00Z',
      '-000001-01-01T00:00:00Z',
    ]) {
      expect(() => normalizeIsoTime(value, 'dueAt')).toThrow(
        expect.objectContaining({
          code: 'STORE_VALUE_UNSUPPORTED',
          message: expect.stringContaining('dueAt') as unknown,
        }),
      );
    }
  });

  it('adds milliseconds', () => {
    expect(addMilliseconds('2030-01-01T23:59:59.500Z', 1500)).toBe('2030-01-02T00:00:01.000Z');
  });
});
