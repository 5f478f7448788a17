import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { createRole, esmHandler, lambdaClients, rejection } from './test-support/lambda-kit.js';

describe('Lambda versions and aliases', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let lambda: LambdaClient;
  const arn = `arn:aws:lambda:us-east-1:${DEV}:function:app`;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
  });
  beforeEach(async () => {
    sandbox.control.reset();
    const clients = lambdaClients(sandbox, sandbox.credentialsFor(DEV), clock);
    lambda = clients.lambda;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'app',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: await createRole(clients.iam),
        Code: { ZipFile: esmHandler('"v1"') },
      }),
    );
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  /** Deploys new code and waits (in emulated time) for the update to finish. */
  async function deploy(body: string): Promise<void> {
    clock.advance(5000);
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'app', ZipFile: esmHandler(body) }),
    );
    clock.advance(5000);
  }

  it('publishes versions with preconditions, and not twice for the same code', async () => {
    const pending = await rejection(
      lambda.send(new PublishVersionCommand({ FunctionName: 'app' })),
    );
    expect(pending).toBeInstanceOf(ResourceConflictException);
    expect(pending.message).toContain('currently in the following state: Pending');
    clock.advance(1000);

    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'app' }));
    const wrongHash = await rejection(
      lambda.send(new PublishVersionCommand({ FunctionName: 'app', CodeSha256: 'abc=' })),
    );
    expect(wrongHash).toBeInstanceOf(InvalidParameterValueException);
    expect(wrongHash.message).toContain(
      `current CodeSHA256 in $LATEST (${latest.CodeSha256 ?? ''})`,
    );
    expect(
      await rejection(
        lambda.send(new PublishVersionCommand({ FunctionName: 'app', RevisionId: 'x' })),
      ),
    ).toBeInstanceOf(PreconditionFailedException);

    const v1 = await lambda.send(
      new PublishVersionCommand({
        FunctionName: 'app',
        Description: 'first',
        CodeSha256: latest.CodeSha256,
        RevisionId: latest.RevisionId,
      }),
    );
    expect(v1).toMatchObject({ Version: '1', FunctionArn: `${arn}:1`, Description: 'first' });
    expect(v1.$metadata.httpStatusCode).toBe(201);
    const same = await lambda.send(new PublishVersionCommand({ FunctionName: 'app' }));
    expect(same.Version).toBe('1');

    await deploy('"v2"');
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'app' }))).Version).toBe(
      '2',
    );

    // Numbers are never reused, even after a version is deleted.
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'app', Qualifier: '2' }));
    await deploy('"v3"');
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'app' }))).Version).toBe(
      '3',
    );

    const page1 = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'app', MaxItems: 2 }),
    );
    expect(page1.Versions?.map((v) => [v.Version, v.FunctionArn])).toEqual([
      ['$LATEST', `${arn}:$LATEST`],
      ['1', `${arn}:1`],
    ]);
    const page2 = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'app', Marker: page1.NextMarker }),
    );
    expect(page2.Versions?.map((v) => v.Version)).toEqual(['3']);
    expect(page2.NextMarker).toBeUndefined();
    expect(
      await rejection(
        lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'app', Marker: 'bogus' })),
      ),
    ).toBeInstanceOf(InvalidParameterValueException);
  });

  it('creates, moves, weights, lists and deletes aliases', async () => {
    clock.advance(1000);
    await lambda.send(new PublishVersionCommand({ FunctionName: 'app' }));
    await deploy('"v2"');
    await lambda.send(new PublishVersionCommand({ FunctionName: 'app' }));

    const created = await lambda.send(
      new CreateAliasCommand({ FunctionName: 'app', Name: 'live', FunctionVersion: '1' }),
    );
    expect(created).toMatchObject({ AliasArn: `${arn}:live`, Name: 'live', FunctionVersion: '1' });
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(
      await rejection(
        lambda.send(
          new CreateAliasCommand({ FunctionName: 'app', Name: 'live', FunctionVersion: '1' }),
        ),
      ),
    ).toBeInstanceOf(ResourceConflictException);
    const noVersion = await rejection(
      lambda.send(new CreateAliasCommand({ FunctionName: 'app', Name: 'x', FunctionVersion: '9' })),
    );
    expect(noVersion).toBeInstanceOf(ResourceNotFoundException);
    expect(noVersion.message).toBe(`Function not found: ${arn}:9`);

    const canary = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'app',
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
      }),
    );
    expect(canary.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.25 });
    const badWeights = await rejection(
      lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'app',
          Name: 'live',
          FunctionVersion: '2',
        }),
      ),
    );
    expect(badWeights).toBeInstanceOf(InvalidParameterValueException);
    expect(
      await rejection(
        lambda.send(
          new UpdateAliasCommand({ FunctionName: 'app', Name: 'live', RevisionId: 'stale' }),
        ),
      ),
    ).toBeInstanceOf(PreconditionFailedException);

    const moved = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'app',
        Name: 'live',
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: canary.RevisionId,
      }),
    );
    expect(moved.FunctionVersion).toBe('2');
    expect(moved.RoutingConfig).toBeUndefined();
    const got = await lambda.send(new GetAliasCommand({ FunctionName: 'app', Name: 'live' }));
    expect(got.FunctionVersion).toBe('2');
    const viaAlias = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'app', Qualifier: 'live' }),
    );
    expect(viaAlias).toMatchObject({ Version: '2', FunctionArn: `${arn}:live` });

    // A version an alias points at cannot be deleted.
    const inUse = await rejection(
      lambda.send(new DeleteFunctionCommand({ FunctionName: 'app', Qualifier: '2' })),
    );
    expect(inUse).toBeInstanceOf(ResourceConflictException);
    expect(inUse.message).toContain('[live]');

    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'app', Name: 'old', FunctionVersion: '1' }),
    );
    const all = await lambda.send(new ListAliasesCommand({ FunctionName: 'app' }));
    expect(all.Aliases?.map((a) => a.Name)).toEqual(['live', 'old']);
    const onOne = await lambda.send(
      new ListAliasesCommand({ FunctionName: 'app', FunctionVersion: '1' }),
    );
    expect(onOne.Aliases?.map((a) => a.Name)).toEqual(['old']);

    await lambda.send(new DeleteAliasCommand({ FunctionName: 'app', Name: 'old' }));
    const gone = await rejection(
      lambda.send(new GetAliasCommand({ FunctionName: 'app', Name: 'old' })),
    );
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toBe(`Cannot find alias arn: ${arn}:old`);
  });

  it('validates alias names and routing', async () => {
    clock.advance(1000);
    await lambda.send(new PublishVersionCommand({ FunctionName: 'app' }));
    const numeric = await rejection(
      lambda.send(
        new CreateAliasCommand({ FunctionName: 'app', Name: '12', FunctionVersion: '1' }),
      ),
    );
    expect(numeric.name).toBe('ValidationException');
    const onLatest = await rejection(
      lambda.send(
        new CreateAliasCommand({
          FunctionName: 'app',
          Name: 'weighted',
          FunctionVersion: '$LATEST',
          RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } },
        }),
      ),
    );
    expect(onLatest).toBeInstanceOf(InvalidParameterValueException);
    const tooHeavy = await rejection(
      lambda.send(
        new CreateAliasCommand({
          FunctionName: 'app',
          Name: 'weighted',
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '1': 1.5 } },
        }),
      ),
    );
    expect(tooHeavy.name).toBe('ValidationException');
  });
});
