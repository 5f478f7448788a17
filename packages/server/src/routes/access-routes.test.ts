import { describe, expect, it } from 'vitest';
import { useApiServer } from '../test-support/api-harness.js';

type ErrorBody = { error: { code: string; message: string; hint?: string } };

describe('API access', () => {
  const t = useApiServer();

  it('the first start creates an admin token, reported once as a notice', async () => {
    const created = t.notices.filter((n) => n.code === 'server.admin_token_created');
    expect(created).toEqual([
      { code: 'server.admin_token_created', name: 'admin', secret: t.adminToken },
    ]);
    expect(await t.call('GET', '/api/v1/whoami')).toMatchObject({
      status: 200,
      body: { name: 'admin', role: 'admin', actor: 'token:admin' },
    });
  });

  it('no token, a malformed header or an unknown token is 401 API_UNAUTHENTICATED', async () => {
    const none = await t.call<ErrorBody>('GET', '/api/v1/pipelines', { token: null });
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({
      code: 'API_UNAUTHENTICATED',
      message: 'this route needs an API token',
    });
    const basic = await t.call<ErrorBody>('GET', '/api/v1/pipelines', {
      token: null,
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    });
    expect(basic.body.error.message).toBe('the Authorization header is not "Bearer <token>"');
    const unknown = await t.call<ErrorBody>('GET', '/api/v1/pipelines', {
      token: `rmp_${'0'.repeat(16)}_${'A'.repeat(43)}`,
    });
    expect(unknown).toMatchObject({
      status: 401,
      body: { error: { code: 'API_UNAUTHENTICATED' } },
    });
  });

  it('roles: a viewer reads, a deployer also operates, only an admin manages pipelines and tokens', async () => {
    const viewer = await t.token('viewer', 'ci-viewer');
    const deployer = await t.token('deployer', 'ci-deployer');
    expect((await t.call('GET', '/api/v1/pipelines', { token: viewer })).status).toBe(200);
    const refused = await t.call<ErrorBody>('POST', '/api/v1/pipelines/web/deployments', {
      token: viewer,
      body: {},
    });
    expect(refused).toMatchObject({
      status: 403,
      body: {
        error: {
          code: 'API_FORBIDDEN',
          message: 'token "ci-viewer" is a viewer; this needs the deployer role',
        },
      },
    });
    // Allowed past the role check: the pipeline is simply not registered.
    const deploy = await t.call<ErrorBody>('POST', '/api/v1/pipelines/web/deployments', {
      token: deployer,
      body: {},
    });
    expect(deploy).toMatchObject({
      status: 404,
      body: { error: { code: 'PIPELINE_NOT_REGISTERED' } },
    });
    for (const [method, path] of [
      ['POST', '/api/v1/pipelines'],
      ['DELETE', '/api/v1/pipelines/web'],
      ['GET', '/api/v1/tokens'],
      ['POST', '/api/v1/tokens'],
      ['DELETE', '/api/v1/tokens/abc'],
    ] as const) {
      const answer = await t.call<ErrorBody>(method, path, {
        token: deployer,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect([method, path, answer.status, answer.body.error.code]).toEqual([
        method,
        path,
        403,
        'API_FORBIDDEN',
      ]);
    }
  });

  it('creates, lists and revokes tokens; a revoked token is refused; secrets are shown once', async () => {
    const created = await t.call<{
      token: { id: string; name: string; role: string };
      secret: string;
    }>('POST', '/api/v1/tokens', {
      body: { name: 'release-bot', role: 'deployer', expiresAt: '2999-01-01T00:00:00Z' },
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatchObject({
      name: 'release-bot',
      role: 'deployer',
      expiresAt: '2999-01-01T00:00:00.000Z',
    });
    const { secret } = created.body;
    expect(secret).toMatch(/^rmp_/);
    expect((await t.call('GET', '/api/v1/whoami', { token: secret })).body).toMatchObject({
      role: 'deployer',
    });
    const listed = await t.call<{ tokens: { id: string; name: string }[] }>(
      'GET',
      '/api/v1/tokens',
    );
    expect(listed.body.tokens.map((k) => k.name)).toEqual(['admin', 'release-bot']);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const taken = await t.call<ErrorBody>('POST', '/api/v1/tokens', {
      body: { name: 'release-bot', role: 'viewer' },
    });
    expect(taken).toMatchObject({
      status: 409,
      body: { error: { code: 'STORE_TOKEN_NAME_TAKEN' } },
    });

    const id = created.body.token.id;
    expect(await t.call('DELETE', `/api/v1/tokens/${id}`)).toMatchObject({
      status: 200,
      body: { id, revoked: true },
    });
    expect((await t.call('GET', '/api/v1/whoami', { token: secret })).status).toBe(401);
    const again = await t.call<ErrorBody>('DELETE', `/api/v1/tokens/${id}`);
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'API_TOKEN_NOT_FOUND' } } });
  });

  it('a bad token request names each field', async () => {
    const answer = await t.call<ErrorBody & { error: { issues: { path: string }[] } }>(
      'POST',
      '/api/v1/tokens',
      {
        body: { name: 'has space', role: 'root', extra: 1 },
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('API_INVALID_REQUEST');
    expect(answer.body.error.issues.map((i) => i.path).sort()).toEqual([
      'body',
      'body.name',
      'body.role',
    ]);
    const notJson = await t.call<ErrorBody>('POST', '/api/v1/tokens', { body: '{nope' });
    expect(notJson).toMatchObject({
      status: 400,
      body: { error: { code: 'API_INVALID_REQUEST', message: 'the request body is not JSON' } },
    });
  });

  it('an unknown route is 404 API_NOT_FOUND', async () => {
    expect(await t.call('GET', '/api/v1/nothing-here')).toMatchObject({
      status: 404,
      body: { error: { code: 'API_NOT_FOUND', message: 'no route GET /api/v1/nothing-here' } },
    });
  });
});

describe('API access with a configured admin_token', () => {
  const ADMIN = 'a-long-configured-admin-token-0123456789';
  const t = useApiServer({ config: { admin_token: ADMIN } });

  it('creates no token, accepts the configured one as admin, and refuses near misses', async () => {
    expect(t.server.firstAdminToken).toBeUndefined();
    expect(t.notices.map((n) => n.code)).not.toContain('server.admin_token_created');
    expect(await t.call('GET', '/api/v1/tokens', { token: ADMIN })).toMatchObject({
      status: 200,
      body: { tokens: [] },
    });
    expect((await t.call('GET', '/api/v1/whoami', { token: ADMIN })).body).toEqual({
      name: 'admin-token',
      role: 'admin',
      actor: 'token:admin-token',
    });
    expect((await t.call('GET', '/api/v1/whoami', { token: `${ADMIN}x` })).status).toBe(401);
  });
});
