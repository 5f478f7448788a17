/**
 * Secret markers in an artifact's params (`[SECRET:X]`, `[STAGE_SECRET:X]`): replaced by their
 * values through the `resolveSecrets` option, or refused when the control plane has none.
 */
import { RampartError } from '@rampart/core';
import type { BuildRequest, JsonObject, JsonValue } from '@rampart/engine';
import type { ArtifactBuilderOptions } from './artifact-builder-options.js';

const MARKER = /\[(?:STAGE_)?SECRET:[^\]\s]+\]/g;

function collect(value: JsonValue, into: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(MARKER)) into.add(match[0]);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collect(item, into);
  }
}

function substitute(value: JsonValue, values: Readonly<Record<string, string>>): JsonValue {
  if (typeof value === 'string') return value.replace(MARKER, (marker) => values[marker] ?? marker);
  if (Array.isArray(value)) return value.map((item) => substitute(item, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, values)]),
    );
  }
  return value;
}

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
  const markers = new Set<string>();
  collect(artifact.params, markers);
  if (markers.size === 0) return { params: artifact.params, secretValues: [] };
  const list = [...markers].sort();
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
    params: substitute(artifact.params, values) as JsonObject,
    secretValues: list.map((marker) => values[marker] ?? ''),
  };
}
