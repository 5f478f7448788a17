// S3:UPLOAD: make a bucket prefix hold a folder of the revision's files, or the unzipped contents
// of a bundle artifact. Rollback uploads the restored revision's content again: a bundle from its
// s3:// source, a folder from that revision's checkout (its commit is kept among the outputs).
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsClientFactory } from '@rampart/aws';
import {
  defineStepExecutor,
  type JsonObject,
  type RollbackContext,
  type RollbackOutcome,
  type StepExecutor,
  type StepOutcome,
  type StepRunContext,
} from '@rampart/engine';
import { catalogActions } from '../aws-step/catalog-actions.js';
import { revisionPath, workspaceRequest } from '../aws-step/revision-path.js';
import { stageClientTarget } from '../aws-step/stage-client.js';
import { stepFailure, type FailedOutcome } from '../aws-step/step-failure.js';
import type { WorkspaceRequest, Workspaces } from '../workspace/workspaces.js';
import { syncToBucket, type BucketSyncResult } from './bucket-sync.js';
import { FolderError, folderFiles } from './folder-files.js';
import { bundleSource, s3UploadParams, type S3UploadParams } from './s3-upload-params.js';
import { BundleError, extractZip } from './zip-extract.js';

/** Options of {@link createS3UploadExecutor}. */
export interface S3UploadExecutorOptions {
  /** Builds the S3 client of each call with the stage's credentials and region. */
  sdk: AwsClientFactory;
  /** Finds the revision's files (a folder source). */
  workspaces: Workspaces;
}

/** Outputs that let a rollback find a folder source's revision again. */
export const COMMIT_OUTPUT = 'rampart:commit';
export const DEPLOYMENT_OUTPUT = 'rampart:deployment';

/** Where a sync takes its files from. */
type Source =
  | { kind: 'bundle'; bucket: string; key: string }
  | { kind: 'folder'; request: WorkspaceRequest; path: string };

/** The S3:UPLOAD executor. */
export function createS3UploadExecutor(
  options: S3UploadExecutorOptions,
): StepExecutor<S3UploadParams> {
  return defineStepExecutor<S3UploadParams>({
    type: 'RAMPART:S3:UPLOAD',
    paramsSchema: s3UploadParams,
    iamActions: (params) => catalogActions('RAMPART:S3:UPLOAD', params),
    async execute(ctx): Promise<StepOutcome> {
      const { params } = ctx;
      const done = (await ctx.effects.get())['result'];
      if (done !== undefined && typeof done === 'object' && done !== null && !Array.isArray(done)) {
        ctx.log('s3: resuming: this attempt already uploaded everything', 'info');
        return { kind: 'succeeded', outputs: done };
      }
      const bundle = bundleSource(params.source);
      const request = workspaceRequest(ctx);
      const source: Source =
        bundle === undefined
          ? { kind: 'folder', request, path: params.source }
          : { kind: 'bundle', ...bundle };
      try {
        const result = await upload(options, ctx, params, source);
        if ('kind' in result) return result;
        const outputs: JsonObject = { uploaded: result.uploaded, deleted: result.deleted };
        if (source.kind === 'folder') {
          outputs[COMMIT_OUTPUT] = request.commitSha;
          outputs[DEPLOYMENT_OUTPUT] = request.id;
        }
        await ctx.effects.put('result', outputs);
        return { kind: 'succeeded', outputs };
      } catch (error) {
        return uploadFailure(error, ctx.signal, 'uploaded');
      }
    },
    async rollback(ctx: RollbackContext<S3UploadParams>): Promise<RollbackOutcome> {
      const target = ctx.targetParams;
      if (target === undefined) {
        ctx.log(
          `s3: revision ${ctx.toRevision} did not have step "${ctx.step.name}"; the bucket is left as it is`,
          'info',
        );
        return { kind: 'succeeded', outputs: {} };
      }
      const bundle = bundleSource(target.source);
      let source: Source;
      if (bundle !== undefined) {
        source = { kind: 'bundle', ...bundle };
      } else {
        const commit = ctx.targetOutputs?.[COMMIT_OUTPUT];
        const deployment = ctx.targetOutputs?.[DEPLOYMENT_OUTPUT];
        if (typeof commit !== 'string' || typeof deployment !== 'string') {
          return {
            kind: 'failed',
            message: `cannot re-upload ${target.source}: revision ${ctx.toRevision} recorded no commit for step "${ctx.step.name}" (outputs ${COMMIT_OUTPUT}, ${DEPLOYMENT_OUTPUT})`,
          };
        }
        source = {
          kind: 'folder',
          request: { id: deployment, commitSha: commit, pipelineSlug: ctx.target.pipelineSlug },
          path: target.source,
        };
      }
      try {
        const result = await upload(options, ctx, target, source);
        if ('kind' in result) return { kind: 'failed', message: result.message };
        ctx.log(
          `s3: s3://${target.bucket}/${target.prefix} holds the content of revision ${ctx.toRevision} again`,
          'info',
        );
        const outputs: JsonObject = { uploaded: result.uploaded, deleted: result.deleted };
        if (source.kind === 'folder') {
          outputs[COMMIT_OUTPUT] = source.request.commitSha;
          outputs[DEPLOYMENT_OUTPUT] = source.request.id;
        }
        return { kind: 'succeeded', outputs };
      } catch (error) {
        return { kind: 'failed', message: uploadFailure(error, ctx.signal, 'rolled back').message };
      }
    },
  });
}

