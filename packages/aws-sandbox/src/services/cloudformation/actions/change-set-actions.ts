// CreateChangeSet (CREATE and UPDATE), DescribeChangeSet, ExecuteChangeSet, DeleteChangeSet,
// ListChangeSets. Change sets are computed when created, so they are CREATE_COMPLETE (or FAILED,
// when nothing would change) by the time the call returns.
import type { ActionContext, ActionDefinition } from '../../../framework/service.js';
import { alreadyExists, invalidChangeSetStatus, validationError } from '../cfn-errors.js';
import { cfnState, isDeleted, type ChangeSetRecord, type StackRecord } from '../cfn-state.js';
import { actingIdentity } from '../engine/acting-identity.js';
import { runCreateStack } from '../engine/create-stack-operation.js';
import { stackEvent } from '../engine/operation-env.js';
import { planCreate, planUpdate, type ChangePlan } from '../engine/plan-changes.js';
import type { StackDefinition } from '../engine/stack-definition.js';
import { startOperation } from '../engine/start-operation.js';
import { runUpdateStack } from '../engine/update-stack-operation.js';
import { cfnAction } from './cfn-action.js';
import { changeSetSummaryXml, changeXml, parametersXml } from './cfn-render.js';
import { cfnPage } from './read-actions.js';
import { readDefinition, requestToken } from './read-definition.js';
import { assertUpdatable, beginUpdate, newStack } from './stack-actions.js';
import {
  checkStackName,
  findStack,
  newChangeSetId,
  newStackId,
  requireChangeSet,
  stackResource,
} from './stack-lookup.js';

const CHANGES_PAGE = 100;
const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

function checkChangeSetName(name: string): string {
  if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  }
  return name;
}

/** The stack a change set call names (through the change set's ARN or `StackName`). */
function changeSetStackResource(ctx: ActionContext): string {
  const changeSet = ctx.input.str('ChangeSetName');
  if (changeSet?.startsWith('arn:') === true) {
    const found = cfnState(ctx).changeSets[changeSet];
    if (found) return found.stackId;
  }
  return stackResource(ctx, ctx.input.str('StackName'));
}

function changeSetContext(ctx: ActionContext): Record<string, string | string[]> {
  const name = ctx.input.str('ChangeSetName');
  return name !== undefined ? { 'cloudformation:ChangeSetName': name } : {};
}

function record(
  ctx: ActionContext,
  stack: StackRecord,
  name: string,
  type: 'CREATE' | 'UPDATE',
  definition: StackDefinition,
  plan: ChangePlan,
): ChangeSetRecord {
  const description = ctx.input.str('Description');
  const clientToken = ctx.input.str('ClientToken');
  return {
    changeSetId: newChangeSetId(ctx, name),
    changeSetName: name,
    stackId: stack.stackId,
    stackName: stack.stackName,
    changeSetType: type,
    creationTime: ctx.clock.now().toISOString(),
    status: plan.hasChanges ? 'CREATE_COMPLETE' : 'FAILED',
    executionStatus: plan.hasChanges ? 'AVAILABLE' : 'UNAVAILABLE',
    templateBody: definition.templateBody,
    template: definition.template,
    parameters: definition.parameters,
    tags: definition.tags,
    capabilities: definition.capabilities,
    notificationArns: definition.notificationArns,
    changes: plan.changes,
    ...(plan.hasChanges ? {} : { statusReason: NO_CHANGES }),
    ...(description !== undefined ? { description } : {}),
    ...(clientToken !== undefined ? { clientToken } : {}),
    ...(definition.roleArn !== undefined ? { roleArn: definition.roleArn } : {}),
  };
}

