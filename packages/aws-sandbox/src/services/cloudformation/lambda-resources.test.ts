import {
  CreateStackCommand,
  DeleteStackCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import {
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { cfnClients, describeStack, stackEvents } from './test-support/cfn-sandbox.js';

const TEMPLATE = `
Parameters:
  Release: {Type: String}
  Stage: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: 'sts:AssumeRole'
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: !Sub |
          exports.handler = async () => ({ release: '\${Release}', stage: process.env.STAGE });
      Environment: {Variables: {STAGE: !Ref Stage}}
      Tags: [{Key: app, Value: demo}]
  Version:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Fn
      Description: !Ref Release
  Alias:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Fn
      Name: live
      FunctionVersion: !GetAtt Version.Version
Outputs:
  FunctionName: {Value: !Ref Fn}
  FunctionArn: {Value: !GetAtt Fn.Arn}
  VersionArn: {Value: !Ref Version}
  VersionNumber: {Value: !GetAtt Version.Version}
  AliasArn: {Value: !Ref Alias}
`;

const parameters = (release: string, stage: string) => [
  { ParameterKey: 'Release', ParameterValue: release },
  { ParameterKey: 'Stage', ParameterValue: stage },
];

describe('Lambda resource types', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;
  let lambda: LambdaClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ({ cfn } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock));
    lambda = new LambdaClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  const outputs = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await describeStack(cfn, 'fn')).Outputs ?? []).map((o) => [
        o.OutputKey ?? '',
        o.OutputValue ?? '',
      ]),
    );

  /** Advances emulated time a second at a time until the stack leaves `*_IN_PROGRESS`. */
  async function settle(stack = 'fn'): Promise<string> {
    for (let step = 0; step < 30; step += 1) {
      const status = (await describeStack(cfn, stack)).StackStatus ?? '';
      if (!status.endsWith('_IN_PROGRESS')) return status;
      clock.advance(1000);
    }
    throw new Error('the stack did not settle');
  }

  const invokeLive = async (name: string): Promise<unknown> => {
    const result = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: 'live' }));
    return JSON.parse(Buffer.from(result.Payload ?? new Uint8Array()).toString('utf8'));
  };

  it('creates a function from inline code, publishes it and points an alias at it', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'fn',
        TemplateBody: TEMPLATE,
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: parameters('r1', 'dev'),
      }),
    );
    // CloudFormation waits for the function to become Active before publishing a version.
    expect((await describeStack(cfn, 'fn')).StackStatus).toBe('CREATE_IN_PROGRESS');
    expect(await settle()).toBe('CREATE_COMPLETE');
    const out = await outputs();
    const name = out['FunctionName'] ?? '';
    expect(name).toMatch(/^fn-Fn-[A-Z0-9]{12}$/);
    const arn = `arn:aws:lambda:us-east-1:${DEV}:function:${name}`;
    expect(out).toMatchObject({
      FunctionArn: arn,
      VersionArn: `${arn}:1`,
      VersionNumber: '1',
      AliasArn: `${arn}:live`,
    });
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(fn.Tags).toMatchObject({ app: 'demo' });
    expect(await invokeLive(name)).toEqual({ release: 'r1', stage: 'dev' });
  });

  it('updates code and configuration one after the other, publishes and moves the alias', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'fn',
        TemplateBody: TEMPLATE,
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: parameters('r1', 'dev'),
      }),
    );
    expect(await settle()).toBe('CREATE_COMPLETE');
    const name = (await outputs())['FunctionName'] ?? '';
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'fn',
        TemplateBody: TEMPLATE,
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: parameters('r2', 'prod'),
      }),
    );
    expect(await settle()).toBe('UPDATE_COMPLETE');
    const out = await outputs();
    expect(out['VersionNumber']).toBe('2');
    expect(
      (await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' })))
        .FunctionVersion,
    ).toBe('2');
    expect(await invokeLive(name)).toEqual({ release: 'r2', stage: 'prod' });
    // The replaced version is deleted in the cleanup phase.
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '2']);
    const failures = (await stackEvents(cfn, 'fn')).filter((e) =>
      (e.ResourceStatus ?? '').endsWith('FAILED'),
    );
    expect(failures).toEqual([]);

    const stackId = (await describeStack(cfn, 'fn')).StackId ?? '';
    await cfn.send(new DeleteStackCommand({ StackName: 'fn' }));
    expect(await settle(stackId)).toBe('DELETE_COMPLETE');
    const gone = await lambda
      .send(new GetFunctionCommand({ FunctionName: name }))
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });
});
