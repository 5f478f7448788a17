// Raw S3 requests signed by the SDK's own SigV4 signer (path not double-escaped, as S3 signs).
import { signer } from '../../../../tests/raw-requests.js';
import type { TestCredentials } from '../../../../tests/sdk-clients.js';
import type { Clock } from '../../../clock.js';
import type { Sandbox } from '../../../sandbox.js';

/** What to send. */
export interface RawS3Request {
  method: string;
  /** Already percent-encoded, e.g. `/bucket/some%20key`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  credentials: TestCredentials;
  clock: Clock;
}

function httpRequest(sandbox: Sandbox, request: RawS3Request) {
  const url = new URL(sandbox.endpoint);
  return {
    method: request.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path,
    query: request.query ?? {},
    headers: { host: url.host, ...(request.headers ?? {}) },
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

function urlOf(
  sandbox: Sandbox,
  path: string,
  query: Record<string, string | string[] | null>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') search.append(key, value);
  }
  const text = search.toString().replace(/\+/g, '%20');
  return `${sandbox.endpoint}${path}${text ? `?${text}` : ''}`;
}

/** Signs the headers of a request (the payload hash comes from `x-amz-content-sha256`). */
export async function signS3(
  sandbox: Sandbox,
  request: RawS3Request,
): Promise<Record<string, string>> {
  const signed = await signer('s3', request.credentials, false).sign(
    httpRequest(sandbox, request),
    {
      signingDate: request.clock.now(),
    },
  );
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers['host'];
  return headers;
}

/** Sends a signed request with fetch. */
export async function s3Fetch(sandbox: Sandbox, request: RawS3Request): Promise<Response> {
  const headers = await signS3(sandbox, request);
  return fetch(urlOf(sandbox, request.path, request.query ?? {}), {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
}

/** A presigned URL for a request (query-string SigV4 with an unsigned payload). */
export async function presignS3(
  sandbox: Sandbox,
  request: Omit<RawS3Request, 'body'>,
  expiresIn: number,
): Promise<string> {
  const base = httpRequest(sandbox, request);
  const presigned = await signer('s3', request.credentials, false).presign(
    { ...base, headers: { ...base.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
    {
      signingDate: request.clock.now(),
      expiresIn,
      unhoistableHeaders: new Set(),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
    },
  );
  return urlOf(sandbox, request.path, presigned.query ?? {});
}
