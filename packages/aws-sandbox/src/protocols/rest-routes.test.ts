import { describe, expect, it } from 'vitest';
import { RestRouter } from './rest-routes.js';

const router = new RestRouter([
  { method: 'GET', path: '/2015-03-31/functions', action: 'ListFunctions' },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}', action: 'GetFunction' },
  {
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}',
    action: 'GetAlias',
  },
  { method: 'GET', path: '/2018-10-31/layers?find=LayerVersion', action: 'GetLayerVersionByArn' },
  { method: 'GET', path: '/2018-10-31/layers', action: 'ListLayers' },
  { method: 'GET', path: '/files/{Key+}', action: 'GetFile' },
]);

const match = (method: string, path: string, query = '') =>
  router.match(method, path, new URLSearchParams(query));

describe('REST routing', () => {
  it('matches literal and label segments, decoding labels', () => {
    expect(match('GET', '/2015-03-31/functions')?.route.action).toBe('ListFunctions');
    expect(match('GET', '/2015-03-31/functions/')?.route.action).toBe('ListFunctions');
    const arn = match(
      'GET',
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af',
    );
    expect(arn?.route.action).toBe('GetFunction');
    expect(arn?.labels).toEqual({ FunctionName: 'arn:aws:lambda:us-east-1:1:function:f' });
    expect(match('get', '/2015-03-31/functions/f/aliases/live')?.labels).toEqual({
      FunctionName: 'f',
      Name: 'live',
    });
  });

  it('prefers routes that require a literal query, and supports greedy labels', () => {
    expect(match('GET', '/2018-10-31/layers', 'find=LayerVersion')?.route.action).toBe(
      'GetLayerVersionByArn',
    );
    expect(match('GET', '/2018-10-31/layers', 'find=other')?.route.action).toBe('ListLayers');
    expect(match('GET', '/files/a/b%20c/d')?.labels).toEqual({ Key: 'a/b c/d' });
  });

  it('matches nothing for other methods, extra segments or empty labels', () => {
    expect(match('POST', '/2015-03-31/functions/f')).toBeUndefined();
    expect(match('GET', '/2015-03-31/functions/f/unknown')).toBeUndefined();
    expect(match('GET', '/2015-03-31/functions//aliases/x')).toBeUndefined();
    expect(match('GET', '/files/')).toBeUndefined();
    expect(router.routeOf('GetAlias')?.path).toBe(
      '/2015-03-31/functions/{FunctionName}/aliases/{Name}',
    );
    expect(router.routeOf('Nope')).toBeUndefined();
  });
});
