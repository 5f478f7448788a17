// Verifies a SigV4-signed request against the sandbox's credentials and clock.
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CommonError } from '../framework/aws-error.js';
import type { SandboxHttpRequest } from '../framework/http.js';
import type { CredentialRecord, SandboxState } from '../state/sandbox-state.js';
import { formatAmzDate, parseAmzDate, type SignatureInfo } from './signature-info.js';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  sha256Hex,
  sign,
  signingKey,
  stringToSign,
} from './sigv4.js';

/** Requests dated further than this from the sandbox clock are rejected, as AWS does. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** How the protocol shapes the payload hash. */
export interface PayloadOptions {
  /** Whether the body was buffered (`request.body` is the whole body). */
  buffered: boolean;
  /** Whether the canonical URI is escaped twice (everything but S3). */
  doubleEscapePath: boolean;
}

function payloadHash(
  request: SandboxHttpRequest,
  info: SignatureInfo,
  options: PayloadOptions,
): string {
  const claimed = request.headers['x-amz-content-sha256'];
  if (claimed !== undefined) {
    if (options.buffered && /^[0-9a-f]{64}$/.test(claimed) && claimed !== sha256Hex(request.body)) {
      throw new CommonError(
        'BadSignature',
        'The provided x-amz-content-sha256 header does not match what was computed.',
      );
    }
    return claimed;
  }
  if (!options.buffered) return 'UNSIGNED-PAYLOAD';
  return sha256Hex(request.body);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Returns the credential that signed the request, or throws the matching `CommonError`. */
export function verifyRequest(
  state: SandboxState,
  clock: Clock,
  request: SandboxHttpRequest,
  info: SignatureInfo,
  options: PayloadOptions,
): CredentialRecord {
  const credential = state.credentials[info.accessKeyId];
  if (!credential || (credential.kind === 'user' && credential.status === 'Inactive')) {
    throw new CommonError(
      'UnknownAccessKey',
      'The security token included in the request is invalid.',
    );
  }
  if (
    credential.kind === 'session'
      ? info.sessionToken !== credential.sessionToken
      : info.sessionToken !== undefined
  ) {
    throw new CommonError(
      'InvalidSessionToken',
      'The security token included in the request is invalid.',
    );
  }
  const signedHeaders = [...info.signedHeaders].sort();
  if (!signedHeaders.includes('host')) {
    throw new CommonError('IncompleteSignature', "'Host' must be a signed header.");
  }
  const canonical = canonicalRequest({
    method: request.method,
    uri: canonicalUri(request.rawPath, options.doubleEscapePath),
    query: canonicalQuery(request.rawQuery),
    headers: request.headers,
    signedHeaders,
    payloadHash: payloadHash(request, info, options),
  });
  const scope = `${info.scopeDate}/${info.region}/${info.service}/aws4_request`;
  const key = signingKey(credential.secretAccessKey, info.scopeDate, info.region, info.service);
  const expected = sign(key, stringToSign(info.amzDate, scope, canonical));
  if (!safeEqual(expected, info.signature)) {
    throw new CommonError('BadSignature', SIGNATURE_MISMATCH);
  }
  const signedAt = parseAmzDate(info.amzDate);
  if (!signedAt || info.amzDate.slice(0, 8) !== info.scopeDate) {
    throw new CommonError('IncompleteSignature', `Invalid X-Amz-Date: ${info.amzDate}`);
  }
  const now = clock.now();
  if (info.presigned) {
    const expiresAt = signedAt.getTime() + (info.expiresSeconds ?? 0) * 1000;
    if (now.getTime() > expiresAt) throw new CommonError('PresignExpired', 'Request has expired');
    if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS) {
      throw new CommonError('RequestExpired', 'Request is not yet valid');
    }
  } else if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    const late = now.getTime() > signedAt.getTime();
    const bound = formatAmzDate(new Date(now.getTime() + (late ? -MAX_SKEW_MS : MAX_SKEW_MS)));
    throw new CommonError(
      'RequestExpired',
      late
        ? `Signature expired: ${info.amzDate} is now earlier than ${bound} (${formatAmzDate(now)} - 15 min.)`
        : `Signature not yet current: ${info.amzDate} is still later than ${bound} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
  if (credential.kind === 'session' && now.getTime() >= new Date(credential.expiration).getTime()) {
    throw new CommonError('ExpiredToken', 'The security token included in the request is expired');
  }
  return credential;
}
