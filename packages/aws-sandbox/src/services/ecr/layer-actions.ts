// Layers through the API: availability checks, the three-step upload (initiate, parts,
// complete), and download URLs that point at the sandbox's registry.
import { randomUUID } from 'node:crypto';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { issueToken } from './auth-token.js';
import {
  appendToUpload,
  BlobError,
  bufferStream,
  completeUpload,
  createUploadFile,
  discardUpload,
} from './blob-store.js';
import { repositoryTarget, requireRepository, validateRepositoryCall } from './ecr-access.js';
import { ecrError, invalidParameter, uploadNotFound } from './ecr-errors.js';
import { ecrState, type EcrRepository, type EcrUpload } from './ecr-state.js';
import { linkLayer } from './image-store.js';
import { isValidDigest } from './references.js';

/** The part size InitiateLayerUpload recommends. */
export const PART_SIZE = 10 * 1024 * 1024;

/** How long a download URL works. */
const DOWNLOAD_URL_LIFETIME_MS = 60 * 60 * 1000;

function requireUpload(ctx: ActionContext, repository: EcrRepository): EcrUpload {
  const uploadId = ctx.input.reqStr('uploadId');
  const uploads = ecrState(ctx.runtime, repository.registryId, repository.region).uploads;
  const upload = Object.hasOwn(uploads, uploadId) ? uploads[uploadId] : undefined;
  if (!upload || upload.repositoryName !== repository.name) {
    throw uploadNotFound(uploadId, repository.name, repository.registryId);
  }
  return upload;
}

function layerDigestList(ctx: ActionContext): string[] {
  const digests = ctx.input.strList('layerDigests');
  if (digests.length < 1 || digests.length > 100) {
    throw invalidParameter(
      "Invalid parameter at 'layerDigests' failed to satisfy constraint: 'Member must have length less than or equal to 100 and greater than or equal to 1'",
    );
  }
  return digests;
}

/** Layer actions. */
export const LAYER_ACTIONS: Record<string, ActionDefinition> = {
  BatchCheckLayerAvailability: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      layerDigestList(ctx);
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const layers: Record<string, unknown>[] = [];
      const failures: Record<string, unknown>[] = [];
      for (const digest of layerDigestList(ctx)) {
        const layer = isValidDigest(digest) ? repository.layers[digest] : undefined;
        if (layer) {
          layers.push({
            layerDigest: digest,
            layerAvailability: 'AVAILABLE',
            layerSize: layer.size,
            ...(layer.mediaType !== undefined ? { mediaType: layer.mediaType } : {}),
          });
        } else {
          failures.push({
            layerDigest: digest,
            failureCode: isValidDigest(digest) ? 'MissingLayerDigest' : 'InvalidLayerDigest',
            failureReason: isValidDigest(digest) ? 'Could not find layer' : 'Invalid layer digest',
          });
        }
      }
      return { layers, failures };
    },
  },

  InitiateLayerUpload: {
    validate: validateRepositoryCall,
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: async (ctx) => {
      const repository = requireRepository(ctx);
      const upload: EcrUpload = {
        id: randomUUID(),
        repositoryName: repository.name,
        size: 0,
        startedAt: ctx.clock.now().toISOString(),
      };
      await createUploadFile(ctx.runtime, upload.id);
      ecrState(ctx.runtime, repository.registryId, repository.region).uploads[upload.id] = upload;
      return { uploadId: upload.id, partSize: PART_SIZE };
    },
  },

  UploadLayerPart: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      ctx.input.reqStr('uploadId');
      ctx.input.reqStr('layerPartBlob');
      for (const name of ['partFirstByte', 'partLastByte']) {
        const value = ctx.input.int(name);
        if (value === undefined || value < 0) {
          throw invalidParameter(
            `Invalid parameter at '${name}' failed to satisfy constraint: 'Member must have value greater than or equal to 0'`,
          );
        }
      }
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: async (ctx) => {
      const repository = requireRepository(ctx);
      const upload = requireUpload(ctx, repository);
      const first = ctx.input.int('partFirstByte') ?? 0;
      const last = ctx.input.int('partLastByte') ?? 0;
      const data = Buffer.from(ctx.input.reqStr('layerPartBlob'), 'base64');
      const invalidPart = (message: string) =>
        ecrError('InvalidLayerPartException', message, {
          registryId: repository.registryId,
          repositoryName: repository.name,
          uploadId: upload.id,
          lastValidByteReceived: String(upload.size - 1),
        });
      if (first !== upload.size) {
        throw invalidPart(
          `The part's first byte ${first} is not the next byte of the upload (${upload.size})`,
        );
      }
      if (last < first || last - first + 1 !== data.length) {
        throw invalidPart(
          `The part is ${data.length} bytes but partFirstByte..partLastByte spans ${last - first + 1}`,
        );
      }
      await appendToUpload(ctx.runtime, upload, bufferStream(data));
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        uploadId: upload.id,
        lastByteReceived: upload.size - 1,
      };
    },
  },

  CompleteLayerUpload: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      ctx.input.reqStr('uploadId');
      layerDigestList(ctx);
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: async (ctx) => {
      const repository = requireRepository(ctx);
      const upload = requireUpload(ctx, repository);
      const digest = layerDigestList(ctx)[0] as string;
      if (!isValidDigest(digest)) {
        throw ecrError('InvalidLayerException', `Invalid layer digest '${digest}'`);
      }
      if (upload.size === 0) {
        throw ecrError(
          'EmptyUploadException',
          `The upload with id '${upload.id}' does not contain any layer parts`,
        );
      }
      const uploads = ecrState(ctx.runtime, repository.registryId, repository.region).uploads;
      if (Object.hasOwn(repository.layers, digest)) {
        delete uploads[upload.id];
        await discardUpload(ctx.runtime, upload.id);
        throw ecrError(
          'LayerAlreadyExistsException',
          `The layer with digest '${digest}' already exists in the repository with name '${repository.name}' in registry with id '${repository.registryId}'`,
        );
      }
      try {
        const blob = await completeUpload(ctx.runtime, upload, digest);
        linkLayer(repository, blob.digest, blob.size);
      } catch (error: unknown) {
        if (error instanceof BlobError) {
          throw ecrError(
            'InvalidLayerException',
            `The layer digest calculated for upload id '${upload.id}' does not match the provided digest '${digest}'`,
          );
        }
        throw error;
      }
      delete uploads[upload.id];
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        uploadId: upload.id,
        layerDigest: digest,
      };
    },
  },

  GetDownloadUrlForLayer: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      const digest = ctx.input.reqStr('layerDigest');
      if (!isValidDigest(digest)) {
        throw invalidParameter(
          `Invalid parameter at 'layerDigest' failed to satisfy constraint: 'invalid digest ${digest}'`,
        );
      }
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const digest = ctx.input.reqStr('layerDigest');
      if (!Object.hasOwn(repository.layers, digest) || ctx.caller.kind === 'anonymous') {
        throw ecrError('LayersNotFoundException', 'The specified layers could not be found');
      }
      const path = `${repository.registryId}/${repository.region}/${repository.name}`;
      const token = issueToken(ctx.caller.credential, ctx.clock.now(), {
        lifetimeMs: DOWNLOAD_URL_LIFETIME_MS,
        blobScope: `${path}@${digest}`,
      });
      return {
        downloadUrl: `${ctx.runtime.endpoint}/v2/${path}/blobs/${digest}?X-Sandbox-Token=${encodeURIComponent(token.password)}`,
        layerDigest: digest,
      };
    },
  },
};
