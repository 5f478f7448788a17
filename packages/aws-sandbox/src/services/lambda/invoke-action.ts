// Invoke: Node.js zip functions really run (a child process per invocation, timeout enforced);
// other runtimes and image functions answer with a configured response. Function errors are
// reported as Lambda reports them: status 200 with `X-Amz-Function-Error: Unhandled`.
import { AwsError } from '../../framework/aws-error.js';
import { RawResponse } from '../../framework/http.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { isCodeUnhealthy, isImageUnhealthy } from '../../state/health-model.js';
import { functionTarget } from './action-inputs.js';
import { routeAlias } from './alias-routing.js';
import { taskRoot } from './code-store.js';
import { findVersion, requireFunction } from './function-lookup.js';
import {
  functionArn,
  qualifiedArn,
  readFunctionName,
  type FunctionReference,
} from './function-names.js';
import { isPending } from './function-view.js';
import { invocationLogLines, logTail, writeInvocationLog } from './invocation-log.js';
import {
  functionNotFound,
  invalidRequestContent,
  pendingFunction,
  requestTooLarge,
  validation,
} from './lambda-errors.js';
import type { FunctionRecord, VersionRecord } from './lambda-state.js';
import { runNode, type FunctionErrorBody, type RunReport } from './node-runner.js';
import { ownValue } from '../../state/own-record.js';

/** The payload limits of synchronous and asynchronous invocations. */
const SYNC_PAYLOAD_LIMIT = 6_291_456;
const ASYNC_PAYLOAD_LIMIT = 1_048_576;
/** Recorded invocations kept per function (for metrics). */
const MAX_RECORDED = 10_000;

/**
 * The environment variable whose value a function that does not really run (non-Node.js runtime,
 * container image) returns as its payload. @default `null`
 */
export const SANDBOX_RESPONSE_VARIABLE = 'SANDBOX_RESPONSE';

type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

function invocationType(ctx: ActionContext): InvocationType {
  const given = ctx.input.str('InvocationType') ?? 'RequestResponse';
  if (given !== 'RequestResponse' && given !== 'Event' && given !== 'DryRun') {
    throw validation(
      'invocationType',
      given,
      'Member must satisfy enum value set: [Event, RequestResponse, DryRun]',
    );
  }
  return given;
}

function logType(ctx: ActionContext): 'None' | 'Tail' {
  const given = ctx.input.str('LogType') ?? 'None';
  if (given !== 'None' && given !== 'Tail') {
    throw validation('logType', given, 'Member must satisfy enum value set: [None, Tail]');
  }
  return given;
}

/** The event as JSON text (`{}` for an empty payload), or InvalidRequestContentException. */
function eventText(ctx: ActionContext, type: InvocationType): string {
  const body = ctx.request.body;
  const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (body.length > limit) throw requestTooLarge(limit, 'Invoke');
  const text = body.toString('utf8');
  if (text.trim() === '') return '{}';
  try {
    JSON.parse(text);
  } catch (error: unknown) {
    throw invalidRequestContent(
      `Could not parse request body into json: Could not parse payload into json: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return text;
}

/** The version an invocation runs, and what it named. */
interface Target {
  version: VersionRecord;
  alias?: string;
}

function target(ref: FunctionReference, fn: FunctionRecord): Target {
  const qualifier = ref.qualifier;
  if (qualifier === undefined || qualifier === '$LATEST') return { version: fn.latest };
  const missing = () =>
    functionNotFound(qualifiedArn(ref.region, ref.accountId, ref.name, qualifier));
  if (/^[0-9]+$/.test(qualifier)) {
    const version = findVersion(fn, qualifier);
    if (!version) throw missing();
    return { version };
  }
  const alias = ownValue(fn.aliases, qualifier);
  if (!alias) throw missing();
  const version = findVersion(fn, routeAlias(alias));
  if (!version) throw missing();
  return { version, alias: alias.name };
}

function unhealthy(ctx: ActionContext, version: VersionRecord): boolean {
  const health = ctx.world.health;
  return (
    isCodeUnhealthy(health, version.codeSha256) ||
    (version.code.kind === 'image' && isImageUnhealthy(health, version.code.digest))
  );
}

function errorReport(error: FunctionErrorBody): RunReport {
  return {
    outcome: { kind: 'error', error },
    lines: [{ level: 'ERROR', message: `${error.errorType}: ${error.errorMessage}` }],
    durationMs: 0,
    initDurationMs: 0,
  };
}

/** Runs (or answers for) one version. */
async function execute(
  ctx: ActionContext,
  ref: FunctionReference,
  fn: FunctionRecord,
  version: VersionRecord,
  event: string,
): Promise<RunReport> {
  const { settings } = version;
  if (unhealthy(ctx, version)) {
    return errorReport({
      errorType: 'Error',
      errorMessage: `RequestId: ${ctx.requestId} Error: the sandbox health model marks code ${version.codeSha256} unhealthy`,
      trace: [],
    });
  }
  const runtime = settings.runtime ?? '';
  if (version.code.kind !== 'zip' || !runtime.startsWith('nodejs') || !settings.handler) {
    return {
      outcome: {
        kind: 'result',
        payload: settings.environment[SANDBOX_RESPONSE_VARIABLE] ?? 'null',
      },
      lines: [],
      durationMs: 0,
      initDurationMs: 0,
    };
  }
  let root: string;
  try {
    root = await taskRoot(ctx.runtime, version.code.blob);
  } catch {
    throw new AwsError(
      'InvalidZipFileException',
      'AWS Lambda could not unzip the deployment package.',
      {
        status: 502,
      },
    );
  }
  const invokedArn =
    ref.qualifier === undefined
      ? functionArn(ref.region, ref.accountId, ref.name)
      : qualifiedArn(ref.region, ref.accountId, ref.name, ref.qualifier);
  return runNode(ctx.runtime, {
    taskRoot: root,
    handler: settings.handler,
    event,
    timeoutSeconds: settings.timeout,
    environment: {
      ...settings.environment,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: version.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_REGION: ref.region,
      AWS_DEFAULT_REGION: ref.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
      LAMBDA_TASK_ROOT: root,
      _HANDLER: settings.handler,
      TZ: 'UTC',
      LANG: 'en_US.UTF-8',
    },
    context: {
      functionName: fn.name,
      functionVersion: version.version,
      invokedFunctionArn: invokedArn,
      memoryLimitInMB: String(settings.memorySize),
      awsRequestId: ctx.requestId,
      logGroupName: `/aws/lambda/${fn.name}`,
    },
  });
}

/** The payload and error header of a finished invocation. */
function response(ctx: ActionContext, report: RunReport): { body: string; error?: string } {
  const { outcome } = report;
  switch (outcome.kind) {
    case 'result':
      return { body: outcome.payload };
    case 'error':
      return { body: JSON.stringify(outcome.error), error: 'Unhandled' };
    case 'timeout':
      return {
        body: JSON.stringify({
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${ctx.requestId} Error: Task timed out after ${outcome.seconds.toFixed(2)} seconds`,
        }),
        error: 'Unhandled',
      };
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

