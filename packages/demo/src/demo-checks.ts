/**
 * The demo's expected outcomes, each checked against what the server recorded (deployments,
 * events, rollbacks) and what the sandbox's ECS services, repositories and buckets hold now.
 */
import type { DeploymentDetail, EngineEventInfo, RollbackInfo } from '@rampart/protocol';
import {
  artifactsBuiltOnce,
  artifactsMirrored,
  stepsUsedMirrors,
  type ArtifactCheckResult,
} from './artifact-checks.js';
import type { ArtifactCopies } from './artifact-copies.js';
import { DEMO_PIPELINE, DEMO_STAGES } from './demo-settings.js';

/** The step of the example pipeline that deploys the service (its outputs name the revision). */
export const DEPLOY_STEP = 'Deploy web';
/** The example pipeline's bake step. */
export const BAKE_STEP = 'Bake';

/** Stable ids of the expected outcomes. */
export type DemoCheckId =
  | 'revision-1-everywhere'
  | 'revision-2-staging'
  | 'alarm-during-bake'
  | 'prod-us-rolled-back'
  | 'prod-eu-untouched'
  | 'stages-blocked'
  | 'artifacts-built-once'
  | 'artifacts-mirrored'
  | 'steps-used-mirrors';

/** One expected outcome and whether it happened. */
export interface DemoCheck {
  id: DemoCheckId;
  /** What should have happened, in one line. */
  expectation: string;
  ok: boolean;
  /** What was found. */
  detail: string;
}

/** What a stage's ECS service runs, read from the sandbox after the scenario. */
export interface ServiceState {
  stage: string;
  /** The service's task definition. @default absent when the service was not found */
  taskDefinitionArn?: string;
  /** The image of the task definition's container. @default absent when unknown */
  image?: string;
  /** The rollout state of the service's PRIMARY deployment. @default absent when unknown */
  rolloutState?: string;
}

/** Everything the checks look at. */
export interface CheckInput {
  /** Revision 1. @default absent when it was never deployed */
  first?: DeploymentDetail;
  /** Revision 2. @default absent when it was never deployed (revision 1 failed) */
  second?: DeploymentDetail;
  events: readonly EngineEventInfo[];
  rollbacks: readonly RollbackInfo[];
  services: readonly ServiceState[];
  /** The artifact stores after the scenario. @default absent when unread: the artifact checks fail */
  copies?: ArtifactCopies;
  /** Digests of the vendor images revision 1 and 2 import. @default absent: not compared */
  images?: { v1: string; v2: string };
}

const deploymentId = (revision: number): string => `${DEMO_PIPELINE}:${revision}`;

/** Checks every expected outcome; the order is the order of the story. */
export function checkOutcome(input: CheckInput): DemoCheck[] {
  return [
    revisionOneEverywhere(input),
    revisionTwoInStaging(input),
    alarmDuringBake(input),
    prodUsRolledBack(input),
    prodEuUntouched(input),
    stagesBlocked(input),
    withId('artifacts-built-once', artifactsBuiltOnce(input)),
    withId('artifacts-mirrored', artifactsMirrored(input)),
    withId('steps-used-mirrors', stepsUsedMirrors(input)),
  ];
}

function withId(id: DemoCheckId, result: ArtifactCheckResult): DemoCheck {
  return { id, ...result };
}

function stageOf(d: DeploymentDetail | undefined, stage: string) {
  return d?.stages.find((s) => s.name === stage);
}

/** The task definition revision 1's deploy step registered in a stage. */
function firstRevisionTaskDefinition(input: CheckInput, stage: string): string | undefined {
  const step = stageOf(input.first, stage)?.steps.find((s) => s.name === DEPLOY_STEP);
  const arn = step?.outputs?.['task_definition_arn'];
  return typeof arn === 'string' ? arn : undefined;
}

function revisionOneEverywhere(input: CheckInput): DemoCheck {
  const expectation = 'revision 1 succeeded in staging, prod-us and prod-eu';
  const stages = DEMO_STAGES.map((s) => {
    const found = stageOf(input.first, s.name);
    return { name: s.name, status: found?.status ?? 'missing', error: found?.error };
  });
  const ok = input.first?.status === 'succeeded' && stages.every((s) => s.status === 'succeeded');
  const detail = stages
    .map((s) => `${s.name} ${s.status}${s.error === undefined ? '' : ` (${s.error})`}`)
    .join(', ');
  return { id: 'revision-1-everywhere', expectation, ok, detail };
}

function revisionTwoInStaging(input: CheckInput): DemoCheck {
  const staging = stageOf(input.second, 'staging');
  return {
    id: 'revision-2-staging',
    expectation: 'revision 2 succeeded in staging (no alarm watches it)',
    ok: staging?.status === 'succeeded',
    detail:
      staging === undefined
        ? 'revision 2 did not reach staging'
        : `staging ${staging.status}${staging.error === undefined ? '' : ` (${staging.error})`}`,
  };
}

