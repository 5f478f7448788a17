import { describe, expect, it } from 'vitest';
import {
  BUILD_STATUSES,
  DEPLOYMENT_STATUSES,
  STAGE_STATUSES,
  STEP_STATUSES,
  isActiveStageStatus,
  isActiveStepStatus,
  isDeployingStageStatus,
  isPreparingStageStatus,
  isStepDoneForDependents,
  isTerminalBuildStatus,
  isTerminalDeploymentStatus,
  isTerminalStageStatus,
  isTerminalStepStatus,
} from './statuses.js';

const where = <T extends string>(all: readonly T[], p: (s: T) => boolean): T[] => all.filter(p);

describe('status predicates', () => {
  it('a build is terminal once it succeeded, failed or was cancelled', () => {
    expect(where(BUILD_STATUSES, isTerminalBuildStatus)).toEqual([
      'succeeded',
      'failed',
      'cancelled',
    ]);
  });

  it('a deployment is terminal unless building or running', () => {
    expect(where(DEPLOYMENT_STATUSES, isTerminalDeploymentStatus)).toEqual([
      'succeeded',
      'failed',
      'cancelled',
      'rolled_back',
      'superseded',
    ]);
  });

  it('splits stage statuses into waiting, active and terminal', () => {
    expect(where(STAGE_STATUSES, isTerminalStageStatus)).toEqual([
      'succeeded',
      'failed',
      'cancelled',
      'rolled_back',
      'superseded',
      'not_reached',
    ]);
    expect(where(STAGE_STATUSES, isActiveStageStatus)).toEqual([
      'checking_resources',
      'mirroring',
      'running_steps',
      'baking',
      'rolling_back',
    ]);
    expect(where(STAGE_STATUSES, isPreparingStageStatus)).toEqual([
      'checking_resources',
      'mirroring',
    ]);
    expect(where(STAGE_STATUSES, isDeployingStageStatus)).toEqual(['running_steps', 'baking']);
  });

  it('splits step statuses', () => {
    expect(where(STEP_STATUSES, isTerminalStepStatus)).toEqual([
      'succeeded',
      'failed',
      'skipped',
      'cancelled',
    ]);
    expect(where(STEP_STATUSES, isActiveStepStatus)).toEqual(['running', 'waiting_for_approval']);
    expect(where(STEP_STATUSES, isStepDoneForDependents)).toEqual(['succeeded', 'skipped']);
  });

  it('refuses a value outside the union', () => {
    expect(() => isTerminalStageStatus('paused' as never)).toThrow(TypeError);
    expect(() => isTerminalStepStatus('paused' as never)).toThrow(TypeError);
  });
});
