import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../framework/aws-error.js';
import { ciphertextKeyArn, openCiphertext, sealCiphertext } from './ciphertext.js';

const ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error: unknown) {
    return error instanceof AwsError ? error.code : String(error);
  }
  return 'no error';
}

describe('ciphertext blobs', () => {
  const material = randomBytes(32);

  it('round-trips and names its key', () => {
    const blob = sealCiphertext(material, ARN, Buffer.from('hello'), { a: '1', b: '2' });
    expect(ciphertextKeyArn(blob)).toBe(ARN);
    expect(openCiphertext(material, blob, { b: '2', a: '1' }).toString()).toBe('hello');
  });

  it('refuses other material, other contexts, altered and truncated blobs', () => {
    const blob = sealCiphertext(material, ARN, Buffer.from('hello'), { a: '1' });
    expect(code(() => openCiphertext(randomBytes(32), blob, { a: '1' }))).toBe(
      'InvalidCiphertextException',
    );
    expect(code(() => openCiphertext(material, blob, { a: '2' }))).toBe(
      'InvalidCiphertextException',
    );
    const renamed = Buffer.from(blob);
    renamed[renamed.indexOf('111111111111')] = '2'.charCodeAt(0);
    expect(code(() => openCiphertext(material, renamed, { a: '1' }))).toBe(
      'InvalidCiphertextException',
    );
    expect(code(() => ciphertextKeyArn(blob.subarray(0, 10)))).toBe('InvalidCiphertextException');
    expect(code(() => ciphertextKeyArn(Buffer.alloc(0)))).toBe('InvalidCiphertextException');
    const otherVersion = Buffer.from(blob);
    otherVersion[0] = 2;
    expect(code(() => ciphertextKeyArn(otherVersion))).toBe('InvalidCiphertextException');
  });
});
