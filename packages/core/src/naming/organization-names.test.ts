import { describe, expect, it } from 'vitest';
import { isRampartError } from '../errors/index.js';
import { oidcProviderArn, oidcProviderHost } from './oidc-provider.js';
import { organizationKeyAlias, terraformStateBucketName } from './organization-stores.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRampartError(e) ? e.code : 'not a RampartError';
  }
  return undefined;
}

describe('terraformStateBucketName', () => {
  it('is <cicd_account_id>-rampart-<org>-tfstate', () => {
    expect(terraformStateBucketName({ cicdAccountId: '111111111111', org: 'acme' })).toBe(
      '111111111111-rampart-acme-tfstate',
    );
  });

  it('normalizes the org and cuts long names to 63 characters with a hash', () => {
    expect(terraformStateBucketName({ cicdAccountId: '111111111111', org: 'Acme Corp' })).toBe(
      '111111111111-rampart-acme-corp-tfstate',
    );
    const long = terraformStateBucketName({ cicdAccountId: '111111111111', org: 'o'.repeat(60) });
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^111111111111-rampart-o+-[0-9a-f]{6}$/);
  });
});

describe('organizationKeyAlias', () => {
  it('is alias/rampart-<org>', () => {
    expect(organizationKeyAlias({ org: 'acme' })).toBe('alias/rampart-acme');
    expect(organizationKeyAlias({ org: 'Acme_Corp' })).toBe('alias/rampart-acme-corp');
  });

  it('rejects an alias longer than KMS allows', () => {
    expect(codeOf(() => organizationKeyAlias({ org: 'x'.repeat(250) }))).toBe(
      'RESOURCE_NAME_INVALID',
    );
    expect(organizationKeyAlias({ org: 'x'.repeat(242) })).toHaveLength(256);
  });
});

describe('oidcProviderHost', () => {
  it('drops the scheme and trailing slashes, keeping port and path', () => {
    expect(oidcProviderHost('https://rampart.acme.example')).toBe('rampart.acme.example');
    expect(oidcProviderHost('https://rampart.acme.example/')).toBe('rampart.acme.example');
    expect(oidcProviderHost('https://rampart.acme.example:8443/oidc//')).toBe(
      'rampart.acme.example:8443/oidc',
    );
    expect(oidcProviderHost('https://bucket.s3.amazonaws.com/acme')).toBe(
      'bucket.s3.amazonaws.com/acme',
    );
  });

  it('accepts http only on loopback, as the sandbox does', () => {
    expect(oidcProviderHost('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(oidcProviderHost('http://localhost:8080/x')).toBe('localhost:8080/x');
    expect(codeOf(() => oidcProviderHost('http://rampart.acme.example'))).toBe('CONFIG_INVALID');
  });

  it('rejects what IAM rejects', () => {
    for (const bad of [
      'rampart.acme.example',
      'https://rampart.acme.example/?x=1',
      'https://rampart.acme.example/#x',
      'https://user:pw@rampart.acme.example',
      'ftp://rampart.acme.example',
    ]) {
      expect(codeOf(() => oidcProviderHost(bad))).toBe('CONFIG_INVALID');
    }
  });
});

describe('oidcProviderArn', () => {
  it('names the provider in an account and partition', () => {
    expect(
      oidcProviderArn({
        partition: 'aws-us-gov',
        accountId: '222222222222',
        issuerHost: 'rampart.acme.example',
      }),
    ).toBe('arn:aws-us-gov:iam::222222222222:oidc-provider/rampart.acme.example');
  });
});
