/**
 * Test helper: a role in a sandbox account whose only policy is what core's catalog grants a step
 * (the statements bootstrap puts on a stage role), assumed with STS, so an executor test runs with
 * exactly those permissions and can show that anything else is denied.
 */
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsClientFactory } from '@rampart/aws';
import type { Sandbox } from '@rampart/aws-sandbox';
import { stepIamStatements, type IamStatement, type StepTypeId } from '@rampart/core';
import type { StageCredentials } from '@rampart/engine';

/** The statements core's catalog gives a step with these (raw) params in this account and region. */
export function catalogStatements(
  id: StepTypeId,
  params: unknown,
  accountId: string,
  region: string,
): IamStatement[] {
  return stepIamStatements(id, params, {
    partition: 'aws',
    accountId,
    region,
    pipelineSlug: 'web',
    stageName: 'staging',
  });
}

let roles = 0;

/** Creates a role with exactly `statements` and returns its session credentials. */
export async function scopedCredentials(
  sandbox: Sandbox,
  sdk: AwsClientFactory,
  accountId: string,
  statements: readonly IamStatement[],
): Promise<() => Promise<StageCredentials>> {
  roles += 1;
  const roleName = `step-test-${roles}`;
  const admin = sandbox.credentialsFor(accountId);
  const iam = sdk.iam({ region: 'us-east-1', credentials: admin });
  await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'step',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
  const sts = sdk.sts({ region: 'us-east-1', credentials: admin });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
      RoleSessionName: 'step-test',
    }),
  );
  const c = out.Credentials;
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
    throw new Error('STS returned no credentials');
  }
  const credentials: StageCredentials = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
  };
  return () => Promise.resolve(credentials);
}
