/**
 * `DOCKER:IMPORT`: waits up to `timeout_minutes` for `source_image_url` to exist, then mirrors it
 * (every platform of an index, byte for byte) into the destination repository tagged
 * `<revision>-<short sha>`. ECR sources are read with an ECR login of the build's credentials,
 * other registries anonymously.
 */
import { isRampartError } from '@rampart/core';
import type { BuildResult } from '@rampart/engine';
import { formatImageReference, parseImageReference } from '../oci/image-reference.js';
import { mirrorImage } from '../oci/mirror-image.js';
import { imageFields } from './artifact-fields.js';
import { artifactTag } from './artifact-names.js';
import type { BuildContext } from './build-context.js';
import { credentialsFor, imageDestination, registryClient } from './registry-access.js';
import { waitForSource } from './wait-for-source.js';

/** Imports the request's image; see the module comment. */
export async function dockerImport(context: BuildContext): Promise<BuildResult> {
  const { request, params, log } = context;
  const sourceUrl = params.text('source_image_url');
  const timeoutMinutes = params.optionalPositive('timeout_minutes');
  let source;
  try {
    source = parseImageReference(sourceUrl);
  } catch (error) {
    throw params.invalid(
      `"source_image_url" (${sourceUrl}) is not an image reference: ${isRampartError(error) ? error.message : String(error)}`,
    );
  }
  // Without a tag or digest a reference means `latest`, as docker pull reads it.
  if (source.tag === undefined && source.digest === undefined)
    source = { ...source, tag: 'latest' };
  const reference = source.digest ?? source.tag ?? 'latest';
  const shown = formatImageReference(source);
  const destination = await imageDestination(context);
  const sourceAuth = await credentialsFor(context, destination, source.registry);

  const client = registryClient(context, destination, source.registry, sourceAuth);
  let digest: string | undefined;
  try {
    digest = await waitForSource(context, shown, timeoutMinutes, async () => {
      const head = await client.headManifest(source.repository, reference);
      return head === undefined ? undefined : (head.digest ?? reference);
    });
  } catch (error) {
    if (request.signal.aborted) throw context.cancelled();
    throw error;
  } finally {
    await client.close();
  }
  if (digest === undefined) {
    throw context.log.failure(
      'ARTIFACT_IMPORT_TIMEOUT',
      `artifact "${request.artifact.name}": ${shown} does not exist${timeoutMinutes === undefined ? '' : ` after waiting ${timeoutMinutes} min`}`,
      {
        source: 'user',
        hint: 'Check source_image_url and that whatever publishes it ran; set or raise timeout_minutes to wait for it.',
      },
    );
  }

  const tag = artifactTag(request);
  const target = `${destination.registry}/${destination.repository}:${tag}`;
  log.write(`copying ${shown} to ${target}`);
  try {
    const result = await mirrorImage({
      // Pinned to the digest seen, so a tag moved meanwhile cannot slip in another image.
      source: digest.startsWith('sha256:') ? { ...source, digest } : source,
      destination: target,
      ...(sourceAuth === undefined ? {} : { sourceAuth }),
      destinationAuth: destination.login.credentials,
      insecure: destination.login.insecure,
      signal: request.signal,
    });
    log.write(
      result.skipped
        ? `${target} already holds ${result.digest}`
        : `copied ${result.digest}: ${result.blobsCopied} blobs copied, ${result.blobsSkipped + result.blobsMounted} already there`,
    );
    return {
      fields: imageFields(destination.registry, destination.repository, tag, result.digest),
    };
  } catch (error) {
    if (request.signal.aborted) throw context.cancelled();
    throw error;
  }
}
