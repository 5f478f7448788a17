// Cryptographic operations: Encrypt, Decrypt, GenerateDataKey(WithoutPlaintext), ReEncrypt.
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../framework/aws-error.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { readEncryptionContext } from './encryption-context.js';
import {
  cryptoConditions,
  decryptWith,
  encryptUnder,
  keyOfCiphertext,
  MAX_PLAINTEXT_BYTES,
  newDataKey,
} from './key-crypto.js';
import { keyTarget, resolveKey } from './key-reference.js';
import { assertUsable } from './key-records.js';
import { incorrectKey, validation } from './kms-errors.js';
import { readBlob } from './kms-input.js';
import type { KmsKey } from './kms-state.js';

const ALGORITHMS = new Set([
  'SYMMETRIC_DEFAULT',
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'SM2PKE',
]);

/** Checks an encryption algorithm parameter: symmetric keys know only SYMMETRIC_DEFAULT. */
function checkAlgorithm(ctx: ActionContext, name: string): void {
  const value = ctx.input.str(name);
  if (value === undefined || value === 'SYMMETRIC_DEFAULT') return;
  if (!ALGORITHMS.has(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must satisfy enum value set: [${[...ALGORITHMS].join(', ')}]`,
    );
  }
  throw new AwsError(
    'InvalidKeyUsageException',
    `The encryption algorithm ${value} is not supported by symmetric keys.`,
  );
}

/** Throws DryRunOperationException when `DryRun` is set and the call would have succeeded. */
function dryRun(ctx: ActionContext, key: KmsKey): void {
  assertUsable(key);
  if (ctx.input.bool('DryRun') === true) {
    throw new AwsError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
      { status: 412 },
    );
  }
}

function aliasContext(ctx: ActionContext, param: string): Record<string, string> {
  const value = ctx.input.str(param);
  const alias = value && /^(?:arn:aws:kms:[^:]*:\d{12}:)?(alias\/.+)$/.exec(value)?.[1];
  return alias ? { 'kms:RequestAlias': alias } : {};
}

/** The key a ciphertext names, checked against an optional `KeyId`-like parameter. */
function sourceKey(ctx: ActionContext, blobParam: string, keyParam: string): KmsKey {
  const key = keyOfCiphertext(ctx, readBlob(ctx.input, blobParam));
  const named = ctx.input.str(keyParam);
  if (named !== undefined && resolveKey(ctx, named).key.arn !== key.arn) throw incorrectKey();
  return key;
}

function dataKeyBytes(ctx: ActionContext): number {
  const bytes = ctx.input.int('NumberOfBytes');
  const spec = ctx.input.str('KeySpec');
  if ((bytes === undefined) === (spec === undefined)) {
    throw validation('Please specify either number of bytes or key spec.');
  }
  if (spec !== undefined) {
    if (spec === 'AES_256') return 32;
    if (spec === 'AES_128') return 16;
    throw validation(
      `1 validation error detected: Value '${spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]`,
    );
  }
  if (bytes === undefined || bytes < 1 || bytes > 1024) {
    throw validation(
      `1 validation error detected: Value '${String(bytes)}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024`,
    );
  }
  return bytes;
}

function generateDataKey(withPlaintext: boolean): ActionDefinition {
  return {
    validate: (ctx) => {
      ctx.input.reqStr('KeyId');
      dataKeyBytes(ctx);
      readEncryptionContext(ctx.input, 'EncryptionContext');
    },
    resources: (ctx) => [keyTarget(resolveKey(ctx, ctx.input.reqStr('KeyId')).key)],
    context: (ctx) => ({
      ...cryptoConditions(ctx, readEncryptionContext(ctx.input, 'EncryptionContext')),
      ...aliasContext(ctx, 'KeyId'),
    }),
    handler: (ctx) => {
      const { key } = resolveKey(ctx, ctx.input.reqStr('KeyId'));
      dryRun(ctx, key);
      const context = readEncryptionContext(ctx.input, 'EncryptionContext');
      const { plaintext, ciphertext } = newDataKey(key, dataKeyBytes(ctx), context);
      return {
        CiphertextBlob: ciphertext.toString('base64'),
        ...(withPlaintext ? { Plaintext: plaintext.toString('base64') } : {}),
        KeyId: key.arn,
      };
    },
  };
}

