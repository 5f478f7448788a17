// Test helpers: real AWS SDK clients pointed at a sandbox.
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { Clock, Sandbox } from '../src/index.js';

/** Static credentials, optionally with a session token. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options of test clients. */
export interface ClientOptions {
  /** @default 1 (no retries) */
  maxAttempts?: number;
  /** Signs with this clock's time (a manual clock far from the wall clock). @default the wall clock */
  clock?: Clock;
}

/** Client options for a sandbox: its endpoint, us-east-1, the given credentials. */
export function clientConfig(
  sandbox: Sandbox,
  credentials: TestCredentials,
  options: ClientOptions = {},
) {
  return {
    endpoint: sandbox.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.clock ? { systemClockOffset: options.clock.now().getTime() - Date.now() } : {}),
  };
}

/** STS, IAM and Organizations clients for one set of credentials. */
export function clients(
  sandbox: Sandbox,
  credentials: TestCredentials,
  options: ClientOptions = {},
) {
  const config = clientConfig(sandbox, credentials, options);
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
