/**
 * Mirrors one image (a manifest, or an index with every platform's manifest) from one registry to
 * another over the OCI Distribution API: skip when the destination already has the digest, copy
 * only missing blobs, several at a time and streamed, mount within a registry, push manifests last.
 */
import { Transform, pipeline, type Readable } from 'node:stream';
import { RampartError, isRampartError } from '@rampart/core';
import { Agent, type Dispatcher } from 'undici';
import { mapBounded } from './bounded-pool.js';
import {
  formatImageReference,
  parseImageReference,
  type ImageReference,
} from './image-reference.js';
import { isForeign, parseManifest, type Descriptor } from './media-types.js';
import type { MirrorEvent } from './mirror-events.js';
import {
  RegistryClient,
  type ManifestBytes,
  type RegistryCredentials,
  type RegistryRequestInfo,
} from './registry-client.js';
import { withRetry, type RetryOptions } from './retry.js';

/** What to mirror, where, and how. */
export interface MirrorImageOptions {
  /** `registry/repository:tag` or `…@digest` (or a parsed reference). */
  source: string | ImageReference;
  /**
   * Where to put it. Without a tag or digest the source's tag is used (or only its digest when
   * the source names none).
   */
  destination: string | ImageReference;
  /** @default anonymous */
  sourceAuth?: RegistryCredentials;
  /** @default anonymous */
  destinationAuth?: RegistryCredentials;
  /** Speak plain HTTP to both registries instead of HTTPS. @default false */
  insecure?: boolean;
  /** Blobs (and manifests of an index) copied at the same time. @default 4 */
  concurrency?: number;
  /** Cancels the mirror; what was copied stays and is skipped by the next run. */
  signal?: AbortSignal;
  /** Told about each step; see {@link MirrorEvent}. */
  onProgress?: (event: MirrorEvent) => void;
  /** Backoff of failed requests (network errors, 5xx, 429). @default 5 attempts from 250 ms */
  retry?: RetryOptions;
  /**
   * How blobs are uploaded: `put` sends the content with the closing `PUT ?digest=` (two
   * requests); `patch` streams it in one `PATCH`, then closes with an empty `PUT`.
   * @default 'put'
   */
  uploadMethod?: 'put' | 'patch';
  /** Told about every HTTP answer from either registry (counting, diagnostics). */
  onRequest?: (info: RegistryRequestInfo) => void;
  /** The connection pool to use. @default a keep-alive Agent closed at the end */
  dispatcher?: Dispatcher;
}

/** What a mirror did. */
export interface MirrorImageResult {
  /** The digest of the mirrored manifest or index. */
  digest: string;
  /** True when the destination already had it: only HEAD requests were made. */
  skipped: boolean;
  /** Blobs streamed from the source. */
  blobsCopied: number;
  /** Blobs the destination already held (a previous, maybe interrupted, run; shared layers). */
  blobsSkipped: number;
  /** Blobs linked from the source repository of the same registry. */
  blobsMounted: number;
  /** Bytes streamed from the source (the sizes of the copied blobs). */
  bytesCopied: number;
  /** Manifests pushed: the image's, or the index and each platform's not yet there. */
  manifestsPushed: number;
}

/** A manifest to push after its blobs and child manifests. */
interface ManifestNode {
  manifest: ManifestBytes;
  mediaType: string;
  blobs: Descriptor[];
  children: ManifestNode[];
}

const PROGRESS_STEP = 8 * 1024 * 1024;

/** Mirrors one image; see {@link MirrorImageOptions}. Resolves with what it did. */
export async function mirrorImage(options: MirrorImageOptions): Promise<MirrorImageResult> {
  const source =
    typeof options.source === 'string' ? parseImageReference(options.source) : options.source;
  const destination =
    typeof options.destination === 'string'
      ? parseImageReference(options.destination)
      : options.destination;
  if (source.tag === undefined && source.digest === undefined) {
    throw new RampartError(
      'IMAGE_REFERENCE_INVALID',
      `the source "${formatImageReference(source)}" names neither a tag nor a digest`,
      { source: 'user', hint: 'Add the tag (`:latest`) or the digest (`@sha256:…`) to copy.' },
    );
  }
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000 });
  const common = {
    insecure: options.insecure ?? false,
    dispatcher,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onRequest === undefined ? {} : { onResponse: options.onRequest }),
  };
  const sourceClient = new RegistryClient({
    registry: source.registry,
    ...(options.sourceAuth === undefined ? {} : { credentials: options.sourceAuth }),
    ...common,
  });
  const destinationClient = new RegistryClient({
    registry: destination.registry,
    ...(options.destinationAuth === undefined ? {} : { credentials: options.destinationAuth }),
    push: true,
    ...common,
  });
  try {
    return await new ImageMirror(
      options,
      source,
      destination,
      sourceClient,
      destinationClient,
    ).run();
  } finally {
    if (options.dispatcher === undefined) await dispatcher.close();
  }
}

