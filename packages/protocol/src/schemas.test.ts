import { describe, expect, it } from 'vitest';
import { roleAllows } from './access.js';
import { apiPaths } from './api-paths.js';
import { startDeploymentRequestSchema } from './deployments.js';
import { eventQuerySchema } from './events.js';
import { operationRequestSchema } from './operations.js';
import { registerPipelineRequestSchema } from './pipelines.js';

const paths = (issues: readonly { path: readonly PropertyKey[] }[]) =>
  issues.map((i) => i.path.join('.'));

describe('request schemas', () => {
  it('a pipeline registration needs a slug and a path or git source; unknown keys are refused', () => {
    expect(
      registerPipelineRequestSchema.parse({
        slug: 'web',
        source: { kind: 'git', location: 'https://git.example/web.git' },
      }),
    ).toEqual({ slug: 'web', source: { kind: 'git', location: 'https://git.example/web.git' } });
    const bad = registerPipelineRequestSchema.safeParse({
      slug: 'Web_App',
      source: { kind: 'svn', location: '' },
      branch: 'main',
    });
    expect(bad.success).toBe(false);
    expect(paths(bad.error?.issues ?? []).sort()).toEqual([
      '',
      'slug',
      'source.kind',
      'source.location',
    ]);
  });

  it('a deployment names at most one of sha, branch and revision', () => {
    expect(startDeploymentRequestSchema.parse({ branch: 'main', reason: 'ship' })).toEqual({
      branch: 'main',
      reason: 'ship',
    });
    expect(startDeploymentRequestSchema.parse({})).toEqual({});
    const both = startDeploymentRequestSchema.safeParse({ sha: 'abc1234', branch: 'main' });
    expect(both.error?.issues[0]?.message).toBe('name at most one of sha, branch and revision');
    expect(startDeploymentRequestSchema.safeParse({ sha: 'not-hex' }).success).toBe(false);
    expect(startDeploymentRequestSchema.safeParse({ revision: 0 }).success).toBe(false);
  });

  it('operations are told apart by kind; each needs its fields and a reason', () => {
    expect(
      operationRequestSchema.parse({
        kind: 'approve',
        revision: 3,
        stage: 'prod',
        step: 'Bake',
        reason: 'looks good',
      }),
    ).toMatchObject({ kind: 'approve', revision: 3 });
    expect(
      operationRequestSchema.parse({ kind: 'rollback', stage: 'prod', toRevision: 2, reason: 'x' }),
    ).toMatchObject({ toRevision: 2 });
    const blank = operationRequestSchema.safeParse({ kind: 'stop', stage: 'prod', reason: '  ' });
    expect(paths(blank.error?.issues ?? [])).toEqual(['reason']);
    const missing = operationRequestSchema.safeParse({
      kind: 'approve',
      stage: 'prod',
      reason: 'r',
    });
    expect(paths(missing.error?.issues ?? []).sort()).toEqual(['revision', 'step']);
    expect(operationRequestSchema.safeParse({ kind: 'explode', reason: 'r' }).success).toBe(false);
  });

  it('query numbers arrive as text and are coerced; bad ones are refused', () => {
    expect(eventQuerySchema.parse({ pipeline: 'web', after: '12', limit: '5' })).toEqual({
      pipeline: 'web',
      after: 12,
      limit: 5,
    });
    expect(eventQuerySchema.safeParse({ after: '-1' }).success).toBe(false);
    expect(eventQuerySchema.safeParse({ limit: '5000' }).success).toBe(false);
  });
});

describe('roles and paths', () => {
  it('each role includes the weaker ones', () => {
    expect(roleAllows('admin', 'deployer')).toBe(true);
    expect(roleAllows('deployer', 'deployer')).toBe(true);
    expect(roleAllows('deployer', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'deployer')).toBe(false);
  });

  it('paths encode their parts', () => {
    expect(apiPaths.step('web', 3, 'prod', 'Deploy app/v2')).toBe(
      '/api/v1/pipelines/web/deployments/3/stages/prod/steps/Deploy%20app%2Fv2',
    );
    expect(apiPaths.token('t_1')).toBe('/api/v1/tokens/t_1');
  });
});
