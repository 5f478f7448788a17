// Reads the SigV4 parameters from an `Authorization` header or a presigned query string.
import { CommonError } from '../framework/aws-error.js';
import type { SandboxHttpRequest } from '../framework/http.js';
import { SIGV4_ALGORITHM } from './sigv4.js';

/** What a signed request claims about itself. */
export interface SignatureInfo {
  accessKeyId: string;
  /** `YYYYMMDD` from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  presigned: boolean;
  /** Seconds a presigned URL stays valid. */
  expiresSeconds?: number;
  sessionToken?: string;
}

/** `20150830T123600Z` → Date (undefined when malformed). */
export function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

/** Formats a Date as `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseScope(
  credential: string,
): Pick<SignatureInfo, 'accessKeyId' | 'scopeDate' | 'region' | 'service'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new CommonError(
      'IncompleteSignature',
      `Credential should be scoped to a valid region and service: ${credential}`,
    );
  }
  const [accessKeyId, scopeDate, region, service] = parts as [string, string, string, string];
  return { accessKeyId, scopeDate, region, service };
}

/**
 * The signature parameters of a request, or `undefined` when it is not signed at all.
 * Throws `IncompleteSignature` when it is signed but malformed.
 */
export function readSignatureInfo(request: SandboxHttpRequest): SignatureInfo | undefined {
  const authorization = request.headers['authorization'];
  if (authorization !== undefined) {
    if (!authorization.startsWith(`${SIGV4_ALGORITHM} `)) {
      throw new CommonError(
        'IncompleteSignature',
        'Only AWS4-HMAC-SHA256 signatures are supported.',
      );
    }
    const fields = new Map<string, string>();
    for (const part of authorization.slice(SIGV4_ALGORITHM.length + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signedHeaders = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    const amzDate = request.headers['x-amz-date'] ?? '';
    if (!credential || !signedHeaders || !signature || amzDate === '') {
      throw new CommonError(
        'IncompleteSignature',
        "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' parameters and an X-Amz-Date header.",
      );
    }
    const token = request.headers['x-amz-security-token'];
    return {
      ...parseScope(credential),
      signedHeaders: signedHeaders.split(';'),
      signature,
      amzDate,
      presigned: false,
      ...(token !== undefined ? { sessionToken: token } : {}),
    };
  }
  const algorithm = request.query.get('X-Amz-Algorithm');
  if (algorithm === null) return undefined;
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new CommonError('IncompleteSignature', 'Only AWS4-HMAC-SHA256 signatures are supported.');
  }
  const credential = request.query.get('X-Amz-Credential');
  const signedHeaders = request.query.get('X-Amz-SignedHeaders');
  const signature = request.query.get('X-Amz-Signature');
  const amzDate = request.query.get('X-Amz-Date');
  const expires = Number(request.query.get('X-Amz-Expires') ?? '900');
  if (!credential || !signedHeaders || !signature || !amzDate || !Number.isInteger(expires)) {
    throw new CommonError(
      'IncompleteSignature',
      'Presigned requests need X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Signature and X-Amz-Date.',
    );
  }
  const token = request.query.get('X-Amz-Security-Token');
  return {
    ...parseScope(credential),
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    presigned: true,
    expiresSeconds: expires,
    ...(token !== null ? { sessionToken: token } : {}),
  };
}
