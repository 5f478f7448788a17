// LAMBDA:INVOKE: call a function synchronously with the params' payload; a function error fails
// the step. The answer is journaled, so a re-run of the same attempt after a crash does not call
// the function again once it has answered (a crash during the call can still call it twice).
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { AwsClientFactory } from '@rampart/aws';
import {
  defineStepExecutor,
  type JsonValue,
  type StepExecutor,
  type StepOutcome,
} from '@rampart/engine';
import { catalogActions } from '../aws-step/catalog-actions.js';
import { stageClientTarget } from '../aws-step/stage-client.js';
import { lambdaFailure } from './lambda-deploy-executor.js';
import { lambdaInvokeParams, type LambdaInvokeParams } from './lambda-params.js';

/** Options of {@link createLambdaInvokeExecutor}. */
export interface LambdaInvokeExecutorOptions {
  /** Builds the Lambda client of each call with the stage's credentials and region. */
  sdk: AwsClientFactory;
}

/** The largest response kept as the `response` output; a larger one fails the step. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/** What the function answered, as journaled. */
interface InvokeAnswer {
  status_code: number;
  executed_version: string;
  /** `Unhandled` (or `Handled`) for a function error, else ''. */
  function_error: string;
  body: string;
  too_large: boolean;
  /** The tail of the invocation's log. */
  log: string;
}

/** The LAMBDA:INVOKE executor. */
export function createLambdaInvokeExecutor(
  options: LambdaInvokeExecutorOptions,
): StepExecutor<LambdaInvokeParams> {
  return defineStepExecutor<LambdaInvokeParams>({
    type: 'RAMPART:LAMBDA:INVOKE',
    paramsSchema: lambdaInvokeParams,
    iamActions: (params) => catalogActions('RAMPART:LAMBDA:INVOKE', params),
    async execute(ctx): Promise<StepOutcome> {
      const { params } = ctx;
      const fn = params.function_name;
      const shown = params.qualifier === undefined ? fn : `${fn} (${params.qualifier})`;
      try {
        let answer = (await ctx.effects.get())['answer'] as InvokeAnswer | undefined;
        if (answer === undefined) {
          const lambda = options.sdk.lambda(stageClientTarget(ctx));
          const { InvokeCommand } = await import('@aws-sdk/client-lambda');
          const out = await lambda.send(
            new InvokeCommand({
              FunctionName: fn,
              ...(params.qualifier === undefined ? {} : { Qualifier: params.qualifier }),
              InvocationType: 'RequestResponse',
              LogType: 'Tail',
              Payload: new TextEncoder().encode(JSON.stringify(params.payload ?? {})),
            }),
            { abortSignal: ctx.signal },
          );
          const body = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
          answer = {
            status_code: out.StatusCode ?? 0,
            executed_version: out.ExecutedVersion ?? '',
            function_error: out.FunctionError ?? '',
            body: body.length > MAX_RESPONSE_BYTES ? body.slice(0, MAX_RESPONSE_BYTES) : body,
            too_large: body.length > MAX_RESPONSE_BYTES,
            log:
              out.LogResult === undefined
                ? ''
                : Buffer.from(out.LogResult, 'base64').toString('utf8'),
          };
          await ctx.effects.put('answer', { ...answer });
        } else {
          ctx.log(`lambda: resuming: ${shown} already answered`, 'info');
        }
        for (const line of answer.log.split('\n')) {
          if (line.trim() !== '') ctx.log(line, 'stdout');
        }
        const body = answer.body;
        const functionError = answer.function_error;
        if (functionError !== '') {
          const error = parseJson(body);
          const detail =
            error !== null && typeof error === 'object' && !Array.isArray(error)
              ? `${textOf(error['errorType'], functionError)}: ${textOf(error['errorMessage'], '')}`
              : body.slice(0, 500);
          return {
            kind: 'failed',
            code: 'function-error',
            message: `${shown} failed (${functionError}): ${detail}`,
          };
        }
        if (answer.too_large) {
          return {
            kind: 'failed',
            code: 'outputs',
            message: `${shown} answered with more than ${MAX_RESPONSE_BYTES} bytes; the response output keeps at most that much: return less (or write the result somewhere and return where)`,
          };
        }
        ctx.log(
          `lambda: ${shown} answered ${answer.status_code} (version ${answer.executed_version})`,
          'info',
        );
        return {
          kind: 'succeeded',
          outputs: { status_code: answer.status_code, response: parseJson(body) },
        };
      } catch (error) {
        return lambdaFailure(error, ctx, fn, 'invoked the function');
      }
    },
  });
}

function textOf(value: JsonValue | undefined, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** The payload as JSON, or as text when it is not JSON; an empty payload is null. */
function parseJson(text: string): JsonValue {
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
