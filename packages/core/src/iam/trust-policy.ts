/** The trust policy of a stage role: only that stage's tokens, minted for STS, may assume it. */
import type { AwsPartition } from '../aws-facts/index.js';
import { oidcProviderArn } from '../naming/index.js';
import { POLICY_VERSION, type PolicyDocument } from './policy-document.js';

/** The audience of every token Rampart mints, and the client id of every provider it trusts. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * Lets a web identity from the issuer's provider in the stage's account assume the role when its
 * `aud` is {@link STS_AUDIENCE} and its `sub` is exactly the stage's subject. AWS evaluates only
 * `aud`, `sub` and `oaud` for generic OIDC providers, so `sub` carries organization, pipeline and
 * stage: a staging token cannot assume the prod role.
 */
export function stageTrustPolicy(input: {
  partition: AwsPartition;
  /** The stage's account, which holds both the provider and the role. */
  accountId: string;
  /** The issuer URL without scheme or trailing `/` (see `oidcProviderHost`). */
  issuerHost: string;
  /** The stage's `oidcSubject`. */
  subject: string;
}): PolicyDocument {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: 'RampartStageToken',
        Effect: 'Allow',
        Principal: { Federated: oidcProviderArn(input) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${input.issuerHost}:aud`]: STS_AUDIENCE,
            [`${input.issuerHost}:sub`]: input.subject,
          },
        },
      },
    ],
  };
}

/**
 * The build role's trust policy: like {@link stageTrustPolicy}, for the provider in the CI/CD
 * account and the pipeline's build subject (`buildOidcSubject`), so only that pipeline's build
 * tokens assume it.
 */
export function buildTrustPolicy(input: {
  partition: AwsPartition;
  /** The CI/CD account, which holds both the provider and the role. */
  accountId: string;
  /** The issuer URL without scheme or trailing `/` (see `oidcProviderHost`). */
  issuerHost: string;
  /** The pipeline's `buildOidcSubject`. */
  subject: string;
}): PolicyDocument {
  const policy = stageTrustPolicy(input);
  return {
    ...policy,
    Statement: policy.Statement.map((statement) => ({ ...statement, Sid: 'RampartBuildToken' })),
  };
}
