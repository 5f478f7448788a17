/**
 * Issue 8, secrets end to end: a server (SQLite, then PostgreSQL) and the sandbox; organization and
 * stage secrets set through the API, a deployment whose scripts get them in `command` and `env`,
 * print them plainly, base64- and URL-encoded, write them as step outputs and fail with one in the
 * error. Then every log line, event, step output and API answer, every file under data_dir (the
 * SQLite database and its WAL included) and every PostgreSQL table is searched for each value and
 * its encodings: none is found. Also: a deployment naming a missing secret is refused before its
 * first stage, naming it and its scope; viewers cannot set secrets; lists never hold values.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { secretForms } from '@rampart/engine';
import type { DeploymentDetail, LogListResponse, SecretListResponse } from '@rampart/protocol';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../packages/store/src/open-store.js';
import { TestGitRepo } from '../../../packages/server/src/test-support/git-repo.js';
import {
  createSuiteDatabase,
  DATABASES,
  type SuiteDatabase,
} from '../deployments/support/test-databases.js';
import { trustServerIssuer } from '../support/trust-server-issuer.js';

const STAGING = '444444444444';
/** Used inside the shell command itself, so kept free of shell syntax. */
const ORG_VALUE = 'OrgT0ken_9f8e7d6c5b4a39281706';
/** Only ever in the environment: every character that changes the encodings. */
const STAGE_VALUE = `pa ss/wörd+&=?"q'!%_${'x'.repeat(4)}_Z9`;
/** Set, never referenced by the pipeline. */
const UNUSED_VALUE = 'unused-secret-value-31415926';

/** What a masked value reads as. */
const R = '[REDACTED]';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: us-east-1
  steps:
    - name: Use secrets
      id: use
      type: RAMPART:SCRIPT:RUN
      params:
        command: |
          echo "org in the command: \${{ secret("ORG_TOKEN") }}"
          echo "stage from env: $STAGE_PW"
          echo "org sha: $(printf %s "$ORG" | sha256sum | cut -c1-64)"
          echo "stage sha: $(printf %s "$STAGE_PW" | sha256sum | cut -c1-64)"
          printf %s "$STAGE_PW" | base64 -w0; echo
          echo "$ORG" | base64
          printf 'prefix:%s' "$STAGE_PW" | base64 -w0; echo
          node -e 'console.log("url " + encodeURIComponent(process.env.STAGE_PW))'
          node -e 'console.log("json " + JSON.stringify({ pw: process.env.STAGE_PW }))'
          echo "to stderr $ORG" >&2
          echo "echoed=$ORG" >> "$RAMPART_OUTPUT"
          echo "prefixed=x$STAGE_PW" >> "$RAMPART_OUTPUT"
        env:
          ORG: \${{ secret("ORG_TOKEN") }}
          STAGE_PW: \${{ stage_secret("DB_PASSWORD") }}
    - name: Fail with a secret
      type: RAMPART:SCRIPT:RUN
      params:
        command: 'echo "about to fail: $PW"; echo "error: $PW $(printf %s "$PW" | base64 -w0)" >&2; exit 3'
        env:
          PW: \${{ stage_secret("DB_PASSWORD") }}
