/**
 * Issue 8, custom steps: a step registry written against the process protocol alone
 * (tests/fixtures/step-registry, plain Node) is configured in `step_registries`, built when the
 * server starts, and its steps run inside deployments through `startServer` and the sandbox:
 * one asks for approval, is approved through the API, triggers and is polled twice before it
 * succeeds; another fails; params its JSON Schema refuses stop the release before anything runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { DeploymentDetail, LogListResponse } from '@rampart/protocol';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGitRepo } from '../../../packages/server/src/test-support/git-repo.js';
import { waitFor } from '../deployments/support/wait-for.js';
import { trustServerIssuer } from '../support/trust-server-issuer.js';

const STAGING = '444444444444';
// Each call of a step program is an `npm run` (a second or more on a busy machine).
const WAIT = { timeoutMs: 120_000, everyMs: 100 };
const REGISTRY = fileURLToPath(new URL('../../fixtures/step-registry', import.meta.url));

function pipeline(steps: string): string {
  return `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: us-east-1
  steps:
${steps}`;
}

const WEB = pipeline(`    - name: Widget
      type: CUSTOM:SLOW_DEPLOY
      params:
        target: widgets-\${{ stage.name }}
        retry_after_ms: 20
`);
const BROKEN = pipeline(`    - name: Breaks
      type: CUSTOM:ALWAYS_FAILS
      params:
        reason: the widget factory is closed
`);
// retry_after_ms is an integer known only once Prep ran: not an error at release time.
const BAD = pipeline(`    - name: Prep
      id: prep
      type: RAMPART:SCRIPT:RUN
      params:
        command: echo delay=5 >> "$RAMPART_OUTPUT"
    - name: Widget
      type: CUSTOM:SLOW_DEPLOY
      params:
        target: widgets
        polls: 9
        colour: blue
        retry_after_ms: \${{ steps.prep.delay }}
    - name: Mystery
      type: CUSTOM:NOT_IN_ANY_REGISTRY
`);

describe('custom steps from a step registry, deployed through the API against the sandbox', () => {
  let dir: string;
  let sandbox: Sandbox;
  let server: RunningServer;
  let token: string;

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
  const deployment = async (slug: string) =>
    (await call<{ deployment: DeploymentDetail }>('GET', `/api/v1/pipelines/${slug}/deployments/1`))
      .body.deployment;
  const logs = async (slug: string) =>
    (await call<LogListResponse>('GET', `/api/v1/pipelines/${slug}/deployments/1/logs`)).body.lines;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-custom-'));
    const repo = new TestGitRepo(join(dir, 'repo'), dir);
    repo.commit(
      {
        '.rampart/web/pipeline.yaml': WEB,
        '.rampart/broken/pipeline.yaml': BROKEN,
        '.rampart/bad/pipeline.yaml': BAD,
      },
      'pipelines with custom steps',
    );
    sandbox = await startSandbox();
    server = await startServer({
      config: {
        data_dir: join(dir, 'data'),
        organization: {
          name: 'Acme',
          slug: 'acme',
          cicd_account_id: '222222222222',
          cicd_account_region: 'us-east-1',
        },
        aws: { endpoint_url: sandbox.endpoint },
        step_registries: [{ path: REGISTRY }],
      },
      listen: '127.0.0.1:0',
      runtime: { storePollIntervalMs: 100 },
    });
    token = server.firstAdminToken?.secret ?? '';
    await trustServerIssuer({
      sandbox,
      accountId: STAGING,
      issuerUrl: server.issuer.issuerUrl,
      org: 'acme',
      stage: 'staging',
      slugs: ['web', 'broken'],
    });
    for (const slug of ['web', 'broken', 'bad']) {
      const registered = await call('POST', '/api/v1/pipelines', {
        slug,
        source: { kind: 'git', location: repo.dir },
      });
      expect(registered.status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for approval, triggers, polls twice and succeeds, with its log in the step log', async () => {
    const started = await call('POST', '/api/v1/pipelines/web/deployments', {});
    expect(started.status).toBe(201);
    const waiting = await waitFor(
      'the custom step to wait for approval',
      async (seen) => {
        const detail = await deployment('web');
        seen(detail.stages[0]?.steps);
        return detail.stages[0]?.steps[0]?.status === 'waiting_for_approval' ? detail : undefined;
      },
      WAIT,
    );
    // The approval context's message is what the API shows.
    expect(waiting.approvals).toMatchObject([
      { stage: 'staging', step: 'Widget', message: 'Deploy to widgets-staging?' },
    ]);
    expect(waiting.stages[0]?.steps[0]?.approvalMessage).toBe('Deploy to widgets-staging?');

    const approved = await call('POST', '/api/v1/pipelines/web/operations', {
      kind: 'approve',
      revision: 1,
      stage: 'staging',
      step: 'Widget',
      reason: 'looks right',
    });
    expect(approved.status).toBe(200);
    const done = await waitFor(
      'the deployment to finish',
      async (seen) => {
        const detail = await deployment('web');
        seen(detail.stages[0]?.steps);
        return detail.status === 'succeeded' || detail.status === 'failed' ? detail : undefined;
      },
      WAIT,
    );
    const step = done.stages[0]?.steps[0];
    expect([done.status, step?.error]).toEqual(['succeeded', undefined]);
    // approved_by comes from the approval context, carried into the polling state.
    expect(step?.outputs).toEqual({
      target: 'widgets-staging',
      polls: 2,
      approved_by: 'widgets-staging',
    });

    const lines = (await logs('web')).filter((l) => l.step === 'Widget');
    const texts = lines.map((l) => l.text);
    // stdout of the program, with STS session credentials (ASIA…) for the stage role.
    expect(texts).toContain('key ASIA in us-east-1');
    // The JSON-lines log directory: the approval context came back, then two polls, each with
    // the polling state the previous call returned.
    expect(texts).toContain('approved (Deploy to widgets-staging?); starting the deployment');
    const polls = texts.filter((t) => t.startsWith('poll '));
    expect(polls).toHaveLength(3);
    expect(polls[0]).toMatch(/^poll 1: deployment dep-\d+ in progress .*"polls":0/);
    expect(polls[1]).toMatch(/^poll 2: deployment dep-\d+ in progress .*"polls":1/);
    expect(polls[2]).toMatch(/^poll 3: .*"polls":2/);
    expect(texts.filter((t) => t.endsWith('calling again in 20 ms'))).toHaveLength(3);
    expect(texts).toContain(
      'deployment dep-' + /dep-(\d+)/.exec(polls[0] ?? '')?.[1] + ' finished after 2 polls',
    );
    // Five calls: approval, trigger, three polls (two answered POLL_AGAIN).
    expect(new Set(lines.map((l) => l.commandId)).size).toBe(5);
  }, 300_000);

  it('fails the step with the reason the program gives, its error log on stderr', async () => {
    expect((await call('POST', '/api/v1/pipelines/broken/deployments', {})).status).toBe(201);
    const done = await waitFor(
      'the deployment to fail',
      async (seen) => {
        const detail = await deployment('broken');
        seen(detail.stages[0]?.steps);
        return detail.status === 'failed' ? detail : undefined;
      },
      WAIT,
    );
    expect(done.stages[0]?.steps[0]?.error).toEqual({
      code: 'step-failed',
      message: 'the widget factory is closed',
    });
    const lines = await logs('broken');
    expect(lines).toContainEqual(
      expect.objectContaining({
        stream: 'stderr',
        text: 'failing on purpose: the widget factory is closed',
      }),
    );
  }, 150_000);

  it('refuses a release whose custom params the schema rejects, or whose type no registry has', async () => {
    const refused = await call<{
      error: { code: string; diagnostics?: { code: string; message: string; line: number }[] };
    }>('POST', '/api/v1/pipelines/bad/deployments', {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('PIPELINE_INVALID');
    const found = (refused.body.error.diagnostics ?? []).map((d) => [d.code, d.message, d.line]);
    expect(found).toEqual([
      ['STEP_PARAMS_INVALID', 'step "Widget" (CUSTOM:SLOW_DEPLOY): params.polls must be <= 5', 18],
      [
        'STEP_PARAMS_INVALID',
        'step "Widget" (CUSTOM:SLOW_DEPLOY): params.colour is not a param of this step',
        19,
      ],
      [
        'STEP_TYPE_UNKNOWN',
        expect.stringContaining(
          'no step registry of this control plane provides CUSTOM:NOT_IN_ANY_REGISTRY',
        ),
        22,
      ],
    ]);
    // Nothing ran: no deployment was created.
    const list = await call<{ deployments: unknown[] }>('GET', '/api/v1/pipelines/bad/deployments');
    expect(list.body.deployments).toEqual([]);
  });
});
