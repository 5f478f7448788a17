/** Manual operations: the API's request (deployments by revision) turned into the engine's Operation. */
import type { Operation } from '@rampart/engine';
import type { OperationRequest, OperationResponse } from '@rampart/protocol';
import type { Caller } from './caller.js';
import { revisionOfDeploymentId } from './deployment-views.js';
import { requireDeploymentSummary } from './deployments-service.js';
import { EngineRefusal } from './detailed-error.js';
import { requirePipeline } from './pipelines-service.js';
import type { ServerContext } from './server-context.js';

/**
 * Applies an operation as `caller`. A refusal is an {@link EngineRefusal} carrying the engine's
 * code (409); an unknown pipeline or revision is a 404 before the engine is asked.
 */
export async function applyOperation(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  slug: string,
  request: OperationRequest,
  caller: Caller,
): Promise<OperationResponse> {
  await requirePipeline(ctx, slug);
  const by = { actor: caller.actor, reason: request.reason };
  const deploymentId = async (revision: number): Promise<string> =>
    (await requireDeploymentSummary(ctx, slug, revision)).id;
  let operation: Operation;
  switch (request.kind) {
    case 'approve':
    case 'reject':
      operation = {
        kind: request.kind,
        deploymentId: await deploymentId(request.revision),
        stage: request.stage,
        step: request.step,
        ...by,
      };
      break;
    case 'cancel':
      operation = { kind: 'cancel', deploymentId: await deploymentId(request.revision), ...by };
      break;
    case 'retry':
    case 'override-window':
      operation = {
        kind: request.kind,
        deploymentId: await deploymentId(request.revision),
        stage: request.stage,
        ...by,
      };
      break;
    case 'rollback':
      operation = { kind: 'rollback', stage: request.stage, toRevision: request.toRevision, ...by };
      break;
    case 'roll-forward':
    case 'stop':
    case 'resume':
      operation = { kind: request.kind, stage: request.stage, ...by };
      break;
    default: {
      const unknown: never = request;
      return unknown;
    }
  }
  const result = await ctx.runtime.operate(slug, operation);
  if (!result.ok) throw new EngineRefusal(result.code, result.message, 409);
  const revision =
    result.deploymentId === undefined ? undefined : revisionOfDeploymentId(result.deploymentId);
  return {
    kind: result.kind,
    ...(result.deploymentId === undefined ? {} : { deploymentId: result.deploymentId }),
    ...(revision === undefined ? {} : { revision }),
    ...(result.rollbackId === undefined ? {} : { rollbackId: result.rollbackId }),
  };
}
