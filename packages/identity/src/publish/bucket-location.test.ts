import { describe, expect, it } from 'vitest';
import { bucketIssuerUrl, checkBucketName, normalizePrefix, objectKey } from './bucket-location.js';

describe('bucket locations', () => {
  it('the issuer URL is the public HTTPS address of the bucket and prefix', () => {
    expect(bucketIssuerUrl({ bucket: 'acme-oidc', region: 'eu-west-1' })).toBe(
      'https://acme-oidc.s3.eu-west-1.amazonaws.com',
    );
    expect(
      bucketIssuerUrl({ bucket: 'acme-oidc', region: 'us-east-1', prefix: '/rampart/prod/' }),
    ).toBe('https://acme-oidc.s3.us-east-1.amazonaws.com/rampart/prod');
    // Dotted names are not covered by the bucket wildcard certificate: path style.
    expect(bucketIssuerUrl({ bucket: 'oidc.acme.example', region: 'us-west-2' })).toBe(
      'https://s3.us-west-2.amazonaws.com/oidc.acme.example',
    );
    expect(bucketIssuerUrl({ bucket: 'acme-oidc', region: 'cn-north-1' })).toBe(
      'https://acme-oidc.s3.cn-north-1.amazonaws.com.cn',
    );
    expect(
      bucketIssuerUrl({
        bucket: 'acme-oidc',
        region: 'us-east-1',
        prefix: 'p',
        endpoint: 'http://127.0.0.1:4566/',
      }),
    ).toBe('http://127.0.0.1:4566/acme-oidc/p');
  });

  it('object keys sit under the prefix', () => {
    expect(objectKey({ bucket: 'b', region: 'us-east-1' }, 'jwks.json')).toBe(
      '.well-known/jwks.json',
    );
    expect(objectKey({ bucket: 'b', region: 'us-east-1', prefix: 'a/b/' }, 'jwks.json')).toBe(
      'a/b/.well-known/jwks.json',
    );
  });

  it('refuses bucket names and prefixes S3 or URLs would mangle', () => {
    for (const bad of ['ab', 'Acme', 'acme_oidc', '-acme', 'a..b', '192.168.1.1', 'x'.repeat(64)]) {
      expect(() => checkBucketName(bad)).toThrow('is not a valid S3 bucket name');
    }
    for (const bad of ['a b', '../x', 'a//b', 'a?b', 'ä']) {
      expect(() => normalizePrefix(bad)).toThrow('--prefix');
    }
    expect(normalizePrefix(undefined)).toBe('');
    expect(normalizePrefix('///')).toBe('');
  });
});
