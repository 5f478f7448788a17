// Test images made of random blobs, pushed with plain fetch (not with the code under test), and
// read back to compare byte for byte.
import { createHash, randomBytes } from 'node:crypto';

/** `sha256:<hex>` of bytes. */
export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Blob content with its digest. */
export interface Blob {
  data: Buffer;
  digest: string;
}

export function randomBlob(size: number): Blob {
  const data = randomBytes(size);
  return { data, digest: sha256(data) };
}

/** A manifest's bytes, digest and media type, and the blobs it needs. */
export interface TestManifest {
  bytes: Buffer;
  digest: string;
  mediaType: string;
  blobs: Blob[];
  /** Manifests an index references (pushed first). */
  children: TestManifest[];
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** An image manifest over a fresh config and the given layers (OCI unless `docker`). */
export function testImage(
  layers: Blob[],
  options: { docker?: boolean; architecture?: string } = {},
): TestManifest {
  const docker = options.docker === true;
  const config = Buffer.from(
    JSON.stringify({
      architecture: options.architecture ?? 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      nonce: randomBytes(8).toString('hex'),
    }),
  );
  const mediaType = docker ? DOCKER_MANIFEST : OCI_MANIFEST;
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: docker
          ? 'application/vnd.docker.container.image.v1+json'
          : 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: layers.map((l) => ({
        mediaType: docker
          ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
          : 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: l.digest,
        size: l.data.length,
      })),
    }),
  );
  return {
    bytes,
    digest: sha256(bytes),
    mediaType,
    blobs: [{ data: config, digest: sha256(config) }, ...layers],
    children: [],
  };
}

/** An index (OCI, or a Docker manifest list) over per-architecture images. */
export function testIndex(
  images: { image: TestManifest; architecture: string }[],
  options: { docker?: boolean } = {},
): TestManifest {
  const mediaType = options.docker === true ? DOCKER_LIST : OCI_INDEX;
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: images.map(({ image, architecture }) => ({
        mediaType: image.mediaType,
        digest: image.digest,
        size: image.bytes.length,
        platform: { architecture, os: 'linux' },
      })),
    }),
  );
  return {
    bytes,
    digest: sha256(bytes),
    mediaType,
    blobs: [],
    children: images.map((i) => i.image),
  };
}

/** Where and how to reach a registry from a test. */
export interface TestRegistry {
  /** `http://host:port` */
  base: string;
  /** Extra headers (Authorization) for every request. */
  headers?: Record<string, string>;
}

async function ok(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
}

/** Pushes a manifest (children and blobs first) under `reference`, monolithically. */
export async function pushManifest(
  registry: TestRegistry,
  repository: string,
  manifest: TestManifest,
  reference: string,
): Promise<void> {
  for (const child of manifest.children)
    await pushManifest(registry, repository, child, child.digest);
  for (const blob of manifest.blobs) {
    const start = await fetch(`${registry.base}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers: { ...registry.headers },
    });
    await ok(start, `start upload to ${repository}`);
    const location = new URL(start.headers.get('location') ?? '', registry.base);
    location.searchParams.set('digest', blob.digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { ...registry.headers, 'content-type': 'application/octet-stream' },
      body: blob.data,
    });
    await ok(put, `upload ${blob.digest}`);
  }
  const put = await fetch(`${registry.base}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...registry.headers, 'content-type': manifest.mediaType },
    body: manifest.bytes,
  });
  await ok(put, `push manifest ${reference}`);
}

/** A manifest's bytes as stored (Accept lists every type, so nothing is converted). */
export async function readManifest(
  registry: TestRegistry,
  repository: string,
  reference: string,
): Promise<{ bytes: Buffer; mediaType: string | null }> {
  const response = await fetch(`${registry.base}/v2/${repository}/manifests/${reference}`, {
    headers: {
      ...registry.headers,
      accept: [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', '),
    },
  });
  await ok(response, `read manifest ${reference}`);
  return {
    bytes: Buffer.from(await response.arrayBuffer()),
    mediaType: response.headers.get('content-type'),
  };
}

/** A blob's content hashed as it is read back. */
export async function blobDigest(
  registry: TestRegistry,
  repository: string,
  digest: string,
): Promise<string> {
  const response = await fetch(`${registry.base}/v2/${repository}/blobs/${digest}`, {
    headers: { ...registry.headers },
  });
  await ok(response, `read blob ${digest}`);
  return sha256(Buffer.from(await response.arrayBuffer()));
}