/** Crypto actions. */
export const cryptoActions: Record<string, ActionDefinition> = {
  Encrypt: {
    validate: (ctx) => {
      ctx.input.reqStr('KeyId');
      const plaintext = readBlob(ctx.input, 'Plaintext');
      if (plaintext.length < 1 || plaintext.length > MAX_PLAINTEXT_BYTES) {
        throw validation(
          `1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and ${MAX_PLAINTEXT_BYTES}`,
        );
      }
      checkAlgorithm(ctx, 'EncryptionAlgorithm');
      readEncryptionContext(ctx.input, 'EncryptionContext');
    },
    resources: (ctx) => [keyTarget(resolveKey(ctx, ctx.input.reqStr('KeyId')).key)],
    context: (ctx) => ({
      ...cryptoConditions(ctx, readEncryptionContext(ctx.input, 'EncryptionContext')),
      ...aliasContext(ctx, 'KeyId'),
    }),
    handler: (ctx) => {
      const { key } = resolveKey(ctx, ctx.input.reqStr('KeyId'));
      dryRun(ctx, key);
      const blob = encryptUnder(
        key,
        readBlob(ctx.input, 'Plaintext'),
        readEncryptionContext(ctx.input, 'EncryptionContext'),
      );
      return {
        CiphertextBlob: blob.toString('base64'),
        KeyId: key.arn,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  },

  Decrypt: {
    validate: (ctx) => {
      readBlob(ctx.input, 'CiphertextBlob');
      checkAlgorithm(ctx, 'EncryptionAlgorithm');
      readEncryptionContext(ctx.input, 'EncryptionContext');
    },
    resources: (ctx) => [keyTarget(sourceKey(ctx, 'CiphertextBlob', 'KeyId'))],
    context: (ctx) => cryptoConditions(ctx, readEncryptionContext(ctx.input, 'EncryptionContext')),
    handler: (ctx) => {
      const key = sourceKey(ctx, 'CiphertextBlob', 'KeyId');
      dryRun(ctx, key);
      const plaintext = decryptWith(
        key,
        readBlob(ctx.input, 'CiphertextBlob'),
        readEncryptionContext(ctx.input, 'EncryptionContext'),
      );
      return {
        KeyId: key.arn,
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  },

  GenerateDataKey: generateDataKey(true),
  GenerateDataKeyWithoutPlaintext: generateDataKey(false),

  GenerateRandom: {
    validate: (ctx) => {
      const bytes = ctx.input.int('NumberOfBytes');
      if (bytes === undefined || bytes < 1 || bytes > 1024) {
        throw validation(
          `1 validation error detected: Value '${String(bytes)}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024`,
        );
      }
    },
    handler: (ctx) => ({
      Plaintext: randomBytes(ctx.input.int('NumberOfBytes') ?? 0).toString('base64'),
    }),
  },

  ReEncrypt: {
    // Two permissions, as in AWS: ReEncryptFrom on the source key, ReEncryptTo on the destination.
    iamAction: 'kms:ReEncryptFrom',
    validate: (ctx) => {
      readBlob(ctx.input, 'CiphertextBlob');
      ctx.input.reqStr('DestinationKeyId');
      checkAlgorithm(ctx, 'SourceEncryptionAlgorithm');
      checkAlgorithm(ctx, 'DestinationEncryptionAlgorithm');
      readEncryptionContext(ctx.input, 'SourceEncryptionContext');
      readEncryptionContext(ctx.input, 'DestinationEncryptionContext');
    },
    resources: (ctx) => [keyTarget(sourceKey(ctx, 'CiphertextBlob', 'SourceKeyId'))],
    context: (ctx) =>
      cryptoConditions(ctx, readEncryptionContext(ctx.input, 'SourceEncryptionContext')),
    handler: async (ctx) => {
      const source = sourceKey(ctx, 'CiphertextBlob', 'SourceKeyId');
      const { key: destination } = resolveKey(ctx, ctx.input.reqStr('DestinationKeyId'));
      const destinationContext = readEncryptionContext(ctx.input, 'DestinationEncryptionContext');
      await ctx.authorize('kms:ReEncryptTo', keyTarget(destination), {
        ...cryptoConditions(ctx, destinationContext),
        ...aliasContext(ctx, 'DestinationKeyId'),
      });
      assertUsable(source);
      dryRun(ctx, destination);
      const plaintext = decryptWith(
        source,
        readBlob(ctx.input, 'CiphertextBlob'),
        readEncryptionContext(ctx.input, 'SourceEncryptionContext'),
      );
      return {
        CiphertextBlob: encryptUnder(destination, plaintext, destinationContext).toString('base64'),
        SourceKeyId: source.arn,
        KeyId: destination.arn,
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  },
};
