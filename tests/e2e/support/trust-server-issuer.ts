/**
 * What bootstrap would make for a test that needs only credentials, not policies: an OIDC provider
 * for the server's issuer in one sandbox account, and one stage role per pipeline trusting exactly
 * that pipeline's stage tokens.
 */
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import type { Sandbox } from '@rampart/aws-sandbox';
import { stageRoleName } from '@rampart/core';

export interface TrustServerIssuerInput {
  sandbox: Sandbox;
  accountId: string;
  /** The server's issuer URL (`server.issuer.issuerUrl`). */
  issuerUrl: string;
  org: string;
  stage: string;
  /** Pipeline slugs that get a role for `stage`. */
  slugs: readonly string[];
}

/** Creates the provider and the roles (no policies: the steps call no AWS API). */
export async function trustServerIssuer(input: TrustServerIssuerInput): Promise<void> {
  const { sandbox, accountId, issuerUrl, org, stage } = input;
  const provider = issuerUrl.replace(/^https?:\/\//, '');
  const iam = new IAMClient({
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    credentials: sandbox.credentialsFor(accountId),
    maxAttempts: 1,
  });
  try {
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuerUrl,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    );
    for (const slug of input.slugs) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: stageRoleName({ org, slug, stage }),
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${provider}` },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                  StringEquals: {
                    [`${provider}:aud`]: 'sts.amazonaws.com',
                    [`${provider}:sub`]: `org:${org}/pipeline:${slug}/stage:${stage}`,
                  },
                },
              },
            ],
          }),
        }),
      );
    }
  } finally {
    iam.destroy();
  }
}
