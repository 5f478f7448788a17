import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  NoSuchEntityException,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetBucketLocationCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV, PROD } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  cfnClients,
  describeStack,
  trustPolicy,
  userWithPolicy,
} from './test-support/cfn-sandbox.js';
import { handlesTemplate, roleTemplate } from './test-support/templates.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('CloudFormation access control', () => {
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

  it('authorizes each action on the stack ARN', async () => {
    const credentials = await userWithPolicy(iam, 'scoped', [
      {
        Effect: 'Allow',
        Action: 'cloudformation:*',
        Resource: 'arn:aws:cloudformation:*:*:stack/allowed-*/*',
      },
    ]);
    const scoped = cfnClients(sandbox, credentials, clock).cfn;
    await scoped.send(
      new CreateStackCommand({ StackName: 'allowed-1', TemplateBody: handlesTemplate(1) }),
    );
    expect((await describeStack(scoped, 'allowed-1')).StackStatus).toBe('CREATE_COMPLETE');
    const denied = await rejection(
      scoped.send(new CreateStackCommand({ StackName: 'other', TemplateBody: handlesTemplate(1) })),
    );
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toBe(
      `User: arn:aws:iam::${DEV}:user/scoped is not authorized to perform: cloudformation:CreateStack on resource: ` +
        `arn:aws:cloudformation:us-east-1:${DEV}:stack/other/* because no identity-based policy allows the cloudformation:CreateStack action`,
    );
  });

  it('keeps stacks to their account', async () => {
    const { StackId } = await cfn.send(
      new CreateStackCommand({ StackName: 'mine', TemplateBody: handlesTemplate(1) }),
    );
    const prod = cfnClients(sandbox, sandbox.credentialsFor(PROD), clock).cfn;
    const byName = await rejection(prod.send(new DescribeStacksCommand({ StackName: 'mine' })));
    expect(byName.message).toBe('Stack with id mine does not exist');
    const byId = await rejection(prod.send(new DescribeStacksCommand({ StackName: StackId })));
    expect(byId.name).toBe('AccessDenied');
  });

  it('acts as a service role given with RoleARN (iam:PassRole required)', async () => {
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: 'cfn-exec',
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy('cloudformation.amazonaws.com')),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'cfn-exec',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    const roleArn = Role?.Arn ?? '';
    const deployer = cfnClients(
      sandbox,
      await userWithPolicy(iam, 'deployer', [
        { Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn },
      ]),
      clock,
    ).cfn;
    await deployer.send(
      new CreateStackCommand({
        StackName: 'via-role',
        TemplateBody: roleTemplate({ roleName: 'made-by-role' }),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        RoleARN: roleArn,
      }),
    );
    const stack = await describeStack(deployer, 'via-role');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.RoleARN).toBe(roleArn);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'made-by-role' }))).Role).toBeDefined();
    // Later operations reuse the stack's role.
    await deployer.send(new DeleteStackCommand({ StackName: 'via-role' }));
    expect((await describeStack(deployer, stack.StackId ?? '')).StackStatus).toBe(
      'DELETE_COMPLETE',
    );
    expect(
      await rejection(iam.send(new GetRoleCommand({ RoleName: 'made-by-role' }))),
    ).toBeInstanceOf(NoSuchEntityException);

    const noPass = cfnClients(
      sandbox,
      await userWithPolicy(iam, 'nopass', [
        { Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' },
      ]),
      clock,
    ).cfn;
    const denied = await rejection(
      noPass.send(
        new CreateStackCommand({
          StackName: 'x',
          TemplateBody: handlesTemplate(1),
          RoleARN: roleArn,
        }),
      ),
    );
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toContain('iam:PassRole');

    await iam.send(
      new CreateRoleCommand({
        RoleName: 'lambda-only',
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy('lambda.amazonaws.com')),
      }),
    );
    const untrusted = await rejection(
      cfn.send(
        new CreateStackCommand({
          StackName: 'x',
          TemplateBody: handlesTemplate(1),
          RoleARN: `arn:aws:iam::${DEV}:role/lambda-only`,
        }),
      ),
    );
    expect(untrusted.name).toBe('ValidationError');
    expect(untrusted.message).toBe(
      `Role arn:aws:iam::${DEV}:role/lambda-only is invalid or cannot be assumed`,
    );
  });

  it('creates resources in the stack region', async () => {
    const config = clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock });
    const west = new CloudFormationClient({ ...config, region: 'eu-west-1' });
    await west.send(
      new CreateStackCommand({
        StackName: 'west',
        TemplateBody:
          "Resources:\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub 'b-${AWS::Region}'}}",
      }),
    );
    expect((await describeStack(west, 'west')).StackStatus).toBe('CREATE_COMPLETE');
    const missing = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'west' })));
    expect(missing.message).toBe('Stack with id west does not exist');
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: 'b-eu-west-1' }));
    expect(location.LocationConstraint).toBe('eu-west-1');
  });

  it('rejects bad input with ValidationError', async () => {
    const noName = await rejection(
      cfn.send(new CreateStackCommand({ StackName: undefined, TemplateBody: '{}' })),
    );
    expect(noName.name).toBe('ValidationError');
    const badName = await rejection(
      cfn.send(new CreateStackCommand({ StackName: '9-lives', TemplateBody: handlesTemplate(1) })),
    );
    expect(badName.message).toMatch(/at 'stackName' failed to satisfy constraint/);
    const token = await rejection(
      cfn.send(
        new CreateStackCommand({
          StackName: 'ok',
          TemplateBody: handlesTemplate(1),
          ClientRequestToken: '!bad',
        }),
      ),
    );
    expect(token.message).toMatch(/clientRequestToken/);
  });
});
