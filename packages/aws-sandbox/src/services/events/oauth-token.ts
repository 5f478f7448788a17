// OAuth client-credentials tokens for connections of type OAUTH_CLIENT_CREDENTIALS: fetched from
// the authorization endpoint with the client id and secret, cached until they expire on the
// sandbox clock.
import type { SandboxRuntime } from '../../framework/runtime.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { ConnectionAuth } from './events-state.js';

/** How long the sandbox waits for an endpoint, as AWS does for API destinations. */
export const HTTP_TIMEOUT_MS = 5000;
const DEFAULT_EXPIRY_SECONDS = 3600;

/** A bearer token for a connection; throws when the authorization endpoint refuses. */
export async function oauthToken(
  runtime: SandboxRuntime,
  queue: DeliveryQueue,
  cacheKey: string,
  oauth: NonNullable<ConnectionAuth['oauth']>,
): Promise<string> {
  const now = runtime.clock.now().getTime();
  const cached = queue.tokens.get(cacheKey);
  if (cached && cached.expiresAt > now) return cached.token;
  const url = new URL(oauth.authorizationEndpoint);
  for (const param of oauth.httpParameters.QueryStringParameters) {
    url.searchParams.set(param.Key, param.Value);
  }
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`).toString('base64')}`,
  };
  for (const param of oauth.httpParameters.HeaderParameters) {
    headers[param.Key.toLowerCase()] = param.Value;
  }
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  for (const param of oauth.httpParameters.BodyParameters) form.set(param.Key, param.Value);
  const carriesBody = oauth.httpMethod !== 'GET';
  if (carriesBody) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await runtime.fetch(url, {
    method: oauth.httpMethod,
    headers,
    ...(carriesBody ? { body: form.toString() } : {}),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`the OAuth endpoint answered ${response.status}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the OAuth endpoint did not answer JSON');
  }
  const token = (parsed as { access_token?: unknown }).access_token;
  const expiresIn = (parsed as { expires_in?: unknown }).expires_in;
  if (typeof token !== 'string' || token === '') {
    throw new Error('the OAuth endpoint answered without an access_token');
  }
  const seconds =
    typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRY_SECONDS;
  queue.tokens.set(cacheKey, { token, expiresAt: now + seconds * 1000 });
  return token;
}