/** Syncs the source into the bucket; a refused folder is a failed outcome. */
async function upload(
  options: S3UploadExecutorOptions,
  ctx: StepRunContext,
  params: S3UploadParams,
  source: Source,
): Promise<BucketSyncResult | FailedOutcome> {
  const s3 = options.sdk.s3(stageClientTarget(ctx));
  const temp = await mkdtemp(join(tmpdir(), 'rampart-s3-upload-'));
  try {
    let dir: string;
    let root: string;
    if (source.kind === 'bundle') {
      root = dir = join(temp, 'files');
      await mkdir(dir);
      const zip = join(temp, 'bundle.zip');
      await download(s3, source.bucket, source.key, zip, ctx.signal);
      const count = await extractZip(zip, dir, `bundle s3://${source.bucket}/${source.key}`);
      ctx.log(`s3: unpacked ${count} file(s) from s3://${source.bucket}/${source.key}`, 'info');
    } else {
      const found = await revisionPath(
        options.workspaces,
        source.request,
        source.path,
        'directory',
        'source',
      );
      if (!found.ok) return { kind: 'failed', code: 'workspace', message: found.message };
      dir = found.path;
      root = found.root;
    }
    const files = await folderFiles(dir, root);
    const result = await syncToBucket(
      s3,
      {
        bucket: params.bucket,
        prefix: params.prefix,
        files,
        deleteRemoved: params.delete_removed,
        ...(params.cache_control === undefined ? {} : { cacheControl: params.cache_control }),
      },
      (line) => ctx.log(line, 'stdout'),
      ctx.signal,
    );
    ctx.log(
      `s3: ${result.uploaded} uploaded, ${result.unchanged} unchanged, ${result.deleted} deleted in s3://${params.bucket}/${params.prefix}`,
      'info',
    );
    return result;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function download(
  s3: S3Client,
  bucket: string,
  key: string,
  file: string,
  signal: AbortSignal,
) {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
    abortSignal: signal,
  });
  if (out.Body === undefined) throw new BundleError(`s3://${bucket}/${key} has no body`);
  await pipeline(out.Body as Readable, createWriteStream(file));
}

function uploadFailure(error: unknown, signal: AbortSignal, doing: string): FailedOutcome {
  if (!signal.aborted && (error instanceof BundleError || error instanceof FolderError)) {
    return {
      kind: 'failed',
      code: error instanceof BundleError ? 'bundle' : 'workspace',
      message: error.message,
    };
  }
  return stepFailure(error, signal, doing);
}
