import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  EncryptCommand,
} from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  DecryptionFailure,
  DescribeSecretCommand,
  EncryptionFailure,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clientConfig,
  clients,
  DEV,
  PROD,
  STAGING,
  type TestCredentials,
} from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';

const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function accessDenied(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error('expected AccessDeniedException');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecretsManagerServiceException);
  expect((error as SecretsManagerServiceException).name).toBe('AccessDeniedException');
  return (error as Error).message;
}

describe('Secrets Manager with KMS and across accounts', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const smAs = (credentials: TestCredentials) =>
    new SecretsManagerClient(clientConfig(sandbox, credentials, { clock }));
  const kmsAs = (credentials: TestCredentials) =>
    new KMSClient(clientConfig(sandbox, credentials, { clock }));
  const sm = (account: string) => smAs(sandbox.credentialsFor(account));
  const kms = (account: string) => kmsAs(sandbox.credentialsFor(account));

  async function user(account: string, name: string, policy: string): Promise<TestCredentials> {
    const { iam } = clients(sandbox, sandbox.credentialsFor(account), { clock });
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return {
      accessKeyId: AccessKey?.AccessKeyId ?? '',
      secretAccessKey: AccessKey?.SecretAccessKey ?? '',
    };
  }

  async function customerKey(account: string, extra: object[] = []): Promise<string> {
    const policy = doc([
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...extra,
    ]);
    const { KeyMetadata } = await kms(account).send(new CreateKeyCommand({ Policy: policy }));
    return KeyMetadata?.Arn ?? '';
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  beforeEach(() => {
    sandbox.control.reset();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates the aws/secretsmanager key on first use and keeps values encrypted at rest', async () => {
    const before = await kms(DEV).send(new ListAliasesCommand({}));
    expect(before.Aliases).toEqual([]);
    await sm(DEV).send(
      new CreateSecretCommand({ Name: 'plain', SecretString: 'very-secret-value' }),
    );
    const { Aliases } = await kms(DEV).send(new ListAliasesCommand({}));
    expect(Aliases?.map((alias) => alias.AliasName)).toEqual(['alias/aws/secretsmanager']);
    const { KeyMetadata } = await kms(DEV).send(
      new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' }),
    );
    expect(KeyMetadata).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled' });
    // The AWS managed key works only through Secrets Manager.
    const direct = await kms(DEV)
      .send(new EncryptCommand({ KeyId: 'alias/aws/secretsmanager', Plaintext: Buffer.from('x') }))
      .catch((e: unknown) => e);
    expect((direct as Error).name).toBe('AccessDeniedException');
    // Nobody, not even an administrator, can manage it.
    const disable = await kms(DEV)
      .send(new DisableKeyCommand({ KeyId: KeyMetadata?.Arn }))
      .catch((e: unknown) => e);
    expect((disable as Error).name).toBe('AccessDeniedException');
    expect(JSON.stringify(sandbox.control.snapshot())).not.toContain('very-secret-value');
    // A second secret reuses the same key.
    await sm(DEV).send(new CreateSecretCommand({ Name: 'plain2', SecretString: 'x' }));
    expect((await kms(DEV).send(new ListAliasesCommand({}))).Aliases).toHaveLength(1);
  });

  it('encrypts with a customer key: the caller needs kms permissions on it', async () => {
    const keyArn = await customerKey(DEV);
    const created = await sm(DEV).send(
      new CreateSecretCommand({ Name: 'cmk', SecretString: 'v1', KmsKeyId: keyArn }),
    );
    const described = await sm(DEV).send(new DescribeSecretCommand({ SecretId: 'cmk' }));
    expect(described.KmsKeyId).toBe(keyArn);
    const versions = await sm(DEV).send(new ListSecretVersionIdsCommand({ SecretId: 'cmk' }));
    expect(versions.Versions?.[0]?.KmsKeyIds).toEqual([keyArn]);

    const readerPolicy = {
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: created.ARN,
    };
    const smOnly = await user(DEV, 'sm-only', doc([readerPolicy]));
    const message = await accessDenied(
      smAs(smOnly).send(new GetSecretValueCommand({ SecretId: 'cmk' })),
    );
    expect(message).toBe('Access to KMS is not allowed');
    const withKms = await user(
      DEV,
      'with-kms',
      doc([readerPolicy, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn }]),
    );
    expect(
      (await smAs(withKms).send(new GetSecretValueCommand({ SecretId: 'cmk' }))).SecretString,
    ).toBe('v1');
    // kms:ViaService is set when Secrets Manager calls KMS.
    const viaOnly = await user(
      DEV,
      'via-only',
      doc([
        readerPolicy,
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: keyArn,
          Condition: {
            StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' },
          },
        },
      ]),
    );
    expect(
      (await smAs(viaOnly).send(new GetSecretValueCommand({ SecretId: 'cmk' }))).SecretString,
    ).toBe('v1');
    // Writing needs kms:GenerateDataKey.
    const writer = await user(
      DEV,
      'writer',
      doc([{ Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: created.ARN }]),
    );
    await accessDenied(
      smAs(writer).send(new PutSecretValueCommand({ SecretId: 'cmk', SecretString: 'v2' })),
    );
    // An IAM denial on Secrets Manager itself names the action and the secret.
    const denied = await accessDenied(
      smAs(writer).send(new GetSecretValueCommand({ SecretId: 'cmk' })),
    );
    expect(denied).toContain(`secretsmanager:GetSecretValue on resource: ${created.ARN}`);
  });

  it('fails with DecryptionFailure / EncryptionFailure when the key cannot be used', async () => {
    const keyArn = await customerKey(DEV);
    await sm(DEV).send(new CreateSecretCommand({ Name: 'k', SecretString: 'v', KmsKeyId: keyArn }));
    await kms(DEV).send(new DisableKeyCommand({ KeyId: keyArn }));
    await expect(sm(DEV).send(new GetSecretValueCommand({ SecretId: 'k' }))).rejects.toBeInstanceOf(
      DecryptionFailure,
    );
    await expect(
      sm(DEV).send(new PutSecretValueCommand({ SecretId: 'k', SecretString: 'w' })),
    ).rejects.toBeInstanceOf(EncryptionFailure);
    const pending = await customerKey(DEV);
    await kms(DEV).send(new ScheduleKeyDeletionCommand({ KeyId: pending, PendingWindowInDays: 7 }));
    await expect(
      sm(DEV).send(new CreateSecretCommand({ Name: 'p', SecretString: 'v', KmsKeyId: pending })),
    ).rejects.toBeInstanceOf(EncryptionFailure);
    // Nothing half-made is left behind.
    await expect(
      sm(DEV).send(new CreateSecretCommand({ Name: 'p', SecretString: 'v' })),
    ).resolves.toMatchObject({ Name: 'p' });
  });

  it('re-encrypts labeled versions when the key changes', async () => {
    const first = await customerKey(DEV);
    const second = await customerKey(DEV);
    await sm(DEV).send(
      new CreateSecretCommand({ Name: 'rekey', SecretString: 'v1', KmsKeyId: first }),
    );
    await sm(DEV).send(new UpdateSecretCommand({ SecretId: 'rekey', KmsKeyId: second }));
    await kms(DEV).send(new DisableKeyCommand({ KeyId: first }));
    expect(
      (await sm(DEV).send(new GetSecretValueCommand({ SecretId: 'rekey' }))).SecretString,
    ).toBe('v1');
    const { Versions } = await sm(DEV).send(new ListSecretVersionIdsCommand({ SecretId: 'rekey' }));
    expect(Versions?.[0]?.KmsKeyIds).toEqual([second]);
  });

  describe('cross-account reads', () => {
    const readPolicy = (account: string) =>
      doc([
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        },
      ]);
    const kmsGrant = (account: string) => ({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:Decrypt',
      Resource: '*',
    });

    it('succeeds with a resource policy and a key policy granting the reader', async () => {
      const keyArn = await customerKey(DEV, [kmsGrant(STAGING)]);
      const { ARN } = await sm(DEV).send(
        new CreateSecretCommand({ Name: 'shared', SecretString: 'cross', KmsKeyId: keyArn }),
      );
      await sm(DEV).send(
        new PutResourcePolicyCommand({ SecretId: 'shared', ResourcePolicy: readPolicy(STAGING) }),
      );
      const value = await sm(STAGING).send(new GetSecretValueCommand({ SecretId: ARN }));
      expect(value).toMatchObject({ SecretString: 'cross', ARN });
      // The partial ARN (without the random suffix) works across accounts too.
      const partial = `arn:aws:secretsmanager:us-east-1:${DEV}:secret:shared`;
      expect(
        (await sm(STAGING).send(new GetSecretValueCommand({ SecretId: partial }))).SecretString,
      ).toBe('cross');
      // A reader IAM does not allow is still refused.
      const limited = await user(
        STAGING,
        'limited',
        doc([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn }]),
      );
      await accessDenied(smAs(limited).send(new GetSecretValueCommand({ SecretId: ARN })));
    });

    it('is denied without a resource policy', async () => {
      const keyArn = await customerKey(DEV, [kmsGrant(STAGING)]);
      const { ARN } = await sm(DEV).send(
        new CreateSecretCommand({ Name: 'private', SecretString: 'x', KmsKeyId: keyArn }),
      );
      const message = await accessDenied(
        sm(STAGING).send(new GetSecretValueCommand({ SecretId: ARN })),
      );
      expect(message).toContain(
        'because no resource-based policy allows the secretsmanager:GetSecretValue action',
      );
    });

    it('is denied when the key policy does not grant the reader', async () => {
      const keyArn = await customerKey(DEV, [kmsGrant(STAGING)]);
      const { ARN } = await sm(DEV).send(
        new CreateSecretCommand({ Name: 'only-staging-key', SecretString: 'x', KmsKeyId: keyArn }),
      );
      await sm(DEV).send(
        new PutResourcePolicyCommand({ SecretId: ARN, ResourcePolicy: readPolicy(PROD) }),
      );
      const message = await accessDenied(
        sm(PROD).send(new GetSecretValueCommand({ SecretId: ARN })),
      );
      expect(message).toBe('Access to KMS is not allowed');
    });

    it('is denied for secrets under the default aws/secretsmanager key', async () => {
      const { ARN } = await sm(DEV).send(
        new CreateSecretCommand({ Name: 'default-key', SecretString: 'x' }),
      );
      await sm(DEV).send(
        new PutResourcePolicyCommand({ SecretId: ARN, ResourcePolicy: readPolicy(STAGING) }),
      );
      const message = await accessDenied(
        sm(STAGING).send(new GetSecretValueCommand({ SecretId: ARN })),
      );
      expect(message).toContain('default KMS service key');
    });
  });
});
