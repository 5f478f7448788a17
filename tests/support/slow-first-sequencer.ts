/**
 * Vitest's order of test files, with the known long ones first. Vitest orders by the durations of
 * the last run, but CI starts from a fresh clone with no such record and falls back to file size:
 * the end-to-end files (a minute and more each) could then start last and leave one worker busy
 * while the others idle. Starting them first lets the short files fill the other workers.
 */
import { relative } from 'node:path';
import type { BaseSequencer, TestSpecification } from 'vitest/node';

/**
 * The longest file (about two minutes: 42 server restarts), which alone sets how short the run can
 * be: it starts before every other.
 */
export const LONGEST_TEST_FILE = 'tests/e2e/deployments/crash-resume.test.ts';

/** Test files that take far longer than the rest: processes, restarts, whole deployments. */
export function isSlowTestFile(path: string): boolean {
  return (
    path.startsWith('tests/e2e/') ||
    /^packages\/[^/]+\/tests\/(e2e|system)\//.test(path) ||
    path === 'packages/cli/tests/demo-command.test.ts'
  );
}

/**
 * The sequencer class, built on vitest's own (passed in: the config imports `vitest/node`, which
 * the lint's import resolver cannot load as a value import).
 */
export function slowFirstSequencer(base: typeof BaseSequencer): typeof BaseSequencer {
  return class SlowFirstSequencer extends base {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const sorted = await super.sort(files);
      const path = (spec: TestSpecification): string =>
        relative(spec.project.config.root, spec.moduleId).split('\\').join('/');
      const rank = (spec: TestSpecification): number =>
        path(spec) === LONGEST_TEST_FILE ? 0 : isSlowTestFile(path(spec)) ? 1 : 2;
      // Stable: within each rank the order vitest chose (longest last time first).
      return sorted
        .map((spec, index) => ({ spec, index, rank: rank(spec) }))
        .sort((a, b) => a.rank - b.rank || a.index - b.index)
        .map(({ spec }) => spec);
    }
  };
}
