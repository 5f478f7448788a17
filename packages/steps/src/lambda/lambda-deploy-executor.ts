// LAMBDA:DEPLOY: update a function's code from a zip in S3 or an image, wait until Lambda has
// applied it, and, with an alias, publish a version and point the alias at it. Every change is
// journaled, so a re-run of the same attempt publishes no second version. Rollback moves the
// alias back (or, without an alias, deploys the restored revision's code again).
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClientFactory } from '@rampart/aws';
import {
  defineStepExecutor,
  type JsonObject,
  type RollbackContext,
  type RollbackOutcome,
  type StepExecutor,
  type StepOutcome,
  type StepRunContext,
} from '@rampart/engine';
import { catalogActions } from '../aws-step/catalog-actions.js';
import type { StepPolling } from '../aws-step/poll.js';
import { stageClientTarget } from '../aws-step/stage-client.js';
import { isAwsError, stepFailure, type FailedOutcome } from '../aws-step/step-failure.js';
import { LambdaUpdateFailed, settledFunction } from './lambda-function-state.js';
import {
  lambdaCode,
  lambdaDeployParams,
  type LambdaCode,
  type LambdaDeployParams,
} from './lambda-params.js';

/** Options of {@link createLambdaDeployExecutor}. */
export interface LambdaDeployExecutorOptions {
  /** Builds the Lambda client of each call with the stage's credentials and region. */
  sdk: AwsClientFactory;
  /** @default a real 5-second timer */
  poller?: StepPolling;
}

/** `version` of a deployment without an alias: only `$LATEST` changed. */
export const LATEST = '$LATEST';

/** What the journal of one attempt holds. */
interface DeployJournal {
  /** The alias's version before this attempt moved it; '' when the alias did not exist. */
  previousVersion?: string;
  /** Set once UpdateFunctionCode was accepted. */
  codeSha256?: string;
  /** The version this attempt published. */
  version?: string;
}

/** The LAMBDA:DEPLOY executor. */
export function createLambdaDeployExecutor(
  options: LambdaDeployExecutorOptions,
): StepExecutor<LambdaDeployParams> {
  return defineStepExecutor<LambdaDeployParams>({
    type: 'RAMPART:LAMBDA:DEPLOY',
    paramsSchema: lambdaDeployParams,
    iamActions: (params) => catalogActions('RAMPART:LAMBDA:DEPLOY', params),
    async execute(ctx): Promise<StepOutcome> {
      const { params } = ctx;
      const fn = params.function_name;
      const lambda = options.sdk.lambda(stageClientTarget(ctx));
      const { PublishVersionCommand, UpdateFunctionCodeCommand } =
        await import('@aws-sdk/client-lambda');
      try {
        const journal = (await ctx.effects.get()) as DeployJournal;
        const current = await settledFunction(lambda, fn, ctx, options.poller);
        const functionArn = unqualified(current.FunctionArn ?? fn);
        let previousVersion = journal.previousVersion;
        if (params.alias !== undefined && previousVersion === undefined) {
          previousVersion = (await aliasVersion(lambda, fn, params.alias)) ?? '';
          await ctx.effects.put('previousVersion', previousVersion);
        }
        let codeSha256 = journal.codeSha256;
        if (codeSha256 === undefined) {
          const updated = await lambda.send(
            new UpdateFunctionCodeCommand({ FunctionName: fn, ...codeInput(lambdaCode(params)) }),
          );
          codeSha256 = updated.CodeSha256 ?? '';
          await ctx.effects.put('codeSha256', codeSha256);
          ctx.log(`lambda: updating ${fn} to ${describeCode(lambdaCode(params))}`, 'info');
        } else {
          ctx.log(`lambda: resuming: the code of ${fn} was already updated`, 'info');
        }
        const settled = await settledFunction(lambda, fn, ctx, options.poller);
        ctx.log(`lambda: ${fn} runs code ${settled.CodeSha256 ?? '?'}`, 'info');
        if (params.alias === undefined) {
          return {
            kind: 'succeeded',
            outputs: { function_arn: functionArn, version: LATEST, previous_version: '' },
          };
        }
        let version = journal.version;
        if (version === undefined) {
          // Lambda answers with the existing version when nothing changed since it, so a re-run
          // that lost its journal write gets the same number back.
          const published = await lambda.send(
            new PublishVersionCommand({
              FunctionName: fn,
              ...(codeSha256 === '' ? {} : { CodeSha256: codeSha256 }),
              Description: `Rampart revision ${ctx.deployment.revision} (${ctx.deployment.commitSha.slice(0, 12)})`,
            }),
          );
          version = published.Version ?? '';
          await ctx.effects.put('version', version);
          ctx.log(`lambda: published version ${version} of ${fn}`, 'info');
        }
        await pointAlias(lambda, fn, params.alias, version, previousVersion !== '');
        ctx.log(
          `lambda: alias ${params.alias} of ${fn} now points at version ${version}${previousVersion === '' || previousVersion === undefined ? ' (created)' : ` (was ${previousVersion})`}`,
          'info',
        );
        return {
          kind: 'succeeded',
          outputs: {
            function_arn: functionArn,
            version,
            previous_version: previousVersion ?? '',
          },
        };
      } catch (error) {
        return lambdaFailure(error, ctx, fn, 'deployed');
      }
    },
    async rollback(ctx: RollbackContext<LambdaDeployParams>): Promise<RollbackOutcome> {
      const target = ctx.targetParams;
      const fn = target?.function_name ?? text(ctx.failedOutputs, 'function_arn');
      if (target === undefined) {
        // The restored revision did not deploy this function: there is nothing of it to restore,
        // and the rolled-back run's params (its alias) are not known here.
        ctx.log(
          `lambda: revision ${ctx.toRevision} did not have step "${ctx.step.name}"; ${fn ?? 'the function'} is left as it is`,
          'info',
        );
        return { kind: 'succeeded', outputs: {} };
      }
      const lambda = options.sdk.lambda(stageClientTarget(ctx));
      const { UpdateFunctionCodeCommand } = await import('@aws-sdk/client-lambda');
      const functionName = target.function_name;
      try {
        if (target.alias === undefined) {
          const code = lambdaCode(target);
          await settledFunction(lambda, functionName, ctx, options.poller);
          await lambda.send(
            new UpdateFunctionCodeCommand({ FunctionName: functionName, ...codeInput(code) }),
          );
          const settled = await settledFunction(lambda, functionName, ctx, options.poller);
          ctx.log(`lambda: ${functionName} rolled back to ${describeCode(code)}`, 'info');
          return {
            kind: 'succeeded',
            outputs: {
              function_arn: unqualified(settled.FunctionArn ?? functionName),
              version: LATEST,
              previous_version: '',
            },
          };
        }
        const to =
          text(ctx.targetOutputs, 'version') ?? text(ctx.failedOutputs, 'previous_version');
        if (to === undefined || to === LATEST) {
          return {
            kind: 'failed',
            message: `cannot tell which version alias ${target.alias} of ${functionName} goes back to: revision ${ctx.toRevision} recorded no version and the rolled-back run no previous_version`,
          };
        }
        const exists = (await aliasVersion(lambda, functionName, target.alias)) !== undefined;
        await pointAlias(lambda, functionName, target.alias, to, exists);
        ctx.log(
          `lambda: alias ${target.alias} of ${functionName} rolled back to version ${to}`,
          'info',
        );
        const outputs: JsonObject = {
          function_arn:
            text(ctx.targetOutputs, 'function_arn') ??
            text(ctx.failedOutputs, 'function_arn') ??
            functionName,
          version: to,
          previous_version: text(ctx.failedOutputs, 'version') ?? '',
        };
        return { kind: 'succeeded', outputs };
      } catch (error) {
        return {
          kind: 'failed',
          message: lambdaFailure(error, ctx, functionName, 'rolled back').message,
        };
      }
    },
  });
}

