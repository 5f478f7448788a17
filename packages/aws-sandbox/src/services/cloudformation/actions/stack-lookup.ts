// Finding stacks and change sets by name or id, and the ARNs CloudFormation gives them.
import { randomUUID } from 'node:crypto';
import type { ActionContext } from '../../../framework/service.js';
import { changeSetNotFound, validationError } from '../cfn-errors.js';
import {
  cfnState,
  isDeleted,
  type CfnRegionState,
  type ChangeSetRecord,
  type StackRecord,
} from '../cfn-state.js';

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/** Whether a `StackName` parameter is a stack id (an ARN). */
export function isStackId(value: string): boolean {
  return value.startsWith('arn:');
}

/** Checks a new stack's name. */
export function checkStackName(name: string): string {
  if (!STACK_NAME.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* and have length less than or equal to 128',
    );
  }
  return name;
}

/** A stack by name (live stacks only) or by id (deleted stacks too). */
export function findStack(state: CfnRegionState, nameOrId: string): StackRecord | undefined {
  if (isStackId(nameOrId)) return state.stacks[nameOrId];
  return Object.values(state.stacks).find(
    (stack) => stack.stackName === nameOrId && !isDeleted(stack),
  );
}

/** A stack, or `ValidationError: Stack with id … does not exist` (DescribeStacks' wording). */
export function requireStack(state: CfnRegionState, nameOrId: string): StackRecord {
  const stack = findStack(state, nameOrId);
  if (!stack) throw validationError(`Stack with id ${nameOrId} does not exist`);
  return stack;
}

/** The ARN an action on `StackName` is authorized on. */
export function stackResource(ctx: ActionContext, nameOrId: string | undefined): string {
  if (nameOrId === undefined || nameOrId === '') {
    return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/*/*`;
  }
  if (isStackId(nameOrId)) return nameOrId;
  const existing = findStack(cfnState(ctx), nameOrId);
  return (
    existing?.stackId ?? `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${nameOrId}/*`
  );
}

/** A new stack id. */
export function newStackId(ctx: ActionContext, name: string): string {
  return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${name}/${randomUUID()}`;
}

/** A new change set id. */
export function newChangeSetId(ctx: ActionContext, name: string): string {
  return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:changeSet/${name}/${randomUUID()}`;
}

/** A change set by ARN, or by name within a stack; `ChangeSetNotFound` otherwise. */
export function requireChangeSet(
  state: CfnRegionState,
  nameOrId: string,
  stackName: string | undefined,
): ChangeSetRecord {
  if (nameOrId.startsWith('arn:')) {
    const found = state.changeSets[nameOrId];
    if (found) return found;
    throw changeSetNotFound(nameOrId);
  }
  if (stackName === undefined) {
    throw validationError(
      'StackName must be specified if ChangeSetName is not specified as an ARN.',
    );
  }
  const stack = findStack(state, stackName);
  const found = Object.values(state.changeSets).find(
    (changeSet) => changeSet.changeSetName === nameOrId && changeSet.stackId === stack?.stackId,
  );
  if (!found) throw changeSetNotFound(nameOrId);
  return found;
}
