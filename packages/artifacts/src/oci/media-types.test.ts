import { isRampartError } from '@rampart/core';
import { describe, expect, it } from 'vitest';
import {
  DOCKER_MANIFEST,
  OCI_INDEX,
  OCI_MANIFEST,
  isForeign,
  parseManifest,
} from './media-types.js';

const d = (n: number) => ({
  mediaType: 'application/octet-stream',
  digest: `sha256:${String(n).repeat(64)}`,
  size: n,
});
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isRampartError(error) ? `${error.code}: ${error.message}` : String(error);
  }
  return undefined;
}

describe('parseManifest', () => {
  it('lists config and layers of an image manifest, the type from Content-Type first', () => {
    const manifest = bytes({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: d(1),
      layers: [d(2), d(3)],
    });
    expect(parseManifest(manifest, `${DOCKER_MANIFEST}; charset=utf-8`, 'x')).toEqual({
      kind: 'image',
      mediaType: DOCKER_MANIFEST,
      blobs: [d(1), d(2), d(3)],
    });
  });

  it('infers the type of an OCI manifest or index without mediaType from its shape', () => {
    expect(
      parseManifest(bytes({ schemaVersion: 2, config: d(1), layers: [] }), 'application/json', 'x'),
    ).toMatchObject({
      kind: 'image',
      mediaType: OCI_MANIFEST,
    });
    expect(parseManifest(bytes({ schemaVersion: 2, manifests: [d(4)] }), undefined, 'x')).toEqual({
      kind: 'index',
      mediaType: OCI_INDEX,
      manifests: [d(4)],
    });
  });

  it('refuses schema 1, unknown types, broken JSON and descriptors without a digest', () => {
    expect(
      code(() => parseManifest(bytes({ schemaVersion: 1, fsLayers: [] }), undefined, 'r@x')),
    ).toMatch(/^MANIFEST_UNSUPPORTED: .*r@x has schemaVersion 1/);
    expect(
      code(() =>
        parseManifest(
          bytes({ schemaVersion: 2, mediaType: 'application/vnd.example+json' }),
          undefined,
          'x',
        ),
      ),
    ).toMatch(/unsupported media type "application\/vnd.example\+json"/);
    expect(code(() => parseManifest(Buffer.from('{'), OCI_MANIFEST, 'x'))).toMatch(/is not JSON/);
    expect(
      code(() =>
        parseManifest(
          bytes({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { size: 1 } }),
          undefined,
          'x',
        ),
      ),
    ).toMatch(/descriptor without/);
  });

  it('tells foreign layers, which are not copied', () => {
    expect(
      isForeign({
        ...d(1),
        mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
        urls: ['https://x'],
      }),
    ).toBe(true);
    expect(isForeign({ ...d(1), urls: ['https://x'] })).toBe(false);
    expect(isForeign(d(1))).toBe(false);
  });
});
