// mirrorImage against the reference registry implementation: two (and a third, token-protected)
// `docker-registry` instances. Proves OCI conformance of the client: images and multi-arch
// indexes arrive byte for byte, re-mirrors are a HEAD per registry, mounts within a registry,
// resumption after a cancel, both upload methods, and the Bearer token flow.
import { isRampartError } from '@rampart/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorImage, type MirrorEvent, type RegistryRequestInfo } from '../src/index.js';
import {
  skipWithout,
  startDockerRegistry,
  startTokenServer,
  type DockerRegistry,
  type TokenServer,
} from './support/docker-registry.js';
import {
  blobDigest,
  pushManifest,
  randomBlob,
  readManifest,
  testImage,
  testIndex,
  type TestManifest,
} from './support/test-images.js';

const tools = skipWithout('docker-registry', 'openssl');
/** Retries without waiting: the tests count attempts, they do not wait for time to pass. */
const instantRetry = { sleep: () => Promise.resolve(), random: () => 0.5 };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(tools.skip)(`mirrorImage between docker-registry instances${tools.reason}`, () => {
  let a: DockerRegistry;
  let b: DockerRegistry;
  let c: DockerRegistry;
  let tokens: TokenServer;
  let image: TestManifest;
  let index: TestManifest;

  beforeAll(async () => {
    tokens = await startTokenServer({ mirror: 'secret-password' });
    [a, b, c] = await Promise.all([
      startDockerRegistry(),
      startDockerRegistry(),
      startDockerRegistry({ tokens }),
    ]);
    image = testImage([randomBlob(300_000), randomBlob(1_000_000), randomBlob(50_000)]);
    await pushManifest({ base: a.base }, 'team/app', image, 'v1');
    // A Docker manifest list of two platforms sharing one layer.
    const shared = randomBlob(200_000);
    index = testIndex(
      [
        {
          image: testImage([shared, randomBlob(100_000)], { docker: true }),
          architecture: 'amd64',
        },
        {
          image: testImage([shared, randomBlob(120_000)], { docker: true, architecture: 'arm64' }),
          architecture: 'arm64',
        },
      ],
      { docker: true },
    );
    await pushManifest({ base: a.base }, 'team/multi', index, 'v2');
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
    await tokens?.stop();
  });

  it('copies an image byte for byte, then finds it up to date with one HEAD per registry', async () => {
    const events: MirrorEvent[] = [];
    const result = await mirrorImage({
      source: `${a.host}/team/app:v1`,
      destination: `${b.host}/mirror/app:v1`,
      insecure: true,
      onProgress: (event) => events.push(event),
    });
    expect(result).toEqual({
      digest: image.digest,
      skipped: false,
      blobsCopied: 4,
      blobsSkipped: 0,
      blobsMounted: 0,
      bytesCopied: image.blobs.reduce((sum, blob) => sum + blob.data.length, 0),
      manifestsPushed: 1,
    });
    const copied = await readManifest({ base: b.base }, 'mirror/app', 'v1');
    expect(copied.bytes.equals(image.bytes)).toBe(true);
    expect(copied.mediaType).toBe(image.mediaType);
    for (const blob of image.blobs) {
      expect(await blobDigest({ base: b.base }, 'mirror/app', blob.digest)).toBe(blob.digest);
    }
    expect(events.filter((e) => e.type === 'blob-copied')).toHaveLength(4);
    // Byte progress ends at each blob's size.
    for (const blob of image.blobs) {
      const last = events
        .filter((e) => e.type === 'blob-progress' && e.digest === blob.digest)
        .at(-1);
      expect(last).toMatchObject({ bytes: blob.data.length, size: blob.data.length });
    }
    expect(events.at(-1)).toMatchObject({ type: 'manifest-pushed', reference: 'v1' });

    const requests: RegistryRequestInfo[] = [];
    const again = await mirrorImage({
      source: `${a.host}/team/app:v1`,
      destination: `${b.host}/mirror/app:v1`,
      insecure: true,
      onRequest: (info) => requests.push(info),
    });
    expect(again).toMatchObject({ digest: image.digest, skipped: true, blobsCopied: 0 });
    expect(requests.map((r) => `${r.registry} ${r.method} ${r.status}`).sort()).toEqual(
      [`${a.host} HEAD 200`, `${b.host} HEAD 200`].sort(),
    );

    // By digest there is nothing to resolve: exactly one request, the destination HEAD.
    requests.length = 0;
    const byDigest = await mirrorImage({
      source: `${a.host}/team/app@${image.digest}`,
      destination: `${b.host}/mirror/app:v1`,
      insecure: true,
      onRequest: (info) => requests.push(info),
    });
    expect(byDigest.skipped).toBe(true);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ registry: b.host, method: 'HEAD' });
  });

  it('round-trips a multi-arch manifest list with every platform, copying a shared layer once', async () => {
    const result = await mirrorImage({
      source: `${a.host}/team/multi:v2`,
      destination: `${b.host}/mirror/multi`,
      insecure: true,
      uploadMethod: 'patch',
    });
    // 2 configs + 2 own layers + 1 shared layer; the index and both platform manifests.
    expect(result).toMatchObject({ digest: index.digest, blobsCopied: 5, manifestsPushed: 3 });
    const copied = await readManifest({ base: b.base }, 'mirror/multi', 'v2');
    expect(copied.bytes.equals(index.bytes)).toBe(true);
    for (const child of index.children) {
      const platform = await readManifest({ base: b.base }, 'mirror/multi', child.digest);
      expect(platform.bytes.equals(child.bytes)).toBe(true);
      for (const blob of child.blobs) {
        expect(await blobDigest({ base: b.base }, 'mirror/multi', blob.digest)).toBe(blob.digest);
      }
    }
  });

  it('mounts blobs from the source repository when both are in one registry', async () => {
    const result = await mirrorImage({
      source: `${a.host}/team/app:v1`,
      destination: `${a.host}/other/app:copy`,
      insecure: true,
    });
    expect(result).toMatchObject({ blobsMounted: 4, blobsCopied: 0, bytesCopied: 0 });
    const copied = await readManifest({ base: a.base }, 'other/app', 'copy');
    expect(copied.bytes.equals(image.bytes)).toBe(true);
  });

  it('resumes a cancelled copy: blobs that arrived are found by HEAD and not copied again', async () => {
    const big = testImage([1, 2, 3, 4, 5].map(() => randomBlob(400_000)));
    await pushManifest({ base: a.base }, 'team/big', big, 'v1');
    const controller = new AbortController();
    const cancelled = await rejection(
      mirrorImage({
        source: `${a.host}/team/big:v1`,
        destination: `${b.host}/mirror/big:v1`,
        insecure: true,
        concurrency: 1,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.type === 'blob-copied') controller.abort();
        },
      }),
    );
    expect(isRampartError(cancelled) && cancelled.code).toBe('MIRROR_CANCELLED');
    const head = await fetch(`${b.base}/v2/mirror/big/manifests/v1`, { method: 'HEAD' });
    expect(head.status).toBe(404);

    const resumed = await mirrorImage({
      source: `${a.host}/team/big:v1`,
      destination: `${b.host}/mirror/big:v1`,
      insecure: true,
    });
    expect(resumed).toMatchObject({ skipped: false, blobsSkipped: 1, blobsCopied: 5 });
    expect((await readManifest({ base: b.base }, 'mirror/big', 'v1')).bytes.equals(big.bytes)).toBe(
      true,
    );
  });

  it('follows the Bearer token challenge with the destination credentials', async () => {
    tokens.requests.length = 0;
    const result = await mirrorImage({
      source: `${a.host}/team/app:v1`,
      destination: `${c.host}/secured/app:v1`,
      destinationAuth: { username: 'mirror', password: 'secret-password' },
      insecure: true,
    });
    expect(result).toMatchObject({ skipped: false, blobsCopied: 4 });
    expect(tokens.requests.every((r) => r.user === 'mirror')).toBe(true);
    expect(tokens.requests.flatMap((r) => r.scopes)).toContain('repository:secured/app:pull,push');
    // Tokens are cached per scope: not one per request.
    expect(tokens.requests.length).toBeLessThanOrEqual(2);

    // And reading from it: the source side asks for pull only.
    tokens.requests.length = 0;
    const back = await mirrorImage({
      source: `${c.host}/secured/app:v1`,
      sourceAuth: { username: 'mirror', password: 'secret-password' },
      destination: `${b.host}/from-secured/app:v1`,
      insecure: true,
    });
    expect(back).toMatchObject({ digest: image.digest, blobsCopied: 4 });
    expect(tokens.requests.flatMap((r) => r.scopes)).toEqual(['repository:secured/app:pull']);
  });

  it('reports refused credentials as REGISTRY_UNAUTHORIZED', async () => {
    for (const destinationAuth of [undefined, { username: 'mirror', password: 'wrong' }]) {
      const error = await rejection(
        mirrorImage({
          source: `${a.host}/team/app:v1`,
          destination: `${c.host}/secured/denied:v1`,
          ...(destinationAuth === undefined ? {} : { destinationAuth }),
          insecure: true,
        }),
      );
      expect(isRampartError(error) && error.code).toBe('REGISTRY_UNAUTHORIZED');
      expect(isRampartError(error) && error.hint).toMatch(/--dest-creds/);
    }
  });

  it('reports a missing source tag as REGISTRY_NOT_FOUND', async () => {
    const error = await rejection(
      mirrorImage({
        source: `${a.host}/team/app:nope`,
        destination: `${b.host}/mirror/app:nope`,
        insecure: true,
      }),
    );
    expect(isRampartError(error) && error.code).toBe('REGISTRY_NOT_FOUND');
    expect(String(error)).toContain('"nope"');
  });

  it('retries an unreachable registry a bounded number of times, then fails', async () => {
    const closed = await startDockerRegistry();
    await closed.stop();
    const retries: MirrorEvent[] = [];
    const error = await rejection(
      mirrorImage({
        source: `${closed.host}/team/app:v1`,
        destination: `${b.host}/mirror/app:v1`,
        insecure: true,
        retry: { ...instantRetry, maxAttempts: 3 },
        onProgress: (event) => retries.push(event),
      }),
    );
    expect(isRampartError(error) && error.code).toBe('REGISTRY_UNAVAILABLE');
    expect(String(error)).toContain('ECONNREFUSED');
    expect(
      retries.filter((e) => e.type === 'retry' && e.operation.includes('source')),
    ).toHaveLength(2);
  });
});
