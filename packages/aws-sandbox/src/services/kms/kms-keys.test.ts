import {
  AlreadyExistsException,
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  KMSInvalidStateException,
  KMSServiceException,
  ListAliasesCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  MalformedPolicyDocumentException,
  NotFoundException,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagException,
  TagResourceCommand,
  UnsupportedOperationException,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';

const DAY = 24 * 60 * 60 * 1000;
const START = '2026-03-01T10:00:00Z';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('KMS keys and aliases', () => {
  let sandbox: Sandbox;
  let kms: KMSClient;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    kms = new KMSClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
  });
  /** Moves the sandbox clock and signs with the new time. */
  const advance = (ms: number): void => {
    clock.advance(ms);
    kms.config.systemClockOffset = clock.now().getTime() - Date.now();
  };
  beforeEach(() => {
    sandbox.control.reset();
    clock.set(START);
    kms.config.systemClockOffset = clock.now().getTime() - Date.now();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const newKey = async (description = 'test key'): Promise<{ KeyId: string; Arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: description }));
    if (!KeyMetadata?.KeyId || !KeyMetadata.Arn) throw new Error('no key');
    return { KeyId: KeyMetadata.KeyId, Arn: KeyMetadata.Arn };
  };

  it('creates a symmetric key with the default policy and describes it four ways', async () => {
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({
        Description: 'state bucket key',
        Tags: [{ TagKey: 'team', TagValue: 'platform' }],
      }),
    );
    expect(KeyMetadata).toMatchObject({
      AWSAccountId: DEV,
      Description: 'state bucket key',
      Enabled: true,
      KeyState: 'Enabled',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyManager: 'CUSTOMER',
      Origin: 'AWS_KMS',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      CreationDate: new Date(START),
    });
    const keyId = KeyMetadata?.KeyId ?? '';
    expect(keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(KeyMetadata?.Arn).toBe(`arn:aws:kms:us-east-1:${DEV}:key/${keyId}`);

    const { Policy, PolicyName } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }));
    expect(PolicyName).toBe('default');
    expect(JSON.parse(Policy ?? '{}')).toMatchObject({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${DEV}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });

    await kms.send(new CreateAliasCommand({ AliasName: 'alias/state', TargetKeyId: keyId }));
    for (const ref of [
      keyId,
      KeyMetadata?.Arn,
      'alias/state',
      `arn:aws:kms:us-east-1:${DEV}:alias/state`,
    ]) {
      const described = await kms.send(new DescribeKeyCommand({ KeyId: ref }));
      expect(described.KeyMetadata?.KeyId).toBe(keyId);
    }
    const { Tags } = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    expect(Tags).toEqual([{ TagKey: 'team', TagValue: 'platform' }]);
    const { PolicyNames } = await kms.send(new ListKeyPoliciesCommand({ KeyId: keyId }));
    expect(PolicyNames).toEqual(['default']);
  });

  it('reports unknown keys and aliases with NotFoundException', async () => {
    const missing = `arn:aws:kms:us-east-1:${DEV}:key/00000000-0000-4000-8000-000000000000`;
    const byArn = await failure(kms.send(new DescribeKeyCommand({ KeyId: missing })));
    expect(byArn).toBeInstanceOf(NotFoundException);
    expect((byArn as Error).message).toContain(missing);
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key' }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });

  it('refuses key types the sandbox does not emulate and malformed parameters', async () => {
    await expect(
      kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })),
    ).rejects.toBeInstanceOf(UnsupportedOperationException);
    const badSpec = await failure(
      kms.send(new CreateKeyCommand({ KeySpec: 'AES_999' as 'RSA_2048' })),
    );
    expect((badSpec as KMSServiceException).name).toBe('ValidationException');
    const missing = await failure(kms.send(new DescribeKeyCommand({ KeyId: undefined })));
    expect(missing).toBeInstanceOf(KMSServiceException);
    expect((missing as KMSServiceException).name).toBe('ValidationException');
    await expect(
      kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:reserved', TagValue: 'x' }] })),
    ).rejects.toBeInstanceOf(TagException);
  });

  it('lists keys page by page with Marker and Truncated', async () => {
    const created = [await newKey('a'), await newKey('b'), await newKey('c')];
    const first = await kms.send(new ListKeysCommand({ Limit: 2 }));
    expect(first.Keys).toHaveLength(2);
    expect(first.Truncated).toBe(true);
    const ids: string[] = [];
    for await (const page of paginateListKeys({ client: kms, pageSize: 2 }, {})) {
      ids.push(...(page.Keys ?? []).map((key) => key.KeyId ?? ''));
    }
    expect(ids).toEqual(created.map((key) => key.KeyId));
    const bad = await failure(kms.send(new ListKeysCommand({ Marker: 'nonsense' })));
    expect((bad as KMSServiceException).name).toBe('InvalidMarkerException');
    const badLimit = await failure(kms.send(new ListKeysCommand({ Limit: 0 })));
    expect((badLimit as KMSServiceException).name).toBe('ValidationException');
  });

  it('disables and enables a key, and updates its description', async () => {
    const { KeyId } = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId }));
    let meta = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
    expect(meta).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    await kms.send(new EnableKeyCommand({ KeyId }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId, Description: 'renamed' }));
    meta = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
    expect(meta).toMatchObject({ Enabled: true, KeyState: 'Enabled', Description: 'renamed' });
  });

  it('schedules deletion within 7-30 days, cancels it, and deletes on the sandbox clock', async () => {
    const { KeyId, Arn } = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: KeyId }));
    for (const days of [6, 31]) {
      const error = await failure(
        kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: days })),
      );
      expect((error as KMSServiceException).name).toBe('ValidationException');
    }
    const scheduled = await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }),
    );
    expect(scheduled).toMatchObject({
      KeyId: Arn,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
      DeletionDate: new Date(new Date(START).getTime() + 7 * DAY),
    });
    await expect(
      kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 })),
    ).rejects.toBeInstanceOf(KMSInvalidStateException);
    await expect(kms.send(new EnableKeyCommand({ KeyId }))).rejects.toBeInstanceOf(
      KMSInvalidStateException,
    );

    await kms.send(new CancelKeyDeletionCommand({ KeyId }));
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
    expect(meta).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect(meta?.DeletionDate).toBeUndefined();
    await expect(kms.send(new CancelKeyDeletionCommand({ KeyId }))).rejects.toBeInstanceOf(
      KMSInvalidStateException,
    );

    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 10 }));
    advance(10 * DAY - 1000);
    expect((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.KeyState).toBe(
      'PendingDeletion',
    );
    advance(1000);
    await expect(kms.send(new DescribeKeyCommand({ KeyId }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    const { Aliases } = await kms.send(new ListAliasesCommand({}));
    expect(Aliases?.map((alias) => alias.AliasName)).not.toContain('alias/doomed');
    const { Keys } = await kms.send(new ListKeysCommand({}));
    expect(Keys?.map((key) => key.KeyId)).not.toContain(KeyId);
  });

  it('creates, lists, updates and deletes aliases with KMS naming rules', async () => {
    const one = await newKey('one');
    const two = await newKey('two');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app/data', TargetKeyId: one.Arn }));
    await expect(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/app/data', TargetKeyId: two.KeyId })),
    ).rejects.toBeInstanceOf(AlreadyExistsException);

    const noPrefix = await failure(
      kms.send(new CreateAliasCommand({ AliasName: 'app', TargetKeyId: one.KeyId })),
    );
    expect((noPrefix as KMSServiceException).name).toBe('ValidationException');
    expect((noPrefix as Error).message).toContain('alias/');
    const reserved = await failure(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: one.KeyId })),
    );
    expect((reserved as KMSServiceException).name).toBe('NotAuthorizedException');
    const badChars = await failure(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/has space', TargetKeyId: one.KeyId })),
    );
    expect((badChars as KMSServiceException).name).toBe('ValidationException');
    const toAlias = await failure(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: 'alias/app/data' })),
    );
    expect((toAlias as KMSServiceException).name).toBe('ValidationException');

    advance(60_000);
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/app/data', TargetKeyId: two.KeyId }));
    const { Aliases } = await kms.send(new ListAliasesCommand({}));
    expect(Aliases).toEqual([
      {
        AliasName: 'alias/app/data',
        AliasArn: `arn:aws:kms:us-east-1:${DEV}:alias/app/data`,
        TargetKeyId: two.KeyId,
        CreationDate: new Date(START),
        LastUpdatedDate: new Date(new Date(START).getTime() + 60_000),
      },
    ]);
    const forOne = await kms.send(new ListAliasesCommand({ KeyId: one.KeyId }));
    expect(forOne.Aliases).toEqual([]);

    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/app/data' }));
    await expect(
      kms.send(new DeleteAliasCommand({ AliasName: 'alias/app/data' })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/none', TargetKeyId: one.KeyId })),
    ).rejects.toBeInstanceOf(NotFoundException);

    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: one.KeyId, PendingWindowInDays: 7 }));
    await expect(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: one.KeyId })),
    ).rejects.toBeInstanceOf(KMSInvalidStateException);
  });

  it('replaces the key policy, refusing malformed policies and lockouts', async () => {
    const { KeyId } = await newKey();
    const policy = (statements: object[]): string =>
      JSON.stringify({ Version: '2012-10-17', Statement: statements });
    const root = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${DEV}:root` },
      Action: 'kms:*',
      Resource: '*',
    };
    const withDescribe = policy([root, { Sid: 'extra', ...root, Action: 'kms:DescribeKey' }]);
    await kms.send(new PutKeyPolicyCommand({ KeyId, Policy: withDescribe }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toBe(withDescribe);

    await expect(
      kms.send(new PutKeyPolicyCommand({ KeyId, Policy: '{not json' })),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    await expect(
      kms.send(
        new PutKeyPolicyCommand({
          KeyId,
          Policy: policy([{ ...root, Principal: { AWS: `arn:aws:iam::${DEV}:role/Nobody` } }]),
        }),
      ),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    const lockout = await failure(
      kms.send(
        new PutKeyPolicyCommand({ KeyId, Policy: policy([{ ...root, Action: 'kms:Encrypt' }]) }),
      ),
    );
    expect(lockout).toBeInstanceOf(MalformedPolicyDocumentException);
    expect((lockout as Error).message).toContain('will not allow you to update the key policy');
    await expect(
      kms.send(new CreateKeyCommand({ Policy: policy([{ ...root, Action: 'kms:Encrypt' }]) })),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    await expect(
      kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'other' })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('tags and untags keys, and records rotation settings', async () => {
    const { KeyId, Arn } = await newKey();
    await kms.send(
      new TagResourceCommand({
        KeyId,
        Tags: [
          { TagKey: 'a', TagValue: '1' },
          { TagKey: 'b', TagValue: '2' },
        ],
      }),
    );
    await kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'a', TagValue: '3' }] }));
    await kms.send(new UntagResourceCommand({ KeyId, TagKeys: ['b'] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags).toEqual([
      { TagKey: 'a', TagValue: '3' },
    ]);

    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).toMatchObject({
      KeyRotationEnabled: false,
      KeyId: Arn,
    });
    await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 180 }));
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).toMatchObject({
      KeyRotationEnabled: true,
      RotationPeriodInDays: 180,
      NextRotationDate: new Date(new Date(START).getTime() + 180 * DAY),
    });
    const badPeriod = await failure(
      kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 30 })),
    );
    expect((badPeriod as KMSServiceException).name).toBe('ValidationException');
    await kms.send(new DisableKeyRotationCommand({ KeyId }));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).KeyRotationEnabled).toBe(
      false,
    );
    await kms.send(new DisableKeyCommand({ KeyId }));
    const disabledRotation = await failure(kms.send(new EnableKeyRotationCommand({ KeyId })));
    expect((disabledRotation as KMSServiceException).name).toBe('DisabledException');
  });

  it('keeps keys in snapshots: a restored sandbox still decrypts', async () => {
    const { KeyId } = await newKey();
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId, Plaintext: Buffer.from('kept') }),
    );
    const snapshot = sandbox.control.snapshot();
    sandbox.control.reset();
    await expect(kms.send(new DescribeKeyCommand({ KeyId }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    sandbox.control.restore(snapshot);
    const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob }));
    expect(Buffer.from(Plaintext ?? []).toString()).toBe('kept');
  });
});
