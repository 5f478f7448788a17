import { describe, expect, it } from 'vitest';
import { containerBehaviour, mergeEnvironment } from './container-conventions.js';
import { failureThreshold } from './rollout.js';

const env = (values: Record<string, string>) =>
  Object.entries(values).map(([name, value]) => ({ name, value }));

describe('sandbox container conventions', () => {
  it('defaults to exit code 0 at once, with no log lines', () => {
    expect(containerBehaviour('app', [])).toEqual({ exitCode: 0, runMs: 0, logLines: [] });
  });

  it('reads exit code, run time and log lines; overrides win', () => {
    const merged = mergeEnvironment(
      env({ SANDBOX_EXIT_CODE: '1', SANDBOX_RUN_SECONDS: '2.5' }),
      env({ SANDBOX_EXIT_CODE: '42', SANDBOX_LOG_LINES: 'one\ntwo' }),
    );
    expect(containerBehaviour('app', merged)).toEqual({
      exitCode: 42,
      runMs: 2500,
      logLines: ['one', 'two'],
    });
    expect(containerBehaviour('app', env({ SANDBOX_RUN_SECONDS: 'forever' })).runMs).toBeNull();
  });

  it('refuses values that are not exit codes or durations', () => {
    for (const [name, value] of [
      ['SANDBOX_EXIT_CODE', '256'],
      ['SANDBOX_EXIT_CODE', '-1'],
      ['SANDBOX_EXIT_CODE', '1.5'],
      ['SANDBOX_RUN_SECONDS', '-3'],
      ['SANDBOX_RUN_SECONDS', 'soon'],
    ] as const) {
      expect(() => containerBehaviour('app', env({ [name]: value })), value).toThrow(name);
    }
  });
});

describe('the circuit breaker threshold', () => {
  it('is half the desired count, at least 3 and at most 200', () => {
    expect([0, 1, 6, 7, 10, 399, 400, 1000].map(failureThreshold)).toEqual([
      3, 3, 3, 4, 5, 200, 200, 200,
    ]);
  });
});
