import { describe, expect, it } from 'vitest';
import { checkWindowObject, type WindowObjectInput } from './check-window-object.js';

function problemsOf(raw: WindowObjectInput) {
  const result = checkWindowObject(raw);
  expect(result.window).toBeUndefined();
  return result.problems;
}

function onlyProblem(raw: WindowObjectInput) {
  const problems = problemsOf(raw);
  expect(problems).toHaveLength(1);
  const [problem] = problems;
  if (problem === undefined) throw new Error('no problem');
  return problem;
}

const berlin = { timezone: 'Europe/Berlin' };

describe('checkWindowObject: valid windows', () => {
  it('normalizes a full window', () => {
    const result = checkWindowObject({
      timezone: 'America/New_York',
      days: ['FRI', 'MON', 'WED'],
      start: '08:30',
      end: '18:00',
      exclude_dates: ['2026-12-25', '2026-11-26', '2026-12-25'],
      freezes: [
        { from: '2026-12-20T00:00:00-05:00', to: '2027-01-04T00:00:00Z', reason: 'holidays' },
        { from: '2026-07-03T12:00:00+02:00', to: '2026-07-03T18:00:00+02:00' },
      ],
    });
    expect(result).toEqual({
      problems: [],
      window: {
        name: 'inline',
        always: false,
        timezone: 'America/New_York',
        days: ['MON', 'WED', 'FRI'],
        start: '08:30',
        end: '18:00',
        excludeDates: ['2026-11-26', '2026-12-25'],
        freezes: [
          { from: '2026-12-20T00:00:00-05:00', to: '2027-01-04T00:00:00Z', reason: 'holidays' },
          { from: '2026-07-03T12:00:00+02:00', to: '2026-07-03T18:00:00+02:00' },
        ],
      },
    });
  });

  it('takes the name it is given', () => {
    expect(checkWindowObject({ ...berlin, start: '09:00' }, 'berlin-mornings').window?.name).toBe(
      'berlin-mornings',
    );
  });

  it('restricts nothing for omitted keys: every day, all day', () => {
    expect(checkWindowObject(berlin).window).toEqual({
      name: 'inline',
      always: false,
      timezone: 'Europe/Berlin',
      days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
      start: '00:00',
      end: '24:00',
      excludeDates: [],
      freezes: [],
    });
    expect(checkWindowObject({ ...berlin, start: '09:00' }).window).toMatchObject({
      start: '09:00',
      end: '24:00',
    });
    expect(checkWindowObject({ ...berlin, end: '17:00' }).window).toMatchObject({
      start: '00:00',
      end: '17:00',
    });
  });

  it('needs no timezone for a window of freezes only, and uses UTC', () => {
    const freezes = [{ from: '2026-12-20T00:00:00Z', to: '2027-01-04T00:00:00Z' }];
    expect(checkWindowObject({ freezes }).window).toMatchObject({ timezone: 'UTC', freezes });
  });

  it('accepts 24:00 as end and the full range of times', () => {
    expect(checkWindowObject({ ...berlin, start: '00:00', end: '24:00' }).problems).toEqual([]);
    expect(checkWindowObject({ ...berlin, start: '23:58', end: '23:59' }).problems).toEqual([]);
  });

  it('accepts dates and instants that a YAML 1.1 loader turned into Date objects', () => {
    const result = checkWindowObject({
      ...berlin,
      exclude_dates: [new Date('2026-12-25T00:00:00Z')],
      freezes: [{ from: new Date('2026-12-20T08:00:00Z'), to: '2026-12-21T00:00:00Z' }],
    });
    expect(result.window?.excludeDates).toEqual(['2026-12-25']);
    expect(result.window?.freezes[0]?.from).toBe('2026-12-20T08:00:00.000Z');
  });
});

describe('checkWindowObject: an empty object', () => {
  it('is refused with a pointer to NONE', () => {
    const problem = onlyProblem({});
    expect(problem).toMatchObject({ path: [], code: 'WINDOW_INVALID' });
    expect(problem.hint).toContain('NONE');
  });
});