function alarmDuringBake(input: CheckInput): DemoCheck {
  const expectation = "prod-us's alarm went to ALARM during revision 2's bake there";
  const id = deploymentId(2);
  const bakeStarted = input.events.find(
    (e) =>
      e.type === 'step.started' &&
      e.deploymentId === id &&
      e.stage === 'prod-us' &&
      e.step === BAKE_STEP,
  );
  const alarm = input.events.find(
    (e) =>
      e.type === 'alarm.state_changed' &&
      e.stage === 'prod-us' &&
      dataField(e, 'to') === 'ALARM' &&
      bakeStarted !== undefined &&
      e.seq > bakeStarted.seq,
  );
  const bakeEnded = input.events.find(
    (e) =>
      e.deploymentId === id &&
      e.stage === 'prod-us' &&
      e.step === BAKE_STEP &&
      (e.type === 'step.succeeded' || e.type === 'step.failed') &&
      bakeStarted !== undefined &&
      e.seq > bakeStarted.seq,
  );
  if (bakeStarted === undefined) {
    return { id: 'alarm-during-bake', expectation, ok: false, detail: 'the bake never started' };
  }
  if (alarm === undefined) {
    return {
      id: 'alarm-during-bake',
      expectation,
      ok: false,
      detail: 'no ALARM after the bake began',
    };
  }
  const inBake = bakeEnded === undefined || alarm.seq < bakeEnded.seq;
  const minutes = (Date.parse(alarm.at) - Date.parse(bakeStarted.at)) / 60_000;
  return {
    id: 'alarm-during-bake',
    expectation,
    ok: inBake,
    detail: `${String(dataField(alarm, 'alarm'))} ALARM ${minutes.toFixed(1)} demo minutes into the bake${inBake ? '' : ', after the bake had ended'}`,
  };
}

function prodUsRolledBack(input: CheckInput): DemoCheck {
  const expectation =
    "prod-us rolled back to revision 1: its service runs revision 1's task definition again";
  const stage = stageOf(input.second, 'prod-us');
  const rollback = input.rollbacks.find(
    (r) => r.stage === 'prod-us' && r.kind === 'auto' && r.fromRevision === 2,
  );
  const expected = firstRevisionTaskDefinition(input, 'prod-us');
  const service = input.services.find((s) => s.stage === 'prod-us');
  const problems: string[] = [];
  if (input.second?.status !== 'rolled_back')
    problems.push(`revision 2 is ${input.second?.status ?? 'missing'}`);
  if (stage?.status !== 'rolled_back') problems.push(`prod-us is ${stage?.status ?? 'missing'}`);
  if (rollback === undefined) problems.push('no automatic rollback of prod-us was recorded');
  else if (rollback.status !== 'succeeded' || rollback.toRevision !== 1)
    problems.push(`the rollback to revision ${rollback.toRevision} is ${rollback.status}`);
  if (expected === undefined || service?.taskDefinitionArn !== expected)
    problems.push(
      `the service runs ${service?.taskDefinitionArn ?? 'nothing'}, not revision 1's ${expected ?? '(unknown)'}`,
    );
  const timing =
    rollback === undefined
      ? ''
      : `; time to detect ${seconds(rollback.timeToDetectMs)}, to restore ${seconds(rollback.timeToRestoreMs)} (demo time)`;
  return {
    id: 'prod-us-rolled-back',
    expectation,
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `service web runs ${shortArn(service?.taskDefinitionArn)} (${service?.rolloutState ?? '?'})${timing}`
        : problems.join('; '),
  };
}

function prodEuUntouched(input: CheckInput): DemoCheck {
  const expectation = 'prod-eu never ran revision 2 and still serves revision 1';
  const id = deploymentId(2);
  const entered = input.events.some(
    (e) =>
      e.deploymentId === id &&
      e.stage === 'prod-eu' &&
      (e.type === 'stage.started' || e.type === 'step.started'),
  );
  const expected = firstRevisionTaskDefinition(input, 'prod-eu');
  const service = input.services.find((s) => s.stage === 'prod-eu');
  const problems: string[] = [];
  if (input.second === undefined) problems.push('revision 2 was never deployed');
  if (entered) problems.push('revision 2 started in prod-eu');
  if (expected === undefined || service?.taskDefinitionArn !== expected)
    problems.push(
      `the service runs ${service?.taskDefinitionArn ?? 'nothing'}, not revision 1's ${expected ?? '(unknown)'}`,
    );
  if (input.images !== undefined && !(service?.image ?? '').endsWith(`@${input.images.v1}`))
    problems.push(`its image is ${service?.image ?? 'unknown'}, not the vendor's 1.0`);
  return {
    id: 'prod-eu-untouched',
    expectation,
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `revision 2 ${stageOf(input.second, 'prod-eu')?.status ?? 'never reached it'}; service web runs ${shortArn(service?.taskDefinitionArn)} with the 1.0 image`
        : problems.join('; '),
  };
}

function stagesBlocked(input: CheckInput): DemoCheck {
  const expectation = 'the alarm blocked prod-us and prod-eu';
  const blocked = (stage: string) =>
    input.events.some(
      (e) => e.type === 'blocker.added' && e.stage === stage && dataField(e, 'kind') === 'alarm',
    );
  const stages = ['prod-us', 'prod-eu'].map((s) => ({ s, blocked: blocked(s) }));
  const lifted = ['prod-us', 'prod-eu'].filter((s) =>
    input.events.some((e) => e.type === 'blocker.removed' && e.stage === s),
  );
  return {
    id: 'stages-blocked',
    expectation,
    ok: stages.every((x) => x.blocked),
    detail:
      stages.map((x) => `${x.s} ${x.blocked ? 'blocked' : 'never blocked'}`).join(', ') +
      (lifted.length === 0 ? '' : `; lifted since (alarm OK): ${lifted.join(', ')}`),
  };
}

function dataField(event: EngineEventInfo, key: string): unknown {
  const data = event.data;
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? data[key] : undefined;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '?' : `${Math.round(ms / 1000)} s`;
}

/** `…:task-definition/web:3` → `web:3`. */
function shortArn(arn: string | undefined): string {
  return arn?.split('/').pop() ?? 'nothing';
}
