// CLOUDFORMATION:DEPLOY: create or update a stack from a template in the revision's files through
// a change set, with the stack's events in the step log and its outputs as the step's outputs.
// The template deployed is kept among the outputs, so a rollback can deploy the last good
// template and parameters again without the old revision's files.
import { readFile, stat } from 'node:fs/promises';
import type { AwsClientFactory } from '@rampart/aws';
import {
  defineStepExecutor,
  type RollbackContext,
  type RollbackOutcome,
  type StepExecutor,
  type StepOutcome,
  type StepRunContext,
} from '@rampart/engine';
import { catalogActions } from '../aws-step/catalog-actions.js';
import type { StepPolling } from '../aws-step/poll.js';
import { revisionPath, workspaceRequest } from '../aws-step/revision-path.js';
import { stageClientTarget } from '../aws-step/stage-client.js';
import { stepFailure, type FailedOutcome } from '../aws-step/step-failure.js';
import type { Workspaces } from '../workspace/workspaces.js';
import {
  cloudFormationDeployParams,
  type CloudFormationDeployParams,
} from './cloudformation-params.js';
import { StackDeployFailed, deployStack, type StackDeployIo } from './stack-deployer.js';

/** Options of {@link createCloudFormationDeployExecutor}. */
export interface CloudFormationDeployExecutorOptions {
  /** Builds the CloudFormation client of each call with the stage's credentials and region. */
  sdk: AwsClientFactory;
  /** Finds the revision's files (the template). */
  workspaces: Workspaces;
  /** @default a real 5-second timer */
  poller?: StepPolling;
}

/**
 * The output holding the template deployed, for rollbacks. Stack output names are alphanumeric,
 * so this one never collides with a stack's own.
 */
export const TEMPLATE_OUTPUT = 'rampart:template';

/** CloudFormation's limit for a template passed in the request (TemplateBody). */
export const MAX_TEMPLATE_BYTES = 51_200;

/** The CLOUDFORMATION:DEPLOY executor. */
export function createCloudFormationDeployExecutor(
  options: CloudFormationDeployExecutorOptions,
): StepExecutor<CloudFormationDeployParams> {
  const io = (ctx: StepRunContext, purpose: string): StackDeployIo => ({
    cfn: options.sdk.cloudFormation(stageClientTarget(ctx)),
    ctx,
    journal: ctx.effects,
    purpose,
    ...(options.poller === undefined ? {} : { poller: options.poller }),
  });
  return defineStepExecutor<CloudFormationDeployParams>({
    type: 'RAMPART:CLOUDFORMATION:DEPLOY',
    paramsSchema: cloudFormationDeployParams,
    iamActions: (params) => catalogActions('RAMPART:CLOUDFORMATION:DEPLOY', params),
    async execute(ctx): Promise<StepOutcome> {
      const { params } = ctx;
      try {
        const file = await revisionPath(
          options.workspaces,
          workspaceRequest(ctx),
          params.template,
          'file',
          'template',
        );
        if (!file.ok) return { kind: 'failed', code: 'workspace', message: file.message };
        const size = (await stat(file.path)).size;
        if (size > MAX_TEMPLATE_BYTES) {
          return {
            kind: 'failed',
            code: 'template',
            message: `template ${JSON.stringify(params.template)} has ${size} bytes; CloudFormation takes at most ${MAX_TEMPLATE_BYTES} in a request: split the stack (nested stacks) or shorten the template`,
          };
        }
        const body = await readFile(file.path, 'utf8');
        const result = await deployStack(
          {
            stackName: params.stack_name,
            templateBody: body,
            parameters: params.parameters,
            capabilities: params.capabilities,
            tags: params.tags,
          },
          io(ctx, ''),
        );
        return { kind: 'succeeded', outputs: { ...result.outputs, [TEMPLATE_OUTPUT]: body } };
      } catch (error) {
        return stackFailure(error, ctx.signal, 'deployed the stack');
      }
    },
    async rollback(ctx: RollbackContext<CloudFormationDeployParams>): Promise<RollbackOutcome> {
      const target = ctx.targetParams;
      if (target === undefined) {
        // The restored revision had no such stack; removing one is not this step's to do.
        ctx.log(
          `cloudformation: revision ${ctx.toRevision} did not have step "${ctx.step.name}"; the stack is left as it is`,
          'info',
        );
        return { kind: 'succeeded', outputs: {} };
      }
      const body = ctx.targetOutputs?.[TEMPLATE_OUTPUT];
      if (typeof body !== 'string' || body === '') {
        return {
          kind: 'failed',
          message: `cannot restore stack ${target.stack_name}: revision ${ctx.toRevision} recorded no template for step "${ctx.step.name}" (output ${TEMPLATE_OUTPUT})`,
        };
      }
      try {
        const result = await deployStack(
          {
            stackName: target.stack_name,
            templateBody: body,
            parameters: target.parameters,
            capabilities: target.capabilities,
            tags: target.tags,
          },
          io(ctx, 'rb'),
        );
        ctx.log(
          `cloudformation: ${target.stack_name} ${result.changed ? 'rolled back' : 'already had'} the template and parameters of revision ${ctx.toRevision}`,
          'info',
        );
        return { kind: 'succeeded', outputs: { ...result.outputs, [TEMPLATE_OUTPUT]: body } };
      } catch (error) {
        return { kind: 'failed', message: stackFailure(error, ctx.signal, 'rolled back').message };
      }
    },
  });
}

function stackFailure(error: unknown, signal: AbortSignal, doing: string): FailedOutcome {
  if (!signal.aborted && error instanceof StackDeployFailed) {
    return { kind: 'failed', code: 'stack-failed', message: error.message };
  }
  return stepFailure(error, signal, doing);
}
