import { describe, expect, it } from 'vitest';
import { carrierKey, carryContextKeys, carryPolicyKeys } from './colon-condition-keys.js';
import { evaluate } from './authorizer.js';

const KEY = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('colon-form condition keys', () => {
  it('renames kms:EncryptionContext keys only, case-insensitively', () => {
    expect(carrierKey('kms:EncryptionContext:Stage')).toBe(
      'aws:RequestTag/rampart-sandbox-colon-key.kms:encryptioncontext:stage',
    );
    expect(carrierKey('kms:CallerAccount')).toBe('kms:CallerAccount');
    expect(carrierKey('aws:PrincipalTag/team')).toBe('aws:PrincipalTag/team');
  });

  it('leaves contexts and policies without such keys untouched (same objects)', () => {
    const context = { 'kms:CallerAccount': '111111111111' };
    expect(carryContextKeys(context)).toBe(context);
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    };
    expect(carryPolicyKeys(policy)).toBe(policy);
  });

  it('renames the keys in every condition operator of every statement', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:EncryptionContext:SecretARN': 'arn', 'kms:CallerAccount': '1' },
          StringLike: { 'kms:EncryptionContext:stage': 'p*' },
        },
      },
    };
    expect(carryPolicyKeys(policy)).toEqual({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: {
          StringEquals: {
            'aws:RequestTag/rampart-sandbox-colon-key.kms:encryptioncontext:secretarn': 'arn',
            'kms:CallerAccount': '1',
          },
          StringLike: {
            'aws:RequestTag/rampart-sandbox-colon-key.kms:encryptioncontext:stage': 'p*',
          },
        },
      },
    });
  });

  it('lets the authorizer evaluate encryption-context conditions in identity and key policies', async () => {
    const principal = 'arn:aws:iam::111111111111:user/scoped';
    const condition = { StringEquals: { 'kms:EncryptionContext:stage': 'dev' } };
    const run = (stage: string, where: 'identity' | 'resource') =>
      evaluate(
        {
          principal,
          action: 'kms:Decrypt',
          target: {
            arn: KEY,
            resourcePolicy: {
              Version: '2012-10-17',
              Statement: [
                where === 'resource'
                  ? {
                      Effect: 'Allow',
                      Principal: { AWS: principal },
                      Action: 'kms:Decrypt',
                      Resource: '*',
                      Condition: condition,
                    }
                  : {
                      Effect: 'Allow',
                      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
                      Action: 'kms:*',
                      Resource: '*',
                    },
              ],
            },
          },
          policies: {
            identity:
              where === 'identity'
                ? [
                    {
                      name: 'p',
                      policy: {
                        Version: '2012-10-17',
                        Statement: [
                          {
                            Effect: 'Allow',
                            Action: 'kms:Decrypt',
                            Resource: '*',
                            Condition: condition,
                          },
                        ],
                      },
                    },
                  ]
                : [],
            tags: [],
          },
          context: { 'kms:EncryptionContext:stage': stage },
        },
        '111111111111',
      );
    for (const where of ['identity', 'resource'] as const) {
      expect(await run('dev', where)).toEqual({ allowed: true });
      expect((await run('prod', where)).allowed).toBe(false);
    }
  });
});
