// Helpers for the S3 tests: path-style SDK clients and least-privilege users.
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, type TestCredentials } from '../../../../tests/sdk-clients.js';
import type { Clock } from '../../../clock.js';
import type { Sandbox } from '../../../sandbox.js';

/** An S3 client with path-style addressing, signing with `clock`'s time. */
export function s3Client(
  sandbox: Sandbox,
  credentials: TestCredentials,
  clock: Clock,
  options: { region?: string } = {},
): S3Client {
  return new S3Client({
    ...clientConfig(sandbox, credentials, { clock }),
    ...(options.region !== undefined ? { region: options.region } : {}),
    forcePathStyle: true,
  });
}

/** Creates an IAM user with one inline policy and returns its access key. */
export async function userWithPolicy(
  sandbox: Sandbox,
  clock: Clock,
  accountId: string,
  userName: string,
  policy: unknown,
): Promise<TestCredentials> {
  const iam = new IAMClient(clientConfig(sandbox, sandbox.credentialsFor(accountId), { clock }));
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: userName,
      PolicyName: 'inline',
      PolicyDocument: JSON.stringify(policy),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  if (!AccessKey?.AccessKeyId || !AccessKey.SecretAccessKey) throw new Error('no access key');
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

/** The HTTP status of an SDK error. */
export function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}
