import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isSlowTestFile, LONGEST_TEST_FILE } from './slow-first-sequencer.js';

describe('isSlowTestFile', () => {
  it('picks the end-to-end and system test files', () => {
    expect(isSlowTestFile('tests/e2e/deployments/crash-resume.test.ts')).toBe(true);
    expect(isSlowTestFile('packages/aws-sandbox/tests/system/aws-cli.test.ts')).toBe(true);
    expect(isSlowTestFile('packages/aws-sandbox/tests/e2e/workload-alarm.test.ts')).toBe(true);
    expect(isSlowTestFile('packages/cli/tests/demo-command.test.ts')).toBe(true);
  });

  it('names a longest file that exists (a rename would silently lose its head start)', () => {
    expect(existsSync(fileURLToPath(new URL(`../../${LONGEST_TEST_FILE}`, import.meta.url)))).toBe(
      true,
    );
  });

  it('leaves unit tests and look-alike paths in vitest order', () => {
    expect(isSlowTestFile('packages/core/src/planner/plan-pipeline.test.ts')).toBe(false);
    expect(isSlowTestFile('packages/cli/tests/cli.test.ts')).toBe(false);
    expect(isSlowTestFile('packages/e2e/src/x.test.ts')).toBe(false);
    expect(isSlowTestFile('docs/tests/e2e/x.test.ts')).toBe(false);
  });
});
