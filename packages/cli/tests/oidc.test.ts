import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startSandbox } from '@rampart/aws-sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-cli-oidc-'));
  temps.push(dir);
  if (config !== undefined) writeFileSync(join(dir, 'rampart.config.yaml'), config);
  return dir;
}

describe('rampart oidc show / rotate', () => {
  it('show before any key exists says so and creates nothing', async () => {
    const cwd = tempDir('issuer_url: https://rampart.acme.example\n');
    const result = await runCli(['oidc', 'show'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('issuer: https://rampart.acme.example\n');
    expect(result.stdout).toContain(`keys:   ${join(cwd, '.rampart', 'keys.json')}\n`);
    expect(result.stdout).toContain('no signing keys yet');
    expect(existsSync(join(cwd, '.rampart'))).toBe(false);
  });

  it('rotate creates the first key (and the master key), then retires it on the next rotation', async () => {
    const cwd = tempDir();
    const first = await runCli(['oidc', 'rotate'], { cwd });
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(
      `generated a master key in ${join(cwd, '.rampart', 'master.key')}: back it up; the signing keys cannot be read without it\n`,
    );
    const firstKid = /new active key: (\S+)/.exec(first.stdout)?.[1];
    expect(firstKid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.stdout).not.toContain('retired key');

    const second = await runCli(['oidc', 'rotate'], { cwd });
    expect(second.stderr).toBe('');
    expect(second.stdout).toContain(
      `retired key:    ${firstKid ?? ''} (stays in the key set until `,
    );
    expect(second.stdout).toContain('run `rampart oidc publish` now');
    const secondKid = /new active key: (\S+)/.exec(second.stdout)?.[1];

    const text = await runCli(['oidc', 'show'], { cwd });
    expect(text.stdout).toContain('issuer: (issuer_url is not set)');
    expect(text.stdout).toMatch(
      new RegExp(`\n${secondKid ?? ''}\\s+active\\s+\\d+[smhd]( \\d+[mh])?\\s+signs new tokens\n`),
    );
    expect(text.stdout).toMatch(
      new RegExp(
        `\n${firstKid ?? ''}\\s+retired\\s+\\d+[smhd]( \\d+[mh])?\\s+retired \\d+[sm] ago; leaves the key set in \\d+[sm]\n`,
      ),
    );

    const json = await runCli(['oidc', 'show', '--format', 'json'], { cwd });
    const shown = JSON.parse(json.stdout) as {
      issuer: null;
      keys: { kid: string; state: string; removedAt: string | null }[];
    };
    expect(shown.issuer).toBeNull();
    expect(shown.keys.map((k) => [k.kid, k.state])).toEqual([
      [secondKid, 'active'],
      [firstKid, 'retired'],
    ]);
    expect(shown.keys[0]?.removedAt).toBeNull();
    expect(typeof shown.keys[1]?.removedAt).toBe('string');
  });

  it('usage mistakes exit 2 with the usage', async () => {
    const cwd = tempDir();
    for (const argv of [
      ['oidc'],
      ['oidc', 'list'],
      ['oidc', 'publish'],
      ['oidc', 'show', '--bucket', 'x'],
      ['oidc', 'show', '--format', 'yaml'],
    ]) {
      const result = await runCli(argv, { cwd });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage: rampart oidc show');
    }
    expect(existsSync(join(cwd, '.rampart'))).toBe(false);
  });

  it('a wrong master key is SIGNING_KEYS_UNREADABLE with a hint, exit 1', async () => {
    const cwd = tempDir(`master_key: "${Buffer.alloc(32, 1).toString('base64')}"\n`);
    expect((await runCli(['oidc', 'rotate'], { cwd })).code).toBe(0);
    const result = await runCli(['oidc', 'show'], {
      cwd,
      env: { RAMPART_MASTER_KEY: Buffer.alloc(32, 2).toString('base64') },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error SIGNING_KEYS_UNREADABLE: ');
    expect(result.stderr).toContain('was encrypted with another master key');
    expect(result.stderr).toContain('hint: ');
  });
});

describe('rampart oidc publish (sandbox S3)', () => {
  it('writes both documents to the bucket and prints the issuer URL to configure', async () => {
    const sandbox = await startSandbox();
    try {
      const credentials = sandbox.credentialsFor('222222222222');
      const s3 = new S3Client({
        endpoint: sandbox.endpoint,
        region: sandbox.region,
        credentials,
        forcePathStyle: true,
      });
      await s3.send(new CreateBucketCommand({ Bucket: 'acme-oidc' }));
      await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'acme-oidc' }));
      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: 'acme-oidc',
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::acme-oidc/*',
              },
            ],
          }),
        }),
      );
      s3.destroy();
      const cwd = tempDir(`aws:\n  endpoint_url: ${sandbox.endpoint}\n`);
      const env = {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      };
      const result = await runCli(
        ['oidc', 'publish', '--bucket', 'acme-oidc', '--prefix', 'prod', '--region', 'us-east-1'],
        { cwd, env },
      );
      expect(result.stderr).toContain('generated a master key');
      expect(result.code).toBe(0);
      const issuer = `${sandbox.endpoint}/acme-oidc/prod`;
      expect(result.stdout).toContain(`  ${issuer}/.well-known/openid-configuration\n`);
      expect(result.stdout).toContain(`  ${issuer}/.well-known/jwks.json\n`);
      expect(result.stdout).toContain(`issuer URL: ${issuer}\n`);
      expect(result.stdout).toContain(`  issuer_url: ${issuer}\n`);
      const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
      expect(await discovery.json()).toMatchObject({ issuer });

      // Configured with another issuer: published anyway, with a warning.
      writeFileSync(
        join(cwd, 'rampart.config.yaml'),
        `issuer_url: https://rampart.acme.example\naws:\n  endpoint_url: ${sandbox.endpoint}\n`,
      );
      const mismatch = await runCli(
        ['oidc', 'publish', '--bucket', 'acme-oidc', '--prefix', 'prod'],
        {
          cwd,
          env,
        },
      );
      expect(mismatch.code).toBe(0);
      expect(mismatch.stderr).toContain(
        `warning: issuer_url is https://rampart.acme.example; tokens carry that issuer and do not verify against these documents until it is ${issuer}`,
      );

      const missing = await runCli(['oidc', 'publish', '--bucket', 'not-a-bucket'], { cwd, env });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('error ISSUER_PUBLISH_FAILED: writing s3://not-a-bucket/');
    } finally {
      await sandbox.stop();
    }
  });
});
