/** API tokens: created by an admin (the secret shown once), listed, revoked; and the first admin token. */
import { RampartError } from '@rampart/core';
import type { ApiTokenInfo, CreateTokenRequest, CreateTokenResponse } from '@rampart/protocol';
import type { ApiToken, RampartStore } from '@rampart/store';

/** The name of the token the first start creates. */
export const FIRST_ADMIN_TOKEN_NAME = 'admin';

export function toTokenInfo(token: ApiToken): ApiTokenInfo {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdAt: token.createdAt,
    ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
    ...(token.lastUsedAt === undefined ? {} : { lastUsedAt: token.lastUsedAt }),
    ...(token.revokedAt === undefined ? {} : { revokedAt: token.revokedAt }),
  };
}

export async function createToken(
  store: Pick<RampartStore, 'tokens'>,
  request: CreateTokenRequest,
): Promise<CreateTokenResponse> {
  const { token, secret } = await store.tokens.create({
    name: request.name,
    role: request.role,
    ...(request.expiresAt === undefined ? {} : { expiresAt: request.expiresAt }),
  });
  return { token: toTokenInfo(token), secret };
}

export async function listTokens(store: Pick<RampartStore, 'tokens'>): Promise<ApiTokenInfo[]> {
  return (await store.tokens.list()).map(toTokenInfo);
}

export async function revokeToken(store: Pick<RampartStore, 'tokens'>, id: string): Promise<void> {
  if (!(await store.tokens.revoke(id))) {
    throw new RampartError('API_TOKEN_NOT_FOUND', `no live API token has the id "${id}"`, {
      hint: 'List the tokens (GET /api/v1/tokens); a revoked token cannot be revoked again.',
    });
  }
}

/**
 * On a first start (no token stored, no `admin_token` configured) creates the `admin` token and
 * returns its secret, to be shown once; otherwise returns undefined.
 */
export async function ensureFirstAdminToken(
  store: Pick<RampartStore, 'tokens'>,
  configuredAdminToken: string | undefined,
): Promise<{ name: string; secret: string } | undefined> {
  if (configuredAdminToken !== undefined) return undefined;
  if ((await store.tokens.list()).length > 0) return undefined;
  const { secret } = await store.tokens.create({ name: FIRST_ADMIN_TOKEN_NAME, role: 'admin' });
  return { name: FIRST_ADMIN_TOKEN_NAME, secret };
}
