import type { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  MalformedPolicyDocumentException,
  PublicPolicyException,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  DeleteResourcePolicyCommand,
  GetRandomPasswordCommand,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';

const DAY = 24 * 60 * 60 * 1000;
const START = '2026-03-01T10:00:00Z';
const TOKEN_1 = '11111111-1111-4111-8111-111111111111';
const TOKEN_2 = '22222222-2222-4222-8222-222222222222';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('Secrets Manager', () => {
  let sandbox: Sandbox;
  let sm: SecretsManagerClient;
  const clock = new ManualClock(START);
  const advance = (ms: number): void => {
    clock.advance(ms);
    sm.config.systemClockOffset = clock.now().getTime() - Date.now();
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    sm = new SecretsManagerClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
  });
  beforeEach(() => {
    sandbox.control.reset();
    clock.set(START);
    sm.config.systemClockOffset = clock.now().getTime() - Date.now();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates a secret and reads it by name, full ARN and partial ARN', async () => {
    const created = await sm.send(
      new CreateSecretCommand({
        Name: 'app/db',
        SecretString: '{"password":"hunter2"}',
        Description: 'database',
        ClientRequestToken: TOKEN_1,
        Tags: [{ Key: 'team', Value: 'data' }],
      }),
    );
    expect(created.Name).toBe('app/db');
    expect(created.VersionId).toBe(TOKEN_1);
    expect(created.ARN).toMatch(
      new RegExp(`^arn:aws:secretsmanager:us-east-1:${DEV}:secret:app/db-[A-Za-z0-9]{6}$`),
    );
    for (const id of [
      'app/db',
      created.ARN,
      `arn:aws:secretsmanager:us-east-1:${DEV}:secret:app/db`,
    ]) {
      const value = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      expect(value).toMatchObject({
        ARN: created.ARN,
        Name: 'app/db',
        VersionId: TOKEN_1,
        SecretString: '{"password":"hunter2"}',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: new Date(START),
      });
    }
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    expect(described).toMatchObject({
      ARN: created.ARN,
      Name: 'app/db',
      Description: 'database',
      Tags: [{ Key: 'team', Value: 'data' }],
      VersionIdsToStages: { [TOKEN_1]: ['AWSCURRENT'] },
      CreatedDate: new Date(START),
      LastChangedDate: new Date(START),
      LastAccessedDate: new Date('2026-03-01T00:00:00Z'),
    });
    expect(described.KmsKeyId).toBeUndefined();
  });

  it('stores binary secrets and secrets without a value', async () => {
    await sm.send(
      new CreateSecretCommand({ Name: 'bin', SecretBinary: Buffer.from([0, 1, 2, 255]) }),
    );
    const { SecretBinary, SecretString } = await sm.send(
      new GetSecretValueCommand({ SecretId: 'bin' }),
    );
    expect(Buffer.from(SecretBinary ?? []).equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
    expect(SecretString).toBeUndefined();

    const empty = await sm.send(new CreateSecretCommand({ Name: 'empty' }));
    expect(empty.VersionId).toBeUndefined();
    const missing = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'empty' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toContain('AWSCURRENT');
  });

  it('moves AWSCURRENT to each new value and AWSPREVIOUS to the one before', async () => {
    await sm.send(
      new CreateSecretCommand({ Name: 's', SecretString: 'v1', ClientRequestToken: TOKEN_1 }),
    );
    advance(1000);
    const put = await sm.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'v2', ClientRequestToken: TOKEN_2 }),
    );
    expect(put).toMatchObject({ VersionId: TOKEN_2, VersionStages: ['AWSCURRENT'] });
    advance(1000);
    const third = await sm.send(new UpdateSecretCommand({ SecretId: 's', SecretString: 'v3' }));
    const thirdId = third.VersionId ?? '';
    expect(thirdId).toMatch(/^[0-9a-f-]{36}$/);

    expect((await sm.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString).toBe('v3');
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: 's', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous).toMatchObject({ SecretString: 'v2', VersionId: TOKEN_2 });
    const first = await sm.send(new GetSecretValueCommand({ SecretId: 's', VersionId: TOKEN_1 }));
    expect(first).toMatchObject({ SecretString: 'v1', VersionStages: [] });
    await expect(
      sm.send(
        new GetSecretValueCommand({
          SecretId: 's',
          VersionId: TOKEN_1,
          VersionStage: 'AWSCURRENT',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);

    const { VersionIdsToStages } = await sm.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(VersionIdsToStages).toEqual({ [TOKEN_2]: ['AWSPREVIOUS'], [thirdId]: ['AWSCURRENT'] });
    const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 's' }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual([TOKEN_2, thirdId]);
    expect(listed.Versions?.[0]?.KmsKeyIds).toEqual(['DefaultEncryptionKey']);
    const all = await sm.send(
      new ListSecretVersionIdsCommand({ SecretId: 's', IncludeDeprecated: true }),
    );
    expect(all.Versions?.map((v) => v.VersionId)).toEqual([TOKEN_1, TOKEN_2, thirdId]);

    // Custom labels move without touching AWSCURRENT.
    const custom = await sm.send(
      new PutSecretValueCommand({
        SecretId: 's',
        SecretString: 'v4',
        VersionStages: ['AWSPENDING'],
      }),
    );
    expect(custom.VersionStages).toEqual(['AWSPENDING']);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString).toBe('v3');
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 's',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: custom.VersionId,
        RemoveFromVersionId: thirdId,
      }),
    );
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString).toBe('v4');
    expect(
      (await sm.send(new GetSecretValueCommand({ SecretId: 's', VersionStage: 'AWSPREVIOUS' })))
        .SecretString,
    ).toBe('v3');
  });

  it('treats a repeated ClientRequestToken as a retry, and a changed value as a conflict', async () => {
    const first = await sm.send(
      new CreateSecretCommand({ Name: 'idem', SecretString: 'a', ClientRequestToken: TOKEN_1 }),
    );
    const retried = await sm.send(
      new CreateSecretCommand({ Name: 'idem', SecretString: 'a', ClientRequestToken: TOKEN_1 }),
    );
    expect(retried).toMatchObject({ ARN: first.ARN, VersionId: TOKEN_1 });
    await expect(
      sm.send(
        new CreateSecretCommand({ Name: 'idem', SecretString: 'a', ClientRequestToken: TOKEN_2 }),
      ),
    ).rejects.toBeInstanceOf(ResourceExistsException);

    await sm.send(
      new PutSecretValueCommand({
        SecretId: 'idem',
        SecretString: 'b',
        ClientRequestToken: TOKEN_2,
      }),
    );
    const again = await sm.send(
      new PutSecretValueCommand({
        SecretId: 'idem',
        SecretString: 'b',
        ClientRequestToken: TOKEN_2,
      }),
    );
    expect(again).toMatchObject({ VersionId: TOKEN_2, VersionStages: ['AWSCURRENT'] });
    const conflict = await failure(
      sm.send(
        new PutSecretValueCommand({
          SecretId: 'idem',
          SecretString: 'c',
          ClientRequestToken: TOKEN_2,
        }),
      ),
    );
    expect(conflict).toBeInstanceOf(ResourceExistsException);
    const { Versions } = await sm.send(
      new ListSecretVersionIdsCommand({ SecretId: 'idem', IncludeDeprecated: true }),
    );
    expect(Versions).toHaveLength(2);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'idem' }))).SecretString).toBe('b');
  });

  it('updates the description without a new version', async () => {
    await sm.send(
      new CreateSecretCommand({ Name: 'd', SecretString: 'x', ClientRequestToken: TOKEN_1 }),
    );
    advance(60_000);
    const updated = await sm.send(
      new UpdateSecretCommand({ SecretId: 'd', Description: 'now described' }),
    );
    expect(updated.VersionId).toBeUndefined();
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'd' }));
    expect(described).toMatchObject({
      Description: 'now described',
      VersionIdsToStages: { [TOKEN_1]: ['AWSCURRENT'] },
      LastChangedDate: new Date(new Date(START).getTime() + 60_000),
    });
  });

  it('lists secrets with pagination and filters', async () => {
    for (const name of ['prod/api', 'prod/db', 'dev/api', 'Prod/upper']) {
      await sm.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: 'x',
          Description: `The ${name} secret`,
          Tags: [{ Key: 'env', Value: name.split('/')[0] ?? '' }],
        }),
      );
    }
    const names = async (
      filters: { Key: 'name' | 'tag-value' | 'description' | 'all'; Values: string[] }[],
    ) =>
      (await sm.send(new ListSecretsCommand({ Filters: filters }))).SecretList?.map((s) => s.Name);
    expect(await names([{ Key: 'name', Values: ['prod/'] }])).toEqual(['prod/api', 'prod/db']);
    expect(await names([{ Key: 'name', Values: ['!prod'] }])).toEqual(['dev/api', 'Prod/upper']);
    expect(await names([{ Key: 'tag-value', Values: ['dev'] }])).toEqual(['dev/api']);
    expect(await names([{ Key: 'description', Values: ['the prod/d'] }])).toEqual(['prod/db']);
    expect(await names([{ Key: 'all', Values: ['upper'] }])).toEqual(['Prod/upper']);

    const first = await sm.send(new ListSecretsCommand({ MaxResults: 3 }));
    expect(first.SecretList).toHaveLength(3);
    expect(first.NextToken).toBeDefined();
    expect(first.SecretList?.[0]).toMatchObject({
      Name: 'prod/api',
      Description: 'The prod/api secret',
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
    const all: string[] = [];
    for await (const page of paginateListSecrets({ client: sm, pageSize: 3 }, {})) {
      all.push(...(page.SecretList ?? []).map((s) => s.Name ?? ''));
    }
    expect(all).toEqual(['prod/api', 'prod/db', 'dev/api', 'Prod/upper']);
    await expect(sm.send(new ListSecretsCommand({ NextToken: 'bogus' }))).rejects.toBeInstanceOf(
      InvalidNextTokenException,
    );
    const badKey = await failure(
      sm.send(new ListSecretsCommand({ Filters: [{ Key: 'colour' as 'name', Values: ['x'] }] })),
    );
    expect((badKey as SecretsManagerServiceException).name).toBe('ValidationException');
  });

  it('schedules deletion, refuses use meanwhile, restores, and deletes on the sandbox clock', async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'x' }));
    for (const input of [
      { SecretId: 'gone', RecoveryWindowInDays: 6 },
      { SecretId: 'gone', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true },
    ]) {
      await expect(sm.send(new DeleteSecretCommand(input))).rejects.toBeInstanceOf(
        InvalidParameterException,
      );
    }
    const deleted = await sm.send(
      new DeleteSecretCommand({ SecretId: 'gone', RecoveryWindowInDays: 7 }),
    );
    expect(deleted).toMatchObject({
      ARN,
      DeletionDate: new Date(new Date(START).getTime() + 7 * DAY),
    });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'gone' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(
      sm.send(new PutSecretValueCommand({ SecretId: 'gone', SecretString: 'y' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(
      sm.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'y' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'gone' }))).DeletedDate).toEqual(
      new Date(START),
    );
    expect((await sm.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    const planned = await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(planned.SecretList?.map((s) => s.Name)).toEqual(['gone']);

    await sm.send(new RestoreSecretCommand({ SecretId: 'gone' }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'gone' }))).SecretString).toBe('x');

    await sm.send(new DeleteSecretCommand({ SecretId: 'gone', RecoveryWindowInDays: 7 }));
    advance(7 * DAY - 1000);
    await sm.send(new DescribeSecretCommand({ SecretId: 'gone' }));
    advance(1000);
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'gone' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    // The name is free again.
    const again = await sm.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'new' }));
    expect(again.ARN).not.toBe(ARN);
  });

  it('force-deletes immediately', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'now', SecretString: 'x' }));
    const { DeletionDate } = await sm.send(
      new DeleteSecretCommand({ SecretId: 'now', ForceDeleteWithoutRecovery: true }),
    );
    expect(DeletionDate).toEqual(new Date(START));
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'now' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('tags, untags and manages resource policies', async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 't', SecretString: 'x' }));
    await sm.send(
      new TagResourceCommand({
        SecretId: 't',
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await sm.send(new UntagResourceCommand({ SecretId: 't', TagKeys: ['a'] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 't' }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);

    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::444444444444:root' },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        },
      ],
    });
    expect(
      await sm.send(new PutResourcePolicyCommand({ SecretId: 't', ResourcePolicy: policy })),
    ).toMatchObject({
      ARN,
      Name: 't',
    });
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 't' }))).ResourcePolicy).toBe(
      policy,
    );
    await expect(
      sm.send(new PutResourcePolicyCommand({ SecretId: 't', ResourcePolicy: '{"Statement": ' })),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    const everyone = policy.replace('arn:aws:iam::444444444444:root', '*');
    await expect(
      sm.send(
        new PutResourcePolicyCommand({
          SecretId: 't',
          ResourcePolicy: everyone,
          BlockPublicPolicy: true,
        }),
      ),
    ).rejects.toBeInstanceOf(PublicPolicyException);
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: 't' }));
    expect(
      (await sm.send(new GetResourcePolicyCommand({ SecretId: 't' }))).ResourcePolicy,
    ).toBeUndefined();
  });

  it('answers bad input with the real error codes', async () => {
    const missingName = await failure(sm.send(new CreateSecretCommand({ Name: undefined })));
    expect((missingName as SecretsManagerServiceException).name).toBe('ValidationException');
    await expect(
      sm.send(new CreateSecretCommand({ Name: 'bad name!', SecretString: 'x' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      sm.send(
        new CreateSecretCommand({
          Name: 'both',
          SecretString: 'x',
          SecretBinary: Buffer.from('y'),
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const shortToken = await failure(
      sm.send(
        new CreateSecretCommand({ Name: 'tok', SecretString: 'x', ClientRequestToken: 'short' }),
      ),
    );
    expect((shortToken as SecretsManagerServiceException).name).toBe('ValidationException');
    await sm.send(new CreateSecretCommand({ Name: 'exists', SecretString: 'x' }));
    await expect(sm.send(new PutSecretValueCommand({ SecretId: 'exists' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      sm.send(
        new GetSecretValueCommand({
          SecretId: `arn:aws:secretsmanager:us-east-1:${DEV}:secret:nope-AbCdEf`,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const missingId = await failure(sm.send(new GetSecretValueCommand({ SecretId: undefined })));
    expect((missingId as SecretsManagerServiceException).name).toBe('ValidationException');
  });

  it('generates random passwords with the requested character types', async () => {
    const { RandomPassword } = await sm.send(
      new GetRandomPasswordCommand({ PasswordLength: 40, ExcludePunctuation: true }),
    );
    expect(RandomPassword).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(RandomPassword).toMatch(/[a-z]/);
    expect(RandomPassword).toMatch(/[A-Z]/);
    expect(RandomPassword).toMatch(/[0-9]/);
    const digits = await sm.send(
      new GetRandomPasswordCommand({
        PasswordLength: 12,
        ExcludeLowercase: true,
        ExcludeUppercase: true,
        ExcludePunctuation: true,
        ExcludeCharacters: '01',
      }),
    );
    expect(digits.RandomPassword).toMatch(/^[2-9]{12}$/);
    await expect(
      sm.send(new GetRandomPasswordCommand({ PasswordLength: 0 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