const createChangeSet: ActionDefinition = cfnAction({
  validate: (ctx) => {
    ctx.input.reqStr('StackName');
    checkChangeSetName(ctx.input.reqStr('ChangeSetName'));
  },
  resources: (ctx) => [stackResource(ctx, ctx.input.reqStr('StackName'))],
  context: changeSetContext,
  handler: async (ctx) => {
    const state = cfnState(ctx);
    const stackName = ctx.input.reqStr('StackName');
    const name = ctx.input.reqStr('ChangeSetName');
    const type = ctx.input.str('ChangeSetType') ?? 'UPDATE';
    const clientToken = ctx.input.str('ClientToken');
    if (type !== 'CREATE' && type !== 'UPDATE') {
      throw validationError(
        `ChangeSetType ${type} is not emulated by the sandbox (CREATE and UPDATE are; see docs/cloudformation.md)`,
      );
    }
    let stack = findStack(state, stackName);
    const existing = Object.values(state.changeSets).find(
      (changeSet) => changeSet.changeSetName === name && changeSet.stackId === stack?.stackId,
    );
    if (existing) {
      if (clientToken !== undefined && existing.clientToken === clientToken) {
        return { Id: existing.changeSetId, StackId: existing.stackId };
      }
      throw alreadyExists(`ChangeSet [${name}] already exists`);
    }
    let definition: StackDefinition;
    let plan: ChangePlan;
    if (type === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') {
        throw validationError(
          `Stack [${stackName}] already exists and cannot be created again with the changeSet [${name}].`,
        );
      }
      checkStackName(stackName);
      definition = await readDefinition(ctx);
      const stackId = stack?.stackId ?? newStackId(ctx, stackName);
      plan = planCreate(ctx, state, stackName, stackId, definition);
      await actingIdentity(ctx, definition.roleArn, definition.roleArn !== undefined);
      if (!stack) {
        stack = newStack(ctx, stackId, stackName, definition, 'REVIEW_IN_PROGRESS');
        state.stacks[stackId] = stack;
        stackEvent({ stack }, 'REVIEW_IN_PROGRESS', ctx.clock.now(), 'User Initiated');
      }
    } else {
      if (!stack || isDeleted(stack)) throw validationError(`Stack [${stackName}] does not exist`);
      assertUpdatable(stack);
      definition = await readDefinition(ctx, stack);
      plan = planUpdate(ctx, state, stack, definition);
      await actingIdentity(ctx, definition.roleArn, ctx.input.has('RoleARN'));
    }
    const changeSet = record(ctx, stack, name, type, definition, plan);
    state.changeSets[changeSet.changeSetId] = changeSet;
    return { Id: changeSet.changeSetId, StackId: stack.stackId };
  },
});

const describeChangeSet: ActionDefinition = cfnAction({
  validate: (ctx) => {
    ctx.input.reqStr('ChangeSetName');
  },
  resources: (ctx) => [changeSetStackResource(ctx)],
  context: changeSetContext,
  handler: (ctx) => {
    const changeSet = requireChangeSet(
      cfnState(ctx),
      ctx.input.reqStr('ChangeSetName'),
      ctx.input.str('StackName'),
    );
    const { page, NextToken } = cfnPage(ctx, changeSet.changes, CHANGES_PAGE);
    return {
      ChangeSetName: changeSet.changeSetName,
      ChangeSetId: changeSet.changeSetId,
      StackId: changeSet.stackId,
      StackName: changeSet.stackName,
      Description: changeSet.description,
      Parameters: parametersXml(changeSet.parameters),
      CreationTime: new Date(changeSet.creationTime),
      ExecutionStatus: changeSet.executionStatus,
      Status: changeSet.status,
      StatusReason: changeSet.statusReason,
      NotificationARNs:
        changeSet.notificationArns.length > 0 ? changeSet.notificationArns : undefined,
      RollbackConfiguration: {},
      Capabilities: changeSet.capabilities.length > 0 ? changeSet.capabilities : undefined,
      Tags: changeSet.tags.length > 0 ? changeSet.tags : undefined,
      Changes: page.map(changeXml),
      NextToken,
      IncludeNestedStacks: false,
    };
  },
});

