/**
 * `BUNDLE:BUILD`: runs `build_commands` with bash from the repository root (each command with
 * `-e -o pipefail`, stopping at the first that fails), checks that `file_path` is a zip, and
 * uploads it to the destination bucket under `<revision>-<short sha>.zip` with its SHA-256.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { BuildResult } from '@rampart/engine';
import { RampartError } from '@rampart/core';
import { bundleFields } from './artifact-fields.js';
import { bundleKey } from './artifact-names.js';
import { defaultBaseEnv, type BuildContext } from './build-context.js';
import { previousBundleStored, storedBundle, uploadBundle } from './bundle-store.js';
import { reusablePreviousBuild } from './rebuild-check.js';

/** The first bytes of a zip: a local file header, or the end record of an empty archive. */
const ZIP_SIGNATURES = [
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.from([0x50, 0x4b, 0x05, 0x06]),
];

/** The destination bucket, which the plan always sets for bundles. */
export function bundleBucket(context: BuildContext): string {
  const { bucket } = context.destination;
  if (bucket === undefined || bucket === '') {
    const { name, type } = context.request.artifact;
    throw new RampartError(
      'ARTIFACT_PARAMS_INVALID',
      `artifact "${name}" (${type}) has no destination bucket`,
      { source: 'system', hint: 'This is a planner bug: report it with the pipeline file.' },
    );
  }
  return bucket;
}

/** The SHA-256 of a file in hex, streamed. */
async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Throws unless `file` is a regular file that starts like a zip. */
async function checkZip(context: BuildContext, file: string, shown: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw context.log.failure(
      'ARTIFACT_BUNDLE_MISSING',
      `artifact "${context.request.artifact.name}": the build commands succeeded but ${shown} ${info === undefined ? 'does not exist' : 'is not a file'}`,
      {
        source: 'user',
        hint: 'Make build_commands write the zip at file_path (relative to the repository root), or correct file_path.',
      },
    );
  }
  const handle = await open(file, 'r');
  const head = Buffer.alloc(4);
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (!ZIP_SIGNATURES.some((signature) => signature.equals(head))) {
    throw context.log.failure(
      'ARTIFACT_BUNDLE_NOT_ZIP',
      `artifact "${context.request.artifact.name}": ${shown} is not a zip archive (it starts with ${head.subarray(0, info.size).toString('hex') || 'nothing'}, not 504b0304)`,
      { source: 'user', hint: 'Produce a zip (`zip -r bundle.zip …`) at file_path.' },
    );
  }
}

/** Builds (or reuses) the request's bundle; see the module comment. */
export async function bundleBuild(context: BuildContext): Promise<BuildResult> {
  const { request, params, log } = context;
  const commands = params.textList('build_commands');
  const filePath = params.text('file_path');
  const env = params.env();
  const bucket = bundleBucket(context);

  const reused = await reusablePreviousBuild(context, (fields) =>
    previousBundleStored(context, fields),
  );
  if (reused !== undefined) return reused;

  const key = bundleKey(request);
  const existing = await storedBundle(context, context.s3(), bucket, key);
  if (existing?.sha256 !== undefined) {
    log.write(
      `s3://${bucket}/${key} is already stored (an earlier attempt of this build uploaded it): keeping it`,
    );
    return { fields: bundleFields(bucket, key, existing.sha256) };
  }

  const workspace = await context.workspace();
  const file = params.pathIn(workspace, 'file_path', filePath);
  const commandEnv = {
    ...(context.options.baseEnv ?? defaultBaseEnv()),
    ...env,
    RAMPART_DEPLOYMENT_ID: request.deploymentId,
    RAMPART_REVISION: String(request.revision),
    RAMPART_COMMIT: request.commitSha,
    RAMPART_PIPELINE: request.pipelineSlug,
    RAMPART_ARTIFACT: request.artifact.id,
    ...(request.stage === undefined ? {} : { RAMPART_STAGE: request.stage.stage }),
  };
  for (const [index, command] of commands.entries()) {
    log.write(`$ ${command}`);
    await context.run({
      command: 'bash',
      args: ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', command],
      cwd: workspace,
      env: commandEnv,
      what:
        commands.length === 1
          ? 'the build command'
          : `build command ${index + 1} of ${commands.length}`,
      quiet: true,
    });
  }
  await checkZip(context, file, `file_path "${filePath}"`);
  const sha256 = await sha256Of(file);
  const { size } = await stat(file);
  log.write(`uploading ${filePath} (${size} bytes, sha256 ${sha256}) to s3://${bucket}/${key}`);
  context.throwIfCancelled();
  await uploadBundle(context, file, sha256, bucket, key);
  return { fields: bundleFields(bucket, key, sha256) };
}
