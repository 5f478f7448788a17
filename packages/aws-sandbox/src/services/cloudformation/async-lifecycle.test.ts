import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { cfnClients, describeStack, stackEvents } from './test-support/cfn-sandbox.js';
import { handlesTemplate } from './test-support/templates.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');

/** A and B are independent; C waits for both. */
const DIAMOND = JSON.stringify({
  Resources: {
    A: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
    B: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
    C: { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: ['A', 'B'] },
  },
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('stack operations on the sandbox clock (1 s per resource)', () => {
  const clock = new ManualClock(T0);
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, delays: { 'cloudformation.resource': 1000 } });
    ({ cfn } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock));
  });
  beforeEach(() => {
    sandbox.control.reset();
    clock.set(T0);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('stays IN_PROGRESS until the clock passes each resource, independent ones together', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'slow', TemplateBody: DIAMOND }));
    expect((await describeStack(cfn, 'slow')).StackStatus).toBe('CREATE_IN_PROGRESS');
    const started = await stackEvents(cfn, 'slow');
    expect(started.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`)).toEqual([
      'slow CREATE_IN_PROGRESS',
      'A CREATE_IN_PROGRESS',
      'A CREATE_IN_PROGRESS',
      'B CREATE_IN_PROGRESS',
      'B CREATE_IN_PROGRESS',
    ]);
    const busy = await rejection(
      cfn.send(new UpdateStackCommand({ StackName: 'slow', TemplateBody: handlesTemplate(1) })),
    );
    expect(busy.name).toBe('ValidationError');
    expect(busy.message).toMatch(
      /^Stack:arn:aws:cloudformation:.* is in CREATE_IN_PROGRESS state and can not be updated\.$/,
    );
    const undeletable = await rejection(cfn.send(new DeleteStackCommand({ StackName: 'slow' })));
    expect(undeletable.message).toBe(
      'Stack [slow] cannot be deleted while in status CREATE_IN_PROGRESS',
    );

    clock.advance(999);
    expect((await stackEvents(cfn, 'slow')).length).toBe(5);
    clock.advance(1);
    const halfway = await stackEvents(cfn, 'slow');
    expect(halfway.slice(5).map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`)).toEqual([
      'A CREATE_COMPLETE',
      'B CREATE_COMPLETE',
      'C CREATE_IN_PROGRESS',
      'C CREATE_IN_PROGRESS',
    ]);
    expect((await describeStack(cfn, 'slow')).StackStatus).toBe('CREATE_IN_PROGRESS');
    clock.advance(1000);
    const done = await describeStack(cfn, 'slow');
    expect(done.StackStatus).toBe('CREATE_COMPLETE');
    const last = (await stackEvents(cfn, 'slow')).at(-1);
    expect(last?.Timestamp?.toISOString()).toBe(new Date(T0 + 2000).toISOString());
  });

  it('catches up in one poll after a long advance, so waiters see the final state', async () => {
    await cfn.send(
      new CreateStackCommand({ StackName: 'chain', TemplateBody: handlesTemplate(5, true) }),
    );
    clock.advance(60_000);
    const result = await waitUntilStackCreateComplete(
      { client: cfn, minDelay: 1, maxDelay: 2, maxWaitTime: 5 },
      { StackName: 'chain' },
    );
    expect(result.state).toBe('SUCCESS');
    const events = await stackEvents(cfn, 'chain');
    expect(events.at(-1)?.Timestamp?.toISOString()).toBe(new Date(T0 + 5000).toISOString());
  });

  it('abandons work on reset and fails operations orphaned by a restore', async () => {
    await cfn.send(
      new CreateStackCommand({ StackName: 'orphan', TemplateBody: handlesTemplate(2, true) }),
    );
    const snapshot = sandbox.control.snapshot();
    clock.advance(10_000);
    expect((await describeStack(cfn, 'orphan')).StackStatus).toBe('CREATE_COMPLETE');
    sandbox.control.restore(snapshot);
    const restored = await describeStack(cfn, 'orphan');
    expect(restored.StackStatus).toBe('CREATE_FAILED');
    expect(restored.StackStatusReason).toBe(
      'The sandbox state was restored while this operation was in progress',
    );
    await cfn.send(new DeleteStackCommand({ StackName: 'orphan' }));
    clock.advance(10_000);
    expect((await describeStack(cfn, restored.StackId ?? '')).StackStatus).toBe('DELETE_COMPLETE');

    await cfn.send(
      new CreateStackCommand({ StackName: 'reset', TemplateBody: handlesTemplate(3, true) }),
    );
    sandbox.control.reset();
    clock.advance(10_000);
    const { Stacks } = await cfn.send(new DescribeStacksCommand({}));
    expect(Stacks ?? []).toEqual([]);
  });
});
