// CloudFormation's plain-data state per account and region: stacks (deleted ones too) and change sets.
import type { ActionContext } from '../../framework/service.js';
import type { Template } from './template/template-types.js';

/** A stack status, as CloudFormation reports it. */
export type StackStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_FAILED'
  | 'CREATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_FAILED'
  | 'ROLLBACK_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_FAILED'
  | 'DELETE_COMPLETE'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_FAILED'
  | 'UPDATE_ROLLBACK_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'REVIEW_IN_PROGRESS';

/** A resource status, as CloudFormation reports it. */
export type ResourceStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_FAILED'
  | 'CREATE_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_FAILED'
  | 'DELETE_COMPLETE'
  | 'DELETE_SKIPPED'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_FAILED'
  | 'UPDATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_COMPLETE';

/** A `{ Key, Value }` tag. */
export interface CfnTag {
  Key: string;
  Value: string;
}

/** One parameter of a stack, as given (NoEcho values are masked only when rendered). */
export interface StackParameter {
  key: string;
  value: string;
  noEcho: boolean;
}

/** One resolved output. */
export interface StackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

/** A resource of a stack: what was asked for and what exists. */
export interface StackResource {
  logicalId: string;
  type: string;
  /** Absent until the resource exists. */
  physicalId?: string;
  /** What `Ref` returns. @default physicalId */
  ref?: string;
  /** `Fn::GetAtt` values. */
  attributes: Record<string, string>;
  /** The resolved properties the resource was created or last updated with. */
  properties: Record<string, unknown>;
  status: ResourceStatus;
  statusReason?: string;
  lastUpdated: string;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
}

/** One stack event (stored oldest first; described newest first). */
export interface StackEvent {
  eventId: string;
  logicalId: string;
  physicalId: string;
  resourceType: string;
  timestamp: string;
  status: string;
  statusReason?: string;
  resourceProperties?: string;
  clientRequestToken?: string;
}

/** What a stack looked like before an update, to roll back to. */
export interface StackRevision {
  templateBody: string;
  template: Template;
  parameters: StackParameter[];
  outputs: StackOutput[];
  tags: CfnTag[];
  description?: string;
  imports: string[];
  resources: Record<string, StackResource>;
}

/** A stack, live or deleted. */
export interface StackRecord {
  stackId: string;
  stackName: string;
  status: StackStatus;
  statusReason?: string;
  creationTime: string;
  lastUpdatedTime?: string;
  deletionTime?: string;
  description?: string;
  templateBody: string;
  template: Template;
  parameters: StackParameter[];
  tags: CfnTag[];
  capabilities: string[];
  notificationArns: string[];
  roleArn?: string;
  disableRollback: boolean;
  terminationProtection: boolean;
  timeoutInMinutes?: number;
  resources: Record<string, StackResource>;
  outputs: StackOutput[];
  /** Export names this stack's template imports (they cannot be removed while it lives). */
  imports: string[];
  events: StackEvent[];
  /** The last operation's `ClientRequestToken` and action (idempotent retries). */
  lastToken?: { token: string; action: string };
  /** Identifies the in-memory run of the current operation (orphans are failed after a restore). */
  operationId?: string;
  /** The change set the stack was last created or updated with. */
  changeSetId?: string;
}

/** One resource-level change of a change set. */
export interface ChangeRecord {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  replacement?: 'True' | 'False' | 'Conditional';
  scope: string[];
  details: {
    target: { attribute: string; name?: string; requiresRecreation: string };
    evaluation: 'Static' | 'Dynamic';
    changeSource: string;
    causingEntity?: string;
  }[];
}

/** A change set. */
export interface ChangeSetRecord {
  changeSetId: string;
  changeSetName: string;
  stackId: string;
  stackName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  description?: string;
  creationTime: string;
  status: 'CREATE_COMPLETE' | 'FAILED' | 'DELETE_COMPLETE';
  statusReason?: string;
  executionStatus:
    | 'AVAILABLE'
    | 'UNAVAILABLE'
    | 'EXECUTE_IN_PROGRESS'
    | 'EXECUTE_COMPLETE'
    | 'EXECUTE_FAILED'
    | 'OBSOLETE';
  templateBody: string;
  template: Template;
  parameters: StackParameter[];
  tags: CfnTag[];
  capabilities: string[];
  notificationArns: string[];
  roleArn?: string;
  /** The `ClientToken` it was created with (idempotent retries). */
  clientToken?: string;
  changes: ChangeRecord[];
}

/** CloudFormation's data in one account and region. */
export interface CfnRegionState {
  /** Stacks by stack id, in creation order (deleted stacks stay, as AWS keeps them 90 days). */
  stacks: Record<string, StackRecord>;
  /** Change sets by id. */
  changeSets: Record<string, ChangeSetRecord>;
}

/** The CloudFormation state of the caller's account and region (or another's). */
export function cfnState(
  ctx: ActionContext,
  where?: { accountId?: string; region?: string },
): CfnRegionState {
  return ctx.state<CfnRegionState>(() => ({ stacks: {}, changeSets: {} }), where);
}

/** Statuses after which a stack no longer exists by name. */
export function isDeleted(stack: StackRecord): boolean {
  return stack.status === 'DELETE_COMPLETE';
}

/** Statuses that mean an operation is running. */
export function isInProgress(status: StackStatus): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}
