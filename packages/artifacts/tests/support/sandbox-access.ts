// AWS SDK clients on a sandbox, a stage role with its own policy, and ECR registry logins.
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Sandbox } from '@rampart/aws-sandbox';

/** Static credentials, with a session token for roles. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SDK client options for the sandbox (path-style S3, no SDK retries: tests see every error). */
export function sdkConfig(sandbox: Sandbox, credentials: Credentials) {
  return {
    endpoint: sandbox.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    forcePathStyle: true,
  };
}

export const ecr = (sandbox: Sandbox, credentials: Credentials) =>
  new ECRClient(sdkConfig(sandbox, credentials));
export const s3 = (sandbox: Sandbox, credentials: Credentials) =>
  new S3Client(sdkConfig(sandbox, credentials));

/** A policy document. */
export function policy(statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Creates a role in `accountId` that the account's admin may assume, with one inline policy, and
 * returns the credentials of a session of it (as a stage role's step would have).
 */
export async function roleSession(
  sandbox: Sandbox,
  accountId: string,
  roleName: string,
  statements: object[],
): Promise<Credentials> {
  const admin = sandbox.credentialsFor(accountId);
  const iam = new IAMClient(sdkConfig(sandbox, admin));
  await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: policy([
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'sts:AssumeRole',
        },
      ]),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'access',
      PolicyDocument: policy(statements),
    }),
  );
  const sts = new STSClient(sdkConfig(sandbox, admin));
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
      RoleSessionName: 'mirror-test',
    }),
  );
  return {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  };
}

/** The registry login of a principal: user `AWS` and the ECR authorization token's password. */
export async function registryLogin(
  sandbox: Sandbox,
  credentials: Credentials,
): Promise<{ username: string; password: string }> {
  const { authorizationData } = await ecr(sandbox, credentials).send(
    new GetAuthorizationTokenCommand({}),
  );
  const decoded = Buffer.from(authorizationData?.[0]?.authorizationToken ?? '', 'base64').toString(
    'utf8',
  );
  const colon = decoded.indexOf(':');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `Authorization: Basic …` headers for a registry login. */
export function basicHeaders(login: {
  username: string;
  password: string;
}): Record<string, string> {
  return {
    authorization: `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`,
  };
}
