// Blob uploads over the registry: sessions (POST), chunks (PATCH), completion (PUT ?digest=),
// monolithic uploads (POST ?digest=), cross-repository mounts (POST ?mount=&from=), status and
// cancellation. Bodies stream to disk through the hashing store; nothing is buffered whole.
import { randomUUID } from 'node:crypto';
import type { SandboxHttpResponse } from '../framework/http.js';
import {
  appendToUpload,
  BlobError,
  completeUpload,
  createUploadFile,
  discardUpload,
  writeBlob,
} from '../services/ecr/blob-store.js';
import {
  ecrState,
  findRepository,
  type EcrRepository,
  type EcrUpload,
} from '../services/ecr/ecr-state.js';
import { linkLayer } from '../services/ecr/image-store.js';
import { isValidDigest } from '../services/ecr/references.js';
import { digestInvalid, OciError } from './oci-error.js';
import { registryPath, repositoryOf, respond, type RegistryCall } from './registry-call.js';
import { parseRegistryName, type RegistryName } from './registry-routes.js';

/** Whether the request carries a body (a length over zero, or a chunked one). */
function hasBody(headers: Record<string, string>): boolean {
  const length = headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
}

/** The announced body length, if any; throws `SIZE_INVALID` for nonsense. */
function contentLength(headers: Record<string, string>): number | undefined {
  const length = headers['content-length'];
  if (length === undefined) return undefined;
  const value = Number(length);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new OciError('SIZE_INVALID', 400, `invalid Content-Length ${length}`);
  }
  return value;
}

/** `Range: 0-<last byte>`, as registries report upload progress (`0-0` when empty). */
function progressRange(upload: EcrUpload): string {
  return `0-${Math.max(0, upload.size - 1)}`;
}

function uploadHeaders(name: RegistryName, upload: EcrUpload): Record<string, string> {
  return {
    location: registryPath(name, `blobs/uploads/${upload.id}`),
    range: progressRange(upload),
    'docker-upload-uuid': upload.id,
  };
}

function blobCreated(name: RegistryName, digest: string): SandboxHttpResponse {
  return respond(201, {
    location: registryPath(name, `blobs/${digest}`),
    'docker-content-digest': digest,
  });
}

function blobError(error: unknown): unknown {
  if (!(error instanceof BlobError)) return error;
  switch (error.kind) {
    case 'digest-mismatch':
      return digestInvalid('provided digest did not match uploaded content', error.computedDigest);
    case 'too-large':
      return new OciError('SIZE_INVALID', 400, error.message);
    case 'incomplete':
      return new OciError('BLOB_UPLOAD_INVALID', 400, `blob upload invalid: ${error.message}`);
    default: {
      const never: never = error.kind;
      return new Error(`unknown blob error ${String(never)}`);
    }
  }
}

function requireDigest(value: string | null): string {
  if (value === null || !isValidDigest(value)) {
    throw digestInvalid(`invalid or unsupported digest ${value ?? '(none)'}`, value ?? undefined);
  }
  return value;
}

function uploadOf(call: RegistryCall, repository: EcrRepository): EcrUpload {
  const uploads = ecrState(call.runtime, repository.registryId, repository.region).uploads;
  const upload = Object.hasOwn(uploads, call.part) ? uploads[call.part] : undefined;
  if (!upload || upload.repositoryName !== repository.name) {
    throw new OciError('BLOB_UPLOAD_UNKNOWN', 404, 'blob upload unknown to registry', {
      uploadId: call.part,
    });
  }
  return upload;
}

/** Tries a cross-repository mount; undefined when the blob cannot be mounted (caller falls back). */
async function tryMount(
  call: RegistryCall,
  repository: EcrRepository,
  digest: string,
  from: string | null,
): Promise<SandboxHttpResponse | undefined> {
  if (from === null) return undefined;
  let source: RegistryName;
  try {
    source = parseRegistryName(from);
  } catch {
    return undefined;
  }
  const sourceRepository = findRepository(
    call.runtime,
    source.accountId,
    source.region,
    source.repositoryName,
  );
  const layer = sourceRepository?.layers[digest];
  if (!layer) return undefined;
  // Mounting copies nothing, but it reveals the layer: the caller must be able to read it.
  if (!(await call.access.allows('ecr:GetDownloadUrlForLayer', source))) return undefined;
  repository.layers[digest] ??= { ...layer };
  return blobCreated(call.name, digest);
}

