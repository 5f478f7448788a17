/** API tokens for the server's HTTP API: created by an admin, shown once, stored only as a hash. */

/** What a token may do; the server maps roles to operations. */
export type ApiTokenRole = 'admin' | 'deployer' | 'viewer';

/** Every {@link ApiTokenRole}. */
export const API_TOKEN_ROLES: readonly ApiTokenRole[] = ['admin', 'deployer', 'viewer'];

/** A token as listed: never its secret. */
export interface ApiToken {
  /** Not secret; part of the token's secret text, shown by `list`. */
  id: string;
  name: string;
  role: ApiTokenRole;
  createdAt: string;
  /** Absent: never expires. */
  expiresAt?: string;
  /** The last successful `verify`. */
  lastUsedAt?: string;
  revokedAt?: string;
}

/** What {@link ApiTokenStore.create} needs. */
export interface ApiTokenRequest {
  /** Unique among tokens that are not revoked. */
  name: string;
  role: ApiTokenRole;
  /** ISO time after which `verify` refuses the token. @default never */
  expiresAt?: string;
}

/** A new token and its secret, which is shown this once and never stored. */
export interface CreatedApiToken {
  token: ApiToken;
  secret: string;
}

/** The store of API tokens. */
export interface ApiTokenStore {
  /** Creates a token; throws `STORE_TOKEN_NAME_TAKEN` when a live token has this name. */
  create(request: ApiTokenRequest): Promise<CreatedApiToken>;
  /**
   * The token whose secret this is, if it is neither revoked nor expired; records the use.
   * Undefined for anything else, including text that is not a token.
   */
  verify(secret: string): Promise<ApiToken | undefined>;
  get(id: string): Promise<ApiToken | undefined>;
  /** Every token, revoked ones included, oldest first. */
  list(): Promise<ApiToken[]>;
  /** Revokes a token; false when there is no such live token. */
  revoke(id: string): Promise<boolean>;
}
