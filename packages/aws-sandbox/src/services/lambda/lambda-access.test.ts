import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV, PROD, type TestCredentials } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  createRole,
  esmHandler,
  lambdaClients,
  payloadText,
  rejection,
  statusOf,
  userWithPolicy,
} from './test-support/lambda-kit.js';

async function denied(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(LambdaServiceException);
  expect(error.name).toBe('AccessDeniedException');
  expect(statusOf(error)).toBe(403);
  return error.message;
}

describe('Lambda authorization', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let role: string;
  const fnArn = (name: string, account = DEV) =>
    `arn:aws:lambda:us-east-1:${account}:function:${name}`;
  const as = (credentials: TestCredentials) =>
    new LambdaClient(clientConfig(sandbox, credentials, { clock }));
  const admin = () => lambdaClients(sandbox, sandbox.credentialsFor(DEV), clock);

  beforeAll(async () => {
    sandbox = await startSandbox({
      clock,
      tickIntervalMs: 0,
      delays: { 'lambda.create': 0, 'lambda.update': 0 },
    });
  });
  beforeEach(async () => {
    sandbox.control.reset();
    role = await createRole(admin().iam);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const createInput = (name: string) => ({
    FunctionName: name,
    Runtime: 'nodejs20.x' as const,
    Handler: 'index.handler',
    Role: role,
    Code: { ZipFile: esmHandler('"hi"') },
  });

  it('denies callers without lambda permissions, naming the function ARN', async () => {
    const nobody = await userWithPolicy(admin().iam, 'nobody', [
      { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
    ]);
    const message = await denied(as(nobody).send(new CreateFunctionCommand(createInput('f'))));
    expect(message).toBe(
      `User: arn:aws:iam::${DEV}:user/nobody is not authorized to perform: lambda:CreateFunction on resource: ${fnArn('f')} because no identity-based policy allows the lambda:CreateFunction action`,
    );
    await admin().lambda.send(new CreateFunctionCommand(createInput('f')));
    expect(await denied(as(nobody).send(new InvokeCommand({ FunctionName: 'f' })))).toContain(
      `lambda:InvokeFunction on resource: ${fnArn('f')}`,
    );
  });

  it('requires iam:PassRole on the execution role', async () => {
    const creator = await userWithPolicy(admin().iam, 'creator', [
      { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: fnArn('*') },
    ]);
    const message = await denied(as(creator).send(new CreateFunctionCommand(createInput('f'))));
    expect(message).toContain(`iam:PassRole on resource: ${role}`);

    const passer = await userWithPolicy(admin().iam, 'passer', [
      {
        Effect: 'Allow',
        Action: ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration'],
        Resource: fnArn('*'),
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: role,
        Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      },
    ]);
    const created = await as(passer).send(new CreateFunctionCommand(createInput('f')));
    expect(created.Role).toBe(role);
    // A new role in a configuration update is checked too.
    const other = await createRole(admin().iam, 'other-exec');
    expect(
      await denied(
        as(passer).send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Role: other })),
      ),
    ).toContain(`iam:PassRole on resource: ${other}`);
  });

  it('authorizes qualified calls on the qualified ARN', async () => {
    await admin().lambda.send(new CreateFunctionCommand(createInput('f')));
    await admin().lambda.send(new PublishVersionCommand({ FunctionName: 'f' }));
    const latestOnly = await userWithPolicy(admin().iam, 'latest-only', [
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fnArn('f') },
    ]);
    const ok = await as(latestOnly).send(new InvokeCommand({ FunctionName: 'f' }));
    expect(payloadText(ok.Payload)).toBe('"hi"');
    expect(
      await denied(as(latestOnly).send(new InvokeCommand({ FunctionName: 'f', Qualifier: '1' }))),
    ).toContain(`on resource: ${fnArn('f')}:1`);
    const anyVersion = await userWithPolicy(admin().iam, 'any-version', [
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `${fnArn('f')}:*` },
    ]);
    const versioned = await as(anyVersion).send(new InvokeCommand({ FunctionName: 'f:1' }));
    expect(versioned.ExecutedVersion).toBe('1');
  });

  it('denies other accounts without a resource-based policy', async () => {
    await admin().lambda.send(new CreateFunctionCommand(createInput('f')));
    const prod = as(sandbox.credentialsFor(PROD));
    const message = await denied(prod.send(new GetFunctionCommand({ FunctionName: fnArn('f') })));
    expect(message).toContain(
      'because no resource-based policy allows the lambda:GetFunction action',
    );
    await denied(prod.send(new InvokeCommand({ FunctionName: fnArn('f') })));
  });

  it("reads S3 code with the caller's permissions", async () => {
    const { s3 } = admin();
    await s3.send(new CreateBucketCommand({ Bucket: 'code' }));
    await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'f.zip', Body: esmHandler('1') }));
    const noRead = await userWithPolicy(admin().iam, 'no-read', [
      { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: '*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: role },
    ]);
    const input = { ...createInput('f'), Code: { S3Bucket: 'code', S3Key: 'f.zip' } };
    const message = await denied(as(noRead).send(new CreateFunctionCommand(input)));
    expect(message).toContain('Your access has been denied by S3');
    const reader = await userWithPolicy(admin().iam, 'reader', [
      { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: '*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: role },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::code/*' },
    ]);
    const created = await as(reader).send(new CreateFunctionCommand(input));
    expect(created.FunctionName).toBe('f');
  });
});
