// Image manifests the registry accepts (Docker v2 schema 2, Docker manifest lists, OCI image
// manifests and indexes): media types, parsing, and the digests each one references.
import { createHash } from 'node:crypto';
import { isValidDigest } from './references.js';

/** Docker image manifest, v2 schema 2. */
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker manifest list (multi-platform). */
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** OCI image manifest. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index (multi-platform). */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** Every manifest media type the sandbox stores. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_MANIFEST,
  OCI_INDEX,
];

/** Whether a media type is a multi-platform index (its references are manifests). */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** A descriptor a manifest references. */
export interface Descriptor {
  digest: string;
  size: number;
  mediaType?: string;
  /** Layers with `urls` live elsewhere (Windows foreign layers): not required in the repository. */
  foreign: boolean;
}

/** A parsed, validated manifest. */
export interface ParsedManifest {
  mediaType: string;
  digest: string;
  size: number;
  /** The config and layers of an image manifest. */
  blobs: Descriptor[];
  /** The manifests of an index. */
  manifests: Descriptor[];
  /** The config media type of an image manifest (ECR's `artifactMediaType`). */
  configMediaType?: string;
  /** The digest of the `subject` (OCI 1.1 referrers). */
  subject?: string;
}

/** Why a manifest was refused. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** `sha256:<hex>` of bytes. */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function descriptor(value: unknown, where: string): Descriptor {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ManifestError(`${where} must be a descriptor object`);
  }
  const d = value as { digest?: unknown; size?: unknown; mediaType?: unknown; urls?: unknown };
  if (typeof d.digest !== 'string' || !isValidDigest(d.digest)) {
    throw new ManifestError(`${where}.digest must be a sha256 digest`);
  }
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw new ManifestError(`${where}.size must be a non-negative integer`);
  }
  if (d.mediaType !== undefined && typeof d.mediaType !== 'string') {
    throw new ManifestError(`${where}.mediaType must be a string`);
  }
  return {
    digest: d.digest,
    size: d.size,
    ...(typeof d.mediaType === 'string' ? { mediaType: d.mediaType } : {}),
    foreign: Array.isArray(d.urls) && d.urls.length > 0,
  };
}

function descriptors(value: unknown, where: string): Descriptor[] {
  if (!Array.isArray(value)) throw new ManifestError(`${where} must be an array`);
  return value.map((item: unknown, index) => descriptor(item, `${where}[${index}]`));
}

/** The media type of a manifest with none declared: from its `mediaType`, else from its shape. */
function inferMediaType(body: Record<string, unknown>): string {
  if (typeof body['mediaType'] === 'string') return body['mediaType'];
  if (Array.isArray(body['manifests'])) return OCI_INDEX;
  if (body['config'] !== undefined) return OCI_MANIFEST;
  throw new ManifestError('the manifest has no mediaType and is neither an image nor an index');
}

/**
 * Parses and validates a manifest. `declaredMediaType` is what the client said (Content-Type or
 * `imageManifestMediaType`); a body whose own `mediaType` contradicts it is refused, as the OCI
 * specification requires.
 */
export function parseManifest(bytes: Buffer, declaredMediaType?: string): ParsedManifest {
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    throw new ManifestError('the manifest is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ManifestError('the manifest is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ManifestError('the manifest must be a JSON object');
  }
  const body = parsed as Record<string, unknown>;
  if (body['schemaVersion'] !== 2) {
    throw new ManifestError('only schemaVersion 2 manifests are supported');
  }
  const declared =
    declaredMediaType === undefined || declaredMediaType === ''
      ? undefined
      : declaredMediaType.split(';')[0]?.trim();
  const own = typeof body['mediaType'] === 'string' ? body['mediaType'] : undefined;
  if (declared !== undefined && own !== undefined && own !== declared) {
    throw new ManifestError(`the manifest's mediaType ${own} does not match ${declared}`);
  }
  const mediaType = own ?? declared ?? inferMediaType(body);
  if (!MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    throw new ManifestError(`unsupported manifest media type ${mediaType}`);
  }
  const subject =
    body['subject'] === undefined ? undefined : descriptor(body['subject'], 'subject').digest;
  const common = {
    mediaType,
    digest: sha256Digest(bytes),
    size: bytes.length,
    ...(subject !== undefined ? { subject } : {}),
  };
  if (isIndexMediaType(mediaType)) {
    return { ...common, blobs: [], manifests: descriptors(body['manifests'], 'manifests') };
  }
  const config = descriptor(body['config'], 'config');
  return {
    ...common,
    blobs: [config, ...descriptors(body['layers'], 'layers')],
    manifests: [],
    ...(config.mediaType !== undefined ? { configMediaType: config.mediaType } : {}),
  };
}

/**
 * Whether a client's `Accept` list takes a media type: no list, a wildcard, or the type itself.
 */
export function accepts(acceptList: readonly string[], mediaType: string): boolean {
  if (acceptList.length === 0) return true;
  return acceptList.some(
    (entry) => entry === '*/*' || entry === 'application/*' || entry === mediaType,
  );
}

/** The media types of an `Accept` header (parameters and quality values dropped). */
export function parseAccept(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((part) => part.split(';')[0]?.trim() ?? '')
    .filter((part) => part !== '');
}
