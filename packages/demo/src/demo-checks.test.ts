import type {
  DeploymentDetail,
  DeploymentStatus,
  EngineEventInfo,
  RollbackInfo,
  StageStatus,
} from '@rampart/protocol';
import { describe, expect, it } from 'vitest';
import type { ArtifactCopies, ArtifactStores } from './artifact-copies.js';
import { checkOutcome, type CheckInput, type DemoCheckId } from './demo-checks.js';

const AT = '2026-03-01T10:00:00.000Z';
const arn = (account: string, region: string, revision: number) =>
  `arn:aws:ecs:${region}:${account}:task-definition/web:${revision}`;
const PROD_US_V1 = arn('555555555555', 'us-east-1', 2);
const PROD_EU_V1 = arn('555555555555', 'eu-west-1', 2);
const V1 = `sha256:${'1'.repeat(64)}`;
const V2 = `sha256:${'2'.repeat(64)}`;
const SITE = 'a'.repeat(64);
/** The stage's copy of an image, as the mirror names it in the sandbox's registry. */
const copyOf = (stage: string, account: string, region: string, digest: string) =>
  `127.0.0.1:4566/${account}/${region}/web-${stage}-web-image@${digest}`;

function stores(where: string, account: string, digests: string[]): ArtifactStores {
  const prefix = where === 'cicd' ? 'web' : `web-${where}`;
  return {
    where,
    repository: `${prefix}-web-image`,
    imageDigests: digests,
    bucket: `${account}-${prefix}-site`,
    bundles: [{ key: `site/${'b'.repeat(40)}.zip`, sha256: SITE }],
  };
}

function copies(): ArtifactCopies {
  return {
    cicd: stores('cicd', '222222222222', [V1, V2]),
    stages: [
      stores('staging', '444444444444', [V1, V2]),
      stores('prod-us', '555555555555', [V1, V2]),
      stores('prod-eu', '555555555555', [V1]),
    ],
    siteFiles: {
      staging: ['index.html', 'robots.txt'],
      'prod-us': ['index.html', 'robots.txt'],
      'prod-eu': ['index.html', 'robots.txt'],
    },
  };
}

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
  const built = (revision: number, artifact: string, fields: Record<string, string>) =>
    event('artifact.built', {
      deploymentId: `web:${revision}`,
      data: { revision, artifact, fields },
    });
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
      built(1, 'Web Image', { image_digest: V1 }),
      built(1, 'Site', { sha256: SITE }),
      built(2, 'Web Image', { image_digest: V2 }),
      event('artifact.reused', {
        deploymentId: 'web:2',
        data: { revision: 2, artifact: 'Site', fields: { sha256: SITE }, reusedRevision: 1 },
      }),
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
      {
        stage: 'staging',
        taskDefinitionArn: arn('444444444444', 'us-east-1', 3),
        image: copyOf('staging', '444444444444', 'us-east-1', V2),
      },
      {
        stage: 'prod-us',
        taskDefinitionArn: PROD_US_V1,
        image: copyOf('prod-us', '555555555555', 'us-east-1', V1),
      },
      {
        stage: 'prod-eu',
        taskDefinitionArn: PROD_EU_V1,
        image: copyOf('prod-eu', '555555555555', 'eu-west-1', V1),
      },
    ],
    copies: copies(),
    images: { v1: V1, v2: V2 },
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
      ['artifacts-built-once', true],
      ['artifacts-mirrored', true],
      ['steps-used-mirrors', true],
    ]);
    expect(checks[2]?.detail).toBe('web-5xx ALARM 2.0 demo minutes into the bake');
    expect(checks[6]?.detail).toBe(
      `r1 Web Image imported ${V1.slice(0, 19)}, r1 Site built ${SITE.slice(0, 12)}, r2 Web Image imported ${V2.slice(0, 19)}, r2 Site reused from revision 1`,
    );
    expect(checks[8]?.detail).toContain('web-prod-eu-web-image@sha256:111111111111');
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

  it('fails the artifact outcomes that did not happen, naming the stage', () => {
    // Revision 2 rebuilt the unchanged site instead of reusing it.
    const rebuilt = goodRun();
    rebuilt.events = rebuilt.events.map((e) =>
      e.type === 'artifact.reused'
        ? { ...e, type: 'artifact.built', data: { artifact: 'Site', fields: { sha256: SITE } } }
        : e,
    );
    expect(failed(rebuilt)).toEqual(['artifacts-built-once']);
    expect(checkOutcome(rebuilt)[6]?.detail).toBe('revision 2: Site built, not reused');

    // Revision 2 imported something else than the vendor's 2.0.
    const wrong = goodRun();
    wrong.images = { v1: V1, v2: `sha256:${'3'.repeat(64)}` };
    expect(failed(wrong)).toEqual(['artifacts-built-once']);

    // prod-eu's repository lacks the image, and its bucket the site.
    const missing = goodRun();
    const eu = missing.copies?.stages[2];
    if (eu !== undefined) {
      eu.imageDigests = [];
      eu.bundles = [];
    }
    expect(failed(missing)).toEqual(['artifacts-mirrored']);
    expect(checkOutcome(missing)[7]?.detail).toBe(
      'prod-eu: web-prod-eu-web-image lacks sha256:111111111111; prod-eu: 555555555555-web-prod-eu-site holds no bundle with SHA-256 aaaaaaaaaaaa',
    );

    // prod-us's service runs the CI/CD account's copy, and staging's site bucket is empty.
    const foreign = goodRun();
    foreign.services = foreign.services.map((s) =>
      s.stage === 'prod-us'
        ? { ...s, image: `127.0.0.1:4566/222222222222/us-east-1/web-web-image@${V1}` }
        : s,
    );
    if (foreign.copies !== undefined) foreign.copies.siteFiles['staging'] = [];
    expect(failed(foreign)).toEqual(['steps-used-mirrors']);
    expect(checkOutcome(foreign)[8]?.detail).toBe(
      `staging's site bucket holds nothing; prod-us runs 127.0.0.1:4566/222222222222/us-east-1/web-web-image@${V1}, not its own copy`,
    );

    // Nothing could be read: the checks fail rather than pass.
    const unread = goodRun();
    delete unread.copies;
    expect(failed(unread)).toEqual(['artifacts-mirrored', 'steps-used-mirrors']);
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
      'artifacts-built-once',
      'artifacts-mirrored',
    ]);
  });
});
