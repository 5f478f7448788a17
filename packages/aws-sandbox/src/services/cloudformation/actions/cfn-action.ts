// Every CloudFormation action first lets due stack work finish (so callers observe the state as
// of the sandbox clock's now) and fails operations a snapshot restore orphaned.
import type { ActionContext, ActionDefinition } from '../../../framework/service.js';
import { schedulerOf } from '../engine/scheduler-of.js';
import { failOrphanedOperations } from '../engine/start-operation.js';

/** Wraps an action's handler with the settle step. */
export function cfnAction(definition: ActionDefinition): ActionDefinition {
  return {
    ...definition,
    handler: async (ctx: ActionContext) => {
      await schedulerOf(ctx).settle();
      failOrphanedOperations(ctx);
      return definition.handler(ctx);
    },
  };
}
