/**
 * The engine's ArtifactMirror port for a stage: with the stage role's credentials, copies each
 * artifact built once from the CI/CD account into the stage's repository or bucket, in the
 * stage's region. Images go registry to registry pinned by digest (tagged like the CI/CD copy);
 * bundles bucket to bucket, skipped when the stage copy records the same SHA-256.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { RampartError, isRampartError } from '@rampart/core';
import type {
  ArtifactMirror,
  MirrorRequest,
  StageArtifactCopy,
  StageCredentials,
} from '@rampart/engine';
import { bundleFields } from '../build/artifact-fields.js';
import { ecrLogin, ecrRepository, type EcrLogin } from '../build/ecr-registry.js';
import { isDigest } from '../oci/digest.js';
import { formatImageReference, parseImageReference } from '../oci/image-reference.js';
import { mirrorImage } from '../oci/mirror-image.js';
import { mirrorBundle } from '../s3/mirror-bundle.js';
import { describeStageMirrorEvent } from './stage-mirror-event-text.js';
import type { StageArtifactMirrorOptions, StageMirrorEvent } from './stage-mirror-options.js';

type Fields = Record<string, string>;

/** One mirror call: the stage's credentials, and its clients and registry logins by region. */
class StageMirrorRun {
  private readonly logins = new Map<string, Promise<EcrLogin>>();
  private readonly s3Clients = new Map<string, S3Client>();

  constructor(
    private readonly options: StageArtifactMirrorOptions,
    private readonly request: MirrorRequest,
    private readonly credentials: StageCredentials,
  ) {}

  report(event: StageMirrorEvent): void {
    this.options.onEvent?.(event);
    this.request.log?.(describeStageMirrorEvent(event));
  }

  async image(copy: StageArtifactCopy, source: Readonly<Fields>): Promise<Fields> {
    const { target, signal } = this.request;
    const from = copy.source;
    if (from?.repository === undefined || copy.repository === undefined) {
      throw missing(copy, 'an ECR repository on both sides');
    }
    const digest = sourceDigest(source);
    if (digest === undefined)
      throw missing(copy, '`image_digest` (or an `image_url` pinned by digest)');
    const [sourceLogin, stageLogin] = await Promise.all([
      this.login(from.region),
      this.login(target.region),
    ]);
    const src = ecrRepository(sourceLogin, from.accountId, from.region, from.repository);
    const dst = ecrRepository(stageLogin, target.accountId, target.region, copy.repository);
    const tag = source['image_tag'];
    const result = await mirrorImage({
      source: { ...src, digest },
      destination: { ...dst, ...(tag === undefined || tag === '' ? {} : { tag }) },
      sourceAuth: sourceLogin.credentials,
      destinationAuth: stageLogin.credentials,
      insecure: sourceLogin.insecure || stageLogin.insecure,
      signal,
      ...(this.options.concurrency === undefined ? {} : { concurrency: this.options.concurrency }),
      ...(this.options.retry === undefined ? {} : { retry: this.options.retry }),
    });
    const imageUrl = formatImageReference({ ...dst, digest: result.digest });
    this.report({
      type: 'image-mirrored',
      artifact: copy.name,
      imageUrl,
      digest: result.digest,
      skipped: result.skipped,
      blobsCopied: result.blobsCopied,
      blobsMounted: result.blobsMounted,
      blobsSkipped: result.blobsSkipped,
      bytesCopied: result.bytesCopied,
    });
    return {
      image_url: imageUrl,
      ...(tag === undefined || tag === '' ? {} : { image_tag: tag }),
      image_digest: result.digest,
    };
  }

  async bundle(copy: StageArtifactCopy, source: Readonly<Fields>): Promise<Fields> {
    const { target, signal } = this.request;
    const from = copy.source;
    const bucket = from?.bucket ?? source['s3_bucket'];
    const key = source['s3_key'];
    if (
      from === undefined ||
      bucket === undefined ||
      key === undefined ||
      copy.bucket === undefined
    ) {
      throw missing(copy, '`s3_bucket` and `s3_key`, and a stage bucket');
    }
    // One client for both sides when the regions agree: S3 then copies server-side.
    const result = await mirrorBundle({
      source: { bucket, key },
      destination: { bucket: copy.bucket, key },
      sourceClient: this.s3(from.region),
      destinationClient: this.s3(target.region),
      signal,
    });
    const recorded = source['sha256'];
    if (recorded !== undefined && recorded !== '' && recorded !== result.sha256) {
      throw new RampartError(
        'ARTIFACT_DIGEST_MISMATCH',
        `bundle "${copy.name}" at s3://${bucket}/${key} has sha256 ${result.sha256}, but its build recorded ${recorded}`,
        {
          source: 'system',
          hint: 'The CI/CD copy was overwritten after the build: deploy a new revision so the bundle is built again.',
        },
      );
    }
    const fields = bundleFields(copy.bucket, key, result.sha256);
    this.report({
      type: 'bundle-mirrored',
      artifact: copy.name,
      s3Url: fields['s3_url'] ?? '',
      sha256: result.sha256,
      method: result.method,
      bytesCopied: result.bytesCopied,
    });
    return fields;
  }

