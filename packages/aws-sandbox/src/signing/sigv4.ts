// AWS Signature Version 4 computed with node:crypto: canonical request, string to sign, HMAC chain.
import { createHmac, hash } from 'node:crypto';

/** The algorithm name in `Authorization` headers and `X-Amz-Algorithm`. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** What a signature covers. */
export interface CanonicalRequestParts {
  method: string;
  /** The canonical URI, already escaped (see {@link canonicalUri}). */
  uri: string;
  /** The canonical query string (see {@link canonicalQuery}). */
  query: string;
  /** Lower-cased header name → value, containing at least every signed header. */
  headers: Record<string, string>;
  /** Lower-cased, sorted names of the signed headers. */
  signedHeaders: string[];
  /** Hex SHA-256 of the payload, or `UNSIGNED-PAYLOAD` / `STREAMING-…`. */
  payloadHash: string;
}

/** RFC 3986 escaping as SigV4 specifies (`encodeURIComponent` plus `!'()*`). */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Hex SHA-256 (one-shot `hash`: cheaper than a Hash object for the small inputs signed here). */
export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

/**
 * The canonical URI. Every service but S3 normalises the path and escapes the already-encoded
 * path once more; S3 signs the path as sent.
 */
export function canonicalUri(rawPath: string, doubleEscape: boolean): string {
  const path = rawPath === '' ? '/' : rawPath;
  if (!doubleEscape || path === '/') return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  const normalized = `/${segments.join('/')}${trailing}`;
  return uriEscape(normalized).replace(/%2F/g, '/');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The canonical query string; `X-Amz-Signature` is left out (presigned URLs). */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([uriEscape(key), uriEscape(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/** The canonical request text. */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.signedHeaders
    .map((name) => `${name}:${(parts.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  return [
    parts.method,
    parts.uri,
    parts.query,
    headerLines,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** The string to sign for a canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

const keyCache = new Map<string, Buffer>();

/** The derived signing key (cached: it only changes daily per key, region and service). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  if (keyCache.size > 1000) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

/** The hex signature of a string to sign. */
export function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}
