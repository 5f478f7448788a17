/**
 * Bearer-token authentication of the API and the role each route needs. Tokens are the store's,
 * plus the configured `admin_token`, compared in constant time and never stored.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { RampartError } from '@rampart/core';
import { roleAllows, type ApiRole } from '@rampart/protocol';
import type { ApiTokenStore } from '@rampart/store';
import type { MiddlewareHandler } from 'hono';
import { callerOf, type Caller } from '../services/caller.js';
import type { AppEnv } from './app-env.js';

/** The name the configured `admin_token` acts under. */
export const CONFIGURED_ADMIN_NAME = 'admin-token';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Equal texts, in time independent of where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Who presents `authorization`, or why no one does. */
export async function authenticate(
  authorization: string | undefined,
  tokens: Pick<ApiTokenStore, 'verify'>,
  adminToken: string | undefined,
): Promise<Caller> {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const secret = match?.[1];
  if (secret === undefined) {
    throw new RampartError(
      'API_UNAUTHENTICATED',
      authorization === undefined
        ? 'this route needs an API token'
        : 'the Authorization header is not "Bearer <token>"',
      {
        hint: 'Send Authorization: Bearer <token>; an admin creates tokens with POST /api/v1/tokens.',
      },
    );
  }
  if (adminToken !== undefined && sameSecret(secret, adminToken)) {
    return callerOf(CONFIGURED_ADMIN_NAME, 'admin');
  }
  const token = await tokens.verify(secret);
  if (token === undefined) {
    throw new RampartError('API_UNAUTHENTICATED', 'the API token is unknown, revoked or expired', {
      hint: 'Ask an admin for a new token (POST /api/v1/tokens).',
    });
  }
  return callerOf(token.name, token.role);
}

/** Middleware: authenticates the caller and checks that its role includes `required`. */
export function requireRole(
  required: ApiRole,
  tokens: Pick<ApiTokenStore, 'verify'>,
  adminToken: string | undefined,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = await authenticate(c.req.header('authorization'), tokens, adminToken);
    if (!roleAllows(caller.role, required)) {
      throw new RampartError(
        'API_FORBIDDEN',
        `token "${caller.name}" is a ${caller.role}; this needs the ${required} role`,
        { hint: `Use a token with the ${required} role.` },
      );
    }
    c.set('caller', caller);
    await next();
  };
}
