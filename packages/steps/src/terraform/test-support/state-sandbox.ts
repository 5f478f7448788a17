/**
 * Test helper: a sandbox (IAM enforced) holding what bootstrap would create for Terraform state:
 * the organization's state bucket in the CI/CD account with the org stack's bucket policy, and a
 * stage role per stage with the policies core generates for the pipeline's steps. Stage
 * credentials come from assuming that role, so every S3 call terraform makes is checked against
 * the generated policies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { AwsClientFactory, organizationTemplate } from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import {
  nodeFileSystem,
  stagePolicies,
  terraformStateBucketName,
  validateRepository,
} from '@rampart/core';
import type { StageCredentials } from '@rampart/engine';
import type { TerraformOrganization } from '../state-backend.js';

export const CICD = '222222222222';
export const STAGING = '444444444444';
export const REGION = 'us-east-1';
export const ORGANIZATION: TerraformOrganization = {
  slug: 'acme',
  cicd_account_id: CICD,
  cicd_account_region: REGION,
};
/** Stands for the org stack's `KeyArn` output (the sandbox's S3 records key ids, never calls KMS). */
export const KEY_ARN = `arn:aws:kms:${REGION}:${CICD}:key/0b1c2d3e-0000-4000-8000-000000000001`;

export interface StateSandbox {
  sandbox: Sandbox;
  sdk: AwsClientFactory;
  bucket: string;
  /** S3 as the CI/CD account's administrator (to look at the state and plant locks). */
  admin: S3Client;
  /** Short-lived credentials of the stage role of `stage` in pipeline `web`. */
  stageCredentials(stage: string): Promise<StageCredentials>;
  stop(): Promise<void>;
}

/** Starts the sandbox with the state bucket and one role per stage of pipeline `web`. */
export async function startStateSandbox(stages: readonly string[]): Promise<StateSandbox> {
  // Terraform signs requests with the wall clock, so the sandbox keeps the system clock.
  const sandbox = await startSandbox();
  const sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint });
  const repo = mkdtempSync(join(tmpdir(), 'rampart-tf-pipeline-'));
  try {
    mkdirSync(join(repo, '.rampart', 'web'), { recursive: true });
    writeFileSync(join(repo, '.rampart', 'web', 'pipeline.yaml'), pipelineYaml(stages));
    const organization = { ...ORGANIZATION };
    const validation = await validateRepository(repo, nodeFileSystem, { organization });
    const pipeline = validation.pipelines[0];
    const model = pipeline?.model;
    if (pipeline === undefined || model === undefined) {
      throw new Error(`pipeline invalid: ${JSON.stringify(validation.diagnostics)}`);
    }

    const bucket = terraformStateBucketName({ cicdAccountId: CICD, org: ORGANIZATION.slug });
    const admin = sdk.s3({ region: REGION, credentials: sandbox.credentialsFor(CICD) });
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    await admin.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const template = organizationTemplate({ organization, issuerUrl: 'https://rampart.test' }, [
      model,
    ]);
    const policy = template.Resources['TerraformStateBucketPolicy']?.Properties['PolicyDocument'];
    await admin.send(
      new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }),
    );

    const iam = sdk.iam({ region: REGION, credentials: sandbox.credentialsFor(STAGING) });
    const roleArns = new Map<string, string>();
    for (const stage of model.stages) {
      const generated = stagePolicies({
        model,
        stage,
        organization,
        issuerHost: 'rampart.test',
        kmsKeyArn: KEY_ARN,
        ...(pipeline.resolvedStages.get(stage.name) === undefined
          ? {}
          : { resolved: pipeline.resolvedStages.get(stage.name) }),
      });
      // Bootstrap's role trusts Rampart's OIDC tokens; here the account's administrator assumes
      // it instead. The permissions, which is what these tests are about, are the generated ones.
      await iam.send(
        new CreateRoleCommand({
          RoleName: generated.roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${STAGING}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
      for (const rolePolicy of generated.policies) {
        if (rolePolicy.kind !== 'inline') throw new Error(`unexpected ${rolePolicy.kind} policy`);
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: generated.roleName,
            PolicyName: rolePolicy.name,
            PolicyDocument: JSON.stringify(rolePolicy.document),
          }),
        );
      }
      roleArns.set(stage.name, generated.roleArn);
    }
    const sts = sdk.sts({ region: REGION, credentials: sandbox.credentialsFor(STAGING) });
    return {
      sandbox,
      sdk,
      bucket,
      admin,
      async stageCredentials(stage) {
        const out = await sts.send(
          new AssumeRoleCommand({ RoleArn: roleArns.get(stage), RoleSessionName: 'rampart-test' }),
        );
        const c = out.Credentials;
        if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
          throw new Error('no credentials');
        }
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
        };
      },
      stop: () => sandbox.stop(),
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

function pipelineYaml(stages: readonly string[]): string {
  return [
    'version: "1.0.0"',
    'pipeline:',
    '  cloud_provider: AWS',
    '  stages:',
    ...stages.flatMap((name) => [
      `    - name: ${name}`,
      `      account_id: "${STAGING}"`,
      `      region: ${REGION}`,
    ]),
    '  steps:',
    '    - name: Infra',
    '      type: RAMPART:TERRAFORM:SYNTHESIZE',
    '      params:',
    '        source: infra',
    '',
  ].join('\n');
}
