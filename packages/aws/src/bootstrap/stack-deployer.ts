/**
 * Deploys one CloudFormation stack idempotently: waits out an operation in progress, deletes and
 * recreates a stack left in `ROLLBACK_COMPLETE`, creates or updates through a change set ("no
 * changes" is success) and, on failure, names the resource that failed and why.
 */
import { randomUUID } from 'node:crypto';
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory.
import type { CloudFormationClient, Parameter, Stack } from '@aws-sdk/client-cloudformation';
import { RampartError } from '@rampart/core';
import type { BootstrapListener, StackRef, StackResult } from './bootstrap-events.js';
import type { CfnTemplate } from './templates/cfn-template.js';
import type { CfnTag } from './templates/rampart-tags.js';

/** How the deployer waits between polls. */
export interface Poller {
  sleep(ms: number): Promise<void>;
  /** @default 2000 */
  intervalMs?: number;
}

export interface DeployStackInput {
  cfn: CloudFormationClient;
  stack: StackRef;
  template: CfnTemplate;
  tags: readonly CfnTag[];
  /** Parameters; a parameter whose value is `undefined` keeps its previous value. @default none */
  parameters?: Readonly<Record<string, string | undefined>>;
  emit: BootstrapListener;
  poller: Poller;
}

/** A deployed stack: its outputs by key. */
export interface DeployedStack {
  result: StackResult;
  outputs: Record<string, string>;
}

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/** The stack, or `undefined` when it does not exist (or was deleted). */
export async function describeStack(
  cfn: CloudFormationClient,
  name: string,
): Promise<Stack | undefined> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    const stack = out.Stacks?.[0];
    return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}

/** The deployed template of a stack, parsed. */
export async function deployedTemplate(
  cfn: CloudFormationClient,
  name: string,
): Promise<CfnTemplate> {
  const { GetTemplateCommand } = await import('@aws-sdk/client-cloudformation');
  const out = await cfn.send(
    new GetTemplateCommand({ StackName: name, TemplateStage: 'Original' }),
  );
  return JSON.parse(out.TemplateBody ?? '{}') as CfnTemplate;
}

/** Outputs by key. */
export function outputsOf(stack: Stack | undefined): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const o of stack?.Outputs ?? []) {
    if (o.OutputKey !== undefined && o.OutputValue !== undefined)
      outputs[o.OutputKey] = o.OutputValue;
  }
  return outputs;
}

/**
 * Creates or updates the stack and waits for the result.
 *
 * @throws RampartError `STACK_DEPLOY_FAILED` with the failed resource, its status reason and the stack.
 */
