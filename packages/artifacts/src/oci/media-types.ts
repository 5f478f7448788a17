/** Manifest media types (OCI and Docker v2 schema 2) and reading the descriptors a manifest names. */
import { RampartError } from '@rampart/core';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** What `Accept` lists on manifest requests: every kind Rampart copies, so none is converted. */
export const MANIFEST_ACCEPT = [
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST,
].join(', ');

const INDEX_TYPES: ReadonlySet<string> = new Set([OCI_INDEX, DOCKER_MANIFEST_LIST]);
const IMAGE_TYPES: ReadonlySet<string> = new Set([OCI_MANIFEST, DOCKER_MANIFEST]);

/** A content descriptor: what a manifest says about a blob or a manifest it references. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  /** Where a non-distributable ("foreign") layer is downloaded from instead of the registry. */
  urls?: string[];
}

/** A manifest as read: its exact bytes, its media type and what it references. */
export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; blobs: Descriptor[] };

function unsupported(where: string, why: string): RampartError {
  return new RampartError('MANIFEST_UNSUPPORTED', `the manifest of ${where} ${why}`, {
    source: 'user',
    hint: 'Rampart copies OCI and Docker v2 schema 2 images and indexes; re-push the image with a current tool (docker, buildah, skopeo).',
  });
}

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (
    d === null ||
    typeof d !== 'object' ||
    typeof d.digest !== 'string' ||
    typeof d.size !== 'number' ||
    typeof d.mediaType !== 'string'
  ) {
    throw unsupported(where, 'has a descriptor without mediaType, digest and size');
  }
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(Array.isArray(d.urls) && d.urls.length > 0 ? { urls: d.urls } : {}),
  };
}

/**
 * Reads a manifest's references. The media type comes from the `Content-Type` the registry sent,
 * else from the manifest's own `mediaType`, else from its shape (OCI makes the field optional).
 * Docker schema 1 and anything else unknown is refused: Rampart never converts manifests.
 */
export function parseManifest(
  bytes: Uint8Array,
  contentType: string | undefined,
  where: string,
): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw unsupported(where, 'is not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw unsupported(where, 'is not a JSON object');
  }
  const m = json as {
    schemaVersion?: unknown;
    mediaType?: unknown;
    manifests?: unknown;
    config?: unknown;
    layers?: unknown;
  };
  const header = contentType?.split(';')[0]?.trim();
  const declared = typeof m.mediaType === 'string' ? m.mediaType : undefined;
  const mediaType =
    header !== undefined && (INDEX_TYPES.has(header) || IMAGE_TYPES.has(header))
      ? header
      : (declared ??
        (Array.isArray(m.manifests) ? OCI_INDEX : m.config !== undefined ? OCI_MANIFEST : header));
  if (m.schemaVersion !== 2) {
    throw unsupported(
      where,
      `has schemaVersion ${JSON.stringify(m.schemaVersion)} (Docker schema 1 or not a manifest)`,
    );
  }
  if (mediaType !== undefined && INDEX_TYPES.has(mediaType)) {
    if (!Array.isArray(m.manifests))
      throw unsupported(where, 'is an index without a manifests list');
    return { kind: 'index', mediaType, manifests: m.manifests.map((d) => descriptor(d, where)) };
  }
  if (mediaType !== undefined && IMAGE_TYPES.has(mediaType)) {
    const layers = Array.isArray(m.layers) ? m.layers : [];
    return {
      kind: 'image',
      mediaType,
      blobs: [descriptor(m.config, where), ...layers.map((d) => descriptor(d, where))],
    };
  }
  throw unsupported(where, `has the unsupported media type "${mediaType ?? 'none'}"`);
}

/**
 * Whether a layer is non-distributable (a Windows base layer): registries need not hold it and
 * clients fetch it from its `urls`, so it is not copied.
 */
export function isForeign(blob: Descriptor): boolean {
  return blob.urls !== undefined && /foreign|nondistributable/.test(blob.mediaType);
}
