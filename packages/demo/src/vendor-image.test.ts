import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { vendorImage } from './vendor-image.js';

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('the vendor images the demo pushes', () => {
  it('are the same bytes on every run, and differ between versions', () => {
    const a = vendorImage('1.0');
    expect(vendorImage('1.0').digest).toBe(a.digest);
    expect(a.digest).toBe(sha256(a.manifest));
    const b = vendorImage('2.0');
    expect(b.digest).not.toBe(a.digest);
    expect(b.blobs[1]?.digest).not.toBe(a.blobs[1]?.digest);
  });

  it('name their config and layer by digest and size in an OCI manifest', () => {
    const image = vendorImage('1.0');
    const manifest = JSON.parse(image.manifest.toString()) as {
      mediaType: string;
      config: { digest: string; size: number };
      layers: { digest: string; size: number; mediaType: string }[];
    };
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const [config, layer] = image.blobs;
    expect(manifest.config).toMatchObject({ digest: config?.digest, size: config?.bytes.length });
    expect(manifest.layers).toEqual([
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: layer?.digest,
        size: layer?.bytes.length,
      },
    ]);
    for (const blob of image.blobs) expect(blob.digest).toBe(sha256(blob.bytes));
  });

  it('holds one file in a valid tar, whose digest the config records', () => {
    const image = vendorImage('2.0');
    const tar = gunzipSync(image.blobs[1]?.bytes ?? Buffer.alloc(0));
    expect(tar.length % 512).toBe(0);
    const header = tar.subarray(0, 512);
    expect(header.toString('ascii', 0, 15)).toBe('srv/version.txt');
    expect(header.toString('ascii', 257, 262)).toBe('ustar');
    // The checksum: the header's bytes summed with its own field counted as spaces.
    const stored = parseInt(header.toString('ascii', 148, 154), 8);
    let sum = 0;
    header.forEach((byte, i) => (sum += i >= 148 && i < 156 ? 32 : byte));
    expect(stored).toBe(sum);
    const size = parseInt(header.toString('ascii', 124, 135), 8);
    expect(tar.subarray(512, 512 + size).toString()).toBe('web 2.0\n');
    const config = JSON.parse(image.blobs[0]?.bytes.toString() ?? '{}') as {
      rootfs: { diff_ids: string[] };
    };
    expect(config.rootfs.diff_ids).toEqual([sha256(tar)]);
  });
});
