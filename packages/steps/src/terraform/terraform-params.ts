// TERRAFORM:SYNTHESIZE params as the executor uses them: core's catalog schema (defaults applied),
// with every value resolved and the variable names ones Terraform accepts.
import { STEP_TYPES, TERRAFORM_APPROVAL_MODES, isDeferred } from '@rampart/core';
import type { JsonValue } from '@rampart/engine';
import type { z } from 'zod';
import { resolvedText } from '../params/resolve-params.js';

/** When a plan waits for a person before it is applied. */
export type TerraformApprovalMode = (typeof TERRAFORM_APPROVAL_MODES)[number];

/** TERRAFORM:SYNTHESIZE params, resolved. */
export interface TerraformParams {
  /** Folder of the configuration, relative to the repository root. */
  source: string;
  /** Input variables by name, passed in a `-var-file`. @default {} */
  variables: Record<string, JsonValue>;
  /** @default 'NEVER' */
  requires_approval: TerraformApprovalMode;
}

/** Terraform's identifier rule for variable names. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

type Issues = z.core.$RefinementCtx;

/** The schema of TERRAFORM:SYNTHESIZE params: core's, resolved. */
export const terraformParams = STEP_TYPES['RAMPART:TERRAFORM:SYNTHESIZE'].params.transform(
  (raw, ctx): TerraformParams => ({
    source: resolvedText(raw.source, 'source', ctx),
    variables: resolvedVariables(raw.variables, ctx),
    requires_approval: resolvedMode(raw.requires_approval, ctx),
  }),
);

function resolvedMode(value: string, ctx: Issues): TerraformApprovalMode {
  const mode = TERRAFORM_APPROVAL_MODES.find((m) => m === value);
  if (mode !== undefined) return mode;
  ctx.addIssue({
    code: 'custom',
    path: ['requires_approval'],
    message: `expected one of ${TERRAFORM_APPROVAL_MODES.join(', ')}, got the unresolved ${JSON.stringify(value)}`,
  });
  return 'ALWAYS';
}

function resolvedVariables(
  value: Record<string, unknown> | string | undefined,
  ctx: Issues,
): Record<string, JsonValue> {
  if (value === undefined) return {};
  if (typeof value === 'string') {
    ctx.addIssue({
      code: 'custom',
      path: ['variables'],
      message: `expected a map of variables, got the unresolved ${JSON.stringify(value)}`,
    });
    return {};
  }
  const variables: Record<string, JsonValue> = {};
  for (const [name, raw] of Object.entries(value)) {
    if (!VARIABLE_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['variables', name],
        message: `${JSON.stringify(name)} is not a Terraform variable name: use letters, digits, _ and -, starting with a letter or _`,
      });
      continue;
    }
    variables[name] = resolvedJson(raw, ['variables', name], ctx);
  }
  return variables;
}

/** A variable value as JSON, every string in it resolved. */
function resolvedJson(value: unknown, path: PropertyKey[], ctx: Issues): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    ctx.addIssue({ code: 'custom', path, message: 'must be a finite number' });
    return null;
  }
  if (typeof value === 'string') {
    if (isDeferred(value)) resolvedText(value, path, ctx);
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown, i) => resolvedJson(item, [...path, i], ctx));
  }
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = resolvedJson(item, [...path, key], ctx);
    }
    return out;
  }
  ctx.addIssue({ code: 'custom', path, message: `must be JSON data, got ${typeof value}` });
  return null;
}
