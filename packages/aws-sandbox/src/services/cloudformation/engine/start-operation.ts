// Starts a stack operation in the background and fails stacks whose operation was lost (the
// sandbox was restored from a snapshot taken while it ran).
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../../auth/caller.js';
import type { ActionContext } from '../../../framework/service.js';
import { cfnState, isInProgress, type StackRecord, type StackStatus } from '../cfn-state.js';
import { isAlive, stackEvent, type OperationEnv } from './operation-env.js';
import { schedulerOf } from './scheduler-of.js';

/** The status a stack is left in when its operation cannot finish. */
function failedStatus(status: StackStatus): StackStatus {
  switch (status) {
    case 'CREATE_IN_PROGRESS':
      return 'CREATE_FAILED';
    case 'ROLLBACK_IN_PROGRESS':
      return 'ROLLBACK_FAILED';
    case 'DELETE_IN_PROGRESS':
      return 'DELETE_FAILED';
    case 'UPDATE_IN_PROGRESS':
    case 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS':
    case 'UPDATE_ROLLBACK_IN_PROGRESS':
    case 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS':
      return 'UPDATE_ROLLBACK_FAILED';
    default:
      return status;
  }
}

/** Starts `work` on `stack` as `caller`; the stack must already show its *_IN_PROGRESS status. */
export function startOperation(
  ctx: ActionContext,
  stack: StackRecord,
  caller: Caller,
  token: string | undefined,
  work: (env: OperationEnv) => Promise<void>,
): void {
  const scheduler = schedulerOf(ctx);
  const operationId = randomUUID();
  stack.operationId = operationId;
  const env: OperationEnv = {
    ctx,
    caller,
    state: cfnState(ctx),
    stack,
    scheduler,
    world: ctx.world,
    ...(token !== undefined ? { token } : {}),
  };
  scheduler.run(operationId, async () => {
    try {
      await work(env);
    } catch (error: unknown) {
      if (!isAlive(env)) return;
      const message = error instanceof Error ? error.message : String(error);
      stackEvent(env, failedStatus(stack.status), ctx.clock.now(), `Internal failure: ${message}`);
    }
  });
}

/**
 * Stacks left *_IN_PROGRESS by an operation that no longer runs (restored from a snapshot) get
 * the matching failed status, so they can be deleted or updated again.
 */
export function failOrphanedOperations(ctx: ActionContext): void {
  const scheduler = schedulerOf(ctx);
  for (const stack of Object.values(cfnState(ctx).stacks)) {
    if (!isInProgress(stack.status)) continue;
    if (stack.operationId !== undefined && scheduler.live.has(stack.operationId)) continue;
    const env: OperationEnv = {
      ctx,
      caller: ctx.caller,
      state: cfnState(ctx),
      stack,
      scheduler,
      world: ctx.world,
    };
    stackEvent(
      env,
      failedStatus(stack.status),
      ctx.clock.now(),
      'The sandbox state was restored while this operation was in progress',
    );
  }
}
