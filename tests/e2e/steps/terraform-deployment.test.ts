/**
 * Issue 8's end-to-end proof for TERRAFORM:SYNTHESIZE: the real terraform binary, run by the
 * server as the stage role bootstrap created (IAM enforced by the sandbox, STS credentials for
 * Rampart's own OIDC tokens), with state in the organization's bucket. Revision 1 creates (no
 * approval) and a later script reads its outputs; revision 2 replaces a resource, so the plan
 * waits for a person with its summary in the API and in `rampart approvals show`, and is applied
 * once approved; revision 3's replacement is rejected and its step fails, leaving the state alone.
 * Terraform has no rollback (the catalog skips it), so there is none to prove here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { AwsClientFactory } from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { orgStackName, terraformStateBucketName, type ControlPlaneConfig } from '@rampart/core';
import type {
  ApprovalListResponse,
  DeploymentDetail,
  LogListResponse,
  StepDetail,
} from '@rampart/protocol';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../packages/cli/tests/run-cli.js';
import { TestGitRepo } from '../../../packages/server/src/test-support/git-repo.js';
import { bootstrapInSandbox } from '../support/bootstrap-in-sandbox.js';

const MANAGEMENT = '111111111111';
const CICD = '222222222222';
const STAGING = '444444444444';
const REGION = 'us-east-1';
const ORGANIZATION = {
  name: 'Acme',
  slug: 'acme',
  cicd_account_id: CICD,
  cicd_account_region: REGION,
} as const;

const PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: ${REGION}
  steps:
    - name: Infra
      id: tf
      type: RAMPART:TERRAFORM:SYNTHESIZE
      params:
        source: infra
        requires_approval: DESTRUCTIVE_CHANGES_ONLY
        variables:
          owner: team-\${{ stage.name }}
    - name: Use
      type: RAMPART:SCRIPT:RUN
      params:
        command: 'printf "service=%s\\nowner=%s\\n" "\${{ steps.tf.service_id }}" "\${{ steps.tf.owner }}" > "$RAMPART_OUTPUT"'
`;

/** Built-in `terraform_data` only: no provider to download. `generation` forces a replacement. */
const infra = (generation: string) => `variable "owner" { type = string }
resource "terraform_data" "service" {
  triggers_replace = ["${generation}"]
  input            = var.owner
}
resource "terraform_data" "config" {
  input = "static"
}
output "service_id" { value = terraform_data.service.id }
output "owner" { value = terraform_data.service.output }
`;