export async function deployStack(input: DeployStackInput): Promise<DeployedStack> {
  const { cfn, stack: ref, emit } = input;
  const {
    CreateChangeSetCommand,
    DeleteChangeSetCommand,
    DeleteStackCommand,
    DescribeChangeSetCommand,
    ExecuteChangeSetCommand,
  } = await import('@aws-sdk/client-cloudformation');
  const name = ref.stackName;
  let current = await describeStack(cfn, name);
  if (
    current?.StackStatus?.endsWith('_IN_PROGRESS') === true &&
    current.StackStatus !== 'REVIEW_IN_PROGRESS'
  ) {
    emit({ type: 'stack-waiting', stack: ref, status: current.StackStatus });
    current = await waitStable(input);
  }
  if (current?.StackStatus === 'ROLLBACK_COMPLETE' || current?.StackStatus === 'ROLLBACK_FAILED') {
    // A stack whose creation rolled back can only be deleted; its retained data stays.
    emit({ type: 'stack-deleting', stack: ref, status: current.StackStatus });
    await cfn.send(new DeleteStackCommand({ StackName: current.StackId ?? name }));
    current = await waitStable(input, current.StackId);
    if (current !== undefined)
      throw failure(ref, `could not delete it (${String(current.StackStatus)})`);
  }
  const creating = current === undefined || current.StackStatus === 'REVIEW_IN_PROGRESS';
  const changeSetName = `rampart-${randomUUID()}`;
  const parameters: Parameter[] = Object.entries(input.parameters ?? {}).map(([key, value]) =>
    value === undefined
      ? { ParameterKey: key, UsePreviousValue: true }
      : { ParameterKey: key, ParameterValue: value },
  );
  await cfn.send(
    new CreateChangeSetCommand({
      StackName: name,
      ChangeSetName: changeSetName,
      ChangeSetType: creating ? 'CREATE' : 'UPDATE',
      TemplateBody: JSON.stringify(input.template),
      Parameters: parameters,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Tags: input.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    }),
  );
  for (;;) {
    const cs = await cfn.send(
      new DescribeChangeSetCommand({ StackName: name, ChangeSetName: changeSetName }),
    );
    if (cs.Status === 'CREATE_COMPLETE') break;
    if (cs.Status === 'FAILED') {
      await cfn
        .send(new DeleteChangeSetCommand({ StackName: name, ChangeSetName: changeSetName }))
        .catch(() => undefined);
      if (!creating && NO_CHANGES.test(cs.StatusReason ?? '')) {
        emit({ type: 'stack-done', stack: ref, result: 'no-change' });
        return { result: 'no-change', outputs: outputsOf(current) };
      }
      throw failure(ref, `change set failed: ${cs.StatusReason ?? 'no reason given'}`);
    }
    await input.poller.sleep(input.poller.intervalMs ?? 2000);
  }
  emit({ type: 'stack-deploying', stack: ref, change: creating ? 'create' : 'update' });
  await cfn.send(new ExecuteChangeSetCommand({ StackName: name, ChangeSetName: changeSetName }));
  const done = await waitStable(input);
  const status = done?.StackStatus ?? 'DELETE_COMPLETE';
  if (status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE') {
    const result: StackResult = creating ? 'created' : 'updated';
    emit({ type: 'stack-done', stack: ref, result });
    return { result, outputs: outputsOf(done) };
  }
  throw failure(ref, `${status}: ${await failedResources(cfn, done?.StackId ?? name)}`);
}

/** Polls until the stack is in no `*_IN_PROGRESS` state; `undefined` once it is gone. */
async function waitStable(input: DeployStackInput, id?: string): Promise<Stack | undefined> {
  let last = '';
  for (;;) {
    const stack = await describeStack(input.cfn, id ?? input.stack.stackName);
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (status !== last) {
      input.emit({ type: 'stack-progress', stack: input.stack, status });
      last = status;
    }
    if (stack === undefined || !status.endsWith('_IN_PROGRESS')) return stack;
    await input.poller.sleep(input.poller.intervalMs ?? 2000);
  }
}

/** The resources that failed in the stack's latest operation, with their status reasons. */
async function failedResources(cfn: CloudFormationClient, stackId: string): Promise<string> {
  const { DescribeStackEventsCommand } = await import('@aws-sdk/client-cloudformation');
  const out = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }));
  // Events are newest first; the first failure of the operation is the cause, the rest follow it.
  const failed = (out.StackEvents ?? [])
    .filter(
      (e) =>
        e.ResourceStatus?.endsWith('_FAILED') === true &&
        e.ResourceType !== 'AWS::CloudFormation::Stack' &&
        e.ResourceStatusReason !== undefined &&
        !/cancelled/i.test(e.ResourceStatusReason),
    )
    .reverse();
  if (failed.length === 0) return 'no resource reported a failure';
  return failed
    .map(
      (e) =>
        `${String(e.LogicalResourceId)} (${String(e.ResourceType)}) ${String(e.ResourceStatus)}: ${String(e.ResourceStatusReason)}`,
    )
    .join('; ');
}

function failure(ref: StackRef, detail: string): RampartError {
  return new RampartError(
    'STACK_DEPLOY_FAILED',
    `stack ${ref.stackName} in account ${ref.accountId} (${ref.region}): ${detail}`,
    {
      hint: 'Fix the cause named above and run `rampart bootstrap` again; it resumes where it stopped.',
    },
  );
}
