import type {
  DeploymentDetail,
  DeploymentStatus,
  EngineEventInfo,
  RollbackInfo,
  StageStatus,
} from '@rampart/protocol';
import { describe, expect, it } from 'vitest';
import { checkOutcome, type CheckInput, type DemoCheckId } from './demo-checks.js';
import { DEMO_IMAGES } from './demo-settings.js';

const AT = '2026-03-01T10:00:00.000Z';
const arn = (account: string, region: string, revision: number) =>
  `arn:aws:ecs:${region}:${account}:task-definition/web:${revision}`;
const PROD_US_V1 = arn('555555555555', 'us-east-1', 2);
const PROD_EU_V1 = arn('555555555555', 'eu-west-1', 2);

function deployment(
  revision: number,
  status: DeploymentStatus,
  stages: Record<string, StageStatus>,
  taskDefinitions: Record<string, string> = {},
): DeploymentDetail {
  return {
    id: `web:${revision}`,
    pipeline: 'web',
    revision,
    commitSha: 'a'.repeat(40),
    status,
    trigger: 'demo',
    createdAt: AT,
    updatedAt: AT,
    actor: 'token:admin-token',
    archived: false,
    approvals: [],
    blockers: [],
    rollbacks: [],
    stages: Object.entries(stages).map(([name, stageStatus]) => ({
      name,
      accountId: name === 'staging' ? '444444444444' : '555555555555',
      region: name === 'prod-eu' ? 'eu-west-1' : 'us-east-1',
      status: stageStatus,
      run: 1,
      alarms: name === 'staging' ? [] : ['web-5xx'],
      steps: [
        {
          name: 'Deploy web',
          key: 'deploy',
          type: 'RAMPART:ECS:DEPLOY',
          status: 'succeeded',
          dependsOn: [],
          skipped: false,
          attempt: 1,
          params: {},
          ...(taskDefinitions[name] === undefined
            ? {}
            : { outputs: { task_definition_arn: taskDefinitions[name] } }),
        },
      ],
    })),
  };
}

let seq = 0;
function event(type: string, fields: Partial<EngineEventInfo> = {}, minute = seq): EngineEventInfo {
  seq += 1;
  return {
    seq,
    type,
    at: new Date(Date.parse(AT) + minute * 60_000).toISOString(),
    pipeline: 'web',
    actor: 'system',
    ...fields,
  };
}

/** What a run that went as planned records. */
function goodRun(): CheckInput {
  seq = 0;
  const second = { deploymentId: 'web:2', revision: 2 };
  const rollback: RollbackInfo = {
    id: 'web/rollback/1',
    kind: 'auto',
    stage: 'prod-us',
    status: 'succeeded',
    fromRevision: 2,
    fromDeploymentId: 'web:2',
    toRevision: 1,
    toDeploymentId: 'web:1',
    alarm: { name: 'web-5xx', changedAt: AT },
    actor: 'alarm:web-5xx',
    reason: 'alarm "web-5xx" is in ALARM',
    decidedAt: AT,
    timeToDetectMs: 20_000,
    timeToRestoreMs: 30_000,
    steps: [],
  };
  return {
    first: deployment(
      1,
      'succeeded',
      { staging: 'succeeded', 'prod-us': 'succeeded', 'prod-eu': 'succeeded' },
      { 'prod-us': PROD_US_V1, 'prod-eu': PROD_EU_V1 },
    ),
    second: deployment(2, 'rolled_back', {
      staging: 'succeeded',
      'prod-us': 'rolled_back',
      'prod-eu': 'not_reached',
    }),
    events: [
      event('stage.started', { ...second, stage: 'staging' }),
      event('stage.started', { ...second, stage: 'prod-us' }),
      event('step.started', { ...second, stage: 'prod-us', step: 'Bake' }, 10),
      event(
        'alarm.state_changed',
        {
          stage: 'prod-us',
          data: { alarm: 'web-5xx', from: 'OK', to: 'ALARM', changedAt: AT },
        },
        12,
      ),
      event('blocker.added', { stage: 'prod-us', data: { kind: 'alarm', alarm: 'web-5xx' } }),
      event('step.cancelled', { ...second, stage: 'prod-us', step: 'Bake' }),
      event('blocker.added', { stage: 'prod-eu', data: { kind: 'alarm', alarm: 'web-5xx' } }),
      event('stage.rolling_back', { ...second, stage: 'prod-us' }),
    ],
    rollbacks: [rollback],
    services: [
      { stage: 'staging', taskDefinitionArn: arn('444444444444', 'us-east-1', 3) },
      { stage: 'prod-us', taskDefinitionArn: PROD_US_V1, image: DEMO_IMAGES.v1 },
      { stage: 'prod-eu', taskDefinitionArn: PROD_EU_V1, image: DEMO_IMAGES.v1 },
    ],
  };
}

