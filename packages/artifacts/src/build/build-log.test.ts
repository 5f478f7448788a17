import { describe, expect, it } from 'vitest';
import { BuildLog, LAST_LINES } from './build-log.js';

describe('BuildLog', () => {
  it('forwards every line and quotes only the last ones in a failure', () => {
    const seen: string[] = [];
    const log = new BuildLog((text) => seen.push(text));
    for (let i = 1; i <= 25; i++) log.write(`line ${i}`, 'stdout');
    expect(seen).toHaveLength(25);
    const error = log.failure('ARTIFACT_BUILD_FAILED', 'it broke');
    expect(error.code).toBe('ARTIFACT_BUILD_FAILED');
    expect(error.message.split('\n')).toEqual([
      'it broke',
      `last ${LAST_LINES} lines of the build log:`,
      ...Array.from({ length: LAST_LINES }, (_, i) => `line ${i + 6}`),
    ]);
  });

  it('hides secret values, the longest first', () => {
    const seen: string[] = [];
    const log = new BuildLog((text) => seen.push(text));
    log.redact(['abc', 'abcdef', '']);
    log.write('token abcdef and abc');
    expect(seen).toEqual(['token *** and ***']);
    expect(log.failure('ARTIFACT_BUILD_FAILED', 'x').message).not.toContain('abc');
  });
});
