import {
  BatchCheckLayerAvailabilityCommand,
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  EmptyUploadException,
  GetDownloadUrlForLayerCommand,
  ImageAlreadyExistsException,
  ImageDigestDoesNotMatchException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  InitiateLayerUploadCommand,
  InvalidLayerException,
  InvalidLayerPartException,
  InvalidParameterException,
  LayerAlreadyExistsException,
  LayersNotFoundException,
  ListImagesCommand,
  PutImageCommand,
  ReferencedImagesNotFoundException,
  RepositoryNotEmptyException,
  UploadLayerPartCommand,
  UploadNotFoundException,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST } from './manifests.js';
import {
  ecrClient,
  randomBlob,
  testImage,
  testIndex,
  type TestBlob,
  type TestImage,
} from './test-support/ecr-sandbox.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('ECR images and layers through the API', () => {
  let sandbox: Sandbox;
  let ecr: ECRClient;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  /** Uploads a blob through the three-step API, in parts of `partSize` bytes. */
  async function uploadLayer(
    repositoryName: string,
    blob: TestBlob,
    partSize = 1024,
  ): Promise<void> {
    const { uploadId } = await ecr.send(new InitiateLayerUploadCommand({ repositoryName }));
    for (let first = 0; first < blob.data.length; first += partSize) {
      const part = blob.data.subarray(first, first + partSize);
      await ecr.send(
        new UploadLayerPartCommand({
          repositoryName,
          uploadId,
          partFirstByte: first,
          partLastByte: first + part.length - 1,
          layerPartBlob: part,
        }),
      );
    }
    await ecr.send(
      new CompleteLayerUploadCommand({ repositoryName, uploadId, layerDigests: [blob.digest] }),
    );
  }

  async function pushImage(repositoryName: string, image: TestImage, imageTag?: string) {
    for (const blob of [image.config, ...image.layers]) await uploadLayer(repositoryName, blob);
    return ecr.send(
      new PutImageCommand({
        repositoryName,
        imageManifest: image.manifest,
        imageManifestMediaType: image.mediaType,
        imageTag,
      }),
    );
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ecr = ecrClient(sandbox, sandbox.credentialsFor(CICD), clock);
    for (const repositoryName of ['app', 'layers', 'immutable', 'multi', 'listing']) {
      await ecr.send(
        new CreateRepositoryCommand({
          repositoryName,
          imageTagMutability: repositoryName === 'immutable' ? 'IMMUTABLE' : 'MUTABLE',
        }),
      );
    }
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('uploads a layer in parts and reports it available', async () => {
    const blob = randomBlob(5000);
    const missing = randomBlob(10);
    await uploadLayer('layers', blob, 1500);
    const { layers, failures } = await ecr.send(
      new BatchCheckLayerAvailabilityCommand({
        repositoryName: 'layers',
        layerDigests: [blob.digest, missing.digest, 'sha256:nothex'],
      }),
    );
    expect(layers).toEqual([
      { layerDigest: blob.digest, layerAvailability: 'AVAILABLE', layerSize: 5000 },
    ]);
    expect(failures).toEqual([
      {
        layerDigest: missing.digest,
        failureCode: 'MissingLayerDigest',
        failureReason: 'Could not find layer',
      },
      {
        layerDigest: 'sha256:nothex',
        failureCode: 'InvalidLayerDigest',
        failureReason: 'Invalid layer digest',
      },
    ]);
    const again = await rejection(uploadLayer('layers', blob));
    expect(again).toBeInstanceOf(LayerAlreadyExistsException);
  });

  it('refuses parts out of order, bad lengths, wrong digests, empty and unknown uploads', async () => {
    const blob = randomBlob(2000);
    const { uploadId } = await ecr.send(
      new InitiateLayerUploadCommand({ repositoryName: 'layers' }),
    );
    const outOfOrder = await rejection(
      ecr.send(
        new UploadLayerPartCommand({
          repositoryName: 'layers',
          uploadId,
          partFirstByte: 10,
          partLastByte: 19,
          layerPartBlob: blob.data.subarray(10, 20),
        }),
      ),
    );
    expect(outOfOrder).toBeInstanceOf(InvalidLayerPartException);
    expect((outOfOrder as InvalidLayerPartException).lastValidByteReceived).toBe(-1);
    const badLength = await rejection(
      ecr.send(
        new UploadLayerPartCommand({
          repositoryName: 'layers',
          uploadId,
          partFirstByte: 0,
          partLastByte: 99,
          layerPartBlob: blob.data.subarray(0, 50),
        }),
      ),
    );
    expect(badLength).toBeInstanceOf(InvalidLayerPartException);
    const empty = await rejection(
      ecr.send(
        new CompleteLayerUploadCommand({
          repositoryName: 'layers',
          uploadId,
          layerDigests: [blob.digest],
        }),
      ),
    );
    expect(empty).toBeInstanceOf(EmptyUploadException);
    const { lastByteReceived } = await ecr.send(
      new UploadLayerPartCommand({
        repositoryName: 'layers',
        uploadId,
        partFirstByte: 0,
        partLastByte: 1999,
        layerPartBlob: blob.data,
      }),
    );
    expect(lastByteReceived).toBe(1999);
    const wrong = await rejection(
      ecr.send(
        new CompleteLayerUploadCommand({
          repositoryName: 'layers',
          uploadId,
          layerDigests: [randomBlob(1).digest],
        }),
      ),
    );
    expect(wrong).toBeInstanceOf(InvalidLayerException);
    // The upload survives a wrong digest; the right one completes it.
    const done = await ecr.send(
      new CompleteLayerUploadCommand({
        repositoryName: 'layers',
        uploadId,
        layerDigests: [blob.digest],
      }),
    );
    expect(done.layerDigest).toBe(blob.digest);
    const unknown = await rejection(
      ecr.send(
        new CompleteLayerUploadCommand({
          repositoryName: 'layers',
          uploadId,
          layerDigests: [blob.digest],
        }),
      ),
    );
    expect(unknown).toBeInstanceOf(UploadNotFoundException);
  });

  it('puts an image, validating its references, digest and tags', async () => {
    const image = testImage([randomBlob(300), randomBlob(400)]);
    // Without its layers the manifest is refused.
    const missing = await rejection(
      ecr.send(
        new PutImageCommand({
          repositoryName: 'app',
          imageManifest: image.manifest,
          imageTag: 'v1',
        }),
      ),
    );
    expect(missing).toBeInstanceOf(LayersNotFoundException);
    expect(missing.message).toContain(image.layers[0]?.digest ?? '');
    const { image: put } = await pushImage('app', image, 'v1');
    expect(put).toMatchObject({
      registryId: CICD,
      repositoryName: 'app',
      imageId: { imageDigest: image.digest, imageTag: 'v1' },
      imageManifest: image.manifest,
      imageManifestMediaType: OCI_MANIFEST,
    });
    const duplicate = await rejection(
      ecr.send(
        new PutImageCommand({
          repositoryName: 'app',
          imageManifest: image.manifest,
          imageTag: 'v1',
        }),
      ),
    );
    expect(duplicate).toBeInstanceOf(ImageAlreadyExistsException);
    // A second tag on the same manifest is fine.
    await ecr.send(
      new PutImageCommand({
        repositoryName: 'app',
        imageManifest: image.manifest,
        imageTag: 'stable',
      }),
    );
    const mismatch = await rejection(
      ecr.send(
        new PutImageCommand({
          repositoryName: 'app',
          imageManifest: image.manifest,
          imageDigest: randomBlob(1).digest,
        }),
      ),
    );
    expect(mismatch).toBeInstanceOf(ImageDigestDoesNotMatchException);
    for (const imageManifest of [
      'not json',
      '{"schemaVersion":1}',
      JSON.stringify({ schemaVersion: 2, mediaType: 'text/plain' }),
    ]) {
      const error = await rejection(
        ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest, imageTag: 'bad' })),
      );
      expect(error, imageManifest).toBeInstanceOf(InvalidParameterException);
    }
    const contradicting = await rejection(
      ecr.send(
        new PutImageCommand({
          repositoryName: 'app',
          imageManifest: image.manifest,
          imageManifestMediaType: DOCKER_MANIFEST,
          imageTag: 'other',
        }),
      ),
    );
    expect(contradicting).toBeInstanceOf(InvalidParameterException);
  });

  it('keeps immutable tags where they are', async () => {
    const first = testImage([randomBlob(100)]);
    const second = testImage([randomBlob(100)]);
    await pushImage('immutable', first, 'v1');
    const moved = await rejection(pushImage('immutable', second, 'v1'));
    expect(moved).toBeInstanceOf(ImageTagAlreadyExistsException);
    const { imageIds } = await ecr.send(new ListImagesCommand({ repositoryName: 'immutable' }));
    expect(imageIds).toEqual([{ imageDigest: first.digest, imageTag: 'v1' }]);
  });

  it('stores image indexes over their platform manifests and describes them', async () => {
    const amd = testImage([randomBlob(200)], { platform: 'amd64' });
    const arm = testImage([randomBlob(250)], { platform: 'arm64' });
    const index = testIndex([
      { image: amd, architecture: 'amd64' },
      { image: arm, architecture: 'arm64' },
    ]);
    const early = await rejection(
      ecr.send(
        new PutImageCommand({
          repositoryName: 'multi',
          imageManifest: index.manifest,
          imageTag: 'v1',
        }),
      ),
    );
    expect(early).toBeInstanceOf(ReferencedImagesNotFoundException);
    await pushImage('multi', amd);
    await pushImage('multi', arm);
    clock.advance(60_000);
    const { image } = await ecr.send(
      new PutImageCommand({
        repositoryName: 'multi',
        imageManifest: index.manifest,
        imageTag: 'v1',
      }),
    );
    expect(image?.imageManifestMediaType).toBe(OCI_INDEX);
    const described = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'multi', imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(described.imageDetails).toEqual([
      expect.objectContaining({
        registryId: CICD,
        repositoryName: 'multi',
        imageDigest: index.digest,
        imageTags: ['v1'],
        imageManifestMediaType: OCI_INDEX,
        imageSizeInBytes: Buffer.byteLength(index.manifest),
        imagePushedAt: new Date('2026-03-01T10:01:00Z'),
      }),
    ]);
    const amdDetail = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: 'multi',
        imageIds: [{ imageDigest: amd.digest }],
      }),
    );
    expect(amdDetail.imageDetails?.[0]).toMatchObject({
      imageSizeInBytes: 200,
      artifactMediaType: 'application/vnd.oci.image.config.v1+json',
    });
    expect(amdDetail.imageDetails?.[0]?.imageTags).toBeUndefined();
    // A platform manifest cannot go while an index needs it.
    const referenced = await ecr.send(
      new BatchDeleteImageCommand({
        repositoryName: 'multi',
        imageIds: [{ imageDigest: amd.digest }],
      }),
    );
    expect(referenced.failures).toEqual([
      expect.objectContaining({ failureCode: 'ImageReferencedByManifestList' }),
    ]);
    const notFound = await rejection(
      ecr.send(
        new DescribeImagesCommand({ repositoryName: 'multi', imageIds: [{ imageTag: 'nope' }] }),
      ),
    );
    expect(notFound).toBeInstanceOf(ImageNotFoundException);
    const nonEmpty = await rejection(
      ecr.send(new DeleteRepositoryCommand({ repositoryName: 'multi' })),
    );
    expect(nonEmpty).toBeInstanceOf(RepositoryNotEmptyException);
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'multi', force: true }));
  });

  it('lists and describes images with tag filters and pagination', async () => {
    const images = [0, 1, 2, 3].map(() => testImage([randomBlob(64)]));
    for (const [i, image] of images.entries()) {
      await pushImage('listing', image, i < 3 ? `t${i}` : undefined);
    }
    const all: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecr.send(
        new ListImagesCommand({ repositoryName: 'listing', maxResults: 3, nextToken }),
      );
      all.push(
        ...(page.imageIds ?? []).map((id) => id.imageTag ?? `untagged:${id.imageDigest ?? ''}`),
      );
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    expect(all).toEqual(['t0', 't1', 't2', `untagged:${images[3]?.digest ?? ''}`]);
    const untagged = await ecr.send(
      new ListImagesCommand({ repositoryName: 'listing', filter: { tagStatus: 'UNTAGGED' } }),
    );
    expect(untagged.imageIds).toEqual([{ imageDigest: images[3]?.digest }]);
    const tagged = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: 'listing',
        filter: { tagStatus: 'TAGGED' },
        maxResults: 2,
      }),
    );
    expect(tagged.imageDetails?.map((d) => d.imageTags)).toEqual([['t0'], ['t1']]);
    expect(tagged.nextToken).toBeDefined();
    const badFilter = await rejection(
      ecr.send(
        new ListImagesCommand({
          repositoryName: 'listing',
          filter: { tagStatus: 'SOME' as 'ANY' },
        }),
      ),
    );
    expect(badFilter).toBeInstanceOf(InvalidParameterException);
  });

  it('gets manifests by tag and digest, honouring acceptedMediaTypes', async () => {
    const image = testImage([randomBlob(32)], { mediaType: DOCKER_MANIFEST });
    await pushImage('app', image, 'docker');
    const { images, failures } = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [
          { imageTag: 'docker' },
          { imageDigest: image.digest },
          { imageTag: 'missing' },
          {},
        ],
      }),
    );
    expect(images?.map((i) => [i.imageId?.imageTag, i.imageManifest])).toEqual([
      ['docker', image.manifest],
      [undefined, image.manifest],
    ]);
    expect(failures?.map((f) => f.failureCode)).toEqual(['ImageNotFound', 'MissingDigestAndTag']);
    const ociOnly = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'docker' }],
        acceptedMediaTypes: [OCI_MANIFEST],
      }),
    );
    expect(ociOnly.images).toEqual([]);
    expect(ociOnly.failures?.[0]?.failureReason).toContain(DOCKER_MANIFEST);
  });

  it('deletes images by tag and by digest', async () => {
    const image = testImage([randomBlob(16)]);
    await pushImage('app', image, 'one');
    await ecr.send(
      new PutImageCommand({
        repositoryName: 'app',
        imageManifest: image.manifest,
        imageTag: 'two',
      }),
    );
    const byTag = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'one' }] }),
    );
    expect(byTag.imageIds).toEqual([{ imageDigest: image.digest, imageTag: 'one' }]);
    const stillThere = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: 'app',
        imageIds: [{ imageDigest: image.digest }],
      }),
    );
    expect(stillThere.imageDetails?.[0]?.imageTags).toEqual(['two']);
    const byDigest = await ecr.send(
      new BatchDeleteImageCommand({
        repositoryName: 'app',
        imageIds: [
          { imageDigest: image.digest },
          { imageDigest: image.digest },
          { imageDigest: 'sha256:x' },
        ],
      }),
    );
    expect(byDigest.imageIds).toEqual([{ imageDigest: image.digest, imageTag: 'two' }]);
    expect(byDigest.failures?.map((f) => f.failureCode)).toEqual([
      'ImageNotFound',
      'InvalidImageDigest',
    ]);
  });

  it('hands out download URLs for one layer that work without other credentials', async () => {
    const blob = randomBlob(777);
    await uploadLayer('layers', blob);
    const { downloadUrl, layerDigest } = await ecr.send(
      new GetDownloadUrlForLayerCommand({ repositoryName: 'layers', layerDigest: blob.digest }),
    );
    expect(layerDigest).toBe(blob.digest);
    const response = await fetch(downloadUrl ?? '');
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(blob.data)).toBe(true);
    // The URL's token reads that one layer only.
    const other = new URL(downloadUrl ?? '');
    other.pathname = other.pathname.replace(blob.digest, randomBlob(1).digest);
    expect((await fetch(other)).status).toBe(403);
    const missing = await rejection(
      ecr.send(
        new GetDownloadUrlForLayerCommand({
          repositoryName: 'layers',
          layerDigest: randomBlob(2).digest,
        }),
      ),
    );
    expect(missing).toBeInstanceOf(LayersNotFoundException);
  });
});
