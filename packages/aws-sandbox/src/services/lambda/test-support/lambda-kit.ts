// Helpers for the Lambda tests: SDK clients, an execution role, handler zips, least-privilege users.
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, type TestCredentials } from '../../../../tests/sdk-clients.js';
import type { Clock } from '../../../clock.js';
import type { Sandbox } from '../../../sandbox.js';
import { buildZip } from '../zip-writer.js';

/** Lambda, IAM and S3 clients for one identity, signing with `clock`'s time. */
export function lambdaClients(sandbox: Sandbox, credentials: TestCredentials, clock: Clock) {
  const config = clientConfig(sandbox, credentials, { clock });
  return {
    lambda: new LambdaClient(config),
    iam: new IAMClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
}

/** A trust policy for `service`. */
export function trustPolicy(service = 'lambda.amazonaws.com'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

/** Creates a role trusting `service` and returns its ARN. */
export async function createRole(
  iam: IAMClient,
  name = 'lambda-exec',
  service = 'lambda.amazonaws.com',
): Promise<string> {
  const { Role } = await iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy(service) }),
  );
  return Role?.Arn ?? '';
}

/** A zip of handler files (`{ 'index.mjs': 'export const handler = …' }`). */
export function handlerZip(files: Record<string, string>): Uint8Array {
  return buildZip(Object.entries(files).map(([name, data]) => ({ name, data })));
}

/** An ESM handler returning `body` (an expression over `event` and `context`). */
export function esmHandler(body: string): Uint8Array {
  return handlerZip({
    'index.mjs': `export const handler = async (event, context) => (${body});\n`,
  });
}

/** Creates an IAM user with one inline policy and returns its access key. */
export async function userWithPolicy(
  iam: IAMClient,
  name: string,
  statements: object[],
): Promise<TestCredentials> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'inline',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  if (!AccessKey?.AccessKeyId || !AccessKey.SecretAccessKey) throw new Error('no access key');
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** The HTTP status of an SDK error. */
export function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** A payload as text. */
export function payloadText(payload: Uint8Array | undefined): string {
  return Buffer.from(payload ?? new Uint8Array()).toString('utf8');
}
