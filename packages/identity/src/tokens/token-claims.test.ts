import { RampartError } from '@rampart/core';
import { describe, expect, it } from 'vitest';
import { tokenClaims, type TokenRequest } from './token-claims.js';

const context = {
  issuer: 'https://rampart.example.com',
  now: new Date('2026-03-01T10:00:00.750Z'),
  jti: 'id-1',
};
const request: TokenRequest = { org: 'acme', pipeline: 'web', stage: 'prod' };
const iat = Date.parse('2026-03-01T10:00:00Z') / 1000;

function failure(run: () => unknown): RampartError {
  try {
    run();
  } catch (error) {
    if (error instanceof RampartError) return error;
    throw error;
  }
  throw new Error('expected a RampartError');
}

describe('tokenClaims', () => {
  it('pins org, pipeline and stage in sub and the STS audience; lives 5 minutes by default', () => {
    expect(tokenClaims(request, context)).toEqual({
      iss: 'https://rampart.example.com',
      sub: 'org:acme/pipeline:web/stage:prod',
      aud: 'sts.amazonaws.com',
      iat,
      nbf: iat,
      exp: iat + 300,
      jti: 'id-1',
    });
  });

  it('an ephemeral environment is the stage ephemeral-<name>', () => {
    expect(tokenClaims({ ...request, stage: 'ephemeral-pr-42' }, context).sub).toBe(
      'org:acme/pipeline:web/stage:ephemeral-pr-42',
    );
  });

  it('a build token pins the pipeline build subject; a request names a stage or the build', () => {
    expect(tokenClaims({ org: 'acme', pipeline: 'web', build: true }, context).sub).toBe(
      'org:acme/pipeline:web/build',
    );
    expect(failure(() => tokenClaims({ ...request, build: true }, context)).code).toBe('INTERNAL');
    expect(failure(() => tokenClaims({ org: 'acme', pipeline: 'web' }, context)).code).toBe(
      'INTERNAL',
    );
  });

  it('adds the informational claims only when given', () => {
    const claims = tokenClaims(
      { ...request, deploymentId: 'dep-7', revision: 12, commit: 'a1b2c3d' },
      context,
    );
    expect(claims).toMatchObject({ deployment_id: 'dep-7', revision: 12, commit: 'a1b2c3d' });
    expect(Object.keys(tokenClaims(request, context))).not.toContain('deployment_id');
  });

  it('accepts lifetimes from 1 second to 10 minutes', () => {
    expect(tokenClaims({ ...request, lifetimeSeconds: 600 }, context).exp).toBe(iat + 600);
    expect(tokenClaims({ ...request, lifetimeSeconds: 1 }, context).exp).toBe(iat + 1);
  });

  it('refuses a lifetime over 10 minutes, zero, negative or fractional', () => {
    for (const lifetimeSeconds of [601, 3600, 0, -5, 1.5, Number.NaN]) {
      const error = failure(() => tokenClaims({ ...request, lifetimeSeconds }, context));
      expect(error.code).toBe('TOKEN_LIFETIME_INVALID');
      expect(error.message).toContain(`${String(lifetimeSeconds)} seconds`);
    }
  });

  it('refuses parts that could make the subject match another stage', () => {
    for (const bad of [
      { ...request, stage: 'prod/stage:x' },
      { ...request, pipeline: 'web*' },
      { ...request, org: '' },
    ]) {
      expect(failure(() => tokenClaims(bad, context)).code).toBe('RESOURCE_NAME_INVALID');
    }
  });
});
