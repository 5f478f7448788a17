/**
 * The HTTP routes: the OIDC issuer documents under the issuer URL's path, health, and (with a
 * server context) the API, readiness, metrics and the alarm endpoint.
 */
import { issuerPath, type OidcIssuer } from '@rampart/identity';
import { Hono } from 'hono';
import { errorResponse } from './http/error-response.js';
import type { AppEnv } from './http/app-env.js';
import { registerApiRoutes, type ApiRouteOptions } from './routes/api-routes.js';
import { registerSecretRoutes } from './routes/secret-routes.js';
import { registerSystemRoutes } from './routes/system-routes.js';
import type { ServerContext } from './services/server-context.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  issuer: OidcIssuer;
  /** The API's services; without it only the issuer documents and /healthz are served. @default none */
  api?: ServerContext;
  /** Stream settings of the API. @default keep-alive every 15 s */
  apiOptions?: ApiRouteOptions;
  /** Told about every request that failed inside the server. @default ignored */
  onError?: (error: unknown, request: { method: string; path: string }) => void;
}

/**
 * The Hono app. The documents are served under the issuer's path (`https://host/rampart` →
 * `/rampart/.well-known/…`) because AWS fetches `<issuer>/.well-known/openid-configuration`.
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { issuer, api } = options;
  const base = issuerPath(issuer.issuerUrl);
  const app = new Hono<AppEnv>();

  if (api !== undefined) {
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      // The pattern (`/api/v1/pipelines/:slug`), never the raw path: labels stay few.
      const route =
        c.req.matchedRoutes.filter((r) => r.method !== 'ALL').at(-1)?.path ?? 'unmatched';
      api.metrics.observeRequest(
        c.req.method,
        route,
        c.res.status,
        (performance.now() - started) / 1000,
      );
    });
  }

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

  if (api !== undefined) {
    registerSystemRoutes(app, api);
    registerApiRoutes(app, api, options.apiOptions);
    registerSecretRoutes(app, api);
  }

  app.notFound((c) =>
    c.json(
      { error: { code: 'API_NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );

  app.onError((error, c) => {
    const rendered = errorResponse(error);
    // Only failures of the server itself are worth an operator's attention.
    if (rendered.internal) options.onError?.(error, { method: c.req.method, path: c.req.path });
    return c.json(rendered.body, rendered.status as 400);
  });

  return app;
}
