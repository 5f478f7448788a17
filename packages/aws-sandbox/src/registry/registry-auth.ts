// Who is calling the registry: the principal behind the ECR token in HTTP Basic credentials
// (`AWS:<password>`), or in the `X-Sandbox-Token` query of a layer download URL. Without valid
// credentials the answer is 401 with a Basic challenge, which is what makes docker, skopeo and
// buildah send their credentials.
import { callerFor, type Caller } from '../auth/caller.js';
import type { SandboxHttpRequest } from '../framework/http.js';
import type { SandboxRuntime } from '../framework/runtime.js';
import { verifyPassword, type TokenRejection } from '../services/ecr/auth-token.js';
import { OciError } from './oci-error.js';

/** An authenticated registry caller. */
export interface RegistryCaller {
  caller: Exclude<Caller, { kind: 'anonymous' }>;
  /** Set for download-URL tokens: the one blob (`<name>@<digest>`) they may read. */
  blobScope?: string;
}

/** The query parameter of download URLs (GetDownloadUrlForLayer). */
export const DOWNLOAD_TOKEN_PARAMETER = 'X-Sandbox-Token';

const MESSAGES: Record<TokenRejection | 'missing', string> = {
  missing: 'Not Authorized',
  malformed: 'Not Authorized',
  'unknown-key': 'Not Authorized',
  'bad-signature': 'Not Authorized',
  expired: 'Your authorization token has expired. Reauthenticate and try again.',
};

/** The 401 a client answers by sending (fresh) credentials. */
export function unauthorized(runtime: SandboxRuntime, why: TokenRejection | 'missing'): OciError {
  return new OciError('UNAUTHORIZED', 401, MESSAGES[why], undefined, {
    'www-authenticate': `Basic realm="${runtime.endpoint}/",service="ecr.amazonaws.com"`,
  });
}

/** The password of `Authorization: Basic …`, if the request carries one. */
function basicPassword(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'basic' || value === undefined) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** Authenticates a registry request; throws the 401 challenge. */
export function authenticate(runtime: SandboxRuntime, request: SandboxHttpRequest): RegistryCaller {
  const password =
    basicPassword(request.headers['authorization']) ?? request.query.get(DOWNLOAD_TOKEN_PARAMETER);
  if (password === undefined || password === null || password === '') {
    throw unauthorized(runtime, 'missing');
  }
  const verified = verifyPassword(runtime.state, password, runtime.clock.now());
  if ('rejected' in verified) throw unauthorized(runtime, verified.rejected);
  const caller = callerFor(runtime.state, verified.credential);
  if (!caller || caller.kind === 'anonymous') throw unauthorized(runtime, 'unknown-key');
  return {
    caller,
    ...(verified.blobScope !== undefined ? { blobScope: verified.blobScope } : {}),
  };
}
