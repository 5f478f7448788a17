import { describe, expect, it } from 'vitest';
import { ApiRequestError, errorFromAnswer, networkCodeOf } from './api-request-error.js';

const ctx = {
  method: 'POST',
  path: '/api/v1/pipelines',
  url: 'http://127.0.0.1:8080',
  tokenOrigin: 'RAMPART_TOKEN',
};
const body = (error: Record<string, unknown>) => JSON.stringify({ error });

describe('errorFromAnswer', () => {
  it('keeps the server code, hint and field issues of a refusal', () => {
    const error = errorFromAnswer(
      400,
      body({
        code: 'API_INVALID_REQUEST',
        message: 'the request does not match the API',
        hint: 'Fix the fields named.',
        issues: [{ path: 'body.slug', message: 'must be lowercase' }],
      }),
      ctx,
    );
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      code: 'CLIENT_REQUEST_REFUSED',
      message:
        'the server refused (API_INVALID_REQUEST): the request does not match the API\n  body.slug: must be lowercase',
      hint: 'Fix the fields named.',
      status: 400,
      api: { code: 'API_INVALID_REQUEST' },
      source: 'user',
    });
  });

  it('401 names where the token came from; 5xx is the server failing', () => {
    expect(
      errorFromAnswer(401, body({ code: 'API_UNAUTHENTICATED', message: 'unknown token' }), ctx),
    ).toMatchObject({
      code: 'CLIENT_TOKEN_REFUSED',
      message:
        'the server refused the token from RAMPART_TOKEN (API_UNAUTHENTICATED): unknown token',
    });
    expect(
      errorFromAnswer(
        500,
        body({ code: 'STORE_BUSY', message: 'the server failed to answer' }),
        ctx,
      ),
    ).toMatchObject({
      code: 'CLIENT_SERVER_FAILED',
      message: 'the server failed to answer POST /api/v1/pipelines (500 STORE_BUSY)',
      retryable: true,
    });
  });

  it('an answer without an error body: a starting server, or not a Rampart server', () => {
    expect(errorFromAnswer(503, 'starting', ctx)).toMatchObject({
      code: 'CLIENT_SERVER_FAILED',
      message: 'the server at http://127.0.0.1:8080 is not ready (503: starting)',
    });
    expect(errorFromAnswer(404, '<html>nginx</html>', ctx)).toMatchObject({
      code: 'CLIENT_RESPONSE_INVALID',
      message:
        'POST http://127.0.0.1:8080/api/v1/pipelines answered 404 without a Rampart error body',
    });
  });
});

describe('networkCodeOf', () => {
  it('finds the system code under fetch failures, also inside aggregated errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(networkCodeOf(new TypeError('fetch failed', { cause: refused }))).toBe('ECONNREFUSED');
    const both = Object.assign(new AggregateError([refused]), { code: undefined });
    expect(networkCodeOf(new TypeError('fetch failed', { cause: both }))).toBe('ECONNREFUSED');
    expect(networkCodeOf(new Error('something else'))).toBeUndefined();
  });
});
