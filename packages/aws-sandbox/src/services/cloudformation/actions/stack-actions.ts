// CreateStack, UpdateStack, DeleteStack and UpdateTerminationProtection: checks made up front
// (synchronous errors), then the stack goes *_IN_PROGRESS and the work runs in the background.
import type { ActionContext, ActionDefinition } from '../../../framework/service.js';
import { alreadyExists, validationError } from '../cfn-errors.js';
import {
  cfnState,
  isDeleted,
  isInProgress,
  type StackRecord,
  type StackStatus,
} from '../cfn-state.js';
import { actingIdentity } from '../engine/acting-identity.js';
import { runCreateStack, type OnFailure } from '../engine/create-stack-operation.js';
import { runDeleteStack } from '../engine/delete-stack-operation.js';
import { stackEvent } from '../engine/operation-env.js';
import { planCreate, planUpdate } from '../engine/plan-changes.js';
import type { StackDefinition } from '../engine/stack-definition.js';
import { startOperation } from '../engine/start-operation.js';
import { runUpdateStack } from '../engine/update-stack-operation.js';
import { cfnAction } from './cfn-action.js';
import { readDefinition, requestToken } from './read-definition.js';
import { checkStackName, findStack, newStackId, stackResource } from './stack-lookup.js';

/** Statuses an update (or an update change set) may start from. */
const UPDATABLE: readonly StackStatus[] = [
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_FAILED',
];

/** `Stack:<id> is in <status> state and can not be updated.` */
export function assertUpdatable(stack: StackRecord): void {
  if (!UPDATABLE.includes(stack.status)) {
    throw validationError(
      `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`,
    );
  }
}

function onFailureOf(ctx: ActionContext): OnFailure {
  const onFailure = ctx.input.str('OnFailure');
  const disableRollback = ctx.input.bool('DisableRollback');
  if (onFailure !== undefined && disableRollback !== undefined) {
    throw validationError('You cannot specify both DisableRollback and OnFailure.');
  }
  if (onFailure !== undefined && !['ROLLBACK', 'DELETE', 'DO_NOTHING'].includes(onFailure)) {
    throw validationError(
      `1 validation error detected: Value '${onFailure}' at 'onFailure' failed to satisfy constraint: Member must satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]`,
    );
  }
  if (disableRollback === true) return 'DO_NOTHING';
  return (onFailure as OnFailure | undefined) ?? 'ROLLBACK';
}

function requestContext(ctx: ActionContext): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  const roleArn = ctx.input.str('RoleARN');
  if (roleArn !== undefined) context['cloudformation:RoleArn'] = roleArn;
  if (ctx.input.has('Tags')) {
    const tags = ctx.input.tags('Tags');
    for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
    if (tags.length > 0) context['aws:TagKeys'] = tags.map((tag) => tag.Key);
  }
  return context;
}

/** A new stack record, `CREATE_IN_PROGRESS` (or `REVIEW_IN_PROGRESS` for change sets). */
export function newStack(
  ctx: ActionContext,
  stackId: string,
  name: string,
  definition: StackDefinition,
  status: 'CREATE_IN_PROGRESS' | 'REVIEW_IN_PROGRESS',
): StackRecord {
  const now = ctx.clock.now().toISOString();
  return {
    stackId,
    stackName: name,
    status,
    creationTime: now,
    templateBody: definition.templateBody,
    template: definition.template,
    parameters: definition.parameters,
    tags: definition.tags,
    capabilities: definition.capabilities,
    notificationArns: definition.notificationArns,
    disableRollback: false,
    terminationProtection: false,
    resources: {},
    outputs: [],
    imports: [],
    events: [],
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    ...(definition.roleArn !== undefined ? { roleArn: definition.roleArn } : {}),
  };
}

/** Applies an update definition's stack-level settings as an update starts. */
export function beginUpdate(
  ctx: ActionContext,
  stack: StackRecord,
  definition: StackDefinition,
): void {
  stack.capabilities = definition.capabilities;
  stack.notificationArns = definition.notificationArns;
  if (definition.roleArn !== undefined) stack.roleArn = definition.roleArn;
  stack.lastUpdatedTime = ctx.clock.now().toISOString();
}

const createStack: ActionDefinition = cfnAction({
  validate: (ctx) => {
    checkStackName(ctx.input.reqStr('StackName'));
  },
  resources: (ctx) => [stackResource(ctx, ctx.input.reqStr('StackName'))],
  context: requestContext,
  handler: async (ctx) => {
    const state = cfnState(ctx);
    const name = ctx.input.reqStr('StackName');
    const token = requestToken(ctx);
    const existing = findStack(state, name);
    if (existing) {
      if (
        token !== undefined &&
        existing.lastToken?.token === token &&
        existing.lastToken.action === 'CreateStack'
      ) {
        return { StackId: existing.stackId };
      }
      throw alreadyExists(`Stack [${name}] already exists`);
    }
    const onFailure = onFailureOf(ctx);
    const definition = await readDefinition(ctx);
    const caller = await actingIdentity(ctx, definition.roleArn, true);
    const stackId = newStackId(ctx, name);
    planCreate(ctx, state, name, stackId, definition);
    const timeout = ctx.input.int('TimeoutInMinutes');
    const stack = newStack(ctx, stackId, name, definition, 'CREATE_IN_PROGRESS');
    stack.disableRollback = onFailure === 'DO_NOTHING';
    stack.terminationProtection = ctx.input.bool('EnableTerminationProtection') ?? false;
    if (timeout !== undefined) stack.timeoutInMinutes = timeout;
    if (token !== undefined) stack.lastToken = { token, action: 'CreateStack' };
    state.stacks[stackId] = stack;
    const now = ctx.clock.now();
    stackEvent(
      { stack, ...(token !== undefined ? { token } : {}) },
      'CREATE_IN_PROGRESS',
      now,
      'User Initiated',
    );
    startOperation(ctx, stack, caller, token, (env) =>
      runCreateStack(env, now.getTime(), onFailure),
    );
    return { StackId: stackId };
  },
});

