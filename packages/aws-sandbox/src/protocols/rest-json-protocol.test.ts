import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AwsError, CommonError } from '../framework/aws-error.js';
import type { SandboxHttpRequest } from '../framework/http.js';
import { restJsonProtocol } from './rest-json-protocol.js';

const protocol = restJsonProtocol({
  routes: [
    { method: 'POST', path: '/things', action: 'CreateThing', status: 201 },
    {
      method: 'GET',
      path: '/things/{Name}',
      action: 'GetThing',
      query: { v: 'Version' },
      queryLists: { tag: 'Tags' },
      headers: { 'x-amz-mode': 'Mode' },
    },
    { method: 'POST', path: '/things/{Name}/run', action: 'Run', body: 'raw' },
    { method: 'DELETE', path: '/things/{Name}', action: 'DeleteThing', status: 204 },
  ],
  commonErrors: { Throttling: ['TooManyRequestsException', 429] },
});

function request(method: string, path: string, body = '', headers = {}): SandboxHttpRequest {
  const [rawPath = '', rawQuery = ''] = path.split('?');
  return {
    method,
    rawPath,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: Buffer.from(body),
    stream: Readable.from([]),
    remoteAddress: '127.0.0.1',
  };
}

describe('the REST-JSON protocol', () => {
  it('binds labels, query parameters, headers and the JSON body into one input', async () => {
    const parsed = await protocol.parse(
      request('GET', '/things/a%20b?v=3&tag=x&tag=y', '', { 'x-amz-mode': 'fast' }),
    );
    expect(parsed.action).toBe('GetThing');
    expect(parsed.input.raw).toEqual({ Name: 'a b', Version: '3', Tags: ['x', 'y'], Mode: 'fast' });
    const created = await protocol.parse(request('POST', '/things', '{"Name":"n","Size":2}'));
    expect(created.input.raw).toEqual({ Name: 'n', Size: 2 });
    // A raw body is left for the handler.
    const run = await protocol.parse(request('POST', '/things/n/run', 'not json'));
    expect(run.input.raw).toEqual({ Name: 'n' });
  });

  it('refuses unknown routes and malformed bodies', () => {
    expect(() => protocol.parse(request('PUT', '/things'))).toThrow(/No operation matches PUT/);
    expect(() => protocol.parse(request('POST', '/things', '{oops'))).toThrow(CommonError);
    expect(() => protocol.parse(request('POST', '/things', '[1]'))).toThrow(/JSON object/);
  });

  it('renders results with the route status, and errors with x-amzn-errortype', () => {
    const created = protocol.render('CreateThing', { Name: 'n' }, 'req-1');
    expect(created).toMatchObject({ status: 201, body: '{"Name":"n"}' });
    expect(created.headers['x-amzn-requestid']).toBe('req-1');
    expect(protocol.render('DeleteThing', undefined, 'req-2')).toMatchObject({
      status: 204,
      body: '',
    });
    const error = protocol.renderError(
      new AwsError('NotFound', 'no such thing', { status: 404, fields: { Kind: 'thing' } }),
      'req-3',
    );
    expect(error.status).toBe(404);
    expect(error.headers['x-amzn-errortype']).toBe('NotFound');
    expect(JSON.parse(error.body as string)).toEqual({ message: 'no such thing', Kind: 'thing' });
    expect(protocol.commonError('Throttling', 'slow down')).toMatchObject({
      code: 'TooManyRequestsException',
      status: 429,
    });
    expect(protocol.commonError('AccessDenied', 'no')).toMatchObject({
      code: 'AccessDeniedException',
      status: 403,
    });
  });
});
