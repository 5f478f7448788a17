/**
 * Whether an image is still in its registry: a manifest HEAD. Used for the tag a build stores
 * (a re-run keeps what an earlier attempt pushed) and for a previous build's copy (reused only
 * while it exists).
 */
import { isRampartError } from '@rampart/core';
import { parseImageReference } from '../oci/image-reference.js';
import type { BuildContext } from './build-context.js';
import { credentialsFor, registryClient, type ImageDestination } from './registry-access.js';

/** The digest the repository holds under `reference` (a tag or digest), or undefined. */
export async function storedDigest(
  context: BuildContext,
  destination: ImageDestination,
  reference: string,
): Promise<string | undefined> {
  const client = registryClient(
    context,
    destination,
    destination.registry,
    destination.login.credentials,
  );
  try {
    return (await client.headManifest(destination.repository, reference))?.digest;
  } finally {
    await client.close();
  }
}

/** Whether the image a previous build returned (its `image_url`) is still stored. */
export async function previousImageStored(
  context: BuildContext,
  destination: ImageDestination,
  fields: Readonly<Record<string, string>>,
): Promise<boolean> {
  const url = fields.image_url;
  if (url === undefined) return false;
  try {
    const image = parseImageReference(url);
    const reference = image.digest ?? image.tag ?? 'latest';
    const credentials = await credentialsFor(context, destination, image.registry);
    const client = registryClient(context, destination, image.registry, credentials);
    try {
      return (await client.headManifest(image.repository, reference)) !== undefined;
    } finally {
      await client.close();
    }
  } catch (error) {
    if (context.request.signal.aborted) throw context.cancelled();
    context.log.write(
      `cannot check the earlier image ${url}: ${isRampartError(error) ? error.message : String(error)}`,
    );
    return false;
  }
}
