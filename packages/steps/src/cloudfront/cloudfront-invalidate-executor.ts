// CLOUDFRONT:INVALIDATE: invalidate paths of a distribution and wait until CloudFront reports the
// invalidation Completed. The caller reference is derived from the attempt's journal key, so a
// re-run of the same attempt gets the same invalidation back instead of a second one.
import { createHash } from 'node:crypto';
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { AwsClientFactory } from '@rampart/aws';
import {
  defineStepExecutor,
  type StepContext,
  type StepExecutor,
  type StepOutcome,
} from '@rampart/engine';
import { catalogActions } from '../aws-step/catalog-actions.js';
import { pollUntil, type StepPolling } from '../aws-step/poll.js';
import { stageClientTarget } from '../aws-step/stage-client.js';
import { isAwsError, stepFailure } from '../aws-step/step-failure.js';
import {
  cloudFrontInvalidateParams,
  type CloudFrontInvalidateParams,
} from './cloudfront-params.js';

/** Options of {@link createCloudFrontInvalidateExecutor}. */
export interface CloudFrontInvalidateExecutorOptions {
  /** Builds the CloudFront client of each call with the stage's credentials. */
  sdk: AwsClientFactory;
  /** @default a real 5-second timer */
  poller?: StepPolling;
}

/** CloudFront is global; its API is signed for us-east-1 whatever the stage's region. */
const CLOUDFRONT_REGION = 'us-east-1';
/** How long the step waits for Completed; invalidations usually take seconds to minutes. */
export const INVALIDATION_TIMEOUT_MS = 30 * 60_000;

/** The CLOUDFRONT:INVALIDATE executor. */
export function createCloudFrontInvalidateExecutor(
  options: CloudFrontInvalidateExecutorOptions,
): StepExecutor<CloudFrontInvalidateParams> {
  return defineStepExecutor<CloudFrontInvalidateParams>({
    type: 'RAMPART:CLOUDFRONT:INVALIDATE',
    paramsSchema: cloudFrontInvalidateParams,
    iamActions: (params) => catalogActions('RAMPART:CLOUDFRONT:INVALIDATE', params),
    async execute(ctx): Promise<StepOutcome> {
      const { distribution_id: distribution, paths } = ctx.params;
      const cloudfront = options.sdk.cloudFront(stageClientTarget(ctx, CLOUDFRONT_REGION));
      const { GetInvalidationCommand } = await import('@aws-sdk/client-cloudfront');
      try {
        const id = await invalidation(cloudfront, ctx);
        await pollUntil(
          ctx,
          options.poller,
          async () => {
            const out = await cloudfront.send(
              new GetInvalidationCommand({ DistributionId: distribution, Id: id }),
            );
            return out.Invalidation?.Status === 'Completed' ? true : undefined;
          },
          INVALIDATION_TIMEOUT_MS,
        );
        ctx.log(`cloudfront: invalidation ${id} of ${paths.length} path(s) completed`, 'info');
        return { kind: 'succeeded', outputs: { invalidation_id: id } };
      } catch (error) {
        if (!ctx.signal.aborted && isAwsError(error, 'NoSuchDistribution')) {
          return {
            kind: 'failed',
            code: 'not-found',
            message: `distribution ${distribution} does not exist in account ${ctx.target.accountId}: check distribution_id`,
          };
        }
        return stepFailure(error, ctx.signal, `waited for the invalidation of ${distribution}`);
      }
    },
  });
}

/** Creates the attempt's invalidation, or finds the one it created before. */
async function invalidation(
  cloudfront: CloudFrontClient,
  ctx: StepContext<CloudFrontInvalidateParams>,
): Promise<string> {
  const journaled = (await ctx.effects.get())['invalidationId'];
  if (typeof journaled === 'string') {
    ctx.log(`cloudfront: resuming with invalidation ${journaled}`, 'info');
    return journaled;
  }
  const { distribution_id: distribution, paths } = ctx.params;
  const { CreateInvalidationCommand } = await import('@aws-sdk/client-cloudfront');
  // CloudFront answers a repeated caller reference with the same paths with the first invalidation.
  const reference = `rampart-${createHash('sha256').update(ctx.journalKey).digest('hex').slice(0, 40)}`;
  const out = await cloudfront.send(
    new CreateInvalidationCommand({
      DistributionId: distribution,
      InvalidationBatch: {
        CallerReference: reference,
        Paths: { Quantity: paths.length, Items: paths },
      },
    }),
  );
  const id = out.Invalidation?.Id ?? '';
  await ctx.effects.put('invalidationId', id);
  ctx.log(`cloudfront: invalidating ${paths.join(' ')} in ${distribution} (${id})`, 'info');
  return id;
}
