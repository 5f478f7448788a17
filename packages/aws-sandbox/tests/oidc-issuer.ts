// A small OIDC issuer for tests: discovery document + JWKS over node:http, tokens signed with jose.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWK,
  type JWTPayload,
  type CryptoKey,
} from 'jose';

/** A running test issuer. */
export interface TestIssuer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The issuer without its scheme (`127.0.0.1:<port>`). */
  host: string;
  /** Signs a token; `claims` override the defaults (sub, aud, iat, exp from `now`). */
  sign(claims: JWTPayload, options?: { now?: Date; key?: 'good' | 'forged' }): Promise<string>;
  /** While false, discovery and JWKS requests get HTTP 503. */
  up: boolean;
  /** How many JWKS documents were served. */
  jwksFetches: number;
  close(): Promise<void>;
}

/** Starts an issuer on a free loopback port. */
export async function startTestIssuer(): Promise<TestIssuer> {
  const good = await generateKeyPair('RS256');
  const forged = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let url = '';
  const server: Server = createServer((req, res) => {
    if (!issuer.up) {
      res.writeHead(503).end();
      return;
    }
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
    } else if (req.url === '/jwks') {
      issuer.jwksFetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  const issuer: TestIssuer = {
    url,
    host: `127.0.0.1:${port}`,
    up: true,
    jwksFetches: 0,
    async sign(claims, options = {}) {
      const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
      const key: CryptoKey = options.key === 'forged' ? forged.privateKey : good.privateKey;
      return new SignJWT({
        iss: url,
        sub: 'org:acme/pipeline:web/stage:prod',
        aud: 'sts.amazonaws.com',
        iat: now,
        exp: now + 600,
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .sign(key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return issuer;
}
