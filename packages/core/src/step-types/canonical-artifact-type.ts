/** Reads the `type` of an artifact; the `RAMPART:` / `DEVRAMPS:` prefix is optional. */
import {
  ARTIFACT_TYPES,
  ARTIFACT_TYPE_IDS,
  type ArtifactTypeDefinition,
  type ArtifactTypeId,
} from './artifact-types.js';
import { suggestTypeId } from './type-suggestion.js';

export type ArtifactTypeResolution =
  | { kind: 'known'; id: ArtifactTypeId; definition: ArtifactTypeDefinition }
  | { kind: 'unknown'; suggestion?: string };

const known: ReadonlySet<string> = new Set(ARTIFACT_TYPE_IDS);
const bodies = ARTIFACT_TYPE_IDS.map((id) => id.slice('RAMPART:'.length));

/**
 * `DOCKER:BUILD` (as FORMAT.md's table writes it), `RAMPART:DOCKER:BUILD` and
 * `DEVRAMPS:DOCKER:BUILD` (as DevRamps files write it) all give `RAMPART:DOCKER:BUILD`.
 * Case-sensitive; an unknown type gets the nearest id as a suggestion, in the form the user wrote
 * (unprefixed when they wrote no prefix).
 */
export function canonicalArtifactType(raw: string): ArtifactTypeResolution {
  const m = /^(?:(?:RAMPART|DEVRAMPS):)?([A-Z0-9_]+:[A-Z0-9_]+)$/.exec(raw);
  const id = m === null ? undefined : `RAMPART:${m[1]}`;
  if (id !== undefined && isArtifactTypeId(id)) {
    return { kind: 'known', id, definition: ARTIFACT_TYPES[id] };
  }
  const prefixed = suggestTypeId(raw, bodies);
  if (prefixed === undefined) return { kind: 'unknown' };
  const written = raw.trim().split(':').length >= 3;
  const suggestion = written ? prefixed : prefixed.slice(prefixed.indexOf(':') + 1);
  return suggestion === raw ? { kind: 'unknown' } : { kind: 'unknown', suggestion };
}

function isArtifactTypeId(id: string): id is ArtifactTypeId {
  return known.has(id);
}
