// Typed reads of resolved resource properties, failing like CloudFormation's schema validation.
import type { CfnTag } from '../cfn-state.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import type { ResourceProperties } from './resource-provider.js';

/** A scalar as text (numbers and booleans convert; anything else becomes JSON). */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** An optional string property (numbers and booleans convert, as CloudFormation does). */
export function optString(props: ResourceProperties, name: string): string | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new PropertiesValidationError(
    `#/${name}: expected type: String, found: ${jsonType(value)}`,
  );
}

/** A required string property. */
export function reqString(props: ResourceProperties, name: string): string {
  const value = optString(props, name);
  if (value === undefined) {
    throw new PropertiesValidationError(`#: required key [${name}] not found`);
  }
  return value;
}

/** An optional integer property. */
export function optInteger(props: ResourceProperties, name: string): number | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  const num = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(num)) {
    throw new PropertiesValidationError(
      `#/${name}: expected type: Integer, found: ${jsonType(value)}`,
    );
  }
  return num;
}

/** An optional boolean property (`"true"`/`"false"` accepted). */
export function optBoolean(props: ResourceProperties, name: string): boolean | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new PropertiesValidationError(
    `#/${name}: expected type: Boolean, found: ${jsonType(value)}`,
  );
}

/** A list of strings (absent → []). */
export function stringList(props: ResourceProperties, name: string): string[] {
  const value = props[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new PropertiesValidationError(
      `#/${name}: expected type: JSONArray, found: ${jsonType(value)}`,
    );
  }
  return value.map((item: unknown, index) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number') return String(item);
    throw new PropertiesValidationError(
      `#/${name}/${index}: expected type: String, found: ${jsonType(item)}`,
    );
  });
}

/** An optional nested object. */
export function optObject(props: ResourceProperties, name: string): ResourceProperties | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PropertiesValidationError(
      `#/${name}: expected type: JSONObject, found: ${jsonType(value)}`,
    );
  }
  return value as ResourceProperties;
}

/** A policy document property as JSON text (templates give objects or strings). */
export function policyText(props: ResourceProperties, name: string): string | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  throw new PropertiesValidationError(
    `#/${name}: expected type: JSONObject, found: ${jsonType(value)}`,
  );
}

/** A required policy document property as JSON text. */
export function reqPolicyText(props: ResourceProperties, name: string): string {
  const text = policyText(props, name);
  if (text === undefined)
    throw new PropertiesValidationError(`#: required key [${name}] not found`);
  return text;
}

/** Whether two property values are the same (deep, JSON semantics). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A string field of an action's output, following `path`. */
export function outputString(output: unknown, ...path: string[]): string | undefined {
  let node: unknown = output;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' ? node : undefined;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'JSONArray';
  if (value === null) return 'Null';
  if (typeof value === 'object') return 'JSONObject';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Number';
  if (typeof value === 'boolean') return 'Boolean';
  return 'String';
}

/** `[{ Key, Value }]` tags of a resource's properties. */
export function tagsOf(props: ResourceProperties, name = 'Tags'): CfnTag[] {
  const value = props[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new PropertiesValidationError(`#/${name}: expected type: JSONArray`);
  }
  return value.map((tag: unknown, index) => {
    const key = (tag as { Key?: unknown } | null)?.Key;
    const val = (tag as { Value?: unknown } | null)?.Value;
    if (typeof key !== 'string') {
      throw new PropertiesValidationError(`#/${name}/${index}: required key [Key] not found`);
    }
    return { Key: key, Value: val === undefined || val === null ? '' : scalarText(val) };
  });
}
