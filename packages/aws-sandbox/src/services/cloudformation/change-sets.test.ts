import {
  ChangeSetNotFoundException,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  InsufficientCapabilitiesException,
  InvalidChangeSetStatusException,
  ListChangeSetsCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  type Change,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { cfnClients, describeStack } from './test-support/cfn-sandbox.js';

const WAIT = { minDelay: 1, maxDelay: 2, maxWaitTime: 5 };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const TRUST = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

/** Version 1: Named (fixed name), Derived (name from Named), Described, Gone. */
const V1 = `
Parameters:
  Suffix: {Type: String, Default: one}
Resources:
  Named:
    Type: AWS::IAM::Role
    Properties:
      RoleName: named-role
      AssumeRolePolicyDocument: ${JSON.stringify(TRUST)}
  Derived:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub '\${Named}-derived'
      AssumeRolePolicyDocument: ${JSON.stringify(TRUST)}
  Described:
    Type: AWS::IAM::Role
    Properties:
      Description: !Sub 'suffix \${Suffix}'
      AssumeRolePolicyDocument: ${JSON.stringify(TRUST)}
  Gone: {Type: AWS::CloudFormation::WaitConditionHandle}
`;

/** Version 2: Named renamed (replacement), Derived follows (conditional), Gone removed, New added. */
const V2 = V1.replace('RoleName: named-role', 'RoleName: renamed-role').replace(
  '  Gone: {Type: AWS::CloudFormation::WaitConditionHandle}',
  '  New: {Type: AWS::CloudFormation::WaitConditionHandle}',
);

function byLogicalId(changes: Change[] | undefined): Record<string, Change['ResourceChange']> {
  return Object.fromEntries(
    (changes ?? []).map((change) => [
      change.ResourceChange?.LogicalResourceId ?? '',
      change.ResourceChange,
    ]),
  );
}

describe('change sets', () => {
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

  const createV1 = async (): Promise<string> => {
    const { Id } = await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'app',
        ChangeSetName: 'initial',
        ChangeSetType: 'CREATE',
        TemplateBody: V1,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Description: 'first version',
      }),
    );
    return Id ?? '';
  };

  it('creates a stack through a CREATE change set', async () => {
    const id = await createV1();
    expect(id).toMatch(
      /^arn:aws:cloudformation:us-east-1:333333333333:changeSet\/initial\/[0-9a-f-]{36}$/,
    );
    const review = await describeStack(cfn, 'app');
    expect(review.StackStatus).toBe('REVIEW_IN_PROGRESS');
    const ready = await waitUntilChangeSetCreateComplete(
      { client: cfn, ...WAIT },
      { ChangeSetName: id },
    );
    expect(ready.state).toBe('SUCCESS');
    const described = await cfn.send(
      new DescribeChangeSetCommand({ ChangeSetName: 'initial', StackName: 'app' }),
    );
    expect(described).toMatchObject({
      ChangeSetId: id,
      StackName: 'app',
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
      Description: 'first version',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: [{ ParameterKey: 'Suffix', ParameterValue: 'one' }],
    });
    expect(
      described.Changes?.map((c) => [
        c.Type,
        c.ResourceChange?.Action,
        c.ResourceChange?.LogicalResourceId,
      ]),
    ).toEqual([
      ['Resource', 'Add', 'Named'],
      ['Resource', 'Add', 'Derived'],
      ['Resource', 'Add', 'Described'],
      ['Resource', 'Add', 'Gone'],
    ]);
    const { TemplateBody } = await cfn.send(
      new GetTemplateCommand({ StackName: 'app', ChangeSetName: 'initial' }),
    );
    expect(TemplateBody).toBe(V1);
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: id }));
    expect(
      (await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: 'app' })).state,
    ).toBe('SUCCESS');
    const stack = await describeStack(cfn, 'app');
    expect(stack.ChangeSetId).toBe(id);
    expect(
      (await iam.send(new GetRoleCommand({ RoleName: 'named-role-derived' }))).Role,
    ).toBeDefined();
    const executed = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: id }));
    expect(executed.ExecutionStatus).toBe('EXECUTE_COMPLETE');
    const again = await rejection(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: id })));
    expect(again).toBeInstanceOf(InvalidChangeSetStatusException);
  });

  it('describes an UPDATE: Add, Modify (replacement True, False, Conditional) and Remove', async () => {
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: await createV1() }));
    const { Id } = await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'app',
        ChangeSetName: 'rename',
        TemplateBody: V2,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [{ ParameterKey: 'Suffix', ParameterValue: 'two' }],
      }),
    );
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(described.Status).toBe('CREATE_COMPLETE');
    const changes = byLogicalId(described.Changes);
    expect(Object.keys(changes).sort()).toEqual(['Derived', 'Described', 'Gone', 'Named', 'New']);
    expect(changes['Named']).toMatchObject({
      Action: 'Modify',
      PhysicalResourceId: 'named-role',
      ResourceType: 'AWS::IAM::Role',
      Replacement: 'True',
      Scope: ['Properties'],
      Details: [
        {
          Target: { Attribute: 'Properties', Name: 'RoleName', RequiresRecreation: 'Always' },
          Evaluation: 'Static',
          ChangeSource: 'DirectModification',
        },
      ],
    });
    expect(changes['Derived']).toMatchObject({
      Action: 'Modify',
      Replacement: 'Conditional',
      Details: [
        {
          Target: { Attribute: 'Properties', Name: 'RoleName', RequiresRecreation: 'Always' },
          Evaluation: 'Dynamic',
          ChangeSource: 'ResourceReference',
          CausingEntity: 'Named',
        },
      ],
    });
    expect(changes['Described']).toMatchObject({
      Action: 'Modify',
      Replacement: 'False',
      Details: [
        {
          Target: { Attribute: 'Properties', Name: 'Description', RequiresRecreation: 'Never' },
          Evaluation: 'Static',
          ChangeSource: 'ParameterReference',
          CausingEntity: 'Suffix',
        },
      ],
    });
    expect(changes['Gone']).toMatchObject({
      Action: 'Remove',
      ResourceType: 'AWS::CloudFormation::WaitConditionHandle',
    });
    expect(changes['New']).toMatchObject({ Action: 'Add' });

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'rename', StackName: 'app' }));
    const stack = await describeStack(cfn, 'app');
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    expect(
      (await iam.send(new GetRoleCommand({ RoleName: 'renamed-role-derived' }))).Role,
    ).toBeDefined();
  });

  it('fails change sets without changes, with AWS words, and cannot execute them', async () => {
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: await createV1() }));
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'app',
        ChangeSetName: 'nothing',
        UsePreviousTemplate: true,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [{ ParameterKey: 'Suffix', UsePreviousValue: true }],
      }),
    );
    const described = await cfn.send(
      new DescribeChangeSetCommand({ ChangeSetName: 'nothing', StackName: 'app' }),
    );
    expect(described).toMatchObject({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    expect(described.Changes ?? []).toEqual([]);
    const waited = await rejection(
      waitUntilChangeSetCreateComplete(
        { client: cfn, ...WAIT },
        { ChangeSetName: 'nothing', StackName: 'app' },
      ),
    );
    expect(waited.message).toMatch(/FAILURE/);
    const executed = await rejection(
      cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'nothing', StackName: 'app' })),
    );
    expect(executed).toBeInstanceOf(InvalidChangeSetStatusException);
  });

  it('lists, deletes and rejects change sets as AWS does', async () => {
    await createV1();
    const duplicate = await rejection(createV1());
    expect(duplicate.name).toBe('AlreadyExistsException');
    const listed = await cfn.send(new ListChangeSetsCommand({ StackName: 'app' }));
    expect(listed.Summaries?.map((s) => [s.ChangeSetName, s.Status, s.ExecutionStatus])).toEqual([
      ['initial', 'CREATE_COMPLETE', 'AVAILABLE'],
    ]);
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'initial', StackName: 'app' }));
    const missing = await rejection(
      cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'initial', StackName: 'app' })),
    );
    expect(missing).toBeInstanceOf(ChangeSetNotFoundException);
    expect(missing.message).toBe('ChangeSet [initial] does not exist');
    // The stack created for review stays in REVIEW_IN_PROGRESS.
    expect((await describeStack(cfn, 'app')).StackStatus).toBe('REVIEW_IN_PROGRESS');
    const caps = await rejection(
      cfn.send(
        new CreateChangeSetCommand({
          StackName: 'app',
          ChangeSetName: 'nocaps',
          ChangeSetType: 'CREATE',
          TemplateBody: V1,
        }),
      ),
    );
    expect(caps).toBeInstanceOf(InsufficientCapabilitiesException);
    const update = await rejection(
      cfn.send(
        new CreateChangeSetCommand({ StackName: 'ghost', ChangeSetName: 'u', TemplateBody: V1 }),
      ),
    );
    expect(update.message).toBe('Stack [ghost] does not exist');
  });

  it('drops the other change sets of a stack when one is executed', async () => {
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: await createV1() }));
    for (const name of ['a', 'b']) {
      await cfn.send(
        new CreateChangeSetCommand({
          StackName: 'app',
          ChangeSetName: name,
          TemplateBody: V2,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      );
    }
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'a', StackName: 'app' }));
    const listed = await cfn.send(new ListChangeSetsCommand({ StackName: 'app' }));
    expect(listed.Summaries?.map((s) => [s.ChangeSetName, s.ExecutionStatus])).toEqual([
      ['a', 'EXECUTE_COMPLETE'],
    ]);
  });
});
