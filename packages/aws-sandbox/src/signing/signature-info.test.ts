import { describe, expect, it } from 'vitest';
import { CommonError } from '../framework/aws-error.js';
import type { SandboxHttpRequest } from '../framework/http.js';
import { formatAmzDate, parseAmzDate, readSignatureInfo } from './signature-info.js';

function request(
  headers: Record<string, string>,
  query = '',
): Pick<SandboxHttpRequest, 'headers' | 'query'> {
  return { headers, query: new URLSearchParams(query) };
}

const read = (r: Pick<SandboxHttpRequest, 'headers' | 'query'>) =>
  readSignatureInfo(r as SandboxHttpRequest);

const kindOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (error: unknown) {
    return error instanceof CommonError ? error.kind : String(error);
  }
};

const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/eu-west-1/kms/aws4_request, ' +
  'SignedHeaders=host;x-amz-date, Signature=abc123';

describe('readSignatureInfo', () => {
  it('reads the Authorization header form', () => {
    expect(read(request({ authorization: AUTH, 'x-amz-date': '20260301T100000Z' }))).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      scopeDate: '20260301',
      region: 'eu-west-1',
      service: 'kms',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc123',
      amzDate: '20260301T100000Z',
      presigned: false,
    });
  });

  it('accepts fields without spaces, in any order, and carries the session token', () => {
    const info = read(
      request({
        authorization:
          'AWS4-HMAC-SHA256 Signature=ff,SignedHeaders=host,Credential=ASIAX/20260301/us-east-1/sts/aws4_request',
        'x-amz-date': '20260301T100000Z',
        'x-amz-security-token': 'token',
      }),
    );
    expect(info).toMatchObject({
      accessKeyId: 'ASIAX',
      service: 'sts',
      signature: 'ff',
      signedHeaders: ['host'],
      sessionToken: 'token',
    });
  });

  it('does not mistake a field for another whose name it starts with', () => {
    const info = read(
      request({
        authorization:
          'AWS4-HMAC-SHA256 SignatureX=no, Credential=AKIDEXAMPLE/20260301/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=yes',
        'x-amz-date': '20260301T100000Z',
      }),
    );
    expect(info?.signature).toBe('yes');
  });

  it('rejects incomplete headers and other algorithms with IncompleteSignature', () => {
    const date = { 'x-amz-date': '20260301T100000Z' };
    expect(kindOf(() => read(request({ authorization: AUTH })))).toBe('IncompleteSignature');
    expect(
      kindOf(() =>
        read(request({ authorization: AUTH.replace(', Signature=abc123', ''), ...date })),
      ),
    ).toBe('IncompleteSignature');
    expect(
      kindOf(() =>
        read(request({ authorization: AUTH.replace('/aws4_request', '/aws5_request'), ...date })),
      ),
    ).toBe('IncompleteSignature');
    expect(kindOf(() => read(request({ authorization: 'AWS AKID:sig', ...date })))).toBe(
      'IncompleteSignature',
    );
  });

  it('reads the presigned query form, and returns undefined for unsigned requests', () => {
    const query =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260301%2Fus-east-1%2Fsts%2Faws4_request' +
      '&X-Amz-Date=20260301T100000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=beef';
    expect(read(request({}, query))).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      scopeDate: '20260301',
      region: 'us-east-1',
      service: 'sts',
      signedHeaders: ['host'],
      signature: 'beef',
      amzDate: '20260301T100000Z',
      presigned: true,
      expiresSeconds: 60,
    });
    expect(read(request({}, 'Action=GetCallerIdentity'))).toBeUndefined();
  });
});

describe('X-Amz-Date', () => {
  it('round-trips', () => {
    const date = parseAmzDate('20260301T235959Z');
    expect(date?.toISOString()).toBe('2026-03-01T23:59:59.000Z');
    expect(formatAmzDate(date as Date)).toBe('20260301T235959Z');
  });

  it('rejects malformed and out-of-range dates', () => {
    for (const bad of [
      '2026-03-01T10:00:00Z',
      '20260301T100000',
      '20261301T100000Z',
      '20260230T100000Z',
      '20260301T240000Z',
      '20260301T106000Z',
      '20260301T100060Z',
    ]) {
      expect(parseAmzDate(bad), bad).toBeUndefined();
    }
  });
});
