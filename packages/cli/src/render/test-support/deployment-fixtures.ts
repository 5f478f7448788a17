/** Protocol values for renderer tests: a step, a stage, a deployment, with overrides. */
import type { DeploymentDetail, StageDetail, StepDetail } from '@rampart/protocol';

export const NOW = Date.parse('2026-03-01T10:00:00.000Z');
export const T0 = '2026-03-01T09:50:00.000Z';

export const step = (name: string, over: Partial<StepDetail> = {}): StepDetail => ({
  name,
  key: name,
  type: 'RAMPART:SCRIPT:RUN',
  status: 'succeeded',
  dependsOn: [],
  skipped: false,
  attempt: 1,
  params: {},
  ...over,
});

export const stage = (name: string, over: Partial<StageDetail> = {}): StageDetail => ({
  name,
  accountId: '444444444444',
  region: 'us-east-1',
  status: 'succeeded',
  run: 1,
  alarms: [],
  steps: [],
  ...over,
});

export const detail = (over: Partial<DeploymentDetail> = {}): DeploymentDetail => ({
  id: 'web:3',
  pipeline: 'web',
  revision: 3,
  commitSha: '9f2c0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b',
  status: 'running',
  trigger: 'release',
  createdAt: T0,
  updatedAt: T0,
  actor: 'token:alice',
  reason: 'weekly release',
  branch: 'main',
  archived: false,
  stages: [],
  approvals: [],
  blockers: [],
  rollbacks: [],
  ...over,
});
