// Fetches an issuer's discovery document and JWKS over HTTP, cached on the sandbox clock.
import type { JSONWebKeySet } from 'jose';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { idpCommunicationError } from './sts-errors.js';

/** How long discovery documents and key sets are reused (sandbox time). */
export const JWKS_CACHE_TTL_MS = 60 * 60 * 1000;

interface CachedKeys {
  fetchedAt: number;
  jwks: JSONWebKeySet;
}

const UNREACHABLE =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

async function fetchJson(runtime: SandboxRuntime, url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await runtime.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    throw idpCommunicationError(UNREACHABLE);
  }
  if (!response.ok) throw idpCommunicationError(UNREACHABLE);
  try {
    return await response.json();
  } catch {
    throw idpCommunicationError(UNREACHABLE);
  }
}

/** The issuer's key set; `refresh` bypasses the cache (a token names a key we have not seen). */
export async function issuerKeys(
  runtime: SandboxRuntime,
  issuer: string,
  refresh: boolean,
): Promise<JSONWebKeySet> {
  const cacheKey = `oidc-jwks:${issuer}`;
  const now = runtime.clock.now().getTime();
  const cached = runtime.caches.get(cacheKey) as CachedKeys | undefined;
  if (!refresh && cached && now - cached.fetchedAt < JWKS_CACHE_TTL_MS) return cached.jwks;
  const discovery = await fetchJson(
    runtime,
    `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
  );
  const jwksUri = (discovery as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof jwksUri !== 'string') throw idpCommunicationError(UNREACHABLE);
  const jwks = await fetchJson(runtime, jwksUri);
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw idpCommunicationError(UNREACHABLE);
  const keySet = jwks as JSONWebKeySet;
  runtime.caches.set(cacheKey, { fetchedAt: now, jwks: keySet } satisfies CachedKeys);
  return keySet;
}