const executeChangeSet: ActionDefinition = cfnAction({
  validate: (ctx) => {
    ctx.input.reqStr('ChangeSetName');
  },
  resources: (ctx) => [changeSetStackResource(ctx)],
  context: changeSetContext,
  handler: async (ctx) => {
    const state = cfnState(ctx);
    const changeSet = requireChangeSet(
      state,
      ctx.input.reqStr('ChangeSetName'),
      ctx.input.str('StackName'),
    );
    const token = requestToken(ctx);
    if (changeSet.executionStatus !== 'AVAILABLE') {
      throw invalidChangeSetStatus(
        `ChangeSet [${changeSet.changeSetId}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
      );
    }
    const stack = state.stacks[changeSet.stackId];
    if (!stack || isDeleted(stack))
      throw validationError(`Stack [${changeSet.stackName}] does not exist`);
    const definition: StackDefinition = {
      templateBody: changeSet.templateBody,
      template: changeSet.template,
      parameters: changeSet.parameters,
      tags: changeSet.tags,
      capabilities: changeSet.capabilities,
      notificationArns: changeSet.notificationArns,
      ...(changeSet.template.Description !== undefined
        ? { description: changeSet.template.Description }
        : {}),
      ...((changeSet.roleArn ?? stack.roleArn) !== undefined
        ? { roleArn: changeSet.roleArn ?? stack.roleArn }
        : {}),
    };
    const caller = await actingIdentity(ctx, definition.roleArn, false);
    const disableRollback = ctx.input.bool('DisableRollback') ?? false;
    const now = ctx.clock.now();
    const emit = { stack, ...(token !== undefined ? { token } : {}) };
    if (changeSet.changeSetType === 'CREATE') {
      if (stack.status !== 'REVIEW_IN_PROGRESS') {
        throw validationError(
          `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`,
        );
      }
      Object.assign(stack, {
        templateBody: definition.templateBody,
        template: definition.template,
        parameters: definition.parameters,
        tags: definition.tags,
        capabilities: definition.capabilities,
        notificationArns: definition.notificationArns,
        disableRollback,
        creationTime: now.toISOString(),
      });
      if (definition.description !== undefined) stack.description = definition.description;
      if (definition.roleArn !== undefined) stack.roleArn = definition.roleArn;
      stackEvent(emit, 'CREATE_IN_PROGRESS', now, 'User Initiated');
    } else {
      assertUpdatable(stack);
      beginUpdate(ctx, stack, definition);
      stackEvent(emit, 'UPDATE_IN_PROGRESS', now, 'User Initiated');
    }
    stack.changeSetId = changeSet.changeSetId;
    if (token !== undefined) stack.lastToken = { token, action: 'ExecuteChangeSet' };
    // Executing a change set removes the stack's other change sets, as AWS does.
    for (const [id, other] of Object.entries(state.changeSets)) {
      if (other.stackId === stack.stackId && other !== changeSet) delete state.changeSets[id];
    }
    changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
    startOperation(ctx, stack, caller, token, async (env) => {
      if (changeSet.changeSetType === 'CREATE') {
        await runCreateStack(env, now.getTime(), disableRollback ? 'DO_NOTHING' : 'ROLLBACK');
      } else {
        await runUpdateStack(env, definition, now.getTime(), disableRollback);
      }
      changeSet.executionStatus = ['CREATE_COMPLETE', 'UPDATE_COMPLETE'].includes(stack.status)
        ? 'EXECUTE_COMPLETE'
        : 'EXECUTE_FAILED';
    });
    return {};
  },
});

const deleteChangeSet: ActionDefinition = cfnAction({
  validate: (ctx) => {
    ctx.input.reqStr('ChangeSetName');
  },
  resources: (ctx) => [changeSetStackResource(ctx)],
  context: changeSetContext,
  handler: (ctx) => {
    const state = cfnState(ctx);
    const changeSet = requireChangeSet(
      state,
      ctx.input.reqStr('ChangeSetName'),
      ctx.input.str('StackName'),
    );
    if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw invalidChangeSetStatus(
        `Cannot delete ChangeSet [${changeSet.changeSetId}] in status ${changeSet.executionStatus}`,
      );
    }
    delete state.changeSets[changeSet.changeSetId];
    return {};
  },
});

const listChangeSets: ActionDefinition = cfnAction({
  resources: (ctx) => [stackResource(ctx, ctx.input.reqStr('StackName'))],
  handler: (ctx) => {
    const state = cfnState(ctx);
    const name = ctx.input.reqStr('StackName');
    const stack = findStack(state, name);
    if (!stack) throw validationError(`Stack [${name}] does not exist`);
    const sets = Object.values(state.changeSets).filter((set) => set.stackId === stack.stackId);
    const { page, NextToken } = cfnPage(ctx, sets, CHANGES_PAGE);
    return { Summaries: page.map(changeSetSummaryXml), NextToken };
  },
});

/** The change set actions, by name. */
export const changeSetActions: Record<string, ActionDefinition> = {
  CreateChangeSet: createChangeSet,
  DescribeChangeSet: describeChangeSet,
  ExecuteChangeSet: executeChangeSet,
  DeleteChangeSet: deleteChangeSet,
  ListChangeSets: listChangeSets,
};
