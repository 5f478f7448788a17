import { describe, expect, it } from 'vitest';
import { signer } from '../../tests/raw-requests.js';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  sha256Hex,
  sign,
  signingKey,
  stringToSign,
  uriEscape,
} from './sigv4.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

describe('SigV4', () => {
  it('reproduces the IAM ListUsers example of the AWS documentation', () => {
    const canonical = canonicalRequest({
      method: 'GET',
      uri: canonicalUri('/', true),
      query: canonicalQuery('Action=ListUsers&Version=2010-05-08'),
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        host: 'iam.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
      },
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      payloadHash: sha256Hex(''),
    });
    expect(sha256Hex(canonical)).toBe(
      'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
    );
    const key = signingKey(credentials.secretAccessKey, '20150830', 'us-east-1', 'iam');
    const signature = sign(
      key,
      stringToSign('20150830T123600Z', '20150830/us-east-1/iam/aws4_request', canonical),
    );
    expect(signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });

  it.each([
    { doubleEscape: true, path: '/a%20b/./c/../d', service: 'kms' },
    { doubleEscape: false, path: '/bucket/key%20with%2Fslash%21', service: 's3' },
  ])(
    'matches the SDK signer for $service paths and awkward query strings',
    async ({ doubleEscape, path, service }) => {
      const date = new Date('2026-03-01T10:00:00Z');
      const query = { 'b key': 'v/1', a: "it's*(x)", empty: '' };
      const headers = {
        host: 'example.test:4566',
        'x-amz-meta-x': '  spaced   value ',
        'content-type': 'text/plain',
      };
      const body = 'payload';
      const signed = await signer(service, credentials, doubleEscape).sign(
        {
          method: 'PUT',
          protocol: 'http:',
          hostname: 'example.test',
          port: 4566,
          path,
          query,
          headers,
          body,
        },
        { signingDate: date },
      );
      const authorization = String(signed.headers['authorization']);
      const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
      const expected = /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
      const rawQuery = Object.entries(query)
        .map(([k, v]) => `${uriEscape(k)}=${uriEscape(v)}`)
        .join('&');
      const lowerHeaders = Object.fromEntries(
        Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
      const canonical = canonicalRequest({
        method: 'PUT',
        uri: canonicalUri(path, doubleEscape),
        query: canonicalQuery(rawQuery),
        headers: lowerHeaders,
        signedHeaders,
        payloadHash: lowerHeaders['x-amz-content-sha256'] ?? sha256Hex(body),
      });
      const key = signingKey(credentials.secretAccessKey, '20260301', 'us-east-1', service);
      expect(
        sign(
          key,
          stringToSign('20260301T100000Z', `20260301/us-east-1/${service}/aws4_request`, canonical),
        ),
      ).toBe(expected);
    },
  );

  it('escapes like RFC 3986', () => {
    expect(uriEscape("a b!'()*~._-/")).toBe('a%20b%21%27%28%29%2A~._-%2F');
  });
});
