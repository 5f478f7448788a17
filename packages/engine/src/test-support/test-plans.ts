/** Deployment plans for tests, built directly (the planner's own output is covered by freeze-plan tests). */
import { presetWindow, type TimeWindow } from '@rampart/core';
import { rollbackMode } from '../model/freeze-plan.js';
import type {
  ArtifactBuildSpec,
  DeploymentPlan,
  DeploymentStagePlan,
  DeploymentStepPlan,
  JsonObject,
} from '../model/deployment-plan.js';

export const ECS_PARAMS: JsonObject = {
  cluster_name: 'main',
  service_name: 'api',
  image_url: 'api:1',
};

/** A step; type SCRIPT:RUN with a command unless told, going after the listed steps. */
export function step(
  name: string,
  overrides: Partial<DeploymentStepPlan> = {},
): DeploymentStepPlan {
  const type = overrides.type ?? 'RAMPART:SCRIPT:RUN';
  return {
    name,
    key: overrides.key ?? name,
    type,
    dependsOn: [],
    skipped: false,
    params: type === 'RAMPART:SCRIPT:RUN' ? { command: `run ${name}` } : {},
    rollback: rollbackMode(type),
    ...overrides,
  };
}

export function ecsDeploy(
  name: string,
  overrides: Partial<DeploymentStepPlan> = {},
): DeploymentStepPlan {
  return step(name, { type: 'RAMPART:ECS:DEPLOY', params: { ...ECS_PARAMS }, ...overrides });
}

export function bake(name: string, minutes: number, dependsOn: string[] = []): DeploymentStepPlan {
  return step(name, {
    type: 'RAMPART:APPROVAL:BAKE',
    params: { duration_minutes: minutes },
    dependsOn,
  });
}

export const ALWAYS_OPEN: TimeWindow = presetWindow('NONE') as TimeWindow;

/** A stage in account 1111… (index-based account ids keep stages apart), always open, no alarms. */
export function stage(
  name: string,
  steps: DeploymentStepPlan[],
  overrides: Partial<DeploymentStagePlan> = {},
): DeploymentStagePlan {
  return {
    name,
    accountId: '111111111111',
    region: 'us-east-1',
    role: `rampart-${name}`,
    window: ALWAYS_OPEN,
    alarms: [],
    vars: {},
    steps,
    artifacts: [],
    ...overrides,
  };
}

/** Steps in a chain: each goes after the one before (the file-order default). */
export function chain(steps: DeploymentStepPlan[]): DeploymentStepPlan[] {
  return steps.map((s, i) => {
    const previous = steps[i - 1];
    return i === 0 || s.dependsOn.length > 0 || previous === undefined
      ? s
      : { ...s, dependsOn: [previous.name] };
  });
}

export function plan(stages: DeploymentStagePlan[], slug = 'web'): DeploymentPlan {
  return { pipelineSlug: slug, stages };
}

/** Three stages (staging, prod-east, prod-west), each: deploy → bake 30 min, with one alarm each. */
export function threeStagePlan(image = 'api:1'): DeploymentPlan {
  const stageSteps = (): DeploymentStepPlan[] => [
    ecsDeploy('Deploy', { params: { ...ECS_PARAMS, image_url: image } }),
    bake('Bake', 30, ['Deploy']),
  ];
  return plan([
    stage('staging', stageSteps(), { accountId: '222222222222', alarms: ['staging-5xx'] }),
    stage('prod-east', stageSteps(), { accountId: '333333333333', alarms: ['prod-5xx'] }),
    stage('prod-west', stageSteps(), {
      accountId: '333333333333',
      region: 'us-west-2',
      alarms: ['prod-5xx'],
    }),
  ]);
}

export const CICD_ACCOUNT = '999999999999';

/** A built-once artifact into the CI/CD account: an image unless `kind` says otherwise. */
export function builtArtifact(
  name: string,
  overrides: Partial<ArtifactBuildSpec> = {},
): ArtifactBuildSpec {
  const id = overrides.id ?? name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const kind = overrides.kind ?? 'image';
  return {
    name,
    id,
    type: kind === 'image' ? 'RAMPART:DOCKER:BUILD' : 'RAMPART:BUNDLE:BUILD',
    kind,
    params:
      kind === 'image'
        ? { dockerfile: 'Dockerfile' }
        : { build_commands: 'make', file_path: 'a.zip' },
    destination: {
      accountId: CICD_ACCOUNT,
      region: 'us-east-1',
      ...(kind === 'image' ? { repository: `web-${id}` } : { bucket: `${CICD_ACCOUNT}-web-${id}` }),
    },
    ...overrides,
  };
}
