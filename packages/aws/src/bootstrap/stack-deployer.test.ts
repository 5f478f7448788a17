import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { isRampartError } from '@rampart/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../sdk/aws-client-factory.js';
import type { BootstrapEvent, StackRef } from './bootstrap-events.js';
import { deployStack, describeStack, type Poller } from './stack-deployer.js';
import type { CfnTemplate } from './templates/cfn-template.js';

const ACCOUNT = '222222222222';
const stack: StackRef = {
  kind: 'account',
  stackName: 'Rampart-Test',
  accountId: ACCOUNT,
  region: 'us-east-1',
};
const template = (resources: CfnTemplate['Resources']): CfnTemplate => ({
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'deployer test',
  Resources: resources,
  Outputs: { TemplateVersion: { Description: 'version', Value: '1' } },
});
const handle = template({
  Anchor: { Type: 'AWS::CloudFormation::WaitConditionHandle', Properties: {} },
});

describe('deployStack', () => {
  // Every resource takes ten seconds of sandbox time; the poller moves the clock instead of waiting.
  const clock = new ManualClock(new Date());
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  const events: BootstrapEvent[] = [];
  const poller: Poller = {
    sleep: (ms) => {
      clock.advance(ms);
      return Promise.resolve();
    },
    intervalMs: 5_000,
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, delays: { 'cloudformation.resource': 10_000 } });
    sdk = new AwsClientFactory({
      endpointUrl: sandbox.endpoint,
      defaultCredentials: sandbox.credentialsFor(ACCOUNT),
      clock,
    });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.control.reset();
    events.length = 0;
  });
  const cfn = () => sdk.cloudFormation({ region: 'us-east-1' });
  const deploy = (t: CfnTemplate) =>
    deployStack({
      cfn: cfn(),
      stack,
      template: t,
      tags: [{ Key: 'ManagedBy', Value: 'Rampart' }],
      emit: (e) => events.push(e),
      poller,
    });

  it('creates through a change set, reports progress, and finds nothing to do the second time', async () => {
    const created = await deploy(handle);
    expect(created).toEqual({ result: 'created', outputs: { TemplateVersion: '1' } });
    expect(events.map((e) => e.type)).toEqual([
      'stack-deploying',
      'stack-progress',
      'stack-progress',
      'stack-done',
    ]);
    expect(events[2]).toMatchObject({ type: 'stack-progress', status: 'CREATE_COMPLETE' });
    const described = await describeStack(cfn(), stack.stackName);
    expect(described?.Tags).toEqual([{ Key: 'ManagedBy', Value: 'Rampart' }]);
    events.length = 0;
    expect((await deploy(handle)).result).toBe('no-change');
    expect(events).toEqual([{ type: 'stack-done', stack, result: 'no-change' }]);
  });

  it('waits for an operation already in progress before deploying', async () => {
    await cfn().send(
      new CreateStackCommand({
        StackName: stack.stackName,
        TemplateBody: JSON.stringify(handle),
        Tags: [{ Key: 'ManagedBy', Value: 'Rampart' }],
      }),
    );
    expect((await describeStack(cfn(), stack.stackName))?.StackStatus).toBe('CREATE_IN_PROGRESS');
    expect((await deploy(handle)).result).toBe('no-change');
    expect(events[0]).toEqual({ type: 'stack-waiting', stack, status: 'CREATE_IN_PROGRESS' });
  });

  it('names the failed resource and its reason, then deletes the rolled-back stack and recreates it', async () => {
    const bad = template({
      ...handle.Resources,
      Store: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'Not_A_Valid_Bucket' } },
    });
    const error = await deploy(bad).catch((e: unknown) => e);
    expect(isRampartError(error) && error.code).toBe('STACK_DEPLOY_FAILED');
    expect((error as Error).message).toMatch(
      /^stack Rampart-Test in account 222222222222 \(us-east-1\): ROLLBACK_COMPLETE: Store \(AWS::S3::Bucket\) CREATE_FAILED: .+/,
    );
    expect((await describeStack(cfn(), stack.stackName))?.StackStatus).toBe('ROLLBACK_COMPLETE');
    events.length = 0;
    expect((await deploy(handle)).result).toBe('created');
    expect(events[0]).toEqual({ type: 'stack-deleting', stack, status: 'ROLLBACK_COMPLETE' });
  });
});
