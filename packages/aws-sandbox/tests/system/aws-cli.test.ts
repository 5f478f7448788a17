// The AWS CLI, unmodified, against a started sandbox: STS, S3 (high-level commands) and IAM.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/index.js';
import { DEV, MANAGEMENT } from '../sdk-clients.js';
import { cleanEnv, describeRun, run, skipWithout, tempDir, type RunResult } from './system-kit.js';

const cli = skipWithout('aws');

describe.skipIf(cli.skip)(
  `AWS CLI against the sandbox${cli.title}`,
  () => {
    let sandbox: Sandbox;
    let home: { path: string; remove: () => Promise<void> };

    /** Runs `aws --endpoint-url <sandbox> …` as an account's admin, with nothing from this machine. */
    const aws = async (accountId: string, args: string[]): Promise<RunResult> => {
      const { accessKeyId, secretAccessKey } = sandbox.credentialsFor(accountId);
      return run('aws', ['--endpoint-url', sandbox.endpoint, '--output', 'json', ...args], {
        cwd: home.path,
        env: cleanEnv({
          HOME: home.path,
          AWS_CONFIG_FILE: join(home.path, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home.path, 'credentials'),
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_REGION: 'us-east-1',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        }),
      });
    };
    const ok = async (accountId: string, args: string[]): Promise<string> => {
      const result = await aws(accountId, args);
      expect(result.code, describeRun(`aws ${args.join(' ')}`, result)).toBe(0);
      return result.stdout;
    };

    beforeAll(async () => {
      // External tools sign with the wall clock, so this sandbox keeps the system clock.
      sandbox = await startSandbox();
      home = await tempDir('rampart-aws-cli-');
      await writeFile(join(home.path, 'config'), '');
    });
    afterAll(async () => {
      await sandbox?.stop();
      await home?.remove();
    });

    it('identifies the caller through STS', async () => {
      const identity = JSON.parse(await ok(MANAGEMENT, ['sts', 'get-caller-identity'])) as Record<
        string,
        string
      >;
      expect(identity).toMatchObject({
        Account: MANAGEMENT,
        Arn: `arn:aws:iam::${MANAGEMENT}:user/admin`,
      });
    });

    it('makes a bucket, copies files up and down (multipart included) and lists them', async () => {
      expect(await ok(MANAGEMENT, ['s3', 'mb', 's3://cli-system-bucket'])).toContain(
        'make_bucket: cli-system-bucket',
      );
      const small = join(home.path, 'small.txt');
      const large = join(home.path, 'large.bin');
      await writeFile(small, 'hello from the aws cli\n');
      // Over the CLI's 8 MB multipart threshold.
      const largeData = randomBytes(9 * 1024 * 1024);
      await writeFile(large, largeData);
      await ok(MANAGEMENT, ['s3', 'cp', small, 's3://cli-system-bucket/docs/small.txt']);
      await ok(MANAGEMENT, ['s3', 'cp', large, 's3://cli-system-bucket/artifacts/large.bin']);
      const listing = await ok(MANAGEMENT, ['s3', 'ls', 's3://cli-system-bucket/docs/']);
      expect(listing).toMatch(/\s23 small\.txt/);
      const recursive = await ok(MANAGEMENT, ['s3', 'ls', '--recursive', 's3://cli-system-bucket']);
      expect(recursive).toContain('artifacts/large.bin');
      expect(recursive).toContain(`${largeData.length} artifacts/large.bin`);
      await ok(MANAGEMENT, [
        's3',
        'cp',
        's3://cli-system-bucket/docs/small.txt',
        join(home.path, 'back.txt'),
      ]);
      expect(await readFile(join(home.path, 'back.txt'), 'utf8')).toBe('hello from the aws cli\n');
      await ok(MANAGEMENT, [
        's3',
        'cp',
        's3://cli-system-bucket/artifacts/large.bin',
        join(home.path, 'back.bin'),
      ]);
      expect((await readFile(join(home.path, 'back.bin'))).equals(largeData)).toBe(true);
      expect(await ok(MANAGEMENT, ['s3', 'ls'])).toContain('cli-system-bucket');
    });

    it('is refused where IAM refuses, with the real error code', async () => {
      const denied = await aws(DEV, ['s3', 'ls', 's3://cli-system-bucket']);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain('AccessDenied');
    });

    it('creates and reads an IAM role', async () => {
      const trust = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      });
      const created = JSON.parse(
        await ok(MANAGEMENT, [
          'iam',
          'create-role',
          '--role-name',
          'cli-role',
          '--assume-role-policy-document',
          trust,
        ]),
      ) as { Role: { Arn: string } };
      expect(created.Role.Arn).toBe(`arn:aws:iam::${MANAGEMENT}:role/cli-role`);
      const fetched = JSON.parse(
        await ok(MANAGEMENT, ['iam', 'get-role', '--role-name', 'cli-role']),
      ) as {
        Role: { RoleName: string };
      };
      expect(fetched.Role.RoleName).toBe('cli-role');
      const again = await aws(MANAGEMENT, [
        'iam',
        'create-role',
        '--role-name',
        'cli-role',
        '--assume-role-policy-document',
        trust,
      ]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('EntityAlreadyExists');
    });
  },
  180_000,
);