/** Records an invocation for metrics and writes its log; returns the log lines. */
function finish(
  ctx: ActionContext,
  ref: FunctionReference,
  fn: FunctionRecord,
  call: Target,
  at: Date,
  report: RunReport,
): string[] {
  fn.invocations.push({
    at: at.toISOString(),
    version: call.version.version,
    ...(call.alias !== undefined ? { alias: call.alias } : {}),
    ...(ref.qualifier !== undefined && ref.qualifier !== '$LATEST'
      ? { qualifier: ref.qualifier }
      : {}),
    error: report.outcome.kind !== 'result',
  });
  if (fn.invocations.length > MAX_RECORDED) {
    fn.invocations.splice(0, fn.invocations.length - MAX_RECORDED);
  }
  const logged = {
    requestId: ctx.requestId,
    version: call.version.version,
    memorySize: call.version.settings.memorySize,
    at,
    report,
  };
  const lines = invocationLogLines(logged);
  writeInvocationLog(
    ctx.runtime,
    { accountId: ref.accountId, region: ref.region, functionName: fn.name },
    logged,
    lines,
  );
  return lines;
}

const invoke: ActionDefinition = {
  iamAction: 'lambda:InvokeFunction',
  validate: (ctx) => {
    readFunctionName(ctx, { qualifiers: true });
    invocationType(ctx);
    logType(ctx);
  },
  resources: (ctx) => [functionTarget(ctx, true)],
  handler: async (ctx) => {
    const ref = readFunctionName(ctx, { qualifiers: true });
    const type = invocationType(ctx);
    const tail = logType(ctx) === 'Tail';
    const fn = requireFunction(ctx, ref);
    const event = eventText(ctx, type);
    const call = target(ref, fn);
    const now = ctx.clock.now();
    if (isPending(call.version, now)) throw pendingFunction();
    const headers: Record<string, string> = {
      'x-amzn-requestid': ctx.requestId,
      'x-amz-executed-version': call.version.version,
    };
    if (type === 'DryRun') return new RawResponse(204, headers, '');
    const run = execute(ctx, ref, fn, call.version, event);
    if (type === 'Event') {
      // Asynchronous: accepted now, run in the background, recorded when it ends.
      void run.then(
        (report) => finish(ctx, ref, fn, call, now, report),
        () => undefined,
      );
      return new RawResponse(202, { 'x-amzn-requestid': ctx.requestId }, '');
    }
    const report = await run;
    const lines = finish(ctx, ref, fn, call, now, report);
    const { body, error } = response(ctx, report);
    headers['content-type'] = 'application/json';
    if (error !== undefined) headers['x-amz-function-error'] = error;
    if (tail) headers['x-amz-log-result'] = logTail(lines);
    return new RawResponse(200, headers, body);
  },
};

/** The invoke action. */
export const invokeActions: Record<string, ActionDefinition> = { Invoke: invoke };
