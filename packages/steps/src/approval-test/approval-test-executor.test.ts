import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalTestParams, type ApprovalTestParams } from '../params/command-params.js';
import { parseParams, stepContext } from '../test-support/step-context.js';
import { tempWorkspace, type TempWorkspace } from '../test-support/temp-workspace.js';
import { createApprovalTestExecutor } from './approval-test-executor.js';

const PASSING = `<testsuite name="smoke">
  <testcase classname="smoke" name="home page"/>
  <testcase classname="smoke" name="login"/>
  <testcase classname="smoke" name="later"><skipped/></testcase>
</testsuite>`;

const FAILING = `<testsuite name="smoke">
  <testcase classname="smoke" name="home page"/>
  <testcase classname="smoke" name="login"><failure message="status 500"/></testcase>
  <testcase classname="smoke" name="search"><error message="timeout"/></testcase>
</testsuite>`;

describe('APPROVAL:TEST', () => {
  let ws: TempWorkspace;
  beforeEach(() => {
    ws = tempWorkspace({
      'tests/passing.xml': PASSING,
      'tests/failing.xml': FAILING,
      'tests/stale.xml': FAILING,
    });
  });
  afterEach(() => ws.remove());

  const run = async (raw: Record<string, unknown>) => {
    const executor = createApprovalTestExecutor({
      workspaces: ws.workspaces,
      killGraceMs: 200,
    });
    const h = stepContext<ApprovalTestParams>(parseParams(approvalTestParams, raw));
    const outcome = await executor.execute(h.ctx);
    return { ...h, outcome };
  };

  it('turns the report the command writes into passed and failed outputs', async () => {
    const { outcome, logs } = await run({
      command:
        'echo "smoke tests against $AWS_REGION"; mkdir -p out && cp passing.xml out/report.xml',
      working_directory: 'tests',
      junit_report: 'out/report.xml',
    });
    expect(outcome).toEqual({ kind: 'succeeded', outputs: { passed: 2, failed: 0 } });
    expect(logs.filter((l) => l.stream !== 'info')).toEqual([
      { text: 'smoke tests against us-west-2', stream: 'stdout' },
    ]);
    expect(logs.at(-1)).toEqual({
      text: 'junit: 3 tests, 2 passed, 0 failed, 1 skipped',
      stream: 'info',
    });
  });

  it('fails naming the failed tests when the report counts failures, even if the command exits 0', async () => {
    const { outcome } = await run({
      command: 'cp tests/failing.xml report.xml',
      junit_report: 'report.xml',
    });
    expect(outcome).toEqual({
      kind: 'failed',
      code: 'tests-failed',
      message: '2 of 3 tests failed: smoke.login (status 500), smoke.search (timeout)',
    });
  });

  it('reports both the failed tests and the exit code when the command fails too', async () => {
    const { outcome } = await run({
      command: 'cp tests/failing.xml report.xml; echo "2 failed" >&2; exit 1',
      junit_report: 'report.xml',
    });
    expect(outcome.kind === 'failed' && outcome.code).toBe('command-failed');
    expect(outcome.kind === 'failed' && outcome.message).toBe(
      '2 of 3 tests failed: smoke.login (status 500), smoke.search (timeout); the command exited with code 1; last lines:\n  2 failed',
    );
  });

  it('fails when the named report is missing or was not written by this run', async () => {
    const missing = await run({ command: 'true', junit_report: 'nothing.xml' });
    expect(missing.outcome).toEqual({
      kind: 'failed',
      code: 'junit-report',
      message: 'junit_report "nothing.xml" was not written by the command',
    });
    // A failing report already in the checkout, untouched by the command.
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(ws.root, 'tests/stale.xml'), past, past);
    const stale = await run({ command: 'true', junit_report: 'tests/stale.xml' });
    expect(stale.outcome).toEqual({
      kind: 'failed',
      code: 'junit-report',
      message:
        'junit_report "tests/stale.xml" was not written by the command (the file is unchanged since before the run)',
    });
    const notXml = await run({ command: 'echo "{}" > r.json', junit_report: 'r.json' });
    expect(notXml.outcome).toEqual({
      kind: 'failed',
      code: 'junit-report',
      message:
        'junit_report "r.json": it is not a JUnit XML report (no <testsuites>, <testsuite> or <testcase> element)',
    });
  });

  it('refuses a report path outside the repository before running the command', async () => {
    const { outcome } = await run({
      command: 'touch ran',
      working_directory: 'tests',
      junit_report: '../../report.xml',
    });
    expect(outcome).toEqual({
      kind: 'failed',
      code: 'workspace',
      message: 'junit_report "../../report.xml" leads outside the repository: use a path inside it',
    });
    const check = await run({ command: 'test ! -e tests/ran' });
    expect(check.outcome).toEqual({ kind: 'succeeded', outputs: {} });
  });

  it('without a report, passes or fails with the command', async () => {
    expect((await run({ command: 'exit 0' })).outcome).toEqual({ kind: 'succeeded', outputs: {} });
    const failed = await run({ command: 'echo "1 test failed"; exit 2' });
    expect(failed.outcome).toEqual({
      kind: 'failed',
      code: 'command-failed',
      message: 'the command exited with code 2; last lines:\n  1 test failed',
    });
  });
});
