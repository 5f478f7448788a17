// Blobs over the registry: HEAD and GET (with byte ranges), streamed from the content store.
import type { SandboxHttpResponse } from '../framework/http.js';
import { blobSize, readBlob } from '../services/ecr/blob-store.js';
import { isValidDigest } from '../services/ecr/references.js';
import { digestInvalid, OciError } from './oci-error.js';
import { repositoryOf, respond, type RegistryCall } from './registry-call.js';

/** A byte range `start…end` (inclusive), or 'unsatisfiable'. */
export type ByteRange = { start: number; end: number } | 'unsatisfiable';

/**
 * Parses a `Range: bytes=…` header for a blob of `size` bytes: `a-b`, `a-` or `-n` (one range
 * only). Undefined when there is no usable header, so the whole blob is sent.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function blobUnknown(digest: string): OciError {
  return new OciError('BLOB_UNKNOWN', 404, 'blob unknown to registry', { digest });
}

/** HEAD and GET of a blob. */
export async function getBlob(call: RegistryCall): Promise<SandboxHttpResponse> {
  const digest = call.part;
  const head = call.request.method === 'HEAD';
  if (
    call.auth.blobScope !== undefined &&
    (head || call.auth.blobScope !== `${call.name.full}@${digest}`)
  ) {
    throw new OciError('DENIED', 403, 'this download URL is for another layer');
  }
  // Pushing clients check blobs with HEAD before uploading: the push permission answers it.
  await call.access.require(
    call.name,
    head ? 'ecr:BatchCheckLayerAvailability' : 'ecr:GetDownloadUrlForLayer',
  );
  const repository = repositoryOf(call);
  if (!isValidDigest(digest)) throw digestInvalid(`unsupported digest ${digest}`, digest);
  if (!Object.hasOwn(repository.layers, digest)) throw blobUnknown(digest);
  const size = await blobSize(call.runtime, digest);
  if (size === undefined) throw blobUnknown(digest);
  const common = {
    'content-type': 'application/octet-stream',
    'docker-content-digest': digest,
    'accept-ranges': 'bytes',
    etag: `"${digest}"`,
  };
  const range = head ? undefined : parseRange(call.request.headers['range'], size);
  if (range === 'unsatisfiable') {
    throw new OciError(
      'SIZE_INVALID',
      416,
      `the requested range is not satisfiable for ${size} bytes`,
      undefined,
      {
        'content-range': `bytes */${size}`,
      },
    );
  }
  if (head) return respond(200, { ...common, 'content-length': String(size) }, '');
  if (range) {
    return respond(
      206,
      {
        ...common,
        'content-length': String(range.end - range.start + 1),
        'content-range': `bytes ${range.start}-${range.end}/${size}`,
      },
      readBlob(call.runtime, digest, range),
    );
  }
  return respond(
    200,
    { ...common, 'content-length': String(size) },
    size === 0 ? '' : readBlob(call.runtime, digest),
  );
}

/** DELETE of a blob: ECR does not support it. */
export function deleteBlob(): Promise<SandboxHttpResponse> {
  return Promise.reject(new OciError('UNSUPPORTED', 405, 'The operation is unsupported.'));
}
