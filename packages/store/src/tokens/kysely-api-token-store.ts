/** API tokens on Kysely. */
import { RampartError } from '@rampart/core';
import type { Selectable } from 'kysely';
import type { StoreConnection } from '../connection/store-connection.js';
import type { ApiTokensTable } from '../database-schema.js';
import { requireOneOf, requireText } from '../values/checks.js';
import { normalizeIsoTime } from '../values/iso-time.js';
import { API_TOKEN_ROLES } from './api-token-store.js';
import type {
  ApiToken,
  ApiTokenRequest,
  ApiTokenStore,
  CreatedApiToken,
} from './api-token-store.js';
import { generateTokenSecret, hashTokenSecret, sameHash, tokenIdOf } from './token-secret.js';

/** Compared against when no row matches, so an unknown id costs the same work as a known one. */
const NO_MATCH_HASH = hashTokenSecret('');

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  const token: ApiToken = {
    id: row.id,
    name: row.name,
    role: requireOneOf(row.role, API_TOKEN_ROLES, 'api_tokens.role'),
    createdAt: row.created_at,
  };
  if (row.expires_at !== null) token.expiresAt = row.expires_at;
  if (row.last_used_at !== null) token.lastUsedAt = row.last_used_at;
  if (row.revoked_at !== null) token.revokedAt = row.revoked_at;
  return token;
}

/** {@link ApiTokenStore} on SQLite or PostgreSQL. */
export class KyselyApiTokenStore implements ApiTokenStore {
  readonly #connection: StoreConnection;

  constructor(connection: StoreConnection) {
    this.#connection = connection;
  }

  async create(request: ApiTokenRequest): Promise<CreatedApiToken> {
    const { id, secret, hash } = generateTokenSecret();
    const row = {
      id,
      name: requireText(request.name, 'name'),
      role: requireOneOf(request.role, API_TOKEN_ROLES, 'role'),
      secret_hash: hash,
      created_at: this.#connection.now(),
      expires_at:
        request.expiresAt === undefined ? null : normalizeIsoTime(request.expiresAt, 'expiresAt'),
      last_used_at: null,
      revoked_at: null,
    };
    const result = await this.#connection.write((trx) =>
      trx
        .insertInto('api_tokens')
        .values(row)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
    if (result.numInsertedOrUpdatedRows !== 1n) {
      throw new RampartError(
        'STORE_TOKEN_NAME_TAKEN',
        `an API token named "${row.name}" already exists`,
        {
          hint: `Choose another name, or revoke the token "${row.name}" first.`,
        },
      );
    }
    return { token: toApiToken(row), secret };
  }

  async verify(secret: string): Promise<ApiToken | undefined> {
    const id = typeof secret === 'string' ? tokenIdOf(secret) : undefined;
    if (id === undefined) return undefined;
    const row = await this.#connection.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    const matches = sameHash(hashTokenSecret(secret), row?.secret_hash ?? NO_MATCH_HASH);
    if (row === undefined || !matches || row.revoked_at !== null) return undefined;
    const now = this.#connection.now();
    if (row.expires_at !== null && row.expires_at <= now) return undefined;
    await this.#connection.write((trx) =>
      trx.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute(),
    );
    return toApiToken({ ...row, last_used_at: now });
  }

  async get(id: string): Promise<ApiToken | undefined> {
    const row = await this.#connection.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toApiToken(row);
  }

  async list(): Promise<ApiToken[]> {
    const rows = await this.#connection.db
      .selectFrom('api_tokens')
      .selectAll()
      .orderBy('created_at')
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map(toApiToken);
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.#connection.write((trx) =>
      trx
        .updateTable('api_tokens')
        .set({ revoked_at: this.#connection.now() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }
}
