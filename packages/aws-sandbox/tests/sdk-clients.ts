// Test helpers: real AWS SDK clients pointed at a sandbox.
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { Sandbox } from '../src/index.js';

/** Static credentials, optionally with a session token. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Client options for a sandbox: its endpoint, us-east-1, the given credentials, 1 attempt. */
export function clientConfig(
  sandbox: Sandbox,
  credentials: TestCredentials,
  maxAttempts = 1,
): { endpoint: string; region: string; credentials: TestCredentials; maxAttempts: number } {
  return { endpoint: sandbox.endpoint, region: 'us-east-1', credentials, maxAttempts };
}

/** STS, IAM and Organizations clients for one set of credentials. */
export function clients(sandbox: Sandbox, credentials: TestCredentials, maxAttempts = 1) {
  const config = clientConfig(sandbox, credentials, maxAttempts);
  return {
    sts: new STSClient(config),
    iam: new IAMClient(config),
    organizations: new OrganizationsClient(config),
  };
}

/** The default account ids. */
export const MANAGEMENT = '111111111111';
export const CICD = '222222222222';
export const DEV = '333333333333';
export const STAGING = '444444444444';
export const PROD = '555555555555';
