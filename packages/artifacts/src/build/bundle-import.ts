/**
 * `BUNDLE:IMPORT`: waits up to `timeout_minutes` for `source_s3_url` (in `source_account`'s bucket,
 * `source_region`) to exist, then copies it into the destination bucket under
 * `<revision>-<short sha>.zip` with mirrorBundle: server-side within one region, streamed and
 * verified across regions, skipped when the destination already records the same SHA-256.
 */
import type { BuildResult } from '@rampart/engine';
import { mirrorBundle } from '../s3/mirror-bundle.js';
import { bundleFields } from './artifact-fields.js';
import { bundleKey } from './artifact-names.js';
import type { BuildContext } from './build-context.js';
import { bundleBucket } from './bundle-build.js';
import { storedBundle } from './bundle-store.js';
import { waitForSource } from './wait-for-source.js';

/** Imports the request's bundle; see the module comment. */
export async function bundleImport(context: BuildContext): Promise<BuildResult> {
  const { request, params, log } = context;
  const url = params.text('source_s3_url');
  const sourceAccount = params.optionalText('source_account');
  const sourceRegion = params.optionalText('source_region') ?? context.destination.region;
  const timeoutMinutes = params.optionalPositive('timeout_minutes');
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (match === null) throw params.invalid(`"source_s3_url" (${url}) is not s3://bucket/key`);
  const source = { bucket: match[1] ?? '', key: match[2] ?? '' };
  const destination = { bucket: bundleBucket(context), key: bundleKey(request) };

  const destinationClient = context.s3();
  // One client for both sides within a region, so mirrorBundle copies server-side.
  const sourceClient =
    sourceRegion === context.destination.region ? destinationClient : context.s3(sourceRegion);
  const found = await waitForSource(context, url, timeoutMinutes, () =>
    storedBundle(context, sourceClient, source.bucket, source.key, sourceAccount),
  );
  if (found === undefined) {
    throw context.log.failure(
      'ARTIFACT_IMPORT_TIMEOUT',
      `artifact "${request.artifact.name}": ${url} does not exist${timeoutMinutes === undefined ? '' : ` after waiting ${timeoutMinutes} min`} (or the build role may not read it)`,
      {
        source: 'user',
        hint: 'Check source_s3_url and source_account, that the bucket policy lets the CI/CD account read it (s3:GetObject, and s3:ListBucket so a missing key is a 404), and set or raise timeout_minutes to wait for it.',
      },
    );
  }
  log.write(`copying ${url} to s3://${destination.bucket}/${destination.key}`);
  try {
    const result = await mirrorBundle({
      source,
      destination,
      sourceClient,
      destinationClient,
      signal: request.signal,
    });
    log.write(
      result.skipped
        ? `s3://${destination.bucket}/${destination.key} already holds sha256 ${result.sha256}`
        : `copied ${result.bytesCopied} bytes (${result.method}), sha256 ${result.sha256}`,
    );
    return { fields: bundleFields(destination.bucket, destination.key, result.sha256) };
  } catch (error) {
    if (request.signal.aborted) throw context.cancelled();
    throw error;
  }
}
