// Lambda refuses code updates, publishing and invocations while a function is being created or
// updated; these read its state and wait until it settles.
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type { StepRunContext } from '@rampart/engine';
import { pollUntil, type StepPolling } from '../aws-step/poll.js';

/** Why a function's last update failed, as a thrown error the executors turn into a step failure. */
export class LambdaUpdateFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LambdaUpdateFailed';
  }
}

/** How long a function may stay Pending or InProgress before the step gives up. */
export const SETTLE_TIMEOUT_MS = 15 * 60_000;

/**
 * Waits until the function is `Active` with no update in progress and returns its configuration.
 * A failed creation or update (`State: Failed`, `LastUpdateStatus: Failed`) throws
 * {@link LambdaUpdateFailed} with Lambda's reason.
 */
export async function settledFunction(
  lambda: LambdaClient,
  functionName: string,
  ctx: Pick<StepRunContext, 'now' | 'signal' | 'log'>,
  polling: StepPolling | undefined,
): Promise<FunctionConfiguration> {
  const { GetFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
  let reported = '';
  return pollUntil(
    ctx,
    polling,
    async () => {
      const config = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: functionName }),
        { abortSignal: ctx.signal },
      );
      const state = config.State ?? 'Active';
      const update = config.LastUpdateStatus ?? 'Successful';
      if (state === 'Failed') {
        throw new LambdaUpdateFailed(
          `function ${functionName} failed to become active: ${config.StateReason ?? 'no reason given'}`,
        );
      }
      if (update === 'Failed') {
        throw new LambdaUpdateFailed(
          `the update of function ${functionName} failed: ${config.LastUpdateStatusReason ?? 'no reason given'}`,
        );
      }
      if (state === 'Active' && update === 'Successful') return config;
      const now = `state ${state}, last update ${update}`;
      if (now !== reported) ctx.log(`lambda: function ${functionName} is ${now}; waiting`, 'info');
      reported = now;
      return undefined;
    },
    SETTLE_TIMEOUT_MS,
  );
}
