// Terraform's S3 backend, unmodified, against a started sandbox: state in a bucket, locking with
// `use_lockfile` (conditional writes), and a lock conflict. Only built-in resources: no downloads.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/index.js';
import { CICD } from '../sdk-clients.js';
import { cleanEnv, describeRun, run, skipWithout, tempDir, type RunResult } from './system-kit.js';

const terraform = skipWithout('terraform');
const BUCKET = 'cicd-terraform-state';
const STATE_KEY = 'envs/demo/terraform.tfstate';

function config(endpoint: string): string {
  return `terraform {
  backend "s3" {
    bucket                      = "${BUCKET}"
    key                         = "${STATE_KEY}"
    region                      = "us-east-1"
    endpoints                   = { s3 = "${endpoint}", sts = "${endpoint}", iam = "${endpoint}" }
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    use_lockfile                = true
    encrypt                     = true
  }
}

resource "terraform_data" "network" {
  input = "10.0.0.0/16"
}

resource "terraform_data" "service" {
  input = { network = terraform_data.network.output, name = "web" }
}

output "service" {
  value = terraform_data.service.output
}
`;
}

describe.skipIf(terraform.skip)(
  `terraform S3 backend against the sandbox${terraform.title}`,
  () => {
    let sandbox: Sandbox;
    let work: { path: string; remove: () => Promise<void> };
    let s3: S3Client;

    const tf = (args: string[]): Promise<RunResult> => {
      const { accessKeyId, secretAccessKey } = sandbox.credentialsFor(CICD);
      return run('terraform', [...args, '-input=false', '-no-color'], {
        cwd: work.path,
        env: cleanEnv({
          HOME: work.path,
          TF_IN_AUTOMATION: '1',
          CHECKPOINT_DISABLE: '1',
          TF_DATA_DIR: join(work.path, '.terraform-data'),
          TF_CLI_CONFIG_FILE: join(work.path, 'terraformrc'),
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: secretAccessKey,
          AWS_EC2_METADATA_DISABLED: 'true',
        }),
        timeoutMs: 120_000,
      });
    };
    const ok = async (args: string[]): Promise<string> => {
      const result = await tf(args);
      expect(result.code, describeRun(`terraform ${args.join(' ')}`, result)).toBe(0);
      return result.stdout;
    };

    beforeAll(async () => {
      // Terraform signs with the wall clock, so this sandbox keeps the system clock.
      sandbox = await startSandbox();
      work = await tempDir('rampart-terraform-');
      await writeFile(join(work.path, 'main.tf'), config(sandbox.endpoint));
      await writeFile(join(work.path, 'terraformrc'), '');
      s3 = new S3Client({
        endpoint: sandbox.endpoint,
        region: 'us-east-1',
        credentials: sandbox.credentialsFor(CICD),
        forcePathStyle: true,
      });
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: BUCKET,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      // The TLS-only policy Rampart's bootstrap puts on its state bucket.
      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: BUCKET,
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          }),
        }),
      );
    });
    afterAll(async () => {
      await sandbox?.stop();
      await work?.remove();
    });

    it('initialises, applies, and applies again with no changes', async () => {
      expect(await ok(['init'])).toContain('Successfully configured the backend "s3"!');
      const first = await ok(['apply', '-auto-approve']);
      expect(first).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
      const second = await ok(['apply', '-auto-approve']);
      expect(second).toContain('No changes.');
      expect(second).toContain('Apply complete! Resources: 0 added, 0 changed, 0 destroyed.');
    });

    it('keeps the state in the bucket, encrypted, and releases its lock', async () => {
      const state = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: STATE_KEY }));
      expect(state.ServerSideEncryption).toBe('AES256');
      const parsed = JSON.parse((await state.Body?.transformToString()) ?? '{}') as {
        serial: number;
        resources: { type: string; name: string }[];
      };
      expect(
        parsed.resources.map((resource) => `${resource.type}.${resource.name}`).sort(),
      ).toEqual(['terraform_data.network', 'terraform_data.service']);
      expect(parsed.serial).toBeGreaterThan(0);
      await expect(
        s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${STATE_KEY}.tflock` })),
      ).rejects.toMatchObject({ name: 'NotFound' });
    });

    it('refuses to run while another holder has the lock file, and runs once it is gone', async () => {
      const lockId = '6f1c2a7e-0000-4000-8000-000000000001';
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `${STATE_KEY}.tflock`,
          IfNoneMatch: '*',
          Body: JSON.stringify({
            ID: lockId,
            Operation: 'OperationTypeApply',
            Info: '',
            Who: 'someone@elsewhere',
            Version: '1.11.4',
            Created: '2026-03-01T10:00:00Z',
            Path: `${BUCKET}/${STATE_KEY}`,
          }),
        }),
      );
      const blocked = await tf(['apply', '-auto-approve', '-lock-timeout=0s']);
      expect(blocked.code, describeRun('terraform apply', blocked)).not.toBe(0);
      expect(blocked.stderr).toContain('Error acquiring the state lock');
      expect(blocked.stderr).toContain('PreconditionFailed');
      expect(blocked.stderr).toContain(lockId);
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${STATE_KEY}.tflock` }));
      const plan = await tf(['plan', '-detailed-exitcode']);
      expect(plan.code, describeRun('terraform plan', plan)).toBe(0);
    });
  },
  300_000,
);
