// Creates or updates a stack through a change set and follows it to the end, streaming the stack's
// events. Journaled per attempt: the change set has a name derived from the journal key, so a
// re-run after a crash finds it (created, executed or running) instead of creating a second one.
import { createHash } from 'node:crypto';
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type {
  Capability,
  Change,
  CloudFormationClient,
  DescribeChangeSetCommandOutput,
  Stack,
} from '@aws-sdk/client-cloudformation';
import type { EffectJournal, StepRunContext } from '@rampart/engine';
import { pollUntil, type StepPolling } from '../aws-step/poll.js';
import { isAwsError } from '../aws-step/step-failure.js';
import { StackEvents, eventLine } from './stack-events.js';

/** A stack deployment that failed; `message` names the first failed resource and its reason. */
export class StackDeployFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackDeployFailed';
  }
}

/** What to deploy. */
export interface StackDeployment {
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  capabilities: readonly string[];
  tags: Record<string, string>;
}

/** How it ran. */
export interface StackDeployIo {
  cfn: CloudFormationClient;
  ctx: Pick<StepRunContext, 'journalKey' | 'now' | 'signal' | 'log'>;
  journal: EffectJournal;
  poller?: StepPolling;
  /** Names the change set apart from an execute's (`rb` for a rollback). @default '' */
  purpose?: string;
}

/** The stack after the deployment. */
export interface StackDeployResult {
  stackId: string;
  outputs: Record<string, string>;
  /** False when the change set had nothing to change. */
  changed: boolean;
}

/** How long the step waits for a stack operation; CloudFormation's own limits are longer. */
export const STACK_TIMEOUT_MS = 3 * 60 * 60_000;

const SETTLED_OK = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/** Deploys `spec` and waits until the stack settles. Throws {@link StackDeployFailed} on failure. */
export async function deployStack(
  spec: StackDeployment,
  io: StackDeployIo,
): Promise<StackDeployResult> {
  const { ExecuteChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
  const { cfn, ctx } = io;
  const name = changeSetName(ctx.journalKey, io.purpose ?? '');
  const journal = await io.journal.get();
  let stack = await describeStack(cfn, spec.stackName);
  if (journal['executed'] !== true) {
    if (stack !== undefined && isInProgress(stack) && stack.StackStatus !== 'REVIEW_IN_PROGRESS') {
      ctx.log(
        `cloudformation: ${spec.stackName} is ${stack.StackStatus ?? '?'}; waiting for it to finish first`,
        'info',
      );
      stack = await settledStack(io, spec.stackName, undefined, false);
    }
    refuseUnusable(stack, spec.stackName);
    const changeSet = await preparedChangeSet(spec, io, name, stack);
    if (changeSet === 'no-changes') {
      const current = await describeStack(cfn, spec.stackName);
      ctx.log(`cloudformation: ${spec.stackName} is up to date: nothing to change`, 'info');
      return { stackId: current?.StackId ?? '', outputs: stackOutputs(current), changed: false };
    }
    if (changeSet === 'executed') {
      await io.journal.put('executed', true);
    } else {
      const stackId = changeSet.StackId ?? spec.stackName;
      await io.journal.put('eventMarker', (await StackEvents.newestId(cfn, stackId)) ?? '');
      await cfn.send(
        new ExecuteChangeSetCommand({
          StackName: stackId,
          ChangeSetName: name,
          ClientRequestToken: name,
        }),
      );
      await io.journal.put('executed', true);
      ctx.log(`cloudformation: executing change set ${name}`, 'info');
    }
  } else {
    ctx.log(`cloudformation: resuming: change set ${name} was already executed`, 'info');
  }
  const marker = (await io.journal.get())['eventMarker'];
  const done = await settledStack(
    io,
    spec.stackName,
    typeof marker === 'string' && marker !== '' ? marker : undefined,
    true,
  );
  return { stackId: done.StackId ?? '', outputs: stackOutputs(done), changed: true };
}

/** The change set of this attempt, ready to execute; or what became of it. */
async function preparedChangeSet(
  spec: StackDeployment,
  io: StackDeployIo,
  name: string,
  stack: Stack | undefined,
): Promise<DescribeChangeSetCommandOutput | 'no-changes' | 'executed'> {
  const { CreateChangeSetCommand, DeleteChangeSetCommand } =
    await import('@aws-sdk/client-cloudformation');
  const { cfn, ctx } = io;
  let found = stack === undefined ? undefined : await describeChangeSet(cfn, spec.stackName, name);
  if (
    found !== undefined &&
    found.ExecutionStatus !== undefined &&
    found.ExecutionStatus !== 'AVAILABLE' &&
    found.ExecutionStatus !== 'UNAVAILABLE'
  ) {
    // EXECUTE_IN_PROGRESS / _COMPLETE / _FAILED: a crash came between the execute and its journal.
    return 'executed';
  }
  if (found === undefined) {
    const create = stack === undefined || stack.StackStatus === 'REVIEW_IN_PROGRESS';
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: spec.stackName,
        ChangeSetName: name,
        ChangeSetType: create ? 'CREATE' : 'UPDATE',
        TemplateBody: spec.templateBody,
        Parameters: Object.entries(spec.parameters).map(([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        })),
        Capabilities: spec.capabilities as Capability[],
        Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
        ClientToken: name,
        Description: 'Rampart CLOUDFORMATION:DEPLOY',
      }),
    );
    ctx.log(
      `cloudformation: created change set ${name} (${create ? 'CREATE' : 'UPDATE'}) for ${spec.stackName}`,
      'info',
    );
  }
  found = await pollUntil(
    ctx,
    io.poller,
    async () => {
      const cs = await describeChangeSet(cfn, spec.stackName, name);
      if (cs === undefined)
        throw new StackDeployFailed(`change set ${name} of ${spec.stackName} disappeared`);
      return cs.Status === 'CREATE_PENDING' || cs.Status === 'CREATE_IN_PROGRESS' ? undefined : cs;
    },
    STACK_TIMEOUT_MS,
  );
  if (found.Status === 'FAILED') {
    if (NO_CHANGES.test(found.StatusReason ?? '')) {
      await cfn.send(
        new DeleteChangeSetCommand({ StackName: spec.stackName, ChangeSetName: name }),
      );
      return 'no-changes';
    }
    throw new StackDeployFailed(
      `the change set for ${spec.stackName} failed: ${found.StatusReason ?? 'no reason given'}`,
    );
  }
  for (const change of found.Changes ?? [])
    ctx.log(`cloudformation: ${changeLine(change)}`, 'info');
  return found;
}

