import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, suggestTimeZone } from './time-zone-name.js';

describe('isKnownTimeZone', () => {
  it.each([
    'America/Los_Angeles',
    'Europe/Berlin',
    'Asia/Kathmandu',
    'Asia/Kolkata',
    'Australia/Sydney',
    'America/Argentina/Buenos_Aires',
    'Africa/Dar_es_Salaam',
    'US/Pacific',
    'Etc/UTC',
    'Etc/GMT+5',
    'UTC',
    'GMT',
    'CET',
    'PST8PDT',
  ])('accepts %s', (name) => {
    expect(isKnownTimeZone(name)).toBe(true);
  });

  it.each([
    'america/los_angeles',
    'America/los_angeles',
    'AMERICA/LOS_ANGELES',
    'Asia/KOLKATA',
    'us/pacific',
    'utc',
    'EST',
    'PST',
    'IST',
    'BST',
    'UTC+2',
    '+02:00',
    'Mars/Olympus',
    'America/New York',
    '',
  ])('refuses %j', (name) => {
    expect(isKnownTimeZone(name)).toBe(false);
  });
});

describe('suggestTimeZone', () => {
  it('fixes the case of a name', () => {
    expect(suggestTimeZone('america/los_angeles')).toBe('America/Los_Angeles');
    expect(suggestTimeZone('EUROPE/BERLIN')).toBe('Europe/Berlin');
    expect(suggestTimeZone('utc')).toBe('UTC');
  });

  it('replaces spaces with underscores', () => {
    expect(suggestTimeZone('America/New York')).toBe('America/New_York');
  });

  it('maps common abbreviations to the zone they usually mean', () => {
    expect(suggestTimeZone('PST')).toBe('America/Los_Angeles');
    expect(suggestTimeZone('est')).toBe('America/New_York');
    expect(suggestTimeZone('CEST')).toBe('Europe/Berlin');
  });

  it('finds a zone from a bare city', () => {
    expect(suggestTimeZone('Berlin')).toBe('Europe/Berlin');
    expect(suggestTimeZone('los angeles')).toBe('America/Los_Angeles');
  });

  it('offers a valid name for a mis-cased link', () => {
    const suggestion = suggestTimeZone('us/pacific');
    expect(suggestion).toBe('America/Los_Angeles');
  });

  it('suggests nothing when nothing is close', () => {
    expect(suggestTimeZone('Mars/Olympus')).toBeUndefined();
    expect(suggestTimeZone('IST')).toBeUndefined();
  });

  it('only suggests names it accepts', () => {
    for (const name of ['america/los_angeles', 'PST', 'Berlin', 'utc', 'asia/kolkata']) {
      const suggestion = suggestTimeZone(name);
      expect(suggestion).toBeDefined();
      expect(isKnownTimeZone(suggestion ?? '')).toBe(true);
    }
  });
});
