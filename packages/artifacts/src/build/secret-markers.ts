/**
 * Secret markers in an artifact's params (`[SECRET:X]`, `[STAGE_SECRET:X]`): replaced by their
 * values through the `resolveSecrets` option, or refused when the control plane has none.
 */
import { RampartError } from '@rampart/core';
import {
  secretReferences,
  substituteSecrets,
  type BuildRequest,
  type JsonObject,
} from '@rampart/engine';
import type { ArtifactBuilderOptions } from './artifact-builder-options.js';

/** The params with their markers resolved, and the secret values (to hide from the log). */
export interface ResolvedParams {
  params: JsonObject;
  secretValues: string[];
}

/** Resolves the secret markers of the request's params; see the module comment. */
export async function resolveSecretMarkers(
  request: BuildRequest,
  resolveSecrets: ArtifactBuilderOptions['resolveSecrets'],
): Promise<ResolvedParams> {
  const { artifact } = request;
  const list = secretReferences(artifact.params)
    .map((reference) => reference.marker)
    .sort();
  if (list.length === 0) return { params: artifact.params, secretValues: [] };
  if (resolveSecrets === undefined) {
    throw new RampartError(
      'ARTIFACT_SECRETS_UNSUPPORTED',
      `artifact "${artifact.name}" (${artifact.type}) uses ${list.join(', ')} in its params, and this control plane does not resolve secrets in builds`,
      {
        source: 'user',
        hint: 'Remove the secret from the artifact params, or run a control plane with secrets configured.',
      },
    );
  }
  const values = await resolveSecrets(list, request);
  const missing = list.filter((marker) => values[marker] === undefined);
  if (missing.length > 0) {
    throw new RampartError(
      'ARTIFACT_SECRETS_UNSUPPORTED',
      `artifact "${artifact.name}" (${artifact.type}) uses ${missing.join(', ')}, which do not exist`,
      { source: 'user', hint: 'Create the secrets (`rampart secrets set`), then deploy again.' },
    );
  }
  return {
    params: substituteSecrets(artifact.params, new Map(Object.entries(values))),
    secretValues: list.map((marker) => values[marker] ?? ''),
  };
}
