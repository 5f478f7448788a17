// Registry passwords: what GetAuthorizationToken hands out and the registry accepts. A password
// names the access key that asked for it and its expiry, signed with a key derived from that
// access key's secret, so the registry can authorize each request as that principal with IAM,
// and a deleted or deactivated key (or an expired session) invalidates its tokens. No secret is
// ever in the token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CredentialRecord, SandboxState } from '../../state/sandbox-state.js';

/** How long a token lives, as in ECR. */
export const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** The user name of registry logins (`docker login -u AWS`). */
export const TOKEN_USER = 'AWS';

interface TokenPayload {
  /** Format version. */
  v: 1;
  /** The access key id of the credential that asked. */
  k: string;
  /** Expiry, epoch milliseconds. */
  e: number;
  /** When set, the token only reads this one blob: `<account>/<region>/<repository>@<digest>`. */
  s?: string;
}

/** A freshly issued token. */
export interface IssuedToken {
  /** `base64("AWS:" + password)`, ECR's `authorizationToken`. */
  authorizationToken: string;
  password: string;
  expiresAt: Date;
}

function signature(credential: CredentialRecord, payload: string): Buffer {
  const key = createHmac('sha256', credential.secretAccessKey)
    .update('rampart-aws-sandbox/ecr-registry-token/v1')
    .digest();
  return createHmac('sha256', key).update(payload).digest();
}

/** Options of {@link issueToken}. */
export interface TokenOptions {
  /** @default TOKEN_LIFETIME_MS (12 hours) */
  lifetimeMs?: number;
  /** Restricts the token to reading one blob (download URLs). @default unrestricted */
  blobScope?: string;
}

/** Issues a token for a credential at `now`. */
export function issueToken(
  credential: CredentialRecord,
  now: Date,
  options: TokenOptions = {},
): IssuedToken {
  const expiresAt = new Date(now.getTime() + (options.lifetimeMs ?? TOKEN_LIFETIME_MS));
  const body: TokenPayload = { v: 1, k: credential.accessKeyId, e: expiresAt.getTime() };
  if (options.blobScope !== undefined) body.s = options.blobScope;
  const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  const password = `${payload}.${signature(credential, payload).toString('base64url')}`;
  return {
    authorizationToken: Buffer.from(`${TOKEN_USER}:${password}`, 'utf8').toString('base64'),
    password,
    expiresAt,
  };
}

/** Why a password was refused. */
export type TokenRejection = 'malformed' | 'unknown-key' | 'bad-signature' | 'expired';

/** Checks a registry password: the credential it names (and its blob scope), or why it is refused. */
export function verifyPassword(
  state: SandboxState,
  password: string,
  now: Date,
): { credential: CredentialRecord; blobScope?: string } | { rejected: TokenRejection } {
  const dot = password.indexOf('.');
  if (dot <= 0) return { rejected: 'malformed' };
  const payloadText = password.slice(0, dot);
  let payload: Partial<TokenPayload>;
  try {
    payload = JSON.parse(
      Buffer.from(payloadText, 'base64url').toString('utf8'),
    ) as Partial<TokenPayload>;
  } catch {
    return { rejected: 'malformed' };
  }
  if (
    payload.v !== 1 ||
    typeof payload.k !== 'string' ||
    typeof payload.e !== 'number' ||
    (payload.s !== undefined && typeof payload.s !== 'string')
  ) {
    return { rejected: 'malformed' };
  }
  const credential = Object.hasOwn(state.credentials, payload.k)
    ? state.credentials[payload.k]
    : undefined;
  if (!credential || (credential.kind === 'user' && credential.status === 'Inactive')) {
    return { rejected: 'unknown-key' };
  }
  const given = Buffer.from(password.slice(dot + 1), 'base64url');
  const expected = signature(credential, payloadText);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { rejected: 'bad-signature' };
  }
  if (now.getTime() >= payload.e) return { rejected: 'expired' };
  if (credential.kind === 'session' && now.getTime() >= new Date(credential.expiration).getTime()) {
    return { rejected: 'expired' };
  }
  return { credential, ...(payload.s !== undefined ? { blobScope: payload.s } : {}) };
}
