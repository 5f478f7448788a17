import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  KMSServiceException,
  NotFoundException,
  PutKeyPolicyCommand,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
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

const rootStatement = (account: string) => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});

async function denial(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error('expected AccessDeniedException');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KMSServiceException);
  expect((error as KMSServiceException).name).toBe('AccessDeniedException');
  return (error as Error).message;
}

describe('KMS authorization: key policies, IAM and cross-account use', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const kmsAs = (credentials: TestCredentials): KMSClient =>
    new KMSClient(clientConfig(sandbox, credentials, { clock }));
  const admin = (account: string): KMSClient => kmsAs(sandbox.credentialsFor(account));

  /** An IAM user with one inline policy (or none), and its access key. */
  async function user(account: string, name: string, policy?: string): Promise<TestCredentials> {
    const { iam } = clients(sandbox, sandbox.credentialsFor(account), { clock });
    await iam.send(new CreateUserCommand({ UserName: name }));
    if (policy !== undefined) {
      await iam.send(
        new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }),
      );
    }
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return {
      accessKeyId: AccessKey?.AccessKeyId ?? '',
      secretAccessKey: AccessKey?.SecretAccessKey ?? '',
    };
  }

  async function key(account: string, policy?: string): Promise<string> {
    const { KeyMetadata } = await admin(account).send(
      new CreateKeyCommand({
        ...(policy !== undefined ? { Policy: policy, BypassPolicyLockoutSafetyCheck: true } : {}),
      }),
    );
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

  it('with the default key policy, IAM policies of the account decide', async () => {
    const arn = await key(DEV);
    const nobody = await user(DEV, 'nobody');
    const message = await denial(
      kmsAs(nobody).send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
    );
    expect(message).toBe(
      `User: arn:aws:iam::${DEV}:user/nobody is not authorized to perform: kms:Encrypt on resource: ${arn} because no identity-based policy allows the kms:Encrypt action`,
    );
    const encrypter = await user(
      DEV,
      'encrypter',
      doc([{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: arn }]),
    );
    const { CiphertextBlob } = await kmsAs(encrypter).send(
      new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }),
    );
    await denial(kmsAs(encrypter).send(new DecryptCommand({ CiphertextBlob })));
  });

  it('lets a principal with kms:CreateKey only create a key with the default policy', async () => {
    const creator = await user(
      DEV,
      'creator',
      doc([{ Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' }]),
    );
    const { KeyMetadata } = await kmsAs(creator).send(new CreateKeyCommand({}));
    expect(KeyMetadata?.KeyState).toBe('Enabled');
    await denial(kmsAs(creator).send(new DescribeKeyCommand({ KeyId: KeyMetadata?.KeyId })));
  });

  it('a key policy without the root statement locks out IAM-only principals, even admins', async () => {
    const keyUser = await user(DEV, 'key-user');
    const arn = await key(
      DEV,
      doc([
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${DEV}:user/key-user` },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
        },
      ]),
    );
    // The key user has no IAM policy at all: the key policy alone grants it.
    const { CiphertextBlob } = await kmsAs(keyUser).send(
      new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }),
    );
    expect(CiphertextBlob?.length).toBeGreaterThan(0);
    // The admin's AdministratorAccess does not count: the key policy does not trust IAM.
    await denial(admin(DEV).send(new DecryptCommand({ CiphertextBlob })));
    await denial(admin(DEV).send(new DescribeKeyCommand({ KeyId: arn })));
    await denial(
      admin(DEV).send(new PutKeyPolicyCommand({ KeyId: arn, Policy: doc([rootStatement(DEV)]) })),
    );
  });

  it('an explicit deny in an identity policy beats a key policy grant', async () => {
    const denied = await user(
      DEV,
      'denied',
      doc([{ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }]),
    );
    const arn = await key(
      DEV,
      doc([
        rootStatement(DEV),
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${DEV}:user/denied` },
          Action: 'kms:Encrypt',
          Resource: '*',
        },
      ]),
    );
    const message = await denial(
      kmsAs(denied).send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })),
    );
    expect(message).toContain('explicit deny');
  });

  it('evaluates kms:EncryptionContext and kms:CallerAccount conditions', async () => {
    const scoped = await user(DEV, 'scoped');
    const arn = await key(
      DEV,
      doc([
        rootStatement(DEV),
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${DEV}:user/scoped` },
          Action: ['kms:Encrypt', 'kms:Decrypt'],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:EncryptionContext:stage': 'dev', 'kms:CallerAccount': DEV },
          },
        },
      ]),
    );
    const client = kmsAs(scoped);
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({
        KeyId: arn,
        Plaintext: Buffer.from('x'),
        EncryptionContext: { stage: 'dev' },
      }),
    );
    const { Plaintext } = await client.send(
      new DecryptCommand({ CiphertextBlob, EncryptionContext: { stage: 'dev' } }),
    );
    expect(Buffer.from(Plaintext ?? []).toString()).toBe('x');
    await denial(
      client.send(
        new EncryptCommand({
          KeyId: arn,
          Plaintext: Buffer.from('x'),
          EncryptionContext: { stage: 'prod' },
        }),
      ),
    );
    await denial(client.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })));
  });

  describe('across accounts', () => {
    async function sharedKey(): Promise<string> {
      const arn = await key(
        DEV,
        doc([
          rootStatement(DEV),
          {
            Sid: 'Allow staging to use the key',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${STAGING}:root` },
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey'],
            Resource: '*',
          },
        ]),
      );
      await admin(DEV).send(
        new CreateAliasCommand({ AliasName: 'alias/shared', TargetKeyId: arn }),
      );
      return arn;
    }

    it('allows use when the key policy grants the account and IAM grants the principal', async () => {
      const arn = await sharedKey();
      const staging = admin(STAGING);
      const { CiphertextBlob, KeyId } = await staging.send(
        new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('shared') }),
      );
      expect(KeyId).toBe(arn);
      // Decrypt without KeyId finds the key in the other account from the ciphertext.
      const { Plaintext } = await staging.send(new DecryptCommand({ CiphertextBlob }));
      expect(Buffer.from(Plaintext ?? []).toString()).toBe('shared');
      // The alias ARN names the key across accounts too; the alias name alone does not.
      const viaAlias = await staging.send(
        new EncryptCommand({
          KeyId: `arn:aws:kms:us-east-1:${DEV}:alias/shared`,
          Plaintext: Buffer.from('a'),
        }),
      );
      expect(viaAlias.KeyId).toBe(arn);
      await expect(
        staging.send(new EncryptCommand({ KeyId: 'alias/shared', Plaintext: Buffer.from('a') })),
      ).rejects.toBeInstanceOf(NotFoundException);
      // The DEV owner can decrypt what STAGING encrypted.
      const owner = await admin(DEV).send(new DecryptCommand({ CiphertextBlob }));
      expect(Buffer.from(owner.Plaintext ?? []).toString()).toBe('shared');
    });

    it('denies accounts the key policy does not name, and principals IAM does not allow', async () => {
      const arn = await sharedKey();
      const { CiphertextBlob } = await admin(DEV).send(
        new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('mine') }),
      );
      const message = await denial(admin(PROD).send(new DecryptCommand({ CiphertextBlob })));
      expect(message).toContain('because no resource-based policy allows the kms:Decrypt action');
      const noIam = await user(STAGING, 'no-iam');
      await denial(kmsAs(noIam).send(new DecryptCommand({ CiphertextBlob })));
      const withIam = await user(
        STAGING,
        'with-iam',
        doc([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: arn }]),
      );
      const { Plaintext } = await kmsAs(withIam).send(new DecryptCommand({ CiphertextBlob }));
      expect(Buffer.from(Plaintext ?? []).toString()).toBe('mine');
      // The key policy grants Encrypt/Decrypt only: no key administration across accounts.
      await denial(
        admin(STAGING).send(
          new PutKeyPolicyCommand({ KeyId: arn, Policy: doc([rootStatement(STAGING)]) }),
        ),
      );
    });

    it('ReEncrypt needs ReEncryptFrom on the source and ReEncryptTo on the destination', async () => {
      const shared = await sharedKey();
      const own = await key(STAGING);
      const { CiphertextBlob } = await admin(DEV).send(
        new EncryptCommand({ KeyId: shared, Plaintext: Buffer.from('r') }),
      );
      const moved = await admin(STAGING).send(
        new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: own }),
      );
      expect(moved.KeyId).toBe(own);
      const ownOnly = await key(PROD);
      const message = await denial(
        admin(STAGING).send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: ownOnly })),
      );
      expect(message).toContain('kms:ReEncryptTo');
    });
  });
});
