/**
 * Secrets under `/api/v1/secrets`: admins set and delete, viewers list. No route ever answers
 * with a value: set answers with the secret's listing, and values are never read back.
 */
import {
  API_PREFIX,
  secretQuerySchema,
  setSecretRequestSchema,
  type DeleteSecretResponse,
  type SecretListResponse,
  type SetSecretResponse,
} from '@rampart/protocol';
import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { requireRole } from '../http/authenticate.js';
import { jsonBody, queryOf } from '../http/request-input.js';
import type { ServerContext } from '../services/server-context.js';

export function registerSecretRoutes(app: Hono<AppEnv>, ctx: ServerContext): void {
  const viewer = requireRole('viewer', ctx.store.tokens, ctx.config.admin_token);
  const admin = requireRole('admin', ctx.store.tokens, ctx.config.admin_token);
  const path = `${API_PREFIX}/secrets`;

  app.get(path, viewer, async (c) =>
    c.json({ secrets: await ctx.secrets.list() } satisfies SecretListResponse),
  );
  app.put(path, admin, async (c) => {
    const request = await jsonBody(c, setSecretRequestSchema);
    const result = await ctx.secrets.set(request, c.get('caller').actor);
    return c.json(result satisfies SetSecretResponse, result.created ? 201 : 200);
  });
  app.delete(path, admin, async (c) => {
    const { name, stage } = queryOf(c, secretQuerySchema);
    await ctx.secrets.delete({ name, stage });
    return c.json({
      name,
      ...(stage === undefined ? {} : { stage }),
      deleted: true,
    } satisfies DeleteSecretResponse);
  });
}
