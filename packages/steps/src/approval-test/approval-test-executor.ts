// APPROVAL:TEST: runs a test command against the stage; the step fails when the command fails or
// the JUnit report it names counts a failed test. The report's counts become `passed` / `failed`.
import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { defineStepExecutor, type StepExecutor, type StepOutcome } from '@rampart/engine';
import {
  commandFailure,
  runCommandStep,
  type CommandStepOptions,
  type FailedOutcome,
} from '../command/command-step.js';
import { approvalTestParams, type ApprovalTestParams } from '../params/command-params.js';
import { realWorkspacePath, workspacePath } from '../workspace/workspace-path.js';
import { parseJUnitReport, type JUnitSummary } from './junit-report.js';

/** Options of {@link createApprovalTestExecutor}. */
export type ApprovalTestExecutorOptions = CommandStepOptions;

/** The largest report read. */
export const MAX_JUNIT_REPORT_BYTES = 64 * 1024 * 1024;
/** Failed tests named in a failure message. */
const NAMED_FAILURES = 5;

/** The APPROVAL:TEST executor. */
export function createApprovalTestExecutor(
  options: ApprovalTestExecutorOptions,
): StepExecutor<ApprovalTestParams> {
  return defineStepExecutor<ApprovalTestParams>({
    type: 'RAMPART:APPROVAL:TEST',
    paramsSchema: approvalTestParams,
    iamActions: () => [],
    async execute(ctx): Promise<StepOutcome> {
      const { params } = ctx;
      // Set by beforeRun: where the report goes and what was there before the command ran.
      const seen: { report?: { path: string; before: Stats | undefined } } = {};
      const run = await runCommandStep(ctx, options, {
        outputFile: false,
        beforeRun: async ({ root, cwd }) => {
          if (params.junit_report === undefined) return undefined;
          const path = workspacePath(root, cwd, params.junit_report, 'junit_report');
          if (!path.ok) return { kind: 'failed', code: 'workspace', message: path.message };
          // A report already there (committed, or left by an earlier step) must not pass for
          // this run's: remember it to tell whether the command wrote it again.
          seen.report = { path: path.path, before: await stat(path.path).catch(() => undefined) };
          return undefined;
        },
      });
      if (run.kind === 'refused') return run.outcome;
      const failure = commandFailure(run.process, run.tail, params.timeout_minutes);
      const { report } = seen;
      const exitedNonZero = run.process.kind === 'exited' && run.process.code !== 0;
      // Only a command that ran to its end can have written a complete report.
      if (report === undefined || (failure !== undefined && !exitedNonZero)) {
        return failure ?? { kind: 'succeeded', outputs: {} };
      }
      const read = await readReport(run.root, report, params.junit_report ?? '');
      if (!read.ok) return withFailure(failure, 'junit-report', read.message);
      const { summary } = read;
      ctx.log(
        `junit: ${summary.tests} tests, ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
        'info',
      );
      if (summary.failed > 0) return withFailure(failure, 'tests-failed', failedTests(summary));
      if (failure !== undefined) return failure;
      return { kind: 'succeeded', outputs: { passed: summary.passed, failed: summary.failed } };
    },
  });
}

type ReportRead = { ok: true; summary: JUnitSummary } | { ok: false; message: string };

async function readReport(
  root: string,
  report: { path: string; before: Stats | undefined },
  written: string,
): Promise<ReportRead> {
  const shown = `junit_report ${JSON.stringify(written)}`;
  const after = await stat(report.path).catch(() => undefined);
  if (after === undefined) {
    return { ok: false, message: `${shown} was not written by the command` };
  }
  const { before } = report;
  if (before !== undefined && before.mtimeMs === after.mtimeMs && before.size === after.size) {
    return {
      ok: false,
      message: `${shown} was not written by the command (the file is unchanged since before the run)`,
    };
  }
  const real = await realWorkspacePath(root, report.path, 'file', shown);
  if (!real.ok) return real;
  if (after.size > MAX_JUNIT_REPORT_BYTES) {
    return { ok: false, message: `${shown} is larger than ${MAX_JUNIT_REPORT_BYTES} bytes` };
  }
  const parsed = parseJUnitReport(await readFile(real.path, 'utf8'));
  return parsed.ok ? parsed : { ok: false, message: `${shown}: ${parsed.message}` };
}

function failedTests(summary: JUnitSummary): string {
  const named = summary.failures.slice(0, NAMED_FAILURES).map((f) => {
    const message = f.message === undefined ? '' : ` (${cut(f.message)})`;
    return `${f.name}${message}`;
  });
  const more = summary.failures.length - named.length;
  return `${summary.failed} of ${summary.tests} tests failed: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** The command's own failure (if any) first, then what the report adds. */
function withFailure(
  failure: FailedOutcome | undefined,
  code: string,
  message: string,
): FailedOutcome {
  if (failure === undefined) return { kind: 'failed', code, message };
  return { ...failure, message: `${message}; ${failure.message}` };
}

function cut(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
