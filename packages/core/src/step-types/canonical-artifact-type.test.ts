import { describe, expect, it } from 'vitest';
import { ARTIFACT_TYPES } from './artifact-types.js';
import { canonicalArtifactType } from './canonical-artifact-type.js';

describe('canonicalArtifactType', () => {
  it('accepts the id with or without a RAMPART: or DEVRAMPS: prefix', () => {
    for (const raw of ['DOCKER:BUILD', 'RAMPART:DOCKER:BUILD', 'DEVRAMPS:DOCKER:BUILD']) {
      expect(canonicalArtifactType(raw)).toEqual({
        kind: 'known',
        id: 'RAMPART:DOCKER:BUILD',
        definition: ARTIFACT_TYPES['RAMPART:DOCKER:BUILD'],
      });
    }
    expect(canonicalArtifactType('BUNDLE:IMPORT')).toMatchObject({ id: 'RAMPART:BUNDLE:IMPORT' });
  });

  it('suggests in the form the user wrote', () => {
    expect(canonicalArtifactType('docker:build')).toEqual({
      kind: 'unknown',
      suggestion: 'DOCKER:BUILD',
    });
    expect(canonicalArtifactType('DEVRAMPS:BUNDLE:BILD')).toEqual({
      kind: 'unknown',
      suggestion: 'DEVRAMPS:BUNDLE:BUILD',
    });
    expect(canonicalArtifactType('RAMPART:DOCKER:IMPROT')).toEqual({
      kind: 'unknown',
      suggestion: 'RAMPART:DOCKER:IMPORT',
    });
  });

  it('rejects step types and unrelated strings', () => {
    expect(canonicalArtifactType('RAMPART:ECS:DEPLOY')).toEqual({ kind: 'unknown' });
    expect(canonicalArtifactType('ZIP')).toEqual({ kind: 'unknown' });
  });
});
