/** Reads the `type` of a step: built-in, custom, planned or unknown. */
import { STEP_TYPES } from './catalog.js';
import { CUSTOM_STEP_TYPE_PATTERN } from './custom-step.js';
import { editDistance } from './closest-match.js';
import type { StepTypeDefinition } from './step-type-definition.js';
import {
  PLANNED_STEP_TYPE_IDS,
  STEP_TYPE_IDS,
  type PlannedStepTypeId,
  type StepTypeId,
} from './step-type-ids.js';
import { suggestTypeId } from './type-suggestion.js';

export type StepTypeResolution =
  | { kind: 'known'; id: StepTypeId; definition: StepTypeDefinition }
  | { kind: 'custom'; name: string }
  | { kind: 'planned'; id: PlannedStepTypeId }
  | { kind: 'unknown'; suggestion?: string };

const known: ReadonlySet<string> = new Set(STEP_TYPE_IDS);
const planned: ReadonlySet<string> = new Set(PLANNED_STEP_TYPE_IDS);
// Planned ids come last so that a tie goes to a type that runs today.
const bodies = [...STEP_TYPE_IDS, ...PLANNED_STEP_TYPE_IDS].map((id) =>
  id.slice('RAMPART:'.length),
);

/**
 * Resolves a step `type` exactly as written (case-sensitive): `RAMPART:<GROUP>:<NAME>` and
 * `DEVRAMPS:<GROUP>:<NAME>` give the same canonical `RAMPART:` id; `CUSTOM:<NAME>` is a custom
 * step; `EKS:DEPLOY` and `EKS:HELM` are planned. Anything else is unknown, with the nearest
 * built-in id (matched ignoring case, spaces and `-` vs `_`) as a suggestion.
 */
export function canonicalStepType(raw: string): StepTypeResolution {
  // Planning asks for each step's type once per stage; a pipeline uses only a few distinct types.
  const cached = resolutions.get(raw);
  if (cached !== undefined) return cached;
  const resolution = resolveStepType(raw);
  if (resolutions.size >= RESOLUTION_CACHE_LIMIT) resolutions.clear();
  resolutions.set(raw, resolution);
  return resolution;
}

// Bounded so that a long-running server reading many files cannot grow it without end.
const RESOLUTION_CACHE_LIMIT = 1000;
const resolutions = new Map<string, StepTypeResolution>();

function resolveStepType(raw: string): StepTypeResolution {
  const m = /^(?:RAMPART|DEVRAMPS):([A-Z0-9_]+:[A-Z0-9_]+)$/.exec(raw);
  if (m !== null) {
    const id = `RAMPART:${m[1]}`;
    if (isStepTypeId(id)) return { kind: 'known', id, definition: STEP_TYPES[id] };
    if (isPlannedStepTypeId(id)) return { kind: 'planned', id };
  }
  const custom = CUSTOM_STEP_TYPE_PATTERN.exec(raw);
  if (custom?.[1] !== undefined) return { kind: 'custom', name: custom[1] };
  const suggestion = suggestCustom(raw) ?? suggestTypeId(raw, bodies);
  return suggestion === undefined || suggestion === raw
    ? { kind: 'unknown' }
    : { kind: 'unknown', suggestion };
}

function isStepTypeId(id: string): id is StepTypeId {
  return known.has(id);
}

function isPlannedStepTypeId(id: string): id is PlannedStepTypeId {
  return planned.has(id);
}

/** `custom:x`, `Custom:x`, `CUSTM:x` → `CUSTOM:x`, keeping the name as written. */
function suggestCustom(raw: string): string | undefined {
  const trimmed = raw.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) return undefined;
  const head = trimmed.slice(0, colon).toUpperCase();
  const candidate = `CUSTOM:${trimmed.slice(colon + 1).trim()}`;
  return editDistance(head, 'CUSTOM') <= 1 && CUSTOM_STEP_TYPE_PATTERN.test(candidate)
    ? candidate
    : undefined;
}
