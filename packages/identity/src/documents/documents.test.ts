import { RampartError } from '@rampart/core';
import { describe, expect, it } from 'vitest';
import { discoveryDocument } from './discovery-document.js';
import { discoveryUrl, issuerPath, jwksUrl, normalizeIssuerUrl } from './issuer-url.js';
import { jwksDocument } from './jwks-document.js';
import type { StoredSigningKey } from '../keys/stored-signing-key.js';

const jwk = (n: string): StoredSigningKey['privateJwk'] => ({
  kty: 'RSA',
  n,
  e: 'AQAB',
  d: 'ZA',
  p: 'cA',
  q: 'cQ',
  dp: 'ZHA',
  dq: 'ZHE',
  qi: 'cWk',
});

describe('issuer URLs', () => {
  it('drops trailing slashes and keeps a path', () => {
    expect(normalizeIssuerUrl('https://rampart.example.com/')).toBe('https://rampart.example.com');
    expect(normalizeIssuerUrl('https://host.example/rampart//')).toBe(
      'https://host.example/rampart',
    );
    expect(issuerPath('https://host.example/rampart/')).toBe('/rampart');
    expect(issuerPath('https://host.example')).toBe('');
    expect(discoveryUrl('https://host.example/rampart/')).toBe(
      'https://host.example/rampart/.well-known/openid-configuration',
    );
    expect(jwksUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/.well-known/jwks.json');
  });

  it('refuses URLs AWS cannot use as an issuer', () => {
    for (const [url, problem] of [
      ['rampart.example.com', 'is not an absolute URL'],
      ['ftp://rampart.example.com', 'must start with https://'],
      ['https://rampart.example.com/?x=1', 'must not hold a query'],
      ['https://rampart.example.com/#top', 'must not hold a query'],
      ['https://user:pw@rampart.example.com', 'must not hold a query'],
    ] as const) {
      let error: unknown;
      try {
        normalizeIssuerUrl(url);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RampartError);
      expect((error as RampartError).code).toBe('CONFIG_INVALID');
      expect((error as RampartError).message).toContain(problem);
    }
  });
});

describe('discoveryDocument', () => {
  it('names the issuer, the JWKS under it, and RS256 ID tokens only', () => {
    expect(discoveryDocument('https://host.example/rampart/')).toEqual({
      issuer: 'https://host.example/rampart',
      jwks_uri: 'https://host.example/rampart/.well-known/jwks.json',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: [
        'iss',
        'sub',
        'aud',
        'iat',
        'nbf',
        'exp',
        'jti',
        'deployment_id',
        'revision',
        'commit',
      ],
    });
  });
});

describe('jwksDocument', () => {
  const keys: StoredSigningKey[] = [
    {
      kid: 'old',
      createdAt: '2026-03-01T08:00:00Z',
      retiredAt: '2026-03-01T09:00:00Z',
      privateJwk: jwk('b2xk'),
    },
    {
      kid: 'mid',
      createdAt: '2026-03-01T09:00:00Z',
      retiredAt: '2026-03-01T10:00:00Z',
      privateJwk: jwk('bWlk'),
    },
    { kid: 'new', createdAt: '2026-03-01T10:00:00Z', privateJwk: jwk('bmV3') },
  ];

  it('publishes the active key first, then retired keys within their overlap; public parts only', () => {
    const set = jwksDocument(keys, new Date('2026-03-01T10:09:59Z'));
    expect(set).toEqual({
      keys: [
        { kty: 'RSA', n: 'bmV3', e: 'AQAB', kid: 'new', alg: 'RS256', use: 'sig' },
        { kty: 'RSA', n: 'bWlk', e: 'AQAB', kid: 'mid', alg: 'RS256', use: 'sig' },
      ],
    });
  });

  it('drops a retired key once every token it signed has expired', () => {
    expect(jwksDocument(keys, new Date('2026-03-01T10:10:00Z')).keys.map((k) => k.kid)).toEqual([
      'new',
    ]);
  });
});