describe('checkWindowObject: timezone', () => {
  it('is required once local days, times or dates are set', () => {
    for (const raw of [
      { days: ['MON'] },
      { start: '09:00' },
      { end: '17:00' },
      { exclude_dates: ['2026-12-25'] },
    ]) {
      expect(onlyProblem(raw)).toMatchObject({ path: ['timezone'], code: 'SCHEMA_MISSING_KEY' });
    }
  });

  it('must be a string', () => {
    expect(onlyProblem({ timezone: 3 })).toMatchObject({
      path: ['timezone'],
      code: 'SCHEMA_INVALID_TYPE',
    });
    expect(onlyProblem({ timezone: null }).message).toContain('empty');
  });

  it('must be a known IANA name, with a suggestion when one is close', () => {
    expect(onlyProblem({ timezone: 'america/los_angeles' })).toEqual({
      path: ['timezone'],
      code: 'TIMEZONE_UNKNOWN',
      message:
        'timezone "america/los_angeles" is not an IANA time zone name (names are case-sensitive)',
      hint: 'use `timezone: America/Los_Angeles`',
    });
    const abbreviation = onlyProblem({ timezone: 'EST' });
    expect(abbreviation.code).toBe('TIMEZONE_UNKNOWN');
    expect(abbreviation.message).toContain('abbreviation');
    expect(abbreviation.hint).toBe('use `timezone: America/New_York`');
    const unknown = onlyProblem({ timezone: 'Mars/Olympus' });
    expect(unknown.hint).toContain('Europe/Berlin');
  });

  it('calls a mis-cased name a case problem, not an abbreviation', () => {
    expect(onlyProblem({ timezone: 'utc' }).message).toContain('case-sensitive');
  });
});

describe('checkWindowObject: days', () => {
  it('must be a list', () => {
    expect(onlyProblem({ ...berlin, days: 'MON-FRI' })).toEqual({
      path: ['days'],
      code: 'SCHEMA_INVALID_TYPE',
      message: 'days must be a list, not the text "MON-FRI"',
      hint: 'write a list: `days: [MON, TUE, WED, THU, FRI]`',
    });
    expect(onlyProblem({ ...berlin, days: { MON: true } }).code).toBe('SCHEMA_INVALID_TYPE');
  });

  it('must not be empty', () => {
    expect(onlyProblem({ ...berlin, days: [] })).toMatchObject({
      path: ['days'],
      code: 'WINDOW_INVALID',
    });
  });

  it('names each bad day with its position and a fix', () => {
    expect(
      problemsOf({ ...berlin, days: ['Monday', 'tue', 'FRIDAY', 'MON–WED', 'XYZ', 5] }),
    ).toEqual([
      expect.objectContaining({ path: ['days', 0], code: 'WINDOW_INVALID', hint: 'write MON' }),
      expect.objectContaining({ path: ['days', 1], code: 'WINDOW_INVALID', hint: 'write TUE' }),
      expect.objectContaining({ path: ['days', 2], code: 'WINDOW_INVALID', hint: 'write FRI' }),
      expect.objectContaining({
        path: ['days', 3],
        code: 'WINDOW_INVALID',
        hint: 'list each day: [MON, TUE, WED]',
      }),
      {
        path: ['days', 4],
        code: 'WINDOW_INVALID',
        message: '"XYZ" is not a day; use one of MON, TUE, WED, THU, FRI, SAT, SUN',
      },
      expect.objectContaining({ path: ['days', 5], code: 'SCHEMA_INVALID_TYPE' }),
    ]);
  });

  it('refuses a day listed twice', () => {
    expect(onlyProblem({ ...berlin, days: ['MON', 'TUE', 'MON'] })).toMatchObject({
      path: ['days', 2],
      code: 'WINDOW_INVALID',
      message: 'MON is listed twice in days',
    });
  });
});