function codeInput(code: LambdaCode) {
  return code.kind === 'image'
    ? { ImageUri: code.imageUrl }
    : { S3Bucket: code.bucket, S3Key: code.key };
}

function describeCode(code: LambdaCode): string {
  return code.kind === 'image' ? `image ${code.imageUrl}` : `s3://${code.bucket}/${code.key}`;
}

/** The version an alias points at, or undefined when the alias does not exist. */
async function aliasVersion(
  lambda: LambdaClient,
  fn: string,
  alias: string,
): Promise<string | undefined> {
  const { GetAliasCommand } = await import('@aws-sdk/client-lambda');
  try {
    const found = await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }));
    return found.FunctionVersion;
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

/** Points the alias at `version` with all of its traffic (any canary weights are cleared). */
async function pointAlias(
  lambda: LambdaClient,
  fn: string,
  alias: string,
  version: string,
  exists: boolean,
): Promise<void> {
  const { CreateAliasCommand, UpdateAliasCommand } = await import('@aws-sdk/client-lambda');
  const update = () =>
    lambda.send(
      new UpdateAliasCommand({
        FunctionName: fn,
        Name: alias,
        FunctionVersion: version,
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
  if (exists) {
    await update();
    return;
  }
  try {
    await lambda.send(
      new CreateAliasCommand({ FunctionName: fn, Name: alias, FunctionVersion: version }),
    );
  } catch (error) {
    // Created by a run that crashed before its journal write, or by someone else meanwhile.
    if (!isAwsError(error, 'ResourceConflictException')) throw error;
    await update();
  }
}

/** The function ARN without a version or alias. */
function unqualified(arn: string): string {
  const m = /^(arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+)(?::.+)?$/.exec(arn);
  return m?.[1] ?? arn;
}

/** A failed outcome: a missing function and a failed update get their own codes. */
export function lambdaFailure(
  error: unknown,
  ctx: Pick<StepRunContext, 'signal' | 'target'>,
  fn: string,
  doing: string,
): FailedOutcome {
  if (!ctx.signal.aborted && isAwsError(error, 'ResourceNotFoundException')) {
    return {
      kind: 'failed',
      code: 'not-found',
      message: `${error instanceof Error ? error.message : 'not found'}: function ${fn} (or its alias) does not exist in account ${ctx.target.accountId}, region ${ctx.target.region}; create it first, for example in a CLOUDFORMATION:DEPLOY or Terraform step before this one`,
    };
  }
  if (error instanceof LambdaUpdateFailed) {
    return { kind: 'failed', code: 'update-failed', message: error.message };
  }
  return stepFailure(error, ctx.signal, doing);
}

function text(outputs: JsonObject | undefined, key: string): string | undefined {
  const value = outputs?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
