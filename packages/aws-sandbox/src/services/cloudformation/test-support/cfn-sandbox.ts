// Test support: a sandbox with CloudFormation, IAM, S3, KMS and Secrets Manager clients.
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig, type TestCredentials } from '../../../../tests/sdk-clients.js';
import type { Clock } from '../../../clock.js';
import type { Sandbox } from '../../../sandbox.js';

/** Every client a CloudFormation test uses, for one identity. */
export function cfnClients(sandbox: Sandbox, credentials: TestCredentials, clock?: Clock) {
  const config = clientConfig(sandbox, credentials, clock ? { clock } : {});
  return {
    cfn: new CloudFormationClient(config),
    iam: new IAMClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    kms: new KMSClient(config),
    secrets: new SecretsManagerClient(config),
  };
}

/** The stack as DescribeStacks shows it. */
export async function describeStack(cfn: CloudFormationClient, name: string): Promise<Stack> {
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
  const stack = Stacks?.[0];
  if (!stack) throw new Error(`no stack ${name}`);
  return stack;
}

/** Every event of a stack, oldest first (follows NextToken). */
export async function stackEvents(cfn: CloudFormationClient, name: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(
      new DescribeStackEventsCommand({ StackName: name, NextToken: token }),
    );
    events.push(...(page.StackEvents ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return events.reverse();
}

/** `LogicalId STATUS` lines of a stack's events, oldest first. */
export async function eventTrail(cfn: CloudFormationClient, name: string): Promise<string[]> {
  return (await stackEvents(cfn, name)).map(
    (event) => `${event.LogicalResourceId ?? ''} ${event.ResourceStatus ?? ''}`,
  );
}

/** Creates an IAM user with one inline policy in the admin's account; returns its keys. */
export async function userWithPolicy(
  iam: IAMClient,
  name: string,
  statements: object[],
): Promise<TestCredentials> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'access',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  if (!AccessKey?.AccessKeyId || !AccessKey.SecretAccessKey) throw new Error('no access key');
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

/** A trust policy for a service principal. */
export function trustPolicy(service: string): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}