describe('checkWindowObject: start and end', () => {
  it('needs end after start on the same day', () => {
    const problem = onlyProblem({ ...berlin, start: '22:00', end: '06:00' });
    expect(problem).toMatchObject({ path: ['end'], code: 'WINDOW_INVALID' });
    expect(problem.message).toBe(
      'end "06:00" is not after start "22:00"; a window opens and closes on the same day',
    );
    expect(onlyProblem({ ...berlin, start: '09:00', end: '09:00' }).path).toEqual(['end']);
    expect(onlyProblem({ ...berlin, start: '09:00', end: '00:00' }).hint).toContain('24:00');
  });

  it('refuses 24:00 as a start', () => {
    expect(onlyProblem({ ...berlin, start: '24:00' })).toMatchObject({
      path: ['start'],
      code: 'WINDOW_INVALID',
    });
  });

  it.each([
    ['25:00', 'not a time of day'],
    ['12:60', 'not a time of day'],
    ['9am', 'not a "HH:MM" time'],
    ['09:00:00', 'not a "HH:MM" time'],
  ])('refuses start %j', (start, message) => {
    const problem = onlyProblem({ ...berlin, start, end: '24:00' });
    expect(problem).toMatchObject({ path: ['start'], code: 'WINDOW_INVALID' });
    expect(problem.message).toContain(message);
  });

  it('suggests padding a one-digit hour', () => {
    expect(onlyProblem({ ...berlin, start: '9:00' })).toMatchObject({
      path: ['start'],
      hint: 'write "09:00"',
    });
  });

  it('explains a YAML number read from an unquoted time', () => {
    expect(onlyProblem({ ...berlin, start: 540, end: '17:00' })).toEqual({
      path: ['start'],
      code: 'SCHEMA_INVALID_TYPE',
      message: 'start must be a quoted "HH:MM" time, not the number 540',
      hint: 'quote the time: `start: "09:00"`',
    });
    expect(onlyProblem({ ...berlin, end: true }).code).toBe('SCHEMA_INVALID_TYPE');
  });

  it('reports bad start and end together, without comparing them', () => {
    expect(problemsOf({ ...berlin, start: 'x', end: 'y' }).map((p) => p.path)).toEqual([
      ['start'],
      ['end'],
    ]);
  });
});

describe('checkWindowObject: exclude_dates', () => {
  it('must be a list', () => {
    expect(onlyProblem({ ...berlin, exclude_dates: '2026-12-25' })).toMatchObject({
      path: ['exclude_dates'],
      code: 'SCHEMA_INVALID_TYPE',
    });
  });

  it('must hold real calendar dates', () => {
    expect(
      problemsOf({
        ...berlin,
        exclude_dates: ['2026-02-30', '2026-13-01', '2028-02-29', '12/25/2026', 20261225],
      }),
    ).toEqual([
      {
        path: ['exclude_dates', 0],
        code: 'WINDOW_INVALID',
        message: '"2026-02-30" is not a real date: February 2026 has 28 days',
      },
      {
        path: ['exclude_dates', 1],
        code: 'WINDOW_INVALID',
        message: '"2026-13-01" is not a real date: there is no month 13',
      },
      expect.objectContaining({ path: ['exclude_dates', 3], code: 'WINDOW_INVALID' }),
      expect.objectContaining({ path: ['exclude_dates', 4], code: 'SCHEMA_INVALID_TYPE' }),
    ]);
  });

  it('refuses a Date that carries a time of day', () => {
    expect(
      onlyProblem({ ...berlin, exclude_dates: [new Date('2026-12-25T10:00:00Z')] }).path,
    ).toEqual(['exclude_dates', 0]);
  });
});