/** One mirror run: the state shared by its steps. */
class ImageMirror {
  private readonly result = {
    blobsCopied: 0,
    blobsSkipped: 0,
    blobsMounted: 0,
    bytesCopied: 0,
    manifestsPushed: 0,
  };
  private readonly concurrency: number;
  private readonly emit: (event: MirrorEvent) => void;

  constructor(
    private readonly options: MirrorImageOptions,
    private readonly source: ImageReference,
    private readonly destination: ImageReference,
    private readonly src: RegistryClient,
    private readonly dst: RegistryClient,
  ) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.emit = options.onProgress ?? (() => undefined);
  }

  async run(): Promise<MirrorImageResult> {
    const { source, destination } = this;
    const tagOrDigest = (source.digest ?? source.tag) as string;
    const target = destination.tag ?? destination.digest ?? source.tag ?? tagOrDigest;
    // The skip check: one HEAD on each side at the same time (none on the source by digest).
    const [sourceHead, destinationHead] = await Promise.all([
      source.digest === undefined
        ? this.retry('check the source manifest', () =>
            this.src.headManifest(source.repository, tagOrDigest),
          )
        : undefined,
      this.retry('check the destination manifest', () =>
        this.dst.headManifest(destination.repository, target),
      ),
    ]);
    if (source.digest === undefined && sourceHead === undefined) {
      throw new RampartError(
        'REGISTRY_NOT_FOUND',
        `registry ${source.registry} (repository "${source.repository}") has no manifest "${tagOrDigest}"`,
        { source: 'user', hint: 'Check the repository name and the tag of the source image.' },
      );
    }
    let digest = source.digest ?? sourceHead?.digest;
    const upToDate = (d: string | undefined): boolean =>
      d !== undefined &&
      destinationHead !== undefined &&
      (destinationHead.digest === d || (target === d && destinationHead.digest === undefined));
    if (upToDate(digest)) return this.skipped(digest as string);

    const root = await this.retry('read the source manifest', () =>
      this.src.getManifest(source.repository, digest ?? tagOrDigest),
    );
    digest = root.digest;
    this.emit({ type: 'resolved', digest, mediaType: root.mediaType });
    if (destination.digest !== undefined && destination.digest !== digest) {
      throw new RampartError(
        'IMAGE_REFERENCE_INVALID',
        `the destination names digest ${destination.digest} but the source is ${digest}`,
        { source: 'user', hint: 'Name the destination by tag, or by the digest of the source.' },
      );
    }
    if (upToDate(digest)) return this.skipped(digest);

    const tree = await this.load(root);
    const blobs = new Map<string, Descriptor>();
    const collect = (node: ManifestNode): void => {
      for (const blob of node.blobs) if (!isForeign(blob)) blobs.set(blob.digest, blob);
      node.children.forEach(collect);
    };
    collect(tree);
    await mapBounded([...blobs.values()], this.concurrency, (blob) => this.copyBlob(blob));
    await this.pushChildren(tree);
    await this.push(tree, target);
    return { digest, skipped: false, ...this.result };
  }

  private skipped(digest: string): MirrorImageResult {
    this.emit({ type: 'up-to-date', digest });
    return { digest, skipped: true, ...this.result };
  }

  /** Reads a manifest's references; for an index, the platform manifests the destination lacks. */
  private async load(manifest: ManifestBytes): Promise<ManifestNode> {
    const where = `${this.source.registry}/${this.source.repository}@${manifest.digest}`;
    const parsed = parseManifest(manifest.bytes, manifest.mediaType, where);
    if (parsed.kind === 'image') {
      return { manifest, mediaType: parsed.mediaType, blobs: parsed.blobs, children: [] };
    }
    const children = await mapBounded(parsed.manifests, this.concurrency, async (child) => {
      const present = await this.retry('check a platform manifest', () =>
        this.dst.headManifest(this.destination.repository, child.digest),
      );
      if (present !== undefined) {
        this.emit({ type: 'manifest-present', digest: child.digest });
        return undefined;
      }
      const bytes = await this.retry('read a platform manifest', () =>
        this.src.getManifest(this.source.repository, child.digest),
      );
      return this.load({ ...bytes, mediaType: bytes.mediaType ?? child.mediaType });
    });
    return {
      manifest,
      mediaType: parsed.mediaType,
      blobs: [],
      children: children.filter((c): c is ManifestNode => c !== undefined),
    };
  }

  /** Pushes the manifests below `node` by digest, deepest first, siblings at the same time. */
  private async pushChildren(node: ManifestNode): Promise<void> {
    await mapBounded(node.children, this.concurrency, async (child) => {
      await this.pushChildren(child);
      await this.push(child, child.manifest.digest);
    });
  }

  private async push(node: ManifestNode, reference: string): Promise<void> {
    const { digest, bytes } = node.manifest;
    const stored = await this.retry('push a manifest', () =>
      this.dst.putManifest(this.destination.repository, reference, bytes, node.mediaType),
    );
    if (stored !== digest) {
      throw new RampartError(
        'ARTIFACT_DIGEST_MISMATCH',
        `registry ${this.destination.registry} stored manifest ${digest} as ${stored}`,
        {
          source: 'system',
          hint: 'The destination registry rewrote the manifest; mirror to a registry that stores manifests byte for byte.',
        },
      );
    }
    this.result.manifestsPushed++;
    this.emit({ type: 'manifest-pushed', digest, mediaType: node.mediaType, reference });
  }

  /** Makes one blob present in the destination: already there, mounted, or streamed. */
  private async copyBlob(blob: Descriptor): Promise<void> {
    const repository = this.destination.repository;
    const present = await this.retry('check a blob', () =>
      this.dst.hasBlob(repository, blob.digest),
    );
    if (present) {
      this.result.blobsSkipped++;
      this.emit({ type: 'blob-present', digest: blob.digest, size: blob.size });
      return;
    }
    let session: string | undefined;
    if (this.source.registry === this.destination.registry) {
      const mount = await this.retry('mount a blob', () =>
        this.dst.mountBlob(repository, blob.digest, this.source.repository),
      );
      if (mount.mounted) {
        this.result.blobsMounted++;
        this.emit({ type: 'blob-mounted', digest: blob.digest, size: blob.size });
        return;
      }
      session = mount.uploadUrl;
    }
    await this.retry('copy a blob', async (attempt) => {
      // A session that saw a failed attempt may hold part of the blob: start a fresh one.
      const url =
        attempt === 1 && session !== undefined ? session : await this.dst.startUpload(repository);
      const download = await this.src.openBlob(this.source.repository, blob.digest);
      try {
        if (download.size !== undefined && download.size !== blob.size) {
          throw new RampartError(
            'ARTIFACT_DIGEST_MISMATCH',
            `blob ${blob.digest} of ${this.source.registry}/${this.source.repository} is ${download.size} bytes, but its manifest says ${blob.size}`,
            {
              source: 'system',
              hint: 'The source registry serves other content than its manifest names; push the image to it again.',
            },
          );
        }
        await this.dst.completeUpload(
          repository,
          url,
          blob.digest,
          this.counted(download.body, blob),
          blob.size,
          this.options.uploadMethod ?? 'put',
        );
      } finally {
        // Unread when the upload failed early: release the source connection.
        download.body.destroy();
      }
    });
    this.result.blobsCopied++;
    this.result.bytesCopied += blob.size;
    this.emit({ type: 'blob-copied', digest: blob.digest, size: blob.size });
  }

  /** The body as is, or through a counter when someone listens for progress. */
  private counted(body: Readable, blob: Descriptor): Readable {
    if (this.options.onProgress === undefined) return body;
    let bytes = 0;
    let told = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        bytes += chunk.length;
        if (bytes - told >= PROGRESS_STEP || bytes === blob.size) {
          told = bytes;
          this.emit({ type: 'blob-progress', digest: blob.digest, bytes, size: blob.size });
        }
        callback(null, chunk);
      },
    });
    // pipeline() passes a source failure on to the counter, so the upload fails instead of hanging.
    return pipeline(body, counter, () => undefined);
  }

  private retry<T>(operation: string, run: (attempt: number) => Promise<T>): Promise<T> {
    return withRetry(run, {
      ...this.options.retry,
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
      onRetry: ({ attempt, delayMs, error }) =>
        this.emit({
          type: 'retry',
          operation,
          attempt,
          delayMs,
          code: isRampartError(error) ? error.code : 'INTERNAL',
          message: error.message,
        }),
    });
  }
}