  private login(region: string): Promise<EcrLogin> {
    let login = this.logins.get(region);
    if (login === undefined) {
      const ecr = this.options.sdk.ecr({ region, credentials: this.credentials });
      login = ecrLogin(ecr, this.request.signal);
      this.logins.set(region, login);
    }
    return login;
  }

  private s3(region: string): S3Client {
    let client = this.s3Clients.get(region);
    if (client === undefined) {
      client = this.options.sdk.s3({ region, credentials: this.credentials });
      this.s3Clients.set(region, client);
    }
    return client;
  }
}

/** The digest the CI/CD copy is pinned by: `image_digest`, else the one in `image_url`. */
function sourceDigest(source: Readonly<Fields>): string | undefined {
  const digest = source['image_digest'];
  if (digest !== undefined && isDigest(digest)) return digest;
  const url = source['image_url'];
  if (url === undefined) return undefined;
  try {
    return parseImageReference(url).digest;
  } catch {
    return undefined;
  }
}

function missing(copy: StageArtifactCopy, what: string): RampartError {
  return new RampartError(
    'ARTIFACT_MIRROR_SOURCE_MISSING',
    `artifact "${copy.name}" (${copy.id}) cannot be mirrored: its CI/CD copy lacks ${what}`,
    {
      source: 'system',
      hint: 'Deploy the revision again so that its artifacts are built.',
    },
  );
}

/** The same error with the artifact and stage in front of its message, so a log line says which. */
function withContext(error: unknown, copy: StageArtifactCopy, request: MirrorRequest): unknown {
  if (!isRampartError(error) || error.code === 'ARTIFACT_MIRROR_SOURCE_MISSING') return error;
  const { target } = request;
  return new RampartError(
    error.code,
    `mirroring ${copy.kind} "${copy.name}" into stage "${target.stage}" (account ${target.accountId}, ${target.region}): ${error.message}`,
    {
      source: error.source,
      retryable: error.retryable,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      cause: error,
    },
  );
}

/**
 * The stage mirror: see the module header. Copies without a `source` (`per_stage` artifacts, which
 * the engine builds straight into the stage) are left alone and return no fields here.
 *
 * @throws RampartError `ARTIFACT_MIRROR_SOURCE_MISSING` when a copy's CI/CD fields are missing;
 *   `REGISTRY_DENIED` / `BUNDLE_ACCESS_DENIED` when the stage role may not read the CI/CD copy or
 *   write its own (the message names the artifact, the stage and the repository or key); the
 *   other codes of `mirrorImage` and `mirrorBundle`; `ARTIFACT_STORE_FAILED` when the registry
 *   login fails; and whatever the credentials provider throws.
 */
export function createStageArtifactMirror(options: StageArtifactMirrorOptions): ArtifactMirror {
  return {
    async mirror(request) {
      const fields: Record<string, Fields> = {};
      const mirrored = request.artifacts.filter((copy) => copy.source !== undefined);
      for (const copy of request.artifacts) {
        if (copy.source !== undefined) continue;
        const event: StageMirrorEvent = { type: 'artifact-not-mirrored', artifact: copy.name };
        options.onEvent?.(event);
        request.log?.(describeStageMirrorEvent(event));
      }
      if (mirrored.length === 0) return fields;
      const credentials = await options.credentials.credentialsFor(
        request.target,
        request.deploymentId,
      );
      const run = new StageMirrorRun(options, request, credentials);
      // One artifact at a time: each already copies its blobs in parallel, and the log stays in order.
      for (const copy of mirrored) {
        const source = request.sources?.[copy.id];
        if (source === undefined) throw missing(copy, 'build results (none were recorded)');
        try {
          fields[copy.id] =
            copy.kind === 'image' ? await run.image(copy, source) : await run.bundle(copy, source);
        } catch (error) {
          throw withContext(error, copy, request);
        }
      }
      return fields;
    },
  };
}
