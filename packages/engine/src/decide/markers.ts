/**
 * Fills the stage-time markers of step params: `[OUTPUT:<step>/<field>]` from the outputs of the
 * stage's finished steps, `[ARTIFACT:<id>/<field>]` from the stage's copies and
 * `[PRE_MIRROR_ARTIFACT:<id>/<field>]` from the CI/CD copies the build phase made. Other markers
 * (secrets) stay: the runtime resolves them just before the step runs and never stores them.
 */
import type { JsonValue } from '../ports/engine-store.js';
import type { JsonObject } from '../model/deployment-plan.js';

/** Looks a marker's value up; `undefined` keeps the marker. */
export type MarkerKind = 'OUTPUT' | 'ARTIFACT' | 'PRE_MIRROR_ARTIFACT';

export type MarkerLookup = (kind: MarkerKind, name: string, field: string) => JsonValue | undefined;

const MARKER = /\[(OUTPUT|ARTIFACT|PRE_MIRROR_ARTIFACT):([^\]/]+)\/([^\]]+)\]/g;
const WHOLE = /^\[(OUTPUT|ARTIFACT|PRE_MIRROR_ARTIFACT):([^\]/]+)\/([^\]]+)\]$/;

export function fillMarkers(params: JsonObject, lookup: MarkerLookup): JsonObject {
  return fill(params, lookup) as JsonObject;
}

function fill(value: JsonValue, lookup: MarkerLookup): JsonValue {
  if (typeof value === 'string') return fillString(value, lookup);
  if (Array.isArray(value)) return value.map((v) => fill(v, lookup));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = fill(v, lookup);
    return out;
  }
  return value;
}

function fillString(text: string, lookup: MarkerLookup): JsonValue {
  // A value that is exactly one marker keeps the type of what it stands for.
  const whole = WHOLE.exec(text);
  if (whole !== null) {
    const found = lookup(whole[1] as MarkerKind, whole[2] ?? '', whole[3] ?? '');
    return found === undefined ? text : found;
  }
  return text.replace(MARKER, (marker, kind: string, name: string, field: string) => {
    const found = lookup(kind as MarkerKind, name, field);
    if (found === undefined) return marker;
    return typeof found === 'string' ? found : JSON.stringify(found);
  });
}
