/** The HTTP routes: the OIDC issuer documents under the issuer URL's path, and a health check. */
import { isRampartError } from '@rampart/core';
import { issuerPath, type OidcIssuer } from '@rampart/identity';
import { Hono } from 'hono';

/** Options of {@link createApp}. */
export interface AppOptions {
  issuer: OidcIssuer;
  /** Told about every request that failed inside the server. @default ignored */
  onError?: (error: unknown) => void;
}

/**
 * The Hono app. The documents are served under the issuer's path (`https://host/rampart` →
 * `/rampart/.well-known/…`) because AWS fetches `<issuer>/.well-known/openid-configuration`.
 */
export function createApp(options: AppOptions): Hono {
  const { issuer } = options;
  const base = issuerPath(issuer.issuerUrl);
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get(`${base}/.well-known/openid-configuration`, (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(issuer.discoveryDocument());
  });

  app.get(`${base}/.well-known/jwks.json`, async (c) => {
    // Short: after a rotation, verifiers should see the new key within a minute.
    c.header('cache-control', 'public, max-age=60');
    return c.json(await issuer.jwks());
  });

  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no such resource' } }, 404));

  app.onError((error, c) => {
    options.onError?.(error);
    // The code only: messages name files on the server, which the public has no use for.
    const code = isRampartError(error) ? error.code : 'INTERNAL';
    return c.json({ error: { code, message: 'the server failed to answer' } }, 500);
  });

  return app;
}
