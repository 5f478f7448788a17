import { ManualClock } from '@rampart/aws-sandbox';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { FileKeyStore } from './keys/file-key-store.js';
import { KeyRing } from './keys/key-ring.js';
import { masterKeySource } from './keys/master-key.js';
import { OidcIssuer } from './oidc-issuer.js';
import { thrown, useTempDirs } from './test-support/temp-dirs.js';

const tempDir = useTempDirs();
const ISSUER = 'https://rampart.example.com/acme';

function issuer(clock: ManualClock): OidcIssuer {
  const dataDir = tempDir();
  const masterKey = masterKeySource({ dataDir, masterKey: Buffer.alloc(32, 4).toString('base64') });
  const keys = new KeyRing({ store: new FileKeyStore({ dataDir, masterKey }), clock });
  return new OidcIssuer({ issuerUrl: `${ISSUER}/`, keys });
}

/** Verifies like a relying party: signature against the JWKS, issuer, audience, times. */
async function verify(token: string, jwks: JSONWebKeySet, clock: ManualClock) {
  return jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: ISSUER,
    audience: 'sts.amazonaws.com',
    currentDate: clock.now(),
    algorithms: ['RS256'],
  });
}

describe('OidcIssuer', () => {
  it('mints an RS256 JWT that its own JWKS verifies, with every claim AWS and people need', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const oidc = issuer(clock);
    const minted = await oidc.mintToken({
      org: 'acme',
      pipeline: 'web',
      stage: 'staging',
      deploymentId: 'dep-1',
      revision: 3,
      commit: 'abc1234',
    });
    expect(decodeProtectedHeader(minted.token)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: minted.kid,
    });
    const { payload } = await verify(minted.token, await oidc.jwks(), clock);
    expect(payload).toEqual({
      iss: ISSUER,
      sub: 'org:acme/pipeline:web/stage:staging',
      aud: 'sts.amazonaws.com',
      iat: 1772359200,
      nbf: 1772359200,
      exp: 1772359500,
      jti: minted.claims.jti,
      deployment_id: 'dep-1',
      revision: 3,
      commit: 'abc1234',
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(minted.expiresAt).toEqual(new Date('2026-03-01T10:05:00Z'));
    expect(
      (await oidc.mintToken({ org: 'acme', pipeline: 'web', stage: 'dev' })).claims.jti,
    ).not.toBe(payload.jti);
  });

  it('serves the discovery document of its issuer URL', () => {
    const oidc = issuer(new ManualClock('2026-03-01T10:00:00Z'));
    expect(oidc.issuerUrl).toBe(ISSUER);
    expect(oidc.discoveryDocument()).toMatchObject({
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
    });
  });

  it('a token of the retired key verifies during the overlap and not after; a forged one never', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const oidc = issuer(clock);
    const request = { org: 'acme', pipeline: 'web', stage: 'prod', lifetimeSeconds: 600 };
    const old = await oidc.mintToken(request);
    clock.advance(1000);
    await oidc.keys.rotate();
    const fresh = await oidc.mintToken(request);
    expect(fresh.kid).not.toBe(old.kid);
    clock.advance(9 * 60_000);
    await expect(verify(old.token, await oidc.jwks(), clock)).resolves.toBeDefined();
    await expect(verify(fresh.token, await oidc.jwks(), clock)).resolves.toBeDefined();
    clock.advance(60_000);
    // Every token of the old key has expired, and its key is gone from the set.
    expect((await oidc.jwks()).keys.map((k) => k.kid)).toEqual([fresh.kid]);
    const forged = issuer(clock);
    const foreign = await forged.mintToken(request);
    const jwks = await oidc.jwks();
    const error = await thrown(() => verify(foreign.token, jwks, clock));
    expect((error as Error).name).toBe('JWKSNoMatchingKey');
  });

  it('refuses tokens longer than 10 minutes before touching the keys', async () => {
    const oidc = issuer(new ManualClock('2026-03-01T10:00:00Z'));
    const error = await thrown(() =>
      oidc.mintToken({ org: 'acme', pipeline: 'web', stage: 'prod', lifetimeSeconds: 601 }),
    );
    expect(error).toMatchObject({ code: 'TOKEN_LIFETIME_INVALID' });
    expect(await oidc.keys.list()).toEqual([]);
  });
});