const updateStack: ActionDefinition = cfnAction({
  validate: (ctx) => {
    ctx.input.reqStr('StackName');
  },
  resources: (ctx) => [stackResource(ctx, ctx.input.reqStr('StackName'))],
  context: requestContext,
  handler: async (ctx) => {
    const state = cfnState(ctx);
    const name = ctx.input.reqStr('StackName');
    const token = requestToken(ctx);
    const stack = findStack(state, name);
    if (!stack || isDeleted(stack)) throw validationError(`Stack [${name}] does not exist`);
    if (
      token !== undefined &&
      stack.lastToken?.token === token &&
      stack.lastToken.action === 'UpdateStack'
    ) {
      return { StackId: stack.stackId };
    }
    assertUpdatable(stack);
    const definition = await readDefinition(ctx, stack);
    const plan = planUpdate(ctx, state, stack, definition);
    if (!plan.hasChanges) throw validationError('No updates are to be performed.');
    const caller = await actingIdentity(ctx, definition.roleArn, ctx.input.has('RoleARN'));
    beginUpdate(ctx, stack, definition);
    if (token !== undefined) stack.lastToken = { token, action: 'UpdateStack' };
    delete stack.changeSetId;
    const now = ctx.clock.now();
    stackEvent(
      { stack, ...(token !== undefined ? { token } : {}) },
      'UPDATE_IN_PROGRESS',
      now,
      'User Initiated',
    );
    const disableRollback = ctx.input.bool('DisableRollback') ?? false;
    startOperation(ctx, stack, caller, token, (env) =>
      runUpdateStack(env, definition, now.getTime(), disableRollback),
    );
    return { StackId: stack.stackId };
  },
});

const deleteStack: ActionDefinition = cfnAction({
  validate: (ctx) => {
    ctx.input.reqStr('StackName');
  },
  resources: (ctx) => [stackResource(ctx, ctx.input.reqStr('StackName'))],
  context: requestContext,
  handler: async (ctx) => {
    const state = cfnState(ctx);
    const name = ctx.input.reqStr('StackName');
    const token = requestToken(ctx);
    const stack = findStack(state, name);
    // Deleting a stack that does not exist succeeds, as in AWS.
    if (!stack || isDeleted(stack) || stack.status === 'DELETE_IN_PROGRESS') return undefined;
    if (
      token !== undefined &&
      stack.lastToken?.token === token &&
      stack.lastToken.action === 'DeleteStack'
    ) {
      return undefined;
    }
    if (stack.terminationProtection) {
      throw validationError(
        `Stack [${stack.stackName}] cannot be deleted while TerminationProtection is enabled`,
      );
    }
    if (isInProgress(stack.status)) {
      throw validationError(
        `Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`,
      );
    }
    const retain = ctx.input.strList('RetainResources');
    if (retain.length > 0 && stack.status !== 'DELETE_FAILED') {
      throw validationError(
        `Invalid operation on stack [${stack.stackId}]. RetainResources can only be specified when stack is in DELETE_FAILED state`,
      );
    }
    const roleArn = ctx.input.str('RoleARN') ?? stack.roleArn;
    const caller = await actingIdentity(ctx, roleArn, ctx.input.has('RoleARN'));
    for (const [id, changeSet] of Object.entries(state.changeSets)) {
      if (changeSet.stackId === stack.stackId) delete state.changeSets[id];
    }
    if (token !== undefined) stack.lastToken = { token, action: 'DeleteStack' };
    const now = ctx.clock.now();
    stackEvent(
      { stack, ...(token !== undefined ? { token } : {}) },
      'DELETE_IN_PROGRESS',
      now,
      'User Initiated',
    );
    startOperation(ctx, stack, caller, token, (env) => runDeleteStack(env, now.getTime(), retain));
    return undefined;
  },
});

const updateTerminationProtection: ActionDefinition = cfnAction({
  resources: (ctx) => [stackResource(ctx, ctx.input.reqStr('StackName'))],
  handler: (ctx) => {
    const name = ctx.input.reqStr('StackName');
    const enable = ctx.input.bool('EnableTerminationProtection');
    if (enable === undefined) {
      throw validationError('The request must contain the parameter EnableTerminationProtection');
    }
    const stack = findStack(cfnState(ctx), name);
    if (!stack || isDeleted(stack)) throw validationError(`Stack [${name}] does not exist`);
    stack.terminationProtection = enable;
    return { StackId: stack.stackId };
  },
});

/** The stack lifecycle actions, by name. */
export const stackActions: Record<string, ActionDefinition> = {
  CreateStack: createStack,
  UpdateStack: updateStack,
  DeleteStack: deleteStack,
  UpdateTerminationProtection: updateTerminationProtection,
};
