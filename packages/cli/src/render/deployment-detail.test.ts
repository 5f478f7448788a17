import { describe, expect, it } from 'vitest';
import { deploymentStatusText, renderDeploymentDetail } from './deployment-detail.js';
import { detail, NOW, stage, step, T0 } from './test-support/deployment-fixtures.js';

describe('renderDeploymentDetail', () => {
  it('shows stages with waiting reasons and windows, steps with approvals and errors', () => {
    const text = renderDeploymentDetail(
      detail({
        stages: [
          stage('staging', {
            status: 'failed',
            run: 2,
            durationMs: 75_000,
            steps: [
              step('Build', { durationMs: 3200 }),
              step('Migrate', {
                status: 'failed',
                error: { code: 'STEP_FAILED', message: 'exit code 3' },
              }),
              step('Approve', {
                type: 'RAMPART:APPROVAL:MANUAL',
                status: 'cancelled',
                rejectedBy: { actor: 'token:bob', reason: 'no', at: T0 },
              }),
            ],
          }),
          stage('prod', {
            status: 'waiting',
            waitingFor: 'window',
            window: 'Mon–Fri 09:00–17:00 UTC',
            windowOpensAt: '2026-03-02T09:00:00.000Z',
            steps: [step('Build', { status: 'pending', attempt: 0 })],
          }),
        ],
      }),
      NOW,
    );
    expect(text).toContain(
      'web #3  running\ncommit 9f2c0a1b2c (branch main), trigger release, by token:alice\n',
    );
    expect(text).toContain('reason: weekly release\n');
    expect(text).toContain('staging  444444444444 us-east-1  failed  (1m 15s; run 2)\n');
    expect(text).toMatch(/ {2}✔ Build\s+RAMPART:SCRIPT:RUN\s+succeeded\s+3s\n/);
    expect(text).toMatch(
      / {2}✖ Migrate\s+RAMPART:SCRIPT:RUN\s+failed\s+STEP_FAILED: exit code 3\n/,
    );
    expect(text).toMatch(
      /⊘ Approve\s+RAMPART:APPROVAL:MANUAL\s+cancelled\s+rejected by token:bob: no\n/,
    );
    expect(text).toContain(
      'prod  444444444444 us-east-1  waiting for the deployment window (Mon–Fri 09:00–17:00 UTC), opens 2026-03-02 09:00:00Z\n',
    );
    expect(text).toMatch(/· Build\s+RAMPART:SCRIPT:RUN\s+pending\n/);
  });

  it('says when an archived deployment has no stages left', () => {
    const text = renderDeploymentDetail(detail({ archived: true, status: 'succeeded' }), NOW);
    expect(text).toContain('(archived: the server no longer keeps the stages and steps');
  });

  it('shows the builds: "building <artifact>…" while they run, the error when one failed', () => {
    const building = detail({
      status: 'building',
      builds: [
        { name: 'Api', id: 'api', status: 'running', startedAt: T0 },
        { name: 'Worker', id: 'worker', status: 'pending' },
        {
          name: 'Site',
          id: 'site',
          status: 'succeeded',
          durationMs: 61_000,
          fields: { s3_url: 's3://b/k.zip' },
          reusedFrom: { revision: 2, commitSha: '0123456789abcdef' },
        },
      ],
      stages: [stage('staging', { status: 'waiting', waitingFor: 'previous_stage', steps: [] })],
    });
    expect(deploymentStatusText(building)).toBe('building Api…');
    const text = renderDeploymentDetail(building, NOW);
    expect(text).toContain('web #3  building Api…\n');
    expect(text).toMatch(/▶ Api\s+running\n/);
    expect(text).toMatch(/· Worker\s+pending\n/);
    expect(text).toMatch(
      /✔ Site\s+succeeded\s+1m 01s; reused the build of #2 \(0123456789\); s3:\/\/b\/k\.zip\n/,
    );

    const failed = renderDeploymentDetail(
      detail({
        status: 'failed',
        error: 'artifact "Api" failed to build: step 3/9\nno space left',
        builds: [{ name: 'Api', id: 'api', status: 'failed' }],
        stages: [stage('staging', { status: 'not_reached', steps: [] })],
      }),
      NOW,
    );
    expect(failed).toContain('web #3  failed\n');
    expect(failed).toContain('\nartifact "Api" failed to build: step 3/9\nno space left\n');
    expect(deploymentStatusText({ status: 'building', builds: [] })).toBe('building');
  });
});
