import { describe, expect, it } from 'vitest';
import { renderDeploymentDetail } from './deployment-detail.js';
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
});
