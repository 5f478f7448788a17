import { describe, expect, it } from 'vitest';
import { canonicalStepType } from './canonical-step-type.js';
import { STEP_TYPES } from './catalog.js';
import { STEP_TYPE_IDS } from './step-type-ids.js';

describe('canonicalStepType', () => {
  it('gives RAMPART: and DEVRAMPS: the same canonical id', () => {
    for (const raw of ['RAMPART:ECS:DEPLOY', 'DEVRAMPS:ECS:DEPLOY']) {
      expect(canonicalStepType(raw)).toEqual({
        kind: 'known',
        id: 'RAMPART:ECS:DEPLOY',
        definition: STEP_TYPES['RAMPART:ECS:DEPLOY'],
      });
    }
  });

  it('knows every catalog id under both prefixes', () => {
    for (const id of STEP_TYPE_IDS) {
      expect(canonicalStepType(id)).toMatchObject({ kind: 'known', id });
      expect(canonicalStepType(id.replace('RAMPART:', 'DEVRAMPS:'))).toMatchObject({
        kind: 'known',
        id,
      });
    }
  });

  it('reads custom steps', () => {
    expect(canonicalStepType('CUSTOM:NOTIFY_TEAM')).toEqual({
      kind: 'custom',
      name: 'NOTIFY_TEAM',
    });
    expect(canonicalStepType('CUSTOM:acme.notify:v2')).toEqual({
      kind: 'custom',
      name: 'acme.notify:v2',
    });
  });

  it('reports planned types', () => {
    expect(canonicalStepType('RAMPART:EKS:DEPLOY')).toEqual({
      kind: 'planned',
      id: 'RAMPART:EKS:DEPLOY',
    });
    expect(canonicalStepType('DEVRAMPS:EKS:HELM')).toEqual({
      kind: 'planned',
      id: 'RAMPART:EKS:HELM',
    });
  });

  it('is case-sensitive but suggests the right spelling', () => {
    expect(canonicalStepType('rampart:ecs:deploy')).toEqual({
      kind: 'unknown',
      suggestion: 'RAMPART:ECS:DEPLOY',
    });
    expect(canonicalStepType('devramps:lambda:invoke')).toEqual({
      kind: 'unknown',
      suggestion: 'DEVRAMPS:LAMBDA:INVOKE',
    });
  });

  it('suggests the nearest id for typos, missing prefixes and separators', () => {
    const suggestion = (raw: string) => {
      const r = canonicalStepType(raw);
      return r.kind === 'unknown' ? r.suggestion : `resolved as ${r.kind}`;
    };
    expect(suggestion('RAMPART:ECS:DEPLOI')).toBe('RAMPART:ECS:DEPLOY');
    expect(suggestion('ECS:DEPLOY')).toBe('RAMPART:ECS:DEPLOY');
    expect(suggestion('RAMPART:ECS:RUN-TASK')).toBe('RAMPART:ECS:RUN_TASK');
    expect(suggestion('RAMPARTS:S3:UPLOAD')).toBe('RAMPART:S3:UPLOAD');
    expect(suggestion('DEVRAMP:APPROVAL:BAKE')).toBe('DEVRAMPS:APPROVAL:BAKE');
    expect(suggestion(' RAMPART:SCRIPT:RUN ')).toBe('RAMPART:SCRIPT:RUN');
    expect(suggestion('RAMPART:TERRAFORM:PLAN')).toBe('RAMPART:TERRAFORM:SYNTHESIZE');
    expect(suggestion('RAMPART:EKS:HELMM')).toBe('RAMPART:EKS:HELM');
    expect(suggestion('custom:notify')).toBe('CUSTOM:notify');
    expect(suggestion('CUSTM:notify')).toBe('CUSTOM:notify');
  });

  it('offers nothing for types far from any known one', () => {
    expect(canonicalStepType('RAMPART:KUBERNETES:APPLY')).toEqual({ kind: 'unknown' });
    expect(canonicalStepType('')).toEqual({ kind: 'unknown' });
    expect(canonicalStepType('CUSTOM:')).toEqual({ kind: 'unknown' });
  });
});
