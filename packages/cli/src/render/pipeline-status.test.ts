import type { PipelineStatusResponse } from '@rampart/protocol';
import { describe, expect, it } from 'vitest';
import { renderPipelineStatus } from './pipeline-status.js';
import { detail, NOW, stage, step, T0 } from './test-support/deployment-fixtures.js';

describe('renderPipelineStatus', () => {
  const status: PipelineStatusResponse = {
    pipeline: {
      slug: 'web',
      source: { kind: 'git', location: 'https://git.example/web.git' },
      defaultBranch: 'main',
      createdAt: T0,
      updatedAt: T0,
    },
    stages: [
      {
        stage: 'staging',
        accountId: '444444444444',
        region: 'us-east-1',
        alarms: [{ name: 'web-5xx', state: 'OK', changedAt: T0, observedAt: T0 }],
        lastGood: { revision: 2, deploymentId: 'web:2' },
        goodRevisions: [1, 2],
        occupant: { revision: 3, deploymentId: 'web:3' },
        queued: [],
        blockers: [],
      },
      {
        stage: 'prod',
        accountId: '555555555555',
        region: 'us-west-2',
        alarms: [{ name: 'web-prod-5xx', state: 'ALARM', changedAt: T0, observedAt: T0 }],
        lastGood: { revision: 1, deploymentId: 'web:1' },
        goodRevisions: [1],
        queued: [2],
        blockers: [
          {
            id: 'b1',
            stage: 'prod',
            kind: 'manual',
            origin: 'stop',
            actor: 'token:bob',
            reason: 'change freeze',
            since: T0,
          },
        ],
      },
    ],
    approvals: [
      {
        kind: 'bake',
        deploymentId: 'web:3',
        revision: 3,
        stage: 'staging',
        step: 'Bake',
        since: T0,
        until: '2026-03-01T10:04:30.000Z',
      },
    ],
    deployments: [
      {
        id: 'web:3',
        pipeline: 'web',
        revision: 3,
        commitSha: '9f2c0a1b2c3d4e5f',
        status: 'running',
        trigger: 'release',
        createdAt: T0,
        updatedAt: T0,
      },
    ],
    rollbacks: [],
  };

  it('shows each stage in order with its revision, bake time left, last good, alarms, blockers and queue', () => {
    const details = new Map([
      [
        3,
        detail({
          stages: [
            stage('staging', {
              status: 'baking',
              steps: [
                step('Bake', {
                  status: 'waiting_for_approval',
                  bakeEndsAt: '2026-03-01T10:04:30.000Z',
                }),
              ],
            }),
          ],
        }),
      ],
    ]);
    const text = renderPipelineStatus(status, details, NOW);
    expect(text).toContain('web  (git https://git.example/web.git, default branch main)');
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('STAGE'));
    expect(lines[header]).toMatch(/^STAGE\s+ACCOUNT\s+REGION\s+NOW\s+LAST GOOD\s+ALARMS$/);
    expect(lines[header + 1]).toMatch(
      /^staging\s+444444444444\s+us-east-1\s+#3 baking, 4m 30s left\s+#2\s+ok$/,
    );
    expect(lines[header + 2]).toMatch(
      /^prod\s+555555555555\s+us-west-2\s+-\s+#1\s+web-prod-5xx ALARM$/,
    );
    // The blocker and the queue sit under their stage.
    expect(lines[header + 3]).toBe(
      '    prod blocked by stop (lifted by resume), since 09:50:00Z, by token:bob: change freeze',
    );
    expect(lines[header + 4]).toBe('    prod queued: #2');
    expect(text).toContain(
      '  #3 staging/Bake  bake (approve ends it early), since 09:50:00Z, 4m 30s left\n' +
        '    rampart approve --pipeline web --revision 3 --stage staging --step Bake --reason TEXT\n',
    );
    expect(text).toMatch(/#3\s+running\s+9f2c0a1b2c\s+release\s+2026-03-01 09:50:00Z/);
  });

  it('says how to start when nothing was deployed', () => {
    const text = renderPipelineStatus(
      { ...status, stages: [], approvals: [], deployments: [] },
      new Map(),
      NOW,
    );
    expect(text).toContain('No deployment yet: rampart release --pipeline web');
    expect(text).not.toContain('Deployments:');
  });
});
