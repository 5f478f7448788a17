import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { AwsClientFactory } from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { JsonValue, StageCredentials } from '@rampart/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogStatements, scopedCredentials } from '../test-support/scoped-role.js';
import {
  TEST_TARGET,
  parseParams,
  rollbackContext,
  stepContext,
  type HarnessOptions,
} from '../test-support/step-context.js';
import { zipFile } from '../test-support/zip-file.js';
import type { WorkspaceRequest } from '../workspace/workspaces.js';
import { COMMIT_OUTPUT, DEPLOYMENT_OUTPUT, createS3UploadExecutor } from './s3-upload-executor.js';
import { s3UploadParams, type S3UploadParams } from './s3-upload-params.js';

const STAGING = '444444444444';
const REGION = 'us-east-1';
const SITE = 'site-444444444444';
const BUNDLES = '444444444444-web-staging-web-bundle';
const C1 = 'c1'.repeat(20);
const C2 = 'c2'.repeat(20);

describe('S3:UPLOAD against the sandbox', () => {
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  const root = mkdtempSync(join(tmpdir(), 'rampart-s3-upload-test-'));
  /** Checkouts by commit: what the Workspaces port returns for each revision. */
  const checkouts = new Map<string, string>();
  const requests: WorkspaceRequest[] = [];
  const checkout = (commit: string, files: Record<string, string>) => {
    const dir = join(root, commit);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    checkouts.set(commit, dir);
    return dir;
  };
  const executor = () =>
    createS3UploadExecutor({
      sdk,
      workspaces: (request) => {
        requests.push(request);
        const dir = checkouts.get(request.commitSha);
        return dir === undefined ? Promise.reject(new Error('no checkout')) : Promise.resolve(dir);
      },
    });
  let credentials: () => Promise<StageCredentials>;
  const raw = (extra: Record<string, unknown> = {}) => ({
    source: 'dist',
    bucket: SITE,
    prefix: 'app',
    delete_removed: true,
    cache_control: 'max-age=60',
    ...extra,
  });
  const harness = (options: HarnessOptions = {}): HarnessOptions => ({
    target: { ...TEST_TARGET, accountId: STAGING, region: REGION },
    credentials,
    ...options,
  });
  const upload = async (
    params: Record<string, unknown>,
    commit: string,
    options: HarnessOptions = {},
  ) => {
    const h = stepContext(parseParams(s3UploadParams, params), harness(options));
    h.ctx.deployment = { id: `pl-1:${commit}`, revision: 7, commitSha: commit };
    return { ...h, outcome: await executor().execute(h.ctx) };
  };
  const s3 = () => sdk.s3({ region: REGION, credentials: sandbox.credentialsFor(STAGING) });
  const keys = async (prefix = '') =>
    (
      (await s3().send(new ListObjectsV2Command({ Bucket: SITE, Prefix: prefix }))).Contents ?? []
    ).map((o) => o.Key);
  const body = async (key: string) =>
    (await s3().send(new GetObjectCommand({ Bucket: SITE, Key: key }))).Body?.transformToString();

  beforeAll(async () => {
    sandbox = await startSandbox({ tickIntervalMs: 0 });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, maxAttempts: 1 });
    checkout(C1, {
      'dist/index.html': '<h1>one</h1>',
      'dist/assets/app.js': 'one()',
      'dist/old.txt': 'old',
    });
    checkout(C2, {
      'dist/index.html': '<h1>two</h1>',
      'dist/assets/app.js': 'one()',
      'dist/new.css': 'b{}',
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    sandbox.control.reset();
    requests.length = 0;
    for (const bucket of [SITE, BUNDLES])
      await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await s3().send(
      new PutObjectCommand({ Bucket: SITE, Key: 'keep/me.txt', Body: 'outside the prefix' }),
    );
    credentials = await scopedCredentials(
      sandbox,
      sdk,
      STAGING,
      catalogStatements('RAMPART:S3:UPLOAD', raw(), STAGING, REGION),
    );
  });

  it('uploads a folder under the prefix with types and Cache-Control, then only what changed', async () => {
    const first = await upload(raw(), C1);
    expect(first.outcome).toEqual({
      kind: 'succeeded',
      outputs: { uploaded: 3, deleted: 0, [COMMIT_OUTPUT]: C1, [DEPLOYMENT_OUTPUT]: `pl-1:${C1}` },
    });
    expect(await keys()).toEqual([
      'app/assets/app.js',
      'app/index.html',
      'app/old.txt',
      'keep/me.txt',
    ]);
    const head = await s3().send(new HeadObjectCommand({ Bucket: SITE, Key: 'app/index.html' }));
    expect([head.ContentType, head.CacheControl]).toEqual([
      'text/html; charset=utf-8',
      'max-age=60',
    ]);
    expect(requests).toEqual([{ id: `pl-1:${C1}`, commitSha: C1, pipelineSlug: 'web' }]);

    const second = await upload(raw(), C2, { journalKey: 'pl-1:8/0/r1/s0/c1' });
    expect(second.outcome.kind === 'succeeded' && second.outcome.outputs).toMatchObject({
      uploaded: 2,
      deleted: 1,
    });
    // Uploads run several at a time: their lines come in the order they finish.
    const texts = second.logs.map((l) => l.text);
    expect([...texts.slice(0, 2)].sort()).toEqual([
      `upload: s3://${SITE}/app/index.html`,
      `upload: s3://${SITE}/app/new.css`,
    ]);
    expect(texts.slice(2)).toEqual([
      `delete: s3://${SITE}/app/old.txt`,
      `s3: 2 uploaded, 1 unchanged, 1 deleted in s3://${SITE}/app/`,
    ]);
    // Only under the prefix: keep/me.txt stays.
    expect(await keys()).toEqual([
      'app/assets/app.js',
      'app/index.html',
      'app/new.css',
      'keep/me.txt',
    ]);
    expect(await body('app/index.html')).toBe('<h1>two</h1>');
  });

  it('repeats nothing when the attempt runs again, with or without its journal', async () => {
    const journal = new Map<string, JsonValue>();
    const first = await upload(raw(), C1, { journal });
    const puts = () => sandbox.control.requestLog({ service: 's3', action: 'PutObject' }).length;
    const before = puts();
    const again = await upload(raw(), C1, { journal });
    expect(again.outcome).toEqual(first.outcome);
    const lost = await upload(raw(), C1);
    expect(lost.outcome.kind === 'succeeded' && lost.outcome.outputs).toMatchObject({
      uploaded: 0,
      deleted: 0,
    });
    expect(puts()).toBe(before);
  });

  it('uploads the unzipped contents of a bundle artifact', async () => {
    await s3().send(
      new PutObjectCommand({
        Bucket: BUNDLES,
        Key: 'web/7.zip',
        Body: zipFile({ 'index.html': '<h1>bundle</h1>', 'img/logo.svg': '<svg/>' }),
      }),
    );
    const params = raw({ source: `s3://${BUNDLES}/web/7.zip`, prefix: '' });
    credentials = await scopedCredentials(
      sandbox,
      sdk,
      STAGING,
      // As bootstrap grants it for a source named by an expression: the stage's bundle mirrors.
      catalogStatements(
        'RAMPART:S3:UPLOAD',
        { ...params, source: '${{ stage.artifacts["Web Bundle"].s3_url }}' },
        STAGING,
        REGION,
      ),
    );
    const { outcome } = await upload(params, C1);
    // delete_removed on the whole bucket: keep/me.txt goes too.
    expect(outcome).toEqual({ kind: 'succeeded', outputs: { uploaded: 2, deleted: 1 } });
    expect(await keys()).toEqual(['img/logo.svg', 'index.html']);
    const head = await s3().send(new HeadObjectCommand({ Bucket: SITE, Key: 'img/logo.svg' }));
    expect(head.ContentType).toBe('image/svg+xml');

    await s3().send(new PutObjectCommand({ Bucket: BUNDLES, Key: 'web/8.zip', Body: 'not a zip' }));
    const bad = await upload(raw({ source: `s3://${BUNDLES}/web/8.zip`, prefix: '' }), C1, {
      journalKey: 'pl-1:8/0/r1/s0/c1',
    });
    expect(bad.outcome).toEqual({
      kind: 'failed',
      code: 'bundle',
      message: `bundle s3://${BUNDLES}/web/8.zip is not a zip file`,
    });
  });

  it('rolls back by uploading the restored revision’s folder from its checkout', async () => {
    const good = await upload(raw(), C1);
    const bad = await upload(raw(), C2, { journalKey: 'pl-1:8/0/r1/s0/c1' });
    requests.length = 0;
    const rb = rollbackContext<S3UploadParams>(
      {
        targetParams: parseParams(s3UploadParams, raw()),
        ...(good.outcome.kind === 'succeeded' ? { targetOutputs: good.outcome.outputs } : {}),
        ...(bad.outcome.kind === 'succeeded' ? { failedOutputs: bad.outcome.outputs } : {}),
      },
      harness(),
    );
    expect(await executor().rollback?.(rb.ctx)).toEqual({
      kind: 'succeeded',
      outputs: { uploaded: 2, deleted: 1, [COMMIT_OUTPUT]: C1, [DEPLOYMENT_OUTPUT]: `pl-1:${C1}` },
    });
    expect(requests).toEqual([{ id: `pl-1:${C1}`, commitSha: C1, pipelineSlug: 'web' }]);
    expect(await keys('app/')).toEqual(['app/assets/app.js', 'app/index.html', 'app/old.txt']);
    expect(await body('app/index.html')).toBe('<h1>one</h1>');

    const unknown = rollbackContext<S3UploadParams>(
      { targetParams: parseParams(s3UploadParams, raw()) },
      harness(),
    );
    expect(await executor().rollback?.(unknown.ctx)).toEqual({
      kind: 'failed',
      message: `cannot re-upload dist: revision 6 recorded no commit for step "Step" (outputs ${COMMIT_OUTPUT}, ${DEPLOYMENT_OUTPUT})`,
    });
  });

  it('is denied another bucket, and refuses links out of the repository and bad params', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'other-444444444444' }));
    const denied = await upload(raw({ bucket: 'other-444444444444' }), C1);
    expect(denied.outcome.kind === 'failed' && denied.outcome.message).toMatch(/^AccessDenied: /);

    const leaky = checkout('c3'.repeat(20), { 'dist/index.html': 'x' });
    symlinkSync('/etc/hostname', join(leaky, 'dist', 'secret.txt'));
    const link = await upload(raw(), 'c3'.repeat(20));
    expect(link.outcome).toEqual({
      kind: 'failed',
      code: 'workspace',
      message: 'secret.txt is a symbolic link leading outside the repository',
    });
    const missing = await upload(raw({ source: 'nope' }), C1);
    expect(missing.outcome).toEqual({
      kind: 'failed',
      code: 'workspace',
      message: 'source "nope" does not exist in this revision',
    });
    const parsed = s3UploadParams.safeParse({
      source: 'dist',
      bucket: 'Bad_Bucket',
      delete_removed: 'yes',
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual([
      'bucket',
      'delete_removed',
    ]);
    expect(executor().iamActions(parseParams(s3UploadParams, raw()))).toEqual([
      's3:DeleteObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
  });
});
