// The OCI Distribution error shape: `{"errors":[{"code","message","detail"}]}` with the spec's
// codes and statuses.
import type { SandboxHttpResponse } from '../framework/http.js';

/** The error codes of the OCI Distribution specification the registry uses. */
export type OciErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS'
  | 'TAG_INVALID'
  | 'UNKNOWN'
  | 'UNAVAILABLE';

/** A registry failure, rendered in the OCI error shape. */
export class OciError extends Error {
  constructor(
    readonly code: OciErrorCode,
    readonly status: number,
    message: string,
    readonly detail?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'OciError';
  }
}

/** Headers every registry response carries. */
export const REGISTRY_HEADERS: Readonly<Record<string, string>> = {
  'docker-distribution-api-version': 'registry/2.0',
};

/** Renders an error; HEAD responses carry no body, as HTTP requires. */
export function renderOciError(error: OciError, method: string): SandboxHttpResponse {
  const body = JSON.stringify({
    errors: [
      {
        code: error.code,
        message: error.message,
        ...(error.detail !== undefined ? { detail: error.detail } : {}),
      },
    ],
  });
  return {
    status: error.status,
    headers: {
      ...REGISTRY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      ...(method === 'HEAD' ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
      ...error.headers,
    },
    body: method === 'HEAD' ? '' : body,
  };
}

/** `NAME_UNKNOWN` for a repository that does not exist. */
export function nameUnknown(name: string): OciError {
  return new OciError('NAME_UNKNOWN', 404, `repository name not known to registry: ${name}`, {
    name,
  });
}

/** `DIGEST_INVALID` for a malformed or mismatching digest. */
export function digestInvalid(message: string, digest?: string): OciError {
  return new OciError(
    'DIGEST_INVALID',
    400,
    message,
    digest !== undefined ? { digest } : undefined,
  );
}
