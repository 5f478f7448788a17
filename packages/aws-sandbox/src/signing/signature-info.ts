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

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `20150830T123600Z` → Date (undefined when malformed, including out-of-range fields). */
export function parseAmzDate(value: string): Date | undefined {
  const match = AMZ_DATE.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls out-of-range fields over (month 13, hour 24): such a date is malformed.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  return date;
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
 * One `Name=value` field of an `Authorization: AWS4-HMAC-SHA256 …` header (fields are separated
 * by commas and optional spaces). Scans with indexOf: this runs three times per request.
 */
function authorizationField(header: string, name: string): string | undefined {
  let from = SIGV4_ALGORITHM.length + 1;
  while (from < header.length) {
    let end = header.indexOf(',', from);
    if (end < 0) end = header.length;
    while (header.charCodeAt(from) === 32) from += 1;
    if (header.startsWith(name, from) && header.charCodeAt(from + name.length) === 61) {
      return header.slice(from + name.length + 1, end).trim();
    }
    from = end + 1;
  }
  return undefined;
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
    const credential = authorizationField(authorization, 'Credential');
    const signedHeaders = authorizationField(authorization, 'SignedHeaders');
    const signature = authorizationField(authorization, 'Signature');
    const amzDate = request.headers['x-amz-date'] ?? '';
    if (!credential || !signedHeaders || !signature || amzDate === '') {
      throw new CommonError(
        'IncompleteSignature',
        "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' parameters and an X-Amz-Date header.",
      );
    }
    // Built field by field: spreading a fresh object into a literal is several times slower, and
    // this runs for every request.
    const scope = parseScope(credential);
    const info: SignatureInfo = {
      accessKeyId: scope.accessKeyId,
      scopeDate: scope.scopeDate,
      region: scope.region,
      service: scope.service,
      signedHeaders: signedHeaders.split(';'),
      signature,
      amzDate,
      presigned: false,
    };
    const token = request.headers['x-amz-security-token'];
    if (token !== undefined) info.sessionToken = token;
    return info;
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
  const scope = parseScope(credential);
  const info: SignatureInfo = {
    accessKeyId: scope.accessKeyId,
    scopeDate: scope.scopeDate,
    region: scope.region,
    service: scope.service,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    presigned: true,
    expiresSeconds: expires,
  };
  const token = request.query.get('X-Amz-Security-Token');
  if (token !== null) info.sessionToken = token;
  return info;
}