const failed = (input: CheckInput): DemoCheckId[] =>
  checkOutcome(input)
    .filter((c) => !c.ok)
    .map((c) => c.id);

describe('the expected outcomes of the demo', () => {
  it('all hold for a run that went as planned, with what was found', () => {
    const checks = checkOutcome(goodRun());
    expect(checks.map((c) => [c.id, c.ok])).toEqual([
      ['revision-1-everywhere', true],
      ['revision-2-staging', true],
      ['alarm-during-bake', true],
      ['prod-us-rolled-back', true],
      ['prod-eu-untouched', true],
      ['stages-blocked', true],
    ]);
    expect(checks[2]?.detail).toBe('web-5xx ALARM 2.0 demo minutes into the bake');
    expect(checks[3]?.detail).toContain('time to detect 20 s, to restore 30 s');
  });

  it('fails each outcome that did not happen, saying what was found instead', () => {
    const failedStage = goodRun();
    failedStage.first = deployment(1, 'failed', {
      staging: 'succeeded',
      'prod-us': 'failed',
      'prod-eu': 'not_reached',
    });
    expect(failed(failedStage)).toContain('revision-1-everywhere');
    expect(checkOutcome(failedStage)[0]?.detail).toBe(
      'staging succeeded, prod-us failed, prod-eu not_reached',
    );

    // The alarm came only after the bake had ended.
    const late = goodRun();
    const alarm = late.events.find((e) => e.type === 'alarm.state_changed');
    late.events = [
      ...late.events.filter((e) => e !== alarm),
      event('step.succeeded', { deploymentId: 'web:2', stage: 'prod-us', step: 'Bake' }),
      ...(alarm === undefined ? [] : [{ ...alarm, seq: 99 }]),
    ];
    expect(failed(late)).toEqual(['alarm-during-bake']);
    expect(checkOutcome(late)[2]?.detail).toContain('after the bake had ended');

    // The service still runs the bad revision: the rollback did not restore it.
    const stuck = goodRun();
    stuck.services = stuck.services.map((s) =>
      s.stage === 'prod-us' ? { ...s, taskDefinitionArn: arn('555555555555', 'us-east-1', 3) } : s,
    );
    expect(failed(stuck)).toEqual(['prod-us-rolled-back']);
    expect(checkOutcome(stuck)[3]?.detail).toContain(`not revision 1's ${PROD_US_V1}`);

    // Revision 2 reached prod-eu.
    const leaked = goodRun();
    leaked.events = [
      ...leaked.events,
      event('stage.started', { deploymentId: 'web:2', stage: 'prod-eu' }),
    ];
    expect(failed(leaked)).toEqual(['prod-eu-untouched']);

    // Nothing blocked prod-eu.
    const unblocked = goodRun();
    unblocked.events = unblocked.events.filter(
      (e) => !(e.type === 'blocker.added' && e.stage === 'prod-eu'),
    );
    expect(failed(unblocked)).toEqual(['stages-blocked']);
    expect(checkOutcome(unblocked)[5]?.detail).toBe('prod-us blocked, prod-eu never blocked');
  });

  it('fails every revision-2 outcome when revision 2 never ran', () => {
    const input = goodRun();
    delete input.second;
    input.events = [];
    input.rollbacks = [];
    expect(failed(input)).toEqual([
      'revision-2-staging',
      'alarm-during-bake',
      'prod-us-rolled-back',
      'prod-eu-untouched',
      'stages-blocked',
    ]);
  });
});
