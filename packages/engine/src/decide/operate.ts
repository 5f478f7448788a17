/** Dispatches a manual operation after the checks every operation shares. */
import type { DecisionContext } from './decision-context.js';
import { approve, reject } from './approve-reject.js';
import { cancelDeployment } from './cancel-deployment.js';
import { rejection, type Operation, type OperationResult } from './operations.js';
import { retryStage, rollForward } from './revive.js';
import { overrideWindow, resumeStage, rollbackStage, stopStage } from './stage-operations.js';

export function operate(ctx: DecisionContext, op: Operation): OperationResult {
  if (op.reason.trim() === '')
    return rejection('REASON_REQUIRED', `${op.kind} needs a reason: it is kept in the audit trail`);
  switch (op.kind) {
    case 'approve':
      return approve(ctx, op);
    case 'reject':
      return reject(ctx, op);
    case 'cancel':
      return cancelDeployment(ctx, op);
    case 'retry':
      return retryStage(ctx, op);
    case 'rollback':
      return rollbackStage(ctx, op);
    case 'roll-forward':
      return rollForward(ctx, op);
    case 'stop':
      return stopStage(ctx, op);
    case 'resume':
      return resumeStage(ctx, op);
    case 'override-window':
      return overrideWindow(ctx, op);
    default: {
      const unreachable: never = op;
      return unreachable;
    }
  }
}
