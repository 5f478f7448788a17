import type { KMSServiceException } from '@aws-sdk/client-kms';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  DisabledException,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSClient,
  KMSInvalidStateException,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8');

describe('KMS cryptography', () => {
  let sandbox: Sandbox;
  let kms: KMSClient;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    kms = new KMSClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
  });
  beforeEach(() => {
    sandbox.control.reset();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const newKey = async (): Promise<{ KeyId: string; Arn: string }> => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    if (!KeyMetadata?.KeyId || !KeyMetadata.Arn) throw new Error('no key');
    return { KeyId: KeyMetadata.KeyId, Arn: KeyMetadata.Arn };
  };

  it('encrypts and decrypts without naming the key, bound to the encryption context', async () => {
    const { KeyId, Arn } = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: KeyId }));
    const context = { pipeline: 'web', stage: 'prod' };
    const encrypted = await kms.send(
      new EncryptCommand({
        KeyId: 'alias/app',
        Plaintext: Buffer.from('top secret'),
        EncryptionContext: context,
      }),
    );
    expect(encrypted.KeyId).toBe(Arn);
    expect(encrypted.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(text(encrypted.CiphertextBlob)).not.toContain('top secret');

    const decrypted = await kms.send(
      new DecryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        // The same pairs in another order authenticate the same.
        EncryptionContext: { stage: 'prod', pipeline: 'web' },
      }),
    );
    expect(text(decrypted.Plaintext)).toBe('top secret');
    expect(decrypted.KeyId).toBe(Arn);

    const wrongContexts: Record<string, string>[] = [
      {},
      { pipeline: 'web', stage: 'dev' },
      { ...context, extra: 'x' },
    ];
    for (const wrong of wrongContexts) {
      await expect(
        kms.send(
          new DecryptCommand({
            CiphertextBlob: encrypted.CiphertextBlob,
            EncryptionContext: wrong,
          }),
        ),
      ).rejects.toBeInstanceOf(InvalidCiphertextException);
    }
  });

  it('is real AES-GCM: the same plaintext encrypts differently each time', async () => {
    const { KeyId } = await newKey();
    const one = await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('same') }));
    const two = await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('same') }));
    expect(
      Buffer.from(one.CiphertextBlob ?? []).equals(Buffer.from(two.CiphertextBlob ?? [])),
    ).toBe(false);
  });

  it('rejects tampered and foreign ciphertexts', async () => {
    const { KeyId } = await newKey();
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId, Plaintext: Buffer.from('payload') }),
    );
    const blob = Buffer.from(CiphertextBlob ?? []);
    for (const offset of [blob.length - 1, blob.length - 20, 0]) {
      const tampered = Buffer.from(blob);
      tampered[offset] = (tampered[offset] ?? 0) ^ 0x01;
      await expect(
        kms.send(new DecryptCommand({ CiphertextBlob: tampered })),
      ).rejects.toBeInstanceOf(InvalidCiphertextException);
    }
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a kms blob at all') })),
    ).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it('checks a KeyId given to Decrypt against the key in the ciphertext', async () => {
    const one = await newKey();
    const two = await newKey();
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: one.KeyId, Plaintext: Buffer.from('x') }),
    );
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob, KeyId: two.KeyId })),
    ).rejects.toBeInstanceOf(IncorrectKeyException);
    const ok = await kms.send(new DecryptCommand({ CiphertextBlob, KeyId: one.Arn }));
    expect(text(ok.Plaintext)).toBe('x');
  });

  it('generates data keys that decrypt to the same bytes and really encrypt', async () => {
    const { KeyId, Arn } = await newKey();
    const context = { purpose: 'test' };
    const data = await kms.send(
      new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    expect(data.KeyId).toBe(Arn);
    expect(data.Plaintext).toHaveLength(32);
    const back = await kms.send(
      new DecryptCommand({ CiphertextBlob: data.CiphertextBlob, EncryptionContext: context }),
    );
    expect(Buffer.from(back.Plaintext ?? []).equals(Buffer.from(data.Plaintext ?? []))).toBe(true);

    const small = await kms.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_128' }));
    expect(small.Plaintext).toHaveLength(16);
    const sized = await kms.send(new GenerateDataKeyCommand({ KeyId, NumberOfBytes: 64 }));
    expect(sized.Plaintext).toHaveLength(64);

    const hidden = await kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId, KeySpec: 'AES_256' }),
    );
    expect(hidden).not.toHaveProperty('Plaintext');
    const revealed = await kms.send(new DecryptCommand({ CiphertextBlob: hidden.CiphertextBlob }));
    expect(revealed.Plaintext).toHaveLength(32);

    for (const input of [
      { KeyId },
      { KeyId, NumberOfBytes: 32, KeySpec: 'AES_256' as const },
      { KeyId, NumberOfBytes: 2048 },
    ]) {
      const error = await failure(kms.send(new GenerateDataKeyCommand(input)));
      expect((error as KMSServiceException).name).toBe('ValidationException');
    }
    const random = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 24 }));
    expect(random.Plaintext).toHaveLength(24);
  });

  it('the ciphertext layout names the key and is AES-256-GCM under the key material', async () => {
    const { KeyId, Arn } = await newKey();
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId, Plaintext: Buffer.from('layout') }),
    );
    const blob = Buffer.from(CiphertextBlob ?? []);
    const arnLength = blob.readUInt16BE(1);
    expect(blob.subarray(3, 3 + arnLength).toString()).toBe(Arn);
    // The key material lives in the sandbox state; decrypting by hand proves the cipher.
    const snapshot = sandbox.control.snapshot();
    const keys = (
      snapshot.state.accounts[DEV]?.services.kms?.['us-east-1'] as {
        keys: Record<string, { material: string }>;
      }
    ).keys;
    const material = Buffer.from(keys[KeyId]?.material ?? '', 'base64');
    const head = blob.subarray(0, 3 + arnLength);
    const iv = blob.subarray(head.length, head.length + 12);
    const tag = blob.subarray(head.length + 12, head.length + 28);
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(Buffer.concat([head, Buffer.from('[]')]));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([
      decipher.update(blob.subarray(head.length + 28)),
      decipher.final(),
    ]);
    expect(plain.toString()).toBe('layout');
  });

  it('re-encrypts under another key and context', async () => {
    const source = await newKey();
    const destination = await newKey();
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({
        KeyId: source.KeyId,
        Plaintext: Buffer.from('moving'),
        EncryptionContext: { from: '1' },
      }),
    );
    const moved = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob,
        SourceEncryptionContext: { from: '1' },
        DestinationKeyId: destination.KeyId,
        DestinationEncryptionContext: { to: '2' },
      }),
    );
    expect(moved).toMatchObject({
      SourceKeyId: source.Arn,
      KeyId: destination.Arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    const back = await kms.send(
      new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { to: '2' } }),
    );
    expect(text(back.Plaintext)).toBe('moving');
    expect(back.KeyId).toBe(destination.Arn);
    await expect(
      kms.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: destination.KeyId })),
    ).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob,
          SourceKeyId: destination.KeyId,
          SourceEncryptionContext: { from: '1' },
          DestinationKeyId: destination.KeyId,
        }),
      ),
    ).rejects.toBeInstanceOf(IncorrectKeyException);
  });

  it('refuses disabled keys and keys pending deletion', async () => {
    const { KeyId } = await newKey();
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId, Plaintext: Buffer.from('before') }),
    );
    await kms.send(new DisableKeyCommand({ KeyId }));
    await expect(
      kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x') })),
    ).rejects.toBeInstanceOf(DisabledException);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toBeInstanceOf(
      DisabledException,
    );
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toBeInstanceOf(
      KMSInvalidStateException,
    );
    await expect(
      kms.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256' })),
    ).rejects.toBeInstanceOf(KMSInvalidStateException);
  });

  it('validates plaintext size, algorithms and DryRun', async () => {
    const { KeyId } = await newKey();
    const tooBig = await failure(
      kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.alloc(4097) })),
    );
    expect((tooBig as KMSServiceException).name).toBe('ValidationException');
    await expect(
      kms.send(
        new EncryptCommand({
          KeyId,
          Plaintext: Buffer.from('x'),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidKeyUsageException);
    const dry = await failure(
      kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x'), DryRun: true })),
    );
    expect((dry as KMSServiceException).name).toBe('DryRunOperationException');
    const missing = await failure(kms.send(new DecryptCommand({ CiphertextBlob: undefined })));
    expect((missing as KMSServiceException).name).toBe('ValidationException');
  });
});