/** POST: a new session, a monolithic upload (`?digest=`), or a mount (`?mount=&from=`). */
export async function startUpload(call: RegistryCall): Promise<SandboxHttpResponse> {
  const { query, headers } = call.request;
  const mount = query.get('mount');
  const digestParam = query.get('digest');
  if (mount !== null) {
    await call.access.require(call.name, 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload');
    const repository = repositoryOf(call);
    const digest = requireDigest(mount);
    const mounted = await tryMount(call, repository, digest, query.get('from'));
    if (mounted) return mounted;
  } else if (digestParam !== null) {
    await call.access.require(
      call.name,
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
    );
    const repository = repositoryOf(call);
    const digest = requireDigest(digestParam);
    const expectedLength = contentLength(headers);
    try {
      const blob = await writeBlob(call.runtime, call.request.stream, {
        expectedDigest: digest,
        tempId: `monolithic-${randomUUID()}`,
        ...(expectedLength !== undefined ? { expectedLength } : {}),
      });
      linkLayer(repository, blob.digest, blob.size);
    } catch (error: unknown) {
      throw blobError(error);
    }
    return blobCreated(call.name, digest);
  } else {
    await call.access.require(call.name, 'ecr:InitiateLayerUpload');
  }
  const repository = repositoryOf(call);
  const upload: EcrUpload = {
    id: randomUUID(),
    repositoryName: repository.name,
    size: 0,
    startedAt: call.runtime.clock.now().toISOString(),
  };
  await createUploadFile(call.runtime, upload.id);
  ecrState(call.runtime, repository.registryId, repository.region).uploads[upload.id] = upload;
  return respond(202, uploadHeaders(call.name, upload));
}

/** Checks a chunk's `Content-Range: <start>-<end>` against the upload's progress. */
function checkContentRange(
  call: RegistryCall,
  upload: EcrUpload,
  length: number | undefined,
): void {
  const header = call.request.headers['content-range'];
  if (header === undefined) return;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/\d+|\/\*)?$/.exec(header.trim());
  const start = match ? Number(match[1]) : NaN;
  const end = match ? Number(match[2]) : NaN;
  if (!match || start !== upload.size || end < start) {
    throw new OciError(
      'BLOB_UPLOAD_INVALID',
      416,
      `the chunk ${header} does not start at the upload's next byte ${upload.size}`,
      undefined,
      uploadHeaders(call.name, upload),
    );
  }
  if (length !== undefined && end - start + 1 !== length) {
    throw new OciError(
      'SIZE_INVALID',
      400,
      `Content-Range ${header} does not match Content-Length ${length}`,
    );
  }
}

/** PATCH: appends a chunk. */
export async function patchUpload(call: RegistryCall): Promise<SandboxHttpResponse> {
  await call.access.require(call.name, 'ecr:UploadLayerPart');
  const repository = repositoryOf(call);
  const upload = uploadOf(call, repository);
  const length = contentLength(call.request.headers);
  checkContentRange(call, upload, length);
  try {
    await appendToUpload(call.runtime, upload, call.request.stream, {
      ...(length !== undefined ? { expectedLength: length } : {}),
    });
  } catch (error: unknown) {
    throw blobError(error);
  }
  return respond(202, uploadHeaders(call.name, upload));
}

/** PUT `?digest=`: appends the last chunk, if any, verifies the digest and stores the blob. */
export async function completeUploadOperation(call: RegistryCall): Promise<SandboxHttpResponse> {
  const { headers } = call.request;
  const withBody = hasBody(headers);
  await call.access.require(
    call.name,
    ...(withBody ? ['ecr:UploadLayerPart'] : []),
    'ecr:CompleteLayerUpload',
  );
  const repository = repositoryOf(call);
  const upload = uploadOf(call, repository);
  const digest = requireDigest(call.request.query.get('digest'));
  try {
    if (withBody) {
      const length = contentLength(headers);
      checkContentRange(call, upload, length);
      await appendToUpload(call.runtime, upload, call.request.stream, {
        ...(length !== undefined ? { expectedLength: length } : {}),
      });
    }
    const blob = await completeUpload(call.runtime, upload, digest);
    linkLayer(repository, blob.digest, blob.size);
  } catch (error: unknown) {
    throw blobError(error);
  }
  delete ecrState(call.runtime, repository.registryId, repository.region).uploads[upload.id];
  return blobCreated(call.name, digest);
}

/** GET: the upload's progress. */
export async function getUpload(call: RegistryCall): Promise<SandboxHttpResponse> {
  await call.access.require(call.name, 'ecr:InitiateLayerUpload');
  const upload = uploadOf(call, repositoryOf(call));
  return respond(204, uploadHeaders(call.name, upload));
}

/** DELETE: cancels the upload. */
export async function cancelUpload(call: RegistryCall): Promise<SandboxHttpResponse> {
  await call.access.require(call.name, 'ecr:UploadLayerPart');
  const repository = repositoryOf(call);
  const upload = uploadOf(call, repository);
  delete ecrState(call.runtime, repository.registryId, repository.region).uploads[upload.id];
  await discardUpload(call.runtime, upload.id);
  return respond(204, {});
}
