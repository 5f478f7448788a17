import { createHash } from 'node:crypto';
import type { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  LambdaServiceException,
  ListFunctionsCommand,
  ListTagsCommand,
  PreconditionFailedException,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  createRole,
  esmHandler,
  lambdaClients,
  rejection,
  statusOf,
} from './test-support/lambda-kit.js';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

describe('Lambda functions', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let lambda: LambdaClient;
  let iam: IAMClient;
  let s3: S3Client;
  let role: string;
  const arn = (name: string) => `arn:aws:lambda:us-east-1:${DEV}:function:${name}`;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
  });
  beforeEach(async () => {
    sandbox.control.reset();
    ({ lambda, iam, s3 } = lambdaClients(sandbox, sandbox.credentialsFor(DEV), clock));
    role = await createRole(iam);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const create = (name: string, zip = esmHandler('event'), extra: object = {}) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: zip },
        ...extra,
      }),
    );

  it('creates a function that is Pending, then Active as emulated time passes', async () => {
    const zip = esmHandler('event');
    const created = await create('echo', zip, {
      Description: 'echoes',
      Timeout: 10,
      MemorySize: 256,
      Environment: { Variables: { STAGE: 'dev' } },
      Tags: { team: 'core' },
    });
    expect(created).toMatchObject({
      FunctionName: 'echo',
      FunctionArn: arn('echo'),
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: role,
      Description: 'echoes',
      Timeout: 10,
      MemorySize: 256,
      CodeSha256: sha(zip),
      CodeSize: zip.length,
      Version: '$LATEST',
      State: 'Pending',
      StateReasonCode: 'Creating',
      PackageType: 'Zip',
      Environment: { Variables: { STAGE: 'dev' } },
      LastModified: '2026-03-01T10:00:00.000+0000',
      Architectures: ['x86_64'],
    });
    expect(created.$metadata.httpStatusCode).toBe(201);
    clock.advance(999);
    expect(
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }))).State,
    ).toBe('Pending');
    clock.advance(1);
    const active = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }));
    expect(active).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(active.StateReason).toBeUndefined();

    const got = await lambda.send(new GetFunctionCommand({ FunctionName: arn('echo') }));
    expect(got.Configuration?.FunctionArn).toBe(arn('echo'));
    expect(got.Code?.RepositoryType).toBe('S3');
    expect(got.Tags).toEqual({ team: 'core' });

    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toEqual(['echo']);
  });

  it('takes code from S3 (with the caller reading it) and rejects missing objects like Lambda', async () => {
    const zip = esmHandler('"from s3"');
    await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'fn.zip', Body: zip }));
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'from-s3',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { S3Bucket: 'artifacts', S3Key: 'fn.zip' },
      }),
    );
    expect(created.CodeSha256).toBe(sha(zip));

    const missing = await rejection(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'missing',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: role,
          Code: { S3Bucket: 'artifacts', S3Key: 'nope.zip' },
        }),
      ),
    );
    expect(missing).toBeInstanceOf(InvalidParameterValueException);
    expect(missing.message).toBe(
      'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.',
    );
  });

  it('rejects bad input with the real exception classes', async () => {
    const notZip = await rejection(create('bad-zip', new TextEncoder().encode('not a zip')));
    expect(notZip).toBeInstanceOf(InvalidParameterValueException);
    expect(notZip.message).toContain('Could not unzip uploaded file');

    const noHandler = await rejection(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'no-handler',
          Runtime: 'nodejs20.x',
          Role: role,
          Code: { ZipFile: esmHandler('1') },
        }),
      ),
    );
    expect(noHandler).toBeInstanceOf(InvalidParameterValueException);

    const oldRuntime = await rejection(create('old', esmHandler('1'), { Runtime: 'nodejs12.x' }));
    expect(oldRuntime).toBeInstanceOf(InvalidParameterValueException);
    expect(oldRuntime.message).toContain('nodejs12.x is no longer supported');

    const timeout = await rejection(create('slow', esmHandler('1'), { Timeout: 901 }));
    expect(timeout).toBeInstanceOf(LambdaServiceException);
    expect(timeout.name).toBe('ValidationException');
    expect(statusOf(timeout)).toBe(400);

    const reserved = await rejection(
      create('env', esmHandler('1'), { Environment: { Variables: { AWS_REGION: 'x' } } }),
    );
    expect(reserved).toBeInstanceOf(InvalidParameterValueException);
    expect(reserved.message).toContain('Reserved keys used in this request: AWS_REGION');

    const untrusted = await createRole(iam, 'ecs-only', 'ecs-tasks.amazonaws.com');
    const assumable = await rejection(create('role', esmHandler('1'), { Role: untrusted }));
    expect(assumable).toBeInstanceOf(InvalidParameterValueException);
    expect(assumable.message).toBe(
      'The role defined for the function cannot be assumed by Lambda.',
    );

    await create('twice');
    const again = await rejection(create('twice'));
    expect(again).toBeInstanceOf(ResourceConflictException);
    expect(again.message).toBe('Function already exist: twice');

    const nothing = await rejection(
      lambda.send(new GetFunctionCommand({ FunctionName: 'nothing' })),
    );
    expect(nothing).toBeInstanceOf(ResourceNotFoundException);
    expect(nothing.message).toBe(`Function not found: ${arn('nothing')}`);
    expect(statusOf(nothing)).toBe(404);

    const noVersion = await rejection(
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'twice', Qualifier: '7' })),
    );
    expect(noVersion).toBeInstanceOf(ResourceNotFoundException);
    expect(noVersion.message).toBe(`Function not found: ${arn('twice')}:7`);

    const mismatch = await rejection(
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'twice:1', Qualifier: '2' })),
    );
    expect(mismatch).toBeInstanceOf(InvalidParameterValueException);
  });

  it('moves LastUpdateStatus from InProgress to Successful and refuses a second update meanwhile', async () => {
    await create('app');
    clock.advance(1000);
    const v2 = esmHandler('"v2"');
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'app', ZipFile: v2 }),
    );
    expect(updated).toMatchObject({
      CodeSha256: sha(v2),
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReasonCode: 'Creating',
      State: 'Active',
    });

    const second = await rejection(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'app', MemorySize: 512 })),
    );
    expect(second).toBeInstanceOf(ResourceConflictException);
    expect(second.message).toBe(
      `The operation cannot be performed at this time. An update is in progress for resource: ${arn('app')}`,
    );

    clock.advance(2000);
    const done = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'app' }));
    expect(done.LastUpdateStatus).toBe('Successful');

    const stale = await rejection(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'app',
          MemorySize: 512,
          RevisionId: 'not-the-revision',
        }),
      ),
    );
    expect(stale).toBeInstanceOf(PreconditionFailedException);
    expect(statusOf(stale)).toBe(412);

    const configured = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'app',
        MemorySize: 512,
        Environment: { Variables: { MODE: 'blue' } },
        RevisionId: done.RevisionId,
      }),
    );
    expect(configured).toMatchObject({
      MemorySize: 512,
      Environment: { Variables: { MODE: 'blue' } },
      CodeSha256: sha(v2),
      LastUpdateStatus: 'InProgress',
    });
    expect(configured.RevisionId).not.toBe(done.RevisionId);
  });

  it('honours a configured lambda.update delay', async () => {
    const fast = await startSandbox({
      clock,
      tickIntervalMs: 0,
      delays: { 'lambda.create': 0, 'lambda.update': 0 },
    });
    try {
      const client = lambdaClients(fast, fast.credentialsFor(DEV), clock);
      const exec = await createRole(client.iam);
      const created = await client.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'quick',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: exec,
          Code: { ZipFile: esmHandler('1') },
        }),
      );
      expect(created.State).toBe('Active');
      const updated = await client.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'quick', ZipFile: esmHandler('2') }),
      );
      expect(updated.LastUpdateStatus).toBe('Successful');
    } finally {
      await fast.stop();
    }
  });

  it('tags functions and deletes them', async () => {
    await create('tagged');
    await lambda.send(
      new TagResourceCommand({ Resource: arn('tagged'), Tags: { a: '1', b: '2' } }),
    );
    await lambda.send(new UntagResourceCommand({ Resource: arn('tagged'), TagKeys: ['a'] }));
    expect((await lambda.send(new ListTagsCommand({ Resource: arn('tagged') }))).Tags).toEqual({
      b: '2',
    });
    const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'tagged' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(
      await rejection(lambda.send(new GetFunctionCommand({ FunctionName: 'tagged' }))),
    ).toBeInstanceOf(ResourceNotFoundException);
    expect(
      await rejection(lambda.send(new DeleteFunctionCommand({ FunctionName: 'tagged' }))),
    ).toBeInstanceOf(ResourceNotFoundException);
  });
});
