// CloudFormation's AWS::ECS::* properties are the API's members in PascalCase; the API takes
// camelCase. Free-form maps (log options, Docker labels) keep their keys as written.
import type { InputValue } from '../../framework/input.js';

/** Properties whose values are maps with user-chosen keys. */
const FREE_FORM = new Set(['Options', 'DockerLabels', 'DriverOpts', 'Labels']);

/** Where CloudFormation's name differs from the API's beyond the first letter. */
const RENAMED: Record<string, string> = {
  PlacementStrategies: 'placementStrategy',
  ClusterSettings: 'settings',
};

/** A CloudFormation property value as the ECS API's input. */
export function apiValue(value: unknown): InputValue {
  if (Array.isArray(value)) return value.map(apiValue);
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') {
    const out: Record<string, InputValue> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const name = RENAMED[key] ?? `${key.charAt(0).toLowerCase()}${key.slice(1)}`;
      out[name] = FREE_FORM.has(key) ? freeForm(item) : apiValue(item);
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return JSON.stringify(value) ?? null;
}

function freeForm(value: unknown): InputValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return apiValue(value);
  const out: Record<string, InputValue> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = typeof item === 'string' ? item : apiValue(item);
  }
  return out;
}

/** The API input of a resource's properties, without `omit` (handled by the provider). */
export function apiInput(
  props: Record<string, unknown>,
  omit: readonly string[] = [],
): Record<string, InputValue> {
  const kept = Object.fromEntries(Object.entries(props).filter(([key]) => !omit.includes(key)));
  const value = apiValue(kept);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