`;

const MISSING = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: us-east-1
  steps:
    - name: Needs more
      type: RAMPART:SCRIPT:RUN
      params:
        command: 'echo "$A $B"'
        env:
          A: \${{ secret("ORG_TOKEN") }}
          B: \${{ stage_secret("NOT_SET") }}
`;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.each(DATABASES)('secrets on $database', ({ database }) => {
  let dir: string;
  let sandbox: Sandbox;
  let server: RunningServer;
  let suiteDatabase: SuiteDatabase | undefined;
  let adminToken: string;
  let viewerToken = '';
  /** The text of every API answer, searched at the end. */
  const answers: string[] = [];

  const call = async <T>(method: string, path: string, body?: unknown, token = adminToken) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    answers.push(text);
    return { status: response.status, body: JSON.parse(text) as T };
  };

  let skip = '';

  beforeAll(async () => {
    const db = await createSuiteDatabase(database);
    if ('skip' in db) {
      skip = db.skip;
      return;
    }
    suiteDatabase = db;
    dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-secrets-'));
    const repo = new TestGitRepo(join(dir, 'repo'), dir);
    repo.commit(
      { '.rampart/web/pipeline.yaml': PIPELINE, '.rampart/missing/pipeline.yaml': MISSING },
      'pipelines',
    );
    sandbox = await startSandbox();
    server = await startServer({
      config: {
        data_dir: join(dir, 'data'),
        ...(db.databaseUrl === undefined ? {} : { database_url: db.databaseUrl }),
        organization: {
          name: 'Acme',
          slug: 'acme',
          cicd_account_id: '222222222222',
          cicd_account_region: 'us-east-1',
        },
        aws: { endpoint_url: sandbox.endpoint },
      },
      listen: '127.0.0.1:0',
      runtime: { storePollIntervalMs: 200 },
    });
    adminToken = server.firstAdminToken?.secret ?? '';
    await trustServerIssuer({
      sandbox,
      accountId: STAGING,
      issuerUrl: server.issuer.issuerUrl,
      org: 'acme',
      stage: 'staging',
      slugs: ['web', 'missing'],
    });
    for (const slug of ['web', 'missing']) {
      const registered = await call('POST', '/pipelines', {
        slug,
        source: { kind: 'git', location: repo.dir },
      });
      expect(registered.status).toBe(201);
    }
    const viewer = await call<{ secret: string }>('POST', '/tokens', {
      name: 'reader',
      role: 'viewer',
    });
    viewerToken = viewer.body.secret;
  });

  afterAll(async () => {
    await server?.stop();
    await sandbox?.stop();
    await suiteDatabase?.drop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('sets organization and stage secrets; viewers list them without values and cannot set them', async (context) => {
    if (skip !== '') return context.skip(skip);
    const org = await call('PUT', '/secrets', {
      name: 'ORG_TOKEN',
      value: ORG_VALUE,
      description: 'deploy token',
    });
    expect(org).toMatchObject({
      status: 201,
      body: { created: true, secret: { name: 'ORG_TOKEN', scope: 'organization', version: 1 } },
    });
    // First a wrong value, then the right one: version 2.
    await call('PUT', '/secrets', { name: 'DB_PASSWORD', stage: 'staging', value: 'wrong-one-1' });
    const stage = await call('PUT', '/secrets', {
      name: 'DB_PASSWORD',
      stage: 'staging',
      value: STAGE_VALUE,
    });
    expect(stage).toMatchObject({
      status: 200,
      body: { created: false, secret: { scope: 'stage', stage: 'staging', version: 2 } },
    });
    await call('PUT', '/secrets', { name: 'UNUSED', value: UNUSED_VALUE });

    const denied = await call(
      'PUT',
      '/secrets',
      { name: 'ORG_TOKEN', value: 'viewer-was-here' },
      viewerToken,
    );
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'API_FORBIDDEN' } } });
    const deniedDelete = await call('DELETE', '/secrets?name=ORG_TOKEN', undefined, viewerToken);
    expect(deniedDelete.status).toBe(403);
    const refusedFlagless = await call('PUT', '/secrets', { name: 'EMPTY', value: '' });
    expect(refusedFlagless).toMatchObject({
      status: 400,
      body: { error: { code: 'SECRET_VALUE_INVALID' } },
    });

    const listed = await call<SecretListResponse>('GET', '/secrets', undefined, viewerToken);
    expect(listed.status).toBe(200);
    expect(
      listed.body.secrets.map((s) => [s.scope, s.stage, s.name, s.version, s.storage, s.updatedBy]),
    ).toEqual([
      ['organization', undefined, 'ORG_TOKEN', 1, 'local', 'token:admin'],
      ['organization', undefined, 'UNUSED', 1, 'local', 'token:admin'],
      ['stage', 'staging', 'DB_PASSWORD', 2, 'local', 'token:admin'],
    ]);
    expect(listed.body.secrets[0]?.description).toBe('deploy token');
  });

  it('refuses a deployment that names a missing secret before its first stage', async (context) => {
    if (skip !== '') return context.skip(skip);
    const refused = await call<{ error: { code: string; message: string } }>(
      'POST',
      '/pipelines/missing/deployments',
      { reason: 'try' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('SECRET_MISSING');
    expect(refused.body.error.message).toContain('stage "staging" secret "NOT_SET"');
    expect(refused.body.error.message).not.toContain('ORG_TOKEN');
    const deployments = await call<{ deployments: unknown[] }>(
      'GET',
      '/pipelines/missing/deployments',
    );
    expect(deployments.body.deployments).toEqual([]);
  });

  it('gives steps the values and keeps every value and encoding out of logs, events, outputs, answers and the database', async (context) => {
    if (skip !== '') return context.skip(skip);
    const started = await call('POST', '/pipelines/web/deployments', { reason: 'secrets' });
    expect(started.status).toBe(201);
    await server.runtime.whenIdle();
    const detail = await call<{ deployment: DeploymentDetail }>(
      'GET',
      '/pipelines/web/deployments/1',
    );
    const steps = detail.body.deployment.stages[0]?.steps ?? [];
    expect(detail.body.deployment.status).toBe('failed');
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['Use secrets', 'succeeded'],
      ['Fail with a secret', 'failed'],
    ]);
    expect(steps[0]?.outputs).toEqual({ echoed: R, prefixed: `x${R}` });
    expect(steps[1]?.error?.message).toContain(`about to fail: ${R}`);
    expect(steps[1]?.error?.message).toContain(`error: ${R} ${R}`);

    const logs = await call<LogListResponse>('GET', '/pipelines/web/deployments/1/logs');
    const texts = logs.body.lines.map((l) => l.text);
    // The step had the real values: their digests match.
    expect(texts).toContain(`org sha: ${sha256(ORG_VALUE)}`);
    expect(texts).toContain(`stage sha: ${sha256(STAGE_VALUE)}`);
    expect(texts).toContain(`org in the command: ${R}`);
    expect(texts).toContain(`stage from env: ${R}`);
    expect(texts).toContain(`to stderr ${R}`);
    expect(texts).toContain(`url ${R}`);
    expect(texts).toContain(`json {"pw":"${R}"}`);

    for (const path of [
      '/pipelines/web/deployments/1/events',
      '/events',
      '/pipelines/web/deployments/1/stages/staging',
      '/pipelines/web/deployments/1/stages/staging/steps/Use%20secrets',
      '/pipelines/web/deployments/1/stages/staging/steps/Fail%20with%20a%20secret',
      '/pipelines/web/status',
      '/secrets',
    ]) {
      expect((await call('GET', path)).status).toBe(200);
    }
    // What was stored settles with the server stopped (the WAL and the last log lines).
    await server.stop();

    const stored: { where: string; text: string }[] = answers.map((text, i) => ({
      where: `API answer ${i}`,
      text,
    }));
    for (const file of filesUnder(join(dir, 'data'))) {
      stored.push({ where: file, text: readFileSync(file).toString('latin1') });
      stored.push({ where: file, text: readFileSync(file).toString('utf8') });
    }
    if (suiteDatabase?.databaseUrl !== undefined) {
      const connection = openConnection({ dataDir: dir, databaseUrl: suiteDatabase.databaseUrl });
      try {
        for (const table of await connection.db.introspection.getTables()) {
          const rows = await connection.db
            .selectFrom(table.name as 'secrets')
            .selectAll()
            .execute();
          stored.push({ where: `table ${table.name}`, text: JSON.stringify(rows) });
        }
      } finally {
        await connection.close();
      }
    }
    const stepLogRows = stored.filter((s) => s.text.includes(`stage from env: ${R}`));
    expect(stepLogRows.length).toBeGreaterThan(0);

    for (const value of [ORG_VALUE, STAGE_VALUE, UNUSED_VALUE, 'wrong-one-1']) {
      const forms = [
        ...new Set([
          ...secretForms(value),
          Buffer.from(value, 'utf8').toString('latin1'),
          Buffer.from(`prefix:${value}`).toString('base64').slice(12),
        ]),
      ].filter((form) => form.length >= 8);
      for (const form of forms) {
        const leaks = stored.filter((s) => s.text.includes(form)).map((s) => s.where);
        expect(leaks, `a form of a secret (${form.length} characters)`).toEqual([]);
      }
    }
  });
});