/**
 * Polls the stack until no operation runs, logging its events from `marker` on. The attempt's
 * `own` operation fails unless it ended well; someone else's is only waited for.
 */
async function settledStack(
  io: StackDeployIo,
  stackName: string,
  marker: string | undefined,
  own: boolean,
): Promise<Stack> {
  const { cfn, ctx } = io;
  const first = await describeStack(cfn, stackName);
  const events = new StackEvents(cfn, first?.StackId ?? stackName, marker);
  const stack = await pollUntil(
    ctx,
    io.poller,
    async () => {
      const now = await describeStack(cfn, stackName, first?.StackId);
      for (const event of await events.next()) ctx.log(eventLine(event), 'stdout');
      if (now === undefined) throw new StackDeployFailed(`stack ${stackName} no longer exists`);
      return isInProgress(now) ? undefined : now;
    },
    STACK_TIMEOUT_MS,
  );
  const status = stack.StackStatus ?? '?';
  if (!own) return stack;
  if (!SETTLED_OK.has(status)) {
    const failure = events.firstFailure;
    const why =
      failure === undefined
        ? (stack.StackStatusReason ?? 'no resource reported a reason')
        : `${failure.LogicalResourceId ?? '?'} (${failure.ResourceType ?? '?'}) ${failure.ResourceStatus ?? '?'}: ${failure.ResourceStatusReason ?? 'no reason given'}`;
    throw new StackDeployFailed(`stack ${stackName} ended ${status}: ${why}`);
  }
  return stack;
}

/** A stack no change set can update (a failed first creation) is refused with how to fix it. */
function refuseUnusable(stack: Stack | undefined, name: string): void {
  const status = stack?.StackStatus;
  if (
    status === 'ROLLBACK_COMPLETE' ||
    status === 'ROLLBACK_FAILED' ||
    status === 'DELETE_FAILED'
  ) {
    throw new StackDeployFailed(
      `stack ${name} is ${status} (its creation failed${stack?.StackStatusReason === undefined ? '' : `: ${stack.StackStatusReason}`}) and cannot be updated: delete it (aws cloudformation delete-stack --stack-name ${name}) and deploy again`,
    );
  }
}

async function describeStack(
  cfn: CloudFormationClient,
  name: string,
  id?: string,
): Promise<Stack | undefined> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: id ?? name }));
    return out.Stacks?.[0];
  } catch (error) {
    if (isAwsError(error, 'ValidationError') && /does not exist/.test((error as Error).message)) {
      return undefined;
    }
    throw error;
  }
}

async function describeChangeSet(
  cfn: CloudFormationClient,
  stackName: string,
  name: string,
): Promise<DescribeChangeSetCommandOutput | undefined> {
  const { DescribeChangeSetCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    return await cfn.send(
      new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: name }),
    );
  } catch (error) {
    if (isAwsError(error, 'ChangeSetNotFoundException', 'ChangeSetNotFound')) return undefined;
    if (isAwsError(error, 'ValidationError') && /does not exist/.test((error as Error).message)) {
      return undefined;
    }
    throw error;
  }
}

function isInProgress(stack: Stack): boolean {
  return (stack.StackStatus ?? '').endsWith('_IN_PROGRESS');
}

function stackOutputs(stack: Stack | undefined): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const o of stack?.Outputs ?? []) {
    if (o.OutputKey !== undefined) outputs[o.OutputKey] = o.OutputValue ?? '';
  }
  return outputs;
}

/** `Add Bucket (AWS::S3::Bucket)`, `Modify Fn (AWS::Lambda::Function), replacement True`. */
function changeLine(change: Change): string {
  const r = change.ResourceChange;
  const replacement =
    r?.Action === 'Modify' && r.Replacement !== undefined ? `, replacement ${r.Replacement}` : '';
  return `${r?.Action ?? '?'} ${r?.LogicalResourceId ?? '?'} (${r?.ResourceType ?? '?'})${replacement}`;
}

/** A change set name from the attempt's journal key: `[A-Za-z][-A-Za-z0-9]*`, at most 128. */
export function changeSetName(journalKey: string, purpose: string): string {
  const hash = createHash('sha256').update(journalKey).digest('hex').slice(0, 32);
  return `rampart-${purpose === '' ? '' : `${purpose}-`}${hash}`;
}