describe('checkWindowObject: freezes', () => {
  const from = '2026-12-20T00:00:00Z';
  const to = '2027-01-04T00:00:00Z';

  it('must be a list of maps', () => {
    expect(onlyProblem({ ...berlin, freezes: { from, to } })).toMatchObject({
      path: ['freezes'],
      code: 'SCHEMA_INVALID_TYPE',
    });
    expect(onlyProblem({ ...berlin, freezes: [{ from, to }, 'xmas'] })).toMatchObject({
      path: ['freezes', 1],
      code: 'SCHEMA_INVALID_TYPE',
    });
  });

  it('needs from and to', () => {
    expect(problemsOf({ ...berlin, freezes: [{ reason: 'x' }] })).toEqual([
      expect.objectContaining({ path: ['freezes', 0, 'from'], code: 'SCHEMA_MISSING_KEY' }),
      expect.objectContaining({ path: ['freezes', 0, 'to'], code: 'SCHEMA_MISSING_KEY' }),
    ]);
  });

  it('needs instants with an offset, and shows the instant in the window zone', () => {
    expect(onlyProblem({ ...berlin, freezes: [{ from: '2026-12-20', to }] })).toEqual({
      path: ['freezes', 0, 'from'],
      code: 'WINDOW_INVALID',
      message: 'from "2026-12-20" has no time zone offset, so it is not one instant',
      hint: 'add the offset: "2026-12-20T00:00:00+01:00" is that time in Europe/Berlin',
    });
    expect(onlyProblem({ ...berlin, freezes: [{ from, to: '2027-01-04T09:00' }] })).toMatchObject({
      path: ['freezes', 0, 'to'],
      hint: 'add the offset: "2027-01-04T09:00:00+01:00" is that time in Europe/Berlin',
    });
  });

  it('accepts the usual ways to write an offset', () => {
    for (const text of [
      '2026-12-20T00:00Z',
      '2026-12-20T00:00:00.000+05:45',
      '2026-12-20T00:00:00-0800',
    ]) {
      expect(checkWindowObject({ ...berlin, freezes: [{ from: text, to }] }).problems).toEqual([]);
    }
  });

  it('refuses text that is not an instant', () => {
    expect(onlyProblem({ ...berlin, freezes: [{ from: 'next week', to }] })).toMatchObject({
      path: ['freezes', 0, 'from'],
      code: 'WINDOW_INVALID',
      message: 'from "next week" is not an ISO 8601 instant',
    });
    expect(onlyProblem({ ...berlin, freezes: [{ from: 1766188800, to }] }).code).toBe(
      'SCHEMA_INVALID_TYPE',
    );
  });

  it('needs from before to, comparing instants across offsets', () => {
    // 10:00+02:00 is 08:00Z: after 07:30Z, but before 09:30+01:00 (08:30Z).
    const tenInAthens = '2026-12-20T10:00:00+02:00';
    expect(
      onlyProblem({ ...berlin, freezes: [{ from: tenInAthens, to: '2026-12-20T07:30:00Z' }] }),
    ).toMatchObject({
      path: ['freezes', 0, 'to'],
      code: 'WINDOW_INVALID',
      message:
        'freeze ends (to "2026-12-20T07:30:00Z") before it starts (from "2026-12-20T10:00:00+02:00")',
    });
    expect(
      checkWindowObject({
        ...berlin,
        freezes: [{ from: tenInAthens, to: '2026-12-20T09:30:00+01:00' }],
      }).problems,
    ).toEqual([]);
    expect(onlyProblem({ ...berlin, freezes: [{ from, to: from }] }).message).toContain(
      'ends (to "2026-12-20T00:00:00Z") when it starts',
    );
  });

  it('needs a text reason', () => {
    expect(onlyProblem({ ...berlin, freezes: [{ from, to, reason: 42 }] })).toMatchObject({
      path: ['freezes', 0, 'reason'],
      code: 'SCHEMA_INVALID_TYPE',
    });
  });
});

describe('checkWindowObject: collecting problems', () => {
  it('reports every problem at once, in key order', () => {
    const problems = problemsOf({
      timezone: 'Nowhere/City',
      days: ['MON', 'MON'],
      start: '18:00',
      end: '25:00',
      exclude_dates: ['2026-02-29'],
      freezes: [{ from: 'x', to: '2026-01-01T00:00:00Z' }],
    });
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['timezone'], 'TIMEZONE_UNKNOWN'],
      [['days', 1], 'WINDOW_INVALID'],
      [['end'], 'WINDOW_INVALID'],
      [['exclude_dates', 0], 'WINDOW_INVALID'],
      [['freezes', 0, 'from'], 'WINDOW_INVALID'],
    ]);
  });
});
