import { describe, expect, it } from 'vitest';
import { isRampartError } from '@rampart/core';
import { ACCOUNT_PARAMETERS, accountTemplate } from './account-template.js';
import type { BootstrapSettings } from './bootstrap-settings.js';

const settings: BootstrapSettings = {
  organization: { slug: 'acme', cicd_account_id: '111111111111', cicd_account_region: 'us-east-1' },
  issuerUrl: 'https://rampart.acme.example/oidc/',
};

describe('accountTemplate', () => {
  it('creates a provider for the issuer with the STS client id', () => {
    const t = accountTemplate(settings);
    const provider = t.Resources.OidcProvider;
    expect(provider?.Type).toBe('AWS::IAM::OIDCProvider');
    expect(provider?.Properties.Url).toBe('https://rampart.acme.example/oidc');
    expect(provider?.Properties.ClientIdList).toEqual(['sts.amazonaws.com']);
    expect(t.Outputs.IssuerHost?.Value).toBe('rampart.acme.example/oidc');
  });

  it('adopts an existing provider: the provider is skipped and the output names the existing one', () => {
    const t = accountTemplate(settings);
    expect(t.Parameters?.[ACCOUNT_PARAMETERS.existingProviderArn]?.Default).toBe('');
    expect(t.Conditions?.CreateProvider).toEqual({
      'Fn::Equals': [{ Ref: 'ExistingProviderArn' }, ''],
    });
    expect(t.Resources.OidcProvider?.Condition).toBe('CreateProvider');
    expect(t.Outputs.ProviderArn?.Value).toEqual({
      'Fn::If': ['CreateProvider', { Ref: 'OidcProvider' }, { Ref: 'ExistingProviderArn' }],
    });
    // The stack then still holds one resource, a no-op.
    expect(t.Resources.AdoptedProviderAnchor).toMatchObject({
      Type: 'AWS::CloudFormation::WaitConditionHandle',
      Condition: 'AdoptProvider',
    });
  });

  it('takes a thumbprint when one is given and none otherwise', () => {
    const t = accountTemplate(settings);
    const pattern = new RegExp(t.Parameters?.Thumbprint?.AllowedPattern ?? '');
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('a'.repeat(40))).toBe(true);
    expect(pattern.test('a'.repeat(39))).toBe(false);
    expect(t.Resources.OidcProvider?.Properties.ThumbprintList).toEqual({
      'Fn::If': ['HasThumbprint', [{ Ref: 'Thumbprint' }], { Ref: 'AWS::NoValue' }],
    });
    const arnPattern = new RegExp(t.Parameters?.ExistingProviderArn?.AllowedPattern ?? '');
    expect(arnPattern.test('arn:aws:iam::222222222222:oidc-provider/rampart.acme.example')).toBe(
      true,
    );
    expect(arnPattern.test('arn:aws:iam::222222222222:role/x')).toBe(false);
  });

  it('rejects an issuer IAM would not accept', () => {
    let code: string | undefined;
    try {
      accountTemplate({ ...settings, issuerUrl: 'http://rampart.acme.example' });
    } catch (e) {
      code = isRampartError(e) ? e.code : 'other';
    }
    expect(code).toBe('CONFIG_INVALID');
  });
});
