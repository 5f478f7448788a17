import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SandboxHttpRequest } from '../framework/http.js';
import { parseRange } from './blob-operations.js';
import { OciError } from './oci-error.js';
import { isRegistryRequest, routeRegistry } from './registry-routes.js';

function request(
  method: string,
  url: string,
  headers: Record<string, string> = {},
): SandboxHttpRequest {
  const [rawPath = '', rawQuery = ''] = url.split('?');
  return {
    method,
    rawPath,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: Buffer.alloc(0),
    stream: Readable.from([]),
    remoteAddress: '127.0.0.1',
  };
}

const NAME = '222222222222/us-east-1/team/web';
const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('registry routing', () => {
  it('claims unsigned /v2 requests only', () => {
    expect(isRegistryRequest(request('GET', '/v2/'))).toBe(true);
    expect(isRegistryRequest(request('GET', '/v2'))).toBe(true);
    expect(isRegistryRequest(request('GET', `/v2/${NAME}/tags/list`))).toBe(true);
    expect(isRegistryRequest(request('GET', '/v2x/'))).toBe(false);
    expect(isRegistryRequest(request('GET', '/bucket/v2/key'))).toBe(false);
    expect(
      isRegistryRequest(
        request('GET', '/v2/key', { authorization: 'AWS4-HMAC-SHA256 Credential=…' }),
      ),
    ).toBe(false);
    expect(isRegistryRequest(request('GET', '/v2/key?X-Amz-Algorithm=AWS4-HMAC-SHA256'))).toBe(
      false,
    );
    expect(isRegistryRequest(request('GET', '/v2/', { authorization: 'Basic eA==' }))).toBe(true);
  });

  it('maps paths and methods to operations, names with slashes included', () => {
    const cases: [string, string, object][] = [
      ['GET', '/v2/', { operation: 'RegistryPing' }],
      ['GET', `/v2/${NAME}/manifests/v1`, { operation: 'RegistryGetManifest', reference: 'v1' }],
      [
        'HEAD',
        `/v2/${NAME}/manifests/${DIGEST}`,
        { operation: 'RegistryHeadManifest', reference: DIGEST },
      ],
      ['PUT', `/v2/${NAME}/manifests/v1`, { operation: 'RegistryPutManifest' }],
      ['DELETE', `/v2/${NAME}/manifests/v1`, { operation: 'RegistryDeleteManifest' }],
      ['POST', `/v2/${NAME}/blobs/uploads/`, { operation: 'RegistryStartUpload' }],
      ['POST', `/v2/${NAME}/blobs/uploads`, { operation: 'RegistryStartUpload' }],
      [
        'PATCH',
        `/v2/${NAME}/blobs/uploads/abc`,
        { operation: 'RegistryPatchUpload', uploadId: 'abc' },
      ],
      ['PUT', `/v2/${NAME}/blobs/uploads/abc`, { operation: 'RegistryCompleteUpload' }],
      ['GET', `/v2/${NAME}/blobs/${DIGEST}`, { operation: 'RegistryGetBlob', reference: DIGEST }],
      ['GET', `/v2/${NAME}/blobs/sha256%3A${'b'.repeat(64)}`, { reference: DIGEST }],
      ['GET', `/v2/${NAME}/tags/list`, { operation: 'RegistryListTags' }],
      ['GET', `/v2/${NAME}/referrers/${DIGEST}`, { operation: 'RegistryListReferrers' }],
    ];
    for (const [method, path, expected] of cases) {
      expect(routeRegistry(request(method, path)), `${method} ${path}`).toMatchObject(expected);
    }
    expect(routeRegistry(request('GET', `/v2/${NAME}/tags/list`)).name).toEqual({
      full: NAME,
      accountId: '222222222222',
      region: 'us-east-1',
      repositoryName: 'team/web',
    });
  });

  it('refuses bad names and unknown endpoints with OCI codes', () => {
    const code = (method: string, path: string): [string, number] => {
      try {
        routeRegistry(request(method, path));
      } catch (error: unknown) {
        if (error instanceof OciError) return [error.code, error.status];
        throw error;
      }
      throw new Error(`${method} ${path} was routed`);
    };
    expect(code('GET', '/v2/web/tags/list')).toEqual(['NAME_INVALID', 400]);
    expect(code('GET', '/v2/222222222222/us-east-1/UPPER/tags/list')).toEqual([
      'NAME_INVALID',
      400,
    ]);
    expect(code('GET', '/v2/%E0%A4%A/x')).toEqual(['NAME_INVALID', 400]);
    expect(code('POST', `/v2/${NAME}/manifests/v1`)).toEqual(['UNSUPPORTED', 405]);
    expect(code('POST', '/v2/')).toEqual(['UNSUPPORTED', 405]);
    expect(code('GET', '/v2/_catalog')).toEqual(['UNSUPPORTED', 404]);
  });

  it('parses byte ranges', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-3', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    // Forms the registry does not serve fall back to the whole blob.
    expect(parseRange('bytes=0-1,5-6', 100)).toBeUndefined();
    expect(parseRange('items=0-1', 100)).toBeUndefined();
    expect(parseRange('bytes=-', 100)).toBeUndefined();
  });
});
