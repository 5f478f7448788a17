import {
  AlreadyExistsException,
  type Capability,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  InsufficientCapabilitiesException,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
  ValidateTemplateCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, NoSuchEntityException, type IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { cfnClients, describeStack, eventTrail, stackEvents } from './test-support/cfn-sandbox.js';
import { handlesTemplate, roleTemplate, twentyResourceTemplate } from './test-support/templates.js';

const WAIT = { minDelay: 1, maxDelay: 2, maxWaitTime: 5 };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('stack lifecycle (no delays)', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;
  let iam: IAMClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    ({ cfn, iam } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock));
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates, updates and deletes a stack, with events per resource', async () => {
    const body = roleTemplate({ roleName: 'app-role', description: 'v1' });
    const { StackId } = await cfn.send(
      new CreateStackCommand({
        StackName: 'app',
        TemplateBody: body,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    expect(StackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:333333333333:stack\/app\/[0-9a-f-]{36}$/,
    );
    const created = await waitUntilStackCreateComplete(
      { client: cfn, ...WAIT },
      { StackName: 'app' },
    );
    expect(created.state).toBe('SUCCESS');
    const stack = await describeStack(cfn, 'app');
    expect(stack).toMatchObject({
      StackId,
      StackName: 'app',
      StackStatus: 'CREATE_COMPLETE',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Outputs: [{ OutputKey: 'RoleArn', OutputValue: 'arn:aws:iam::333333333333:role/app-role' }],
      EnableTerminationProtection: false,
    });
    expect(await eventTrail(cfn, 'app')).toEqual([
      'app CREATE_IN_PROGRESS',
      'Role CREATE_IN_PROGRESS',
      'Role CREATE_IN_PROGRESS',
      'Role CREATE_COMPLETE',
      'app CREATE_COMPLETE',
    ]);
    const role = await iam.send(new GetRoleCommand({ RoleName: 'app-role' }));
    expect(role.Role?.Description).toBe('v1');
    const { TemplateBody } = await cfn.send(new GetTemplateCommand({ StackName: 'app' }));
    expect(TemplateBody).toBe(body);
    const { StackResources } = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: 'app' }),
    );
    expect(StackResources).toEqual([
      expect.objectContaining({
        LogicalResourceId: 'Role',
        PhysicalResourceId: 'app-role',
        ResourceType: 'AWS::IAM::Role',
        ResourceStatus: 'CREATE_COMPLETE',
      }),
    ]);
    const detail = await cfn.send(
      new DescribeStackResourceCommand({ StackName: 'app', LogicalResourceId: 'Role' }),
    );
    expect(detail.StackResourceDetail?.PhysicalResourceId).toBe('app-role');
    const summaries = await cfn.send(new ListStackResourcesCommand({ StackName: 'app' }));
    expect(summaries.StackResourceSummaries?.map((r) => r.LogicalResourceId)).toEqual(['Role']);

    await cfn.send(
      new UpdateStackCommand({
        StackName: 'app',
        TemplateBody: roleTemplate({ roleName: 'app-role', description: 'v2' }),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    expect(
      (await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: 'app' })).state,
    ).toBe('SUCCESS');
    expect((await iam.send(new GetRoleCommand({ RoleName: 'app-role' }))).Role?.Description).toBe(
      'v2',
    );
    expect((await eventTrail(cfn, 'app')).slice(5)).toEqual([
      'app UPDATE_IN_PROGRESS',
      'Role UPDATE_IN_PROGRESS',
      'Role UPDATE_COMPLETE',
      'app UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'app UPDATE_COMPLETE',
    ]);
    expect((await describeStack(cfn, 'app')).LastUpdatedTime).toBeInstanceOf(Date);

    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    expect(
      (await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: StackId })).state,
    ).toBe('SUCCESS');
    const missing = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toBe('Stack with id app does not exist');
    const deleted = await describeStack(cfn, StackId ?? '');
    expect(deleted.StackStatus).toBe('DELETE_COMPLETE');
    expect(deleted.DeletionTime).toBeInstanceOf(Date);
    expect((await eventTrail(cfn, StackId ?? '')).slice(10)).toEqual([
      'app DELETE_IN_PROGRESS',
      'Role DELETE_IN_PROGRESS',
      'Role DELETE_COMPLETE',
      'app DELETE_COMPLETE',
    ]);
    expect(await rejection(iam.send(new GetRoleCommand({ RoleName: 'app-role' })))).toBeInstanceOf(
      NoSuchEntityException,
    );
    const listed = await cfn.send(
      new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }),
    );
    expect(listed.StackSummaries?.map((s) => s.StackId)).toEqual([StackId]);
    // Deleting a stack that no longer exists succeeds, as in AWS.
    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
  });

  it('answers "No updates are to be performed." and rejects duplicates', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'same', TemplateBody: handlesTemplate(2) }));
    const none = await rejection(
      cfn.send(new UpdateStackCommand({ StackName: 'same', TemplateBody: handlesTemplate(2) })),
    );
    expect(none.name).toBe('ValidationError');
    expect(none.message).toBe('No updates are to be performed.');
    const again = await rejection(
      cfn.send(new CreateStackCommand({ StackName: 'same', TemplateBody: handlesTemplate(1) })),
    );
    expect(again).toBeInstanceOf(AlreadyExistsException);
    expect(again.message).toBe('Stack [same] already exists');
    const unknown = await rejection(
      cfn.send(new UpdateStackCommand({ StackName: 'ghost', TemplateBody: handlesTemplate(1) })),
    );
    expect(unknown.message).toBe('Stack [ghost] does not exist');
  });

  it('treats a retried ClientRequestToken as the same request', async () => {
    const create = new CreateStackCommand({
      StackName: 'token',
      TemplateBody: handlesTemplate(1),
      ClientRequestToken: 'create-1',
    });
    const first = await cfn.send(create);
    const retry = await cfn.send(create);
    expect(retry.StackId).toBe(first.StackId);
    const events = await stackEvents(cfn, 'token');
    expect(events.every((event) => event.ClientRequestToken === 'create-1')).toBe(true);
    const update = new UpdateStackCommand({
      StackName: 'token',
      TemplateBody: handlesTemplate(2),
      ClientRequestToken: 'update-1',
    });
    await cfn.send(update);
    expect((await cfn.send(update)).StackId).toBe(first.StackId);
    expect(
      (await stackEvents(cfn, 'token')).filter((e) => e.ResourceStatus === 'UPDATE_IN_PROGRESS'),
    ).toHaveLength(1);
  });

  it('enforces capabilities and validates templates', async () => {
    const anonymous = await rejection(
      cfn.send(new CreateStackCommand({ StackName: 'caps', TemplateBody: roleTemplate() })),
    );
    expect(anonymous).toBeInstanceOf(InsufficientCapabilitiesException);
    expect(anonymous.message).toBe('Requires capabilities : [CAPABILITY_IAM]');
    const named = await rejection(
      cfn.send(
        new CreateStackCommand({
          StackName: 'caps',
          TemplateBody: roleTemplate({ roleName: 'named' }),
          Capabilities: ['CAPABILITY_IAM'],
        }),
      ),
    );
    expect(named).toBeInstanceOf(InsufficientCapabilitiesException);
    expect(named.message).toBe('Requires capabilities : [CAPABILITY_NAMED_IAM]');
    const bogus = await rejection(
      cfn.send(
        new CreateStackCommand({
          StackName: 'caps',
          TemplateBody: roleTemplate(),
          Capabilities: ['CAPABILITY_ALL' as Capability],
        }),
      ),
    );
    expect(bogus.name).toBe('ValidationError');
    const validated = await cfn.send(
      new ValidateTemplateCommand({
        TemplateBody: `Description: demo
Parameters:
  Env: {Type: String, Default: dev, Description: which}
  Secret: {Type: String, NoEcho: true}
Resources:
  R:
    Type: AWS::IAM::Role
    Properties: {RoleName: x, AssumeRolePolicyDocument: {}}`,
      }),
    );
    expect(validated).toMatchObject({
      Description: 'demo',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CapabilitiesReason: 'The following resource(s) require capabilities: [AWS::IAM::Role]',
      Parameters: [
        { ParameterKey: 'Env', DefaultValue: 'dev', NoEcho: false, Description: 'which' },
        { ParameterKey: 'Secret', NoEcho: true },
      ],
    });
    const malformed = await rejection(
      cfn.send(new ValidateTemplateCommand({ TemplateBody: '{"Resources": ' })),
    );
    expect(malformed.name).toBe('ValidationError');
    expect(malformed.message).toMatch(/^Template format error: JSON not well-formed\./);
    const missing = await rejection(cfn.send(new CreateStackCommand({ StackName: 'none' })));
    expect(missing.message).toBe('Either Template URL or Template Body must be specified.');
  });

  it('resolves parameters and conditions, masks NoEcho values and reuses previous values', async () => {
    const template = `
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
  Token: {Type: String, NoEcho: true}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Always: {Type: AWS::CloudFormation::WaitConditionHandle}
  ProdOnly:
    Type: AWS::CloudFormation::WaitConditionHandle
    Condition: IsProd
Outputs:
  Env: {Value: !If [IsProd, production, development]}
  Prod:
    Condition: IsProd
    Value: !Ref ProdOnly
`;
    await cfn.send(
      new CreateStackCommand({
        StackName: 'params',
        TemplateBody: template,
        Parameters: [
          { ParameterKey: 'Env', ParameterValue: 'dev' },
          { ParameterKey: 'Token', ParameterValue: 's3cret' },
        ],
      }),
    );
    let stack = await describeStack(cfn, 'params');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.Parameters).toEqual([
      { ParameterKey: 'Env', ParameterValue: 'dev' },
      { ParameterKey: 'Token', ParameterValue: '****' },
    ]);
    expect(stack.Outputs).toEqual([{ OutputKey: 'Env', OutputValue: 'development' }]);
    const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'params' }));
    expect(resources.StackResources?.map((r) => r.LogicalResourceId)).toEqual(['Always']);
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'params',
        UsePreviousTemplate: true,
        Parameters: [
          { ParameterKey: 'Env', ParameterValue: 'prod' },
          { ParameterKey: 'Token', UsePreviousValue: true },
        ],
      }),
    );
    stack = await describeStack(cfn, 'params');
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    expect(stack.Outputs?.map((o) => [o.OutputKey, o.OutputValue?.slice(0, 10)])).toEqual([
      ['Env', 'production'],
      ['Prod', 'https://cl'],
    ]);
    const bad = await rejection(
      cfn.send(
        new UpdateStackCommand({
          StackName: 'params',
          UsePreviousTemplate: true,
          Parameters: [
            { ParameterKey: 'Env', ParameterValue: 'qa' },
            { ParameterKey: 'Token', UsePreviousValue: true },
          ],
        }),
      ),
    );
    expect(bad.message).toBe("Parameter 'Env' must be one of AllowedValues");
    const missing = await rejection(
      cfn.send(new CreateStackCommand({ StackName: 'params2', TemplateBody: template })),
    );
    expect(missing.message).toBe('Parameters: [Env, Token] must have values');
  });

  it('rejects circular templates and fails unsupported resource types with a clear reason', async () => {
    const cycle = await rejection(
      cfn.send(
        new CreateStackCommand({
          StackName: 'cycle',
          TemplateBody: JSON.stringify({
            Resources: {
              A: { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: 'B' },
              B: { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: 'A' },
            },
          }),
        }),
      ),
    );
    expect(cycle.message).toBe('Circular dependency between resources: [A, B]');
    await cfn.send(
      new CreateStackCommand({
        StackName: 'foo',
        TemplateBody:
          'Resources:\n  Ok: {Type: AWS::CloudFormation::WaitConditionHandle}\n  Foo: {Type: AWS::Foo::Bar, DependsOn: Ok}',
      }),
    );
    const stack = await describeStack(cfn, 'foo');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(stack.StackStatusReason).toBe('The following resource(s) failed to create: [Foo].');
    const failed = (await stackEvents(cfn, 'foo')).find(
      (e) => e.ResourceStatus === 'CREATE_FAILED',
    );
    expect(failed?.ResourceStatusReason).toBe(
      'Unsupported resource type AWS::Foo::Bar in the sandbox; see docs/cloudformation.md',
    );
    expect(await eventTrail(cfn, 'foo')).toEqual([
      'foo CREATE_IN_PROGRESS',
      'Ok CREATE_IN_PROGRESS',
      'Ok CREATE_IN_PROGRESS',
      'Ok CREATE_COMPLETE',
      'Foo CREATE_IN_PROGRESS',
      'Foo CREATE_FAILED',
      'foo ROLLBACK_IN_PROGRESS',
      'Foo DELETE_COMPLETE',
      'Ok DELETE_IN_PROGRESS',
      'Ok DELETE_COMPLETE',
      'foo ROLLBACK_COMPLETE',
    ]);
    // A stack in ROLLBACK_COMPLETE can only be deleted.
    const update = await rejection(
      cfn.send(new UpdateStackCommand({ StackName: 'foo', TemplateBody: handlesTemplate(1) })),
    );
    expect(update.message).toBe(
      `Stack:${stack.StackId ?? ''} is in ROLLBACK_COMPLETE state and can not be updated.`,
    );
    await cfn.send(new DeleteStackCommand({ StackName: 'foo' }));
    expect((await describeStack(cfn, stack.StackId ?? '')).StackStatus).toBe('DELETE_COMPLETE');
  });

  it('honours OnFailure DO_NOTHING and DELETE', async () => {
    const failing = 'Resources:\n  Foo: {Type: AWS::Foo::Bar}';
    await cfn.send(
      new CreateStackCommand({ StackName: 'keep', TemplateBody: failing, OnFailure: 'DO_NOTHING' }),
    );
    expect((await describeStack(cfn, 'keep')).StackStatus).toBe('CREATE_FAILED');
    const { StackId } = await cfn.send(
      new CreateStackCommand({ StackName: 'drop', TemplateBody: failing, OnFailure: 'DELETE' }),
    );
    expect((await describeStack(cfn, StackId ?? '')).StackStatus).toBe('DELETE_COMPLETE');
    const both = await rejection(
      cfn.send(
        new CreateStackCommand({
          StackName: 'x',
          TemplateBody: failing,
          OnFailure: 'DELETE',
          DisableRollback: true,
        }),
      ),
    );
    expect(both.message).toBe('You cannot specify both DisableRollback and OnFailure.');
  });

  it('protects stacks from deletion when asked', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'guarded',
        TemplateBody: handlesTemplate(1),
        EnableTerminationProtection: true,
      }),
    );
    const refused = await rejection(cfn.send(new DeleteStackCommand({ StackName: 'guarded' })));
    expect(refused.message).toBe(
      'Stack [guarded] cannot be deleted while TerminationProtection is enabled',
    );
    await cfn.send(
      new UpdateTerminationProtectionCommand({
        StackName: 'guarded',
        EnableTerminationProtection: false,
      }),
    );
    await cfn.send(new DeleteStackCommand({ StackName: 'guarded' }));
    const gone = await rejection(describeStack(cfn, 'guarded'));
    expect(gone.message).toBe('Stack with id guarded does not exist');
  });

  it('pages stack events newest first', async () => {
    await cfn.send(
      new CreateStackCommand({ StackName: 'many', TemplateBody: handlesTemplate(40) }),
    );
    const events = await stackEvents(cfn, 'many');
    expect(events).toHaveLength(2 + 40 * 3);
    expect(events[0]?.ResourceStatus).toBe('CREATE_IN_PROGRESS');
    expect(events.at(-1)?.ResourceStatus).toBe('CREATE_COMPLETE');
    expect(events.at(-1)?.LogicalResourceId).toBe('many');
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
  });

  it('reads TemplateURL from the emulated S3 with the caller permissions', async () => {
    const { s3 } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock);
    await s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    await s3.send(
      new PutObjectCommand({ Bucket: 'templates', Key: 'app/v1.json', Body: handlesTemplate(2) }),
    );
    await cfn.send(
      new CreateStackCommand({
        StackName: 'from-url',
        TemplateURL: 'https://templates.s3.us-east-1.amazonaws.com/app/v1.json',
      }),
    );
    expect((await describeStack(cfn, 'from-url')).StackStatus).toBe('CREATE_COMPLETE');
    const { TemplateBody } = await cfn.send(new GetTemplateCommand({ StackName: 'from-url' }));
    expect(TemplateBody).toBe(handlesTemplate(2));
    const validated = await cfn.send(
      new ValidateTemplateCommand({ TemplateURL: `${sandbox.endpoint}/templates/app/v1.json` }),
    );
    expect(validated.Parameters).toEqual([]);
    const missing = await rejection(
      cfn.send(
        new CreateStackCommand({
          StackName: 'x',
          TemplateURL: 'https://s3.amazonaws.com/templates/nope.json',
        }),
      ),
    );
    expect(missing.message).toBe(
      'TemplateURL must reference a valid S3 object to which you have access.',
    );
    const unsupported = await rejection(
      cfn.send(new CreateStackCommand({ StackName: 'x', TemplateURL: 'ftp://example.com' })),
    );
    expect(unsupported.message).toBe('TemplateURL must be a supported URL.');
  });

  it('creates a 20-resource template', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'twenty',
        TemplateBody: twentyResourceTemplate(),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const stack = await describeStack(cfn, 'twenty');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const { StackResources = [] } = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: 'twenty' }),
    );
    expect(StackResources).toHaveLength(20);
    expect(StackResources.every((r) => r.ResourceStatus === 'CREATE_COMPLETE')).toBe(true);
    const roleName =
      StackResources.find((r) => r.LogicalResourceId === 'Role0')?.PhysicalResourceId ?? '';
    expect(roleName).toMatch(/^twenty-Role0-[A-Z0-9]{12}$/);
    expect(stack.Outputs?.[0]?.OutputValue).toBe(`arn:aws:iam::333333333333:role/${roleName}`);
  });
});
