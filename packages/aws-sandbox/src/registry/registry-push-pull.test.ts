// The registry over raw HTTP, as an OCI client speaks it: pushes by hand (monolithic and chunked
// blobs, manifests, an index), pulls with ranges, mounts, the tag list, and the API's view of it.
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ListImagesCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD } from '../../tests/sdk-clients.js';
import { ManualClock } from '../clock.js';
import { startSandbox, type Sandbox } from '../sandbox.js';
import { DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST } from '../services/ecr/manifests.js';
import {
  basicAuth,
  ecrClient,
  randomBlob,
  registryPassword,
  testImage,
  testIndex,
  type TestBlob,
  type TestImage,
} from '../services/ecr/test-support/ecr-sandbox.js';

interface OciErrors {
  errors: { code: string; message: string; detail?: unknown }[];
}

describe('the OCI registry: push and pull', () => {
  let sandbox: Sandbox;
  let ecr: ECRClient;
  let auth: Record<string, string>;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const name = (repository: string) => `${CICD}/us-east-1/${repository}`;

  const reg = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${sandbox.endpoint}${path}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });

  async function errorCode(response: Response): Promise<string> {
    const body = (await response.json()) as OciErrors;
    return body.errors[0]?.code ?? '';
  }

  async function pushBlob(repository: string, blob: TestBlob): Promise<Response> {
    return reg(`/v2/${name(repository)}/blobs/uploads/?digest=${blob.digest}`, {
      method: 'POST',
      body: blob.data,
      headers: { 'content-type': 'application/octet-stream' },
    });
  }

  async function pushImage(
    repository: string,
    image: TestImage,
    reference: string,
  ): Promise<Response> {
    for (const blob of [image.config, ...image.layers]) {
      expect((await pushBlob(repository, blob)).status).toBe(201);
    }
    return reg(`/v2/${name(repository)}/manifests/${reference}`, {
      method: 'PUT',
      body: image.manifest,
      headers: { 'content-type': image.mediaType },
    });
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ecr = ecrClient(sandbox, sandbox.credentialsFor(CICD), clock);
    for (const repositoryName of [
      'app',
      'chunked',
      'multi',
      'source',
      'target',
      'tags',
      'locked',
    ]) {
      await ecr.send(
        new CreateRepositoryCommand({
          repositoryName,
          imageTagMutability: repositoryName === 'locked' ? 'IMMUTABLE' : 'MUTABLE',
        }),
      );
    }
    auth = basicAuth(await registryPassword(ecr));
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('pushes blobs monolithically and a manifest by tag, and pulls them back', async () => {
    const image = testImage([randomBlob(4096), randomBlob(100)]);
    const blob = image.layers[0] as TestBlob;
    const created = await pushBlob('app', blob);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v2/${name('app')}/blobs/${blob.digest}`);
    expect(created.headers.get('docker-content-digest')).toBe(blob.digest);
    expect(created.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    const put = await pushImage('app', image, 'v1');
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(image.digest);
    expect(put.headers.get('location')).toBe(`/v2/${name('app')}/manifests/${image.digest}`);

    const head = await reg(`/v2/${name('app')}/manifests/v1`, {
      method: 'HEAD',
      headers: { accept: `${OCI_MANIFEST}, ${DOCKER_MANIFEST}` },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(OCI_MANIFEST);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(image.manifest)));
    expect(head.headers.get('docker-content-digest')).toBe(image.digest);
    const byDigest = await reg(`/v2/${name('app')}/manifests/${image.digest}`, {
      headers: { accept: OCI_MANIFEST },
    });
    expect(await byDigest.text()).toBe(image.manifest);
    // A client that does not accept the manifest's type does not get it.
    const dockerOnly = await reg(`/v2/${name('app')}/manifests/v1`, {
      headers: { accept: DOCKER_MANIFEST },
    });
    expect(dockerOnly.status).toBe(404);
    expect(await errorCode(dockerOnly)).toBe('MANIFEST_UNKNOWN');

    const blobHead = await reg(`/v2/${name('app')}/blobs/${blob.digest}`, { method: 'HEAD' });
    expect(blobHead.status).toBe(200);
    expect(blobHead.headers.get('content-length')).toBe('4096');
    expect(blobHead.headers.get('docker-content-digest')).toBe(blob.digest);
    const pulled = await reg(`/v2/${name('app')}/blobs/${blob.digest}`);
    expect(Buffer.from(await pulled.arrayBuffer()).equals(blob.data)).toBe(true);

    // The ECR API sees what the registry stored.
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
    expect(imageDetails).toEqual([
      expect.objectContaining({
        imageDigest: image.digest,
        imageTags: ['v1'],
        imageSizeInBytes: 4196,
      }),
    ]);
  });

  it('serves byte ranges of blobs', async () => {
    const blob = randomBlob(1000);
    await pushBlob('app', blob);
    const path = `/v2/${name('app')}/blobs/${blob.digest}`;
    const middle = await reg(path, { headers: { range: 'bytes=10-19' } });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(Buffer.from(await middle.arrayBuffer()).equals(blob.data.subarray(10, 20))).toBe(true);
    const tail = await reg(path, { headers: { range: 'bytes=-5' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(blob.data.subarray(995))).toBe(true);
    const open = await reg(path, { headers: { range: 'bytes=990-' } });
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000');
    const beyond = await reg(path, { headers: { range: 'bytes=1000-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');
  });

  it('takes chunked uploads with progress, order checks and a final chunk on PUT', async () => {
    const blob = randomBlob(3000);
    const start = await reg(`/v2/${name('chunked')}/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    const location = start.headers.get('location') ?? '';
    const uuid = start.headers.get('docker-upload-uuid') ?? '';
    expect(location).toBe(`/v2/${name('chunked')}/blobs/uploads/${uuid}`);
    expect(start.headers.get('range')).toBe('0-0');
    const first = await reg(location, {
      method: 'PATCH',
      body: blob.data.subarray(0, 1000),
      headers: { 'content-type': 'application/octet-stream', 'content-range': '0-999' },
    });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-999');
    // A chunk that does not continue the upload is refused with the current progress.
    const gap = await reg(location, {
      method: 'PATCH',
      body: blob.data.subarray(1500, 2000),
      headers: { 'content-range': '1500-1999' },
    });
    expect(gap.status).toBe(416);
    expect(gap.headers.get('range')).toBe('0-999');
    expect(await errorCode(gap)).toBe('BLOB_UPLOAD_INVALID');
    // A streamed chunk without a length (transfer-encoding: chunked).
    const second = await reg(location, {
      method: 'PATCH',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(blob.data.subarray(1000, 1500));
          controller.enqueue(blob.data.subarray(1500, 2000));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(second.status).toBe(202);
    const status = await reg(location);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-1999');
    const wrong = await reg(`${location}?digest=${randomBlob(1).digest}`, { method: 'PUT' });
    expect(wrong.status).toBe(400);
    expect(await errorCode(wrong)).toBe('DIGEST_INVALID');
    const done = await reg(`${location}?digest=${blob.digest}`, {
      method: 'PUT',
      body: blob.data.subarray(2000),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(done.status).toBe(201);
    expect(done.headers.get('docker-content-digest')).toBe(blob.digest);
    const pulled = await reg(`/v2/${name('chunked')}/blobs/${blob.digest}`);
    expect(Buffer.from(await pulled.arrayBuffer()).equals(blob.data)).toBe(true);
    const gone = await reg(location);
    expect(gone.status).toBe(404);
    expect(await errorCode(gone)).toBe('BLOB_UPLOAD_UNKNOWN');
    // A cancelled upload is gone too.
    const other = await reg(`/v2/${name('chunked')}/blobs/uploads/`, { method: 'POST' });
    const otherLocation = other.headers.get('location') ?? '';
    expect((await reg(otherLocation, { method: 'DELETE' })).status).toBe(204);
    expect((await reg(otherLocation)).status).toBe(404);
  });

  it('round-trips a multi-platform index and guards the manifests it references', async () => {
    const amd = testImage([randomBlob(300)], { platform: 'amd64' });
    const arm = testImage([randomBlob(300)], { platform: 'arm64' });
    const index = testIndex([
      { image: amd, architecture: 'amd64' },
      { image: arm, architecture: 'arm64' },
    ]);
    const early = await reg(`/v2/${name('multi')}/manifests/v1`, {
      method: 'PUT',
      body: index.manifest,
      headers: { 'content-type': OCI_INDEX },
    });
    expect(early.status).toBe(400);
    expect(await errorCode(early)).toBe('MANIFEST_BLOB_UNKNOWN');
    expect((await pushImage('multi', amd, amd.digest)).status).toBe(201);
    expect((await pushImage('multi', arm, arm.digest)).status).toBe(201);
    const put = await reg(`/v2/${name('multi')}/manifests/v1`, {
      method: 'PUT',
      body: index.manifest,
      headers: { 'content-type': OCI_INDEX },
    });
    expect(put.status).toBe(201);
    const got = await reg(`/v2/${name('multi')}/manifests/v1`, { headers: { accept: OCI_INDEX } });
    expect(got.headers.get('content-type')).toBe(OCI_INDEX);
    expect(await got.text()).toBe(index.manifest);
    const referenced = await reg(`/v2/${name('multi')}/manifests/${amd.digest}`, {
      method: 'DELETE',
    });
    expect(referenced.status).toBe(409);
    expect(
      (await reg(`/v2/${name('multi')}/manifests/${index.digest}`, { method: 'DELETE' })).status,
    ).toBe(202);
    expect((await reg(`/v2/${name('multi')}/manifests/v1`)).status).toBe(404);
    expect(
      (await reg(`/v2/${name('multi')}/manifests/${amd.digest}`, { method: 'DELETE' })).status,
    ).toBe(202);
    const { imageIds } = await ecr.send(new ListImagesCommand({ repositoryName: 'multi' }));
    expect(imageIds).toEqual([{ imageDigest: arm.digest }]);
  });

  it('mounts blobs from repositories the caller can read, and falls back to an upload otherwise', async () => {
    const blob = randomBlob(500);
    await pushBlob('source', blob);
    const mounted = await reg(
      `/v2/${name('target')}/blobs/uploads/?mount=${blob.digest}&from=${name('source')}`,
      { method: 'POST' },
    );
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('location')).toBe(`/v2/${name('target')}/blobs/${blob.digest}`);
    const pulled = await reg(`/v2/${name('target')}/blobs/${blob.digest}`);
    expect(Buffer.from(await pulled.arrayBuffer()).equals(blob.data)).toBe(true);
    const unknown = await reg(
      `/v2/${name('target')}/blobs/uploads/?mount=${randomBlob(3).digest}&from=${name('source')}`,
      { method: 'POST' },
    );
    expect(unknown.status).toBe(202);
    expect(unknown.headers.get('docker-upload-uuid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists tags in order, page by page', async () => {
    const image = testImage([randomBlob(10)]);
    for (const tag of ['c', 'a', 'e', 'b', 'd']) {
      expect((await pushImage('tags', image, tag)).status).toBe(201);
    }
    const all = await reg(`/v2/${name('tags')}/tags/list`);
    expect(await all.json()).toEqual({ name: name('tags'), tags: ['a', 'b', 'c', 'd', 'e'] });
    const first = await reg(`/v2/${name('tags')}/tags/list?n=2`);
    expect(await first.json()).toEqual({ name: name('tags'), tags: ['a', 'b'] });
    expect(first.headers.get('link')).toBe(
      `</v2/${name('tags')}/tags/list?n=2&last=b>; rel="next"`,
    );
    const second = await reg(`/v2/${name('tags')}/tags/list?n=2&last=b`);
    expect(((await second.json()) as { tags: string[] }).tags).toEqual(['c', 'd']);
    const last = await reg(`/v2/${name('tags')}/tags/list?n=2&last=d`);
    expect(((await last.json()) as { tags: string[] }).tags).toEqual(['e']);
    expect(last.headers.get('link')).toBeNull();
  });

  it('answers bad requests with the specification’s error codes', async () => {
    const image = testImage([randomBlob(10)]);
    const missingBlob = await reg(`/v2/${name('app')}/manifests/x`, {
      method: 'PUT',
      body: image.manifest,
      headers: { 'content-type': OCI_MANIFEST },
    });
    expect(missingBlob.status).toBe(400);
    const body = (await missingBlob.json()) as OciErrors;
    expect(body.errors[0]?.code).toBe('MANIFEST_BLOB_UNKNOWN');
    expect(body.errors[0]?.detail).toEqual({
      digests: [image.config.digest, image.layers[0]?.digest],
    });
    const cases: [string, RequestInit, number, string][] = [
      [`/v2/${name('nope')}/tags/list`, {}, 404, 'NAME_UNKNOWN'],
      [`/v2/${CICD}/mars/app/tags/list`, {}, 400, 'NAME_INVALID'],
      [`/v2/app/tags/list`, {}, 400, 'NAME_INVALID'],
      [`/v2/${name('app')}/blobs/${randomBlob(1).digest}`, {}, 404, 'BLOB_UNKNOWN'],
      [`/v2/${name('app')}/blobs/sha256:abc`, {}, 400, 'DIGEST_INVALID'],
      [`/v2/${name('app')}/blobs/${image.config.digest}`, { method: 'DELETE' }, 405, 'UNSUPPORTED'],
      [`/v2/${name('app')}/manifests/missing`, {}, 404, 'MANIFEST_UNKNOWN'],
      [
        `/v2/${name('app')}/blobs/uploads/0000`,
        { method: 'PATCH', body: 'x' },
        404,
        'BLOB_UPLOAD_UNKNOWN',
      ],
      [
        `/v2/${name('app')}/manifests/v9`,
        { method: 'PUT', body: '{"schemaVersion":2}' },
        400,
        'MANIFEST_INVALID',
      ],
      [
        `/v2/${name('app')}/manifests/v9`,
        { method: 'PUT', body: 'not json' },
        400,
        'MANIFEST_INVALID',
      ],
      [
        `/v2/${name('app')}/blobs/uploads/?digest=${randomBlob(1).digest}`,
        { method: 'POST', body: 'other bytes' },
        400,
        'DIGEST_INVALID',
      ],
      [`/v2/_catalog`, {}, 404, 'UNSUPPORTED'],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await reg(path, init as RequestInit & { headers?: Record<string, string> });
      expect(response.status, path).toBe(status);
      expect(await errorCode(response), path).toBe(code);
    }
    const first = testImage([randomBlob(10)]);
    const second = testImage([randomBlob(10)]);
    expect((await pushImage('locked', first, 'v1')).status).toBe(201);
    // Re-pushing the same manifest under the same tag is idempotent; moving the tag is not.
    expect((await pushImage('locked', first, 'v1')).status).toBe(201);
    const moved = await pushImage('locked', second, 'v1');
    expect(moved.status).toBe(400);
    expect(await errorCode(moved)).toBe('TAG_INVALID');
  });

  it('logs registry requests and takes injected faults', async () => {
    sandbox.control.injectFault({ service: 'ecr', action: 'RegistryListTags', kind: 'throttle' });
    const throttled = await reg(`/v2/${name('tags')}/tags/list`);
    expect(throttled.status).toBe(429);
    expect(await errorCode(throttled)).toBe('TOOMANYREQUESTS');
    expect((await reg(`/v2/${name('tags')}/tags/list`)).status).toBe(200);
    const entries = sandbox.control.requestLog({ service: 'ecr', action: 'RegistryListTags' });
    expect(
      entries.slice(-2).map((entry) => [entry.status, entry.errorCode, entry.accountId]),
    ).toEqual([
      [429, 'TOOMANYREQUESTS', CICD],
      [200, undefined, CICD],
    ]);
    expect(entries.at(-1)?.callerArn).toBe(`arn:aws:iam::${CICD}:user/admin`);
  });

  it('keeps images across snapshot and restore', async () => {
    const image = testImage([randomBlob(64)]);
    expect((await pushImage('app', image, 'snap')).status).toBe(201);
    const snapshot = sandbox.control.snapshot();
    expect((await reg(`/v2/${name('app')}/manifests/snap`, { method: 'DELETE' })).status).toBe(202);
    expect((await reg(`/v2/${name('app')}/manifests/snap`)).status).toBe(404);
    sandbox.control.restore(snapshot);
    const back = await reg(`/v2/${name('app')}/manifests/snap`);
    expect(await back.text()).toBe(image.manifest);
    const layer = await reg(`/v2/${name('app')}/blobs/${image.layers[0]?.digest ?? ''}`);
    expect(
      Buffer.from(await layer.arrayBuffer()).equals(image.layers[0]?.data ?? Buffer.alloc(0)),
    ).toBe(true);
  });
});
