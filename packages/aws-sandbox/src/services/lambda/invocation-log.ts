// An invocation's log as Lambda writes it (START, the function's lines, END, REPORT): returned
// base64 in `X-Amz-Log-Result` (last 4 KB) and appended to `/aws/lambda/<function>` in CloudWatch
// Logs.
import { randomBytes } from 'node:crypto';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { appendLogEvents } from '../logs/append-log-events.js';
import type { LoggedLine, RunReport } from './node-runner.js';

/** What `X-Amz-Log-Result` carries at most. */
const TAIL_BYTES = 4096;

/** The parts of an invocation the log names. */
export interface LoggedInvocation {
  requestId: string;
  version: string;
  memorySize: number;
  /** Sandbox clock time of the invocation. */
  at: Date;
  report: RunReport;
}

function functionLine(at: string, requestId: string, line: LoggedLine): string {
  return line.level === undefined
    ? line.message
    : `${at}\t${requestId}\t${line.level}\t${line.message}`;
}

/** The log lines of one invocation. */
export function invocationLogLines(call: LoggedInvocation): string[] {
  const at = call.at.toISOString();
  const { report, requestId } = call;
  const lines = [`START RequestId: ${requestId} Version: ${call.version}`];
  for (const line of report.lines) lines.push(functionLine(at, requestId, line));
  if (report.outcome.kind === 'timeout') {
    lines.push(
      `${at} ${requestId} Task timed out after ${report.outcome.seconds.toFixed(2)} seconds`,
    );
  }
  lines.push(`END RequestId: ${requestId}`);
  const duration = report.durationMs;
  lines.push(
    `REPORT RequestId: ${requestId}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(duration))} ms\tMemory Size: ${call.memorySize} MB\tMax Memory Used: ${Math.min(call.memorySize, 64)} MB\tInit Duration: ${report.initDurationMs.toFixed(2)} ms\t`,
  );
  return lines;
}

/** `X-Amz-Log-Result`: base64 of the log's last 4 KB. */
export function logTail(lines: readonly string[]): string {
  const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
}

/** A log stream name as Lambda makes them: `YYYY/MM/DD/[<version>]<32 hex>`. */
function streamName(at: Date, version: string): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

/**
 * Appends the invocation's lines to `/aws/lambda/<function>` (created when missing). Logging never
 * fails an invocation: a Logs failure is dropped, as Lambda drops logs it cannot write.
 */
export function writeInvocationLog(
  runtime: SandboxRuntime,
  where: { accountId: string; region: string; functionName: string },
  call: LoggedInvocation,
  lines: readonly string[],
): void {
  const timestamp = call.at.getTime();
  try {
    appendLogEvents(
      runtime,
      {
        accountId: where.accountId,
        region: where.region,
        logGroupName: `/aws/lambda/${where.functionName}`,
        logStreamName: streamName(call.at, call.version),
      },
      lines.map((message) => ({ timestamp, message })),
      { createGroup: true },
    );
  } catch {
    // Logs are best effort, as in Lambda when the role may not write them.
  }
}