describe('a TERRAFORM:SYNTHESIZE deployment with an approval for its destructive plan', () => {
  let dir: string;
  let sandbox: Sandbox;
  let server: RunningServer;
  let repo: TestGitRepo;
  let token: string;
  let sdk: AwsClientFactory;
  let keyArn: string | undefined;

  const cicdS3 = () => sdk.s3({ region: REGION, credentials: sandbox.credentialsFor(CICD) });
  const bucket = terraformStateBucketName({ cicdAccountId: CICD, org: ORGANIZATION.slug });
  const stateKey = 'web/staging/terraform.tfstate';
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const cli = (...argv: string[]) =>
    runCli(argv, { cwd: dir, env: { RAMPART_SERVER_URL: server.url, RAMPART_TOKEN: token } });
  const deployment = async (revision: number) =>
    (
      await call<{ deployment: DeploymentDetail }>(
        'GET',
        `/api/v1/pipelines/web/deployments/${revision}`,
      )
    ).body.deployment;
  const steps = async (revision: number): Promise<Record<string, StepDetail>> =>
    Object.fromEntries(
      ((await deployment(revision)).stages[0]?.steps ?? []).map((s) => [s.name, s]),
    );
  /** Lets the runtime work until `done` holds (bounded: terraform takes a few seconds). */
  const until = async (what: string, done: () => Promise<boolean>) => {
    for (let i = 0; i < 600; i++) {
      await server.runtime.whenIdle();
      if (await done()) return;
      await delay(100);
    }
    throw new Error(`gave up waiting until ${what}`);
  };
  const release = async (reason: string) => {
    const started = await call<{ deployment: { revision: number } }>(
      'POST',
      '/api/v1/pipelines/web/deployments',
      { reason },
    );
    expect(started.status).toBe(201);
    return started.body.deployment.revision;
  };
  const state = async () => {
    const got = await cicdS3().send(new GetObjectCommand({ Bucket: bucket, Key: stateKey }));
    return JSON.parse((await got.Body?.transformToString()) ?? '') as {
      serial: number;
      resources: { name: string; instances: { attributes: { id: string } }[] }[];
      outputs: Record<string, { value: unknown }>;
    };
  };
  const serviceIdInState = async () =>
    (await state()).resources.find((r) => r.name === 'service')?.instances[0]?.attributes.id;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-terraform-'));
    // Terraform signs its S3 requests with the wall clock: the sandbox keeps the system clock.
    sandbox = await startSandbox({ tickIntervalMs: 0 });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, maxAttempts: 1 });
    server = await startServer({
      config: {
        data_dir: join(dir, 'data'),
        organization: ORGANIZATION,
        aws: { endpoint_url: sandbox.endpoint },
      },
      listen: '127.0.0.1:0',
      runtime: { storePollIntervalMs: 100 },
    });
    token = server.firstAdminToken?.secret ?? '';

    repo = new TestGitRepo(join(dir, 'repo'), dir);
    repo.commit(
      { '.rampart/web/pipeline.yaml': PIPELINE, 'infra/main.tf': infra('v1') },
      'revision 1',
    );
    // Bootstrap from the pipeline: the org stack's key and state bucket, and a stage role with
    // exactly the statements core's catalog generates for TERRAFORM:SYNTHESIZE and SCRIPT:RUN.
    const config: ControlPlaneConfig = {
      organization: ORGANIZATION,
      issuer_url: server.issuer.issuerUrl,
      aws: { endpoint_url: sandbox.endpoint },
    };
    await bootstrapInSandbox({
      sandbox,
      repoDir: repo.dir,
      config,
      managementAccountId: MANAGEMENT,
    });
    const org = await sdk
      .cloudFormation({ region: REGION, credentials: sandbox.credentialsFor(CICD) })
      .send(new DescribeStacksCommand({ StackName: orgStackName({ org: ORGANIZATION.slug }) }));
    keyArn = org.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'KeyArn')?.OutputValue;
    expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:222222222222:key\//);

    const registered = await call('POST', '/api/v1/pipelines', {
      slug: 'web',
      source: { kind: 'git', location: repo.dir },
    });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    await server?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('revision 1 creates without approval; a later script reads its outputs', async () => {
    const revision = await release('revision 1');
    await until('revision 1 finishes', async () =>
      ['succeeded', 'failed'].includes((await deployment(revision)).status),
    );
    const s = await steps(revision);
    expect(s['Infra']?.error).toBeUndefined();
    expect((await deployment(revision)).status).toBe('succeeded');
    const serviceId = await serviceIdInState();
    expect(serviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s['Infra']?.outputs).toEqual({ service_id: serviceId, owner: 'team-staging' });
    expect(s['Use']?.outputs).toEqual({ service: serviceId, owner: 'team-staging' });
    expect(s['Infra']?.approvalMessage).toBeUndefined();

    // The state lives under <pipeline>/<stage>/ in the CI/CD account's bucket, encrypted with the
    // org key by the bucket's default encryption (bootstrap's), and the lock file is gone.
    const head = await cicdS3().send(new HeadObjectCommand({ Bucket: bucket, Key: stateKey }));
    expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId }).toEqual({
      sse: 'aws:kms',
      key: keyArn,
    });
    await expect(
      cicdS3().send(new HeadObjectCommand({ Bucket: bucket, Key: `${stateKey}.tflock` })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    const logs = await call<LogListResponse>(
      'GET',
      `/api/v1/pipelines/web/deployments/${revision}/logs`,
    );
    expect(logs.body.lines.map((l) => l.text)).toContain(
      'plan: 2 to create, 0 to update, 0 to delete, 0 to replace, 2 outputs changed (create-only)',
    );
  });

  it('revision 2 replaces a resource only after a person approves the plan', async () => {
    const before = await serviceIdInState();
    repo.commit({ 'infra/main.tf': infra('v2') }, 'revision 2');
    const revision = await release('revision 2');
    await until(
      'revision 2 waits for approval',
      async () => (await steps(revision))['Infra']?.status === 'waiting_for_approval',
    );
    // Nothing applied yet.
    expect(await serviceIdInState()).toBe(before);

    const listed = await call<ApprovalListResponse>('GET', '/api/v1/approvals?pipeline=web');
    expect(listed.status).toBe(200);
    const [approval, ...others] = listed.body.approvals;
    expect(others).toEqual([]);
    expect(approval).toMatchObject({
      kind: 'step',
      pipeline: 'web',
      revision,
      stage: 'staging',
      step: 'Infra',
      approverRole: 'deployer',
      id: expect.stringMatching(/^[0-9a-f]{12}$/) as string,
    });
    const summary =
      'Terraform plan of infra in stage staging: 0 to create, 0 to update, 0 to delete, 1 to replace';
    expect(approval?.message).toContain(summary);
    expect(approval?.message).toContain('-/+ replace terraform_data.service');
    expect(approval?.message).not.toContain('terraform_data.config');
    expect((await steps(revision))['Infra']?.approvalMessage).toBe(approval?.message);

    const listText = await cli('approvals', 'list');
    expect(listText).toMatchObject({ code: 0, stderr: '' });
    expect(listText.stdout).toMatch(
      new RegExp(`${approval?.id ?? '?'}\\s+web\\s+#${revision}\\s+staging\\s+Infra\\s+step asks`),
    );
    expect(listText.stdout).toContain('deployer or admin tokens');
    for (const name of [approval?.id ?? '?', String(revision), `web:${revision}`]) {
      const shown = await cli('approvals', 'show', name);
      expect(shown).toMatchObject({ code: 0, stderr: '' });
      expect(shown.stdout).toContain(`Approval ${approval?.id ?? '?'}: web #${revision}`);
      expect(shown.stdout).toContain(summary);
      expect(shown.stdout).toContain('    -/+ replace terraform_data.service');
      expect(shown.stdout).toContain(
        `rampart approve --pipeline web --revision ${revision} --stage staging --step Infra --reason TEXT`,
      );
    }
    const json = await cli('approvals', 'show', approval?.id ?? '?', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ approvals: [approval] });

    const approved = await cli(
      'approve',
      '--revision',
      String(revision),
      '--stage',
      'staging',
      '--step',
      'Infra',
      '--reason',
      'replacement expected',
    );
    expect(approved.code).toBe(0);
    await until('revision 2 finishes', async () =>
      ['succeeded', 'failed'].includes((await deployment(revision)).status),
    );
    const s = await steps(revision);
    expect(s['Infra']?.error).toBeUndefined();
    expect(s['Infra']?.approvedBy).toMatchObject({ reason: 'replacement expected' });
    const after = await serviceIdInState();
    expect(after).not.toBe(before);
    expect(s['Infra']?.outputs).toEqual({ service_id: after, owner: 'team-staging' });
    expect(s['Use']?.outputs).toEqual({ service: after, owner: 'team-staging' });
    expect((await cli('approvals', 'list')).stdout).toBe('No approval is waiting.\n');
    const gone = await cli('approvals', 'show', approval?.id ?? '?');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('CLIENT_APPROVAL_NOT_FOUND');
  });

  it('a rejected plan fails the step and leaves the state as it was', async () => {
    const before = await state();
    repo.commit({ 'infra/main.tf': infra('v3') }, 'revision 3');
    const revision = await release('revision 3');
    await until(
      'revision 3 waits for approval',
      async () => (await steps(revision))['Infra']?.status === 'waiting_for_approval',
    );
    const rejected = await call('POST', '/api/v1/pipelines/web/operations', {
      kind: 'reject',
      revision,
      stage: 'staging',
      step: 'Infra',
      reason: 'not now',
    });
    expect(rejected.status).toBe(200);
    await until('revision 3 fails', async () => (await deployment(revision)).status === 'failed');
    const s = await steps(revision);
    expect(s['Infra']).toMatchObject({ status: 'failed', rejectedBy: { reason: 'not now' } });
    expect(s['Use']?.status).not.toBe('succeeded');
    const after = await state();
    expect({ serial: after.serial, id: await serviceIdInState() }).toEqual({
      serial: before.serial,
      id: before.resources.find((r) => r.name === 'service')?.instances[0]?.attributes.id,
    });
  });
});
