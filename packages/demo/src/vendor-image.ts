/**
 * The vendor's images the example imports (`DOCKER:IMPORT`), made in memory with Node alone: an
 * OCI config and one gzipped tar layer holding a version file. No Docker, no buildah. The bytes
 * are the same on every run (fixed times, sorted keys), so each version always has one digest.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { OCI_MANIFEST } from '@rampart/artifacts';

/** A blob of an image: its bytes, digest and media type. */
export interface ImageBlob {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

/** An image ready to push: its blobs (config first) and its manifest. */
export interface VendorImage {
  /** The tag the vendor publishes it under. */
  tag: string;
  /** The manifest's digest: what the image is pinned by everywhere it is copied. */
  digest: string;
  manifest: Buffer;
  mediaType: typeof OCI_MANIFEST;
  blobs: ImageBlob[];
}

const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** 2026-01-01T00:00:00Z: a fixed time for the layer's file and the config's history. */
const FIXED_TIME = Date.UTC(2026, 0, 1) / 1000;

const sha256 = (bytes: Buffer): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * The vendor's `web` image at `version`: one layer with `srv/version.txt`. Different versions
 * differ in that file only, so they have different layers and digests.
 */
export function vendorImage(version: string): VendorImage {
  const tar = tarOf('srv/version.txt', Buffer.from(`web ${version}\n`));
  const layer = gzipSync(tar, { level: 9 });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: new Date(FIXED_TIME * 1000).toISOString(),
      config: {
        Cmd: ['node', 'app/server.mjs'],
        Labels: { 'org.opencontainers.image.version': version },
      },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created_by: `rampart demo: the vendor's web ${version}` }],
    }),
  );
  const blobs: ImageBlob[] = [
    { mediaType: OCI_CONFIG, digest: sha256(config), bytes: config },
    { mediaType: OCI_LAYER_GZIP, digest: sha256(layer), bytes: layer },
  ];
  const [configBlob, layerBlob] = blobs as [ImageBlob, ImageBlob];
  const descriptor = (blob: ImageBlob) => ({
    mediaType: blob.mediaType,
    digest: blob.digest,
    size: blob.bytes.length,
  });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: descriptor(configBlob),
      layers: [descriptor(layerBlob)],
    }),
  );
  return { tag: version, digest: sha256(manifest), manifest, mediaType: OCI_MANIFEST, blobs };
}

/** A POSIX (ustar) archive of one regular file. */
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, 'ascii');
  const octal = (offset: number, length: number, value: number) =>
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, content.length);
  octal(136, 12, FIXED_TIME);
  field(148, 8, ' '.repeat(8)); // the checksum counts its own field as spaces
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  // Two zero blocks end the archive.
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}
