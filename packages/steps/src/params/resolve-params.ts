// Core's step catalog describes params as written in the pipeline file, where any value may still
// be an expression. By the time a step runs the engine has resolved them; these checks turn the
// catalog's shape into the plain values an executor uses, and refuse anything left unresolved.
import { isDeferred } from '@rampart/core';
import type { z } from 'zod';

/** Names a run's environment always sets from the stage and the deployment. */
const RESERVED_ENV = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|RAMPART_.*)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Issues = z.core.$RefinementCtx;

/** A string param, refused when it still holds an expression or marker. */
export function resolvedText(value: string, path: string | PropertyKey[], ctx: Issues): string {
  if (isDeferred(value)) {
    ctx.addIssue({
      code: 'custom',
      path: typeof path === 'string' ? [path] : path,
      message: `still holds an unresolved expression or marker (${JSON.stringify(cut(value))}); it must be resolved before the step runs`,
    });
  }
  return value;
}

/** A number param that may have been written as an expression. */
export function resolvedNumber(value: number | string, path: string, ctx: Issues): number {
  if (typeof value === 'number') return value;
  ctx.addIssue({
    code: 'custom',
    path: [path],
    message: `expected a number, got the unresolved ${JSON.stringify(cut(value))}`,
  });
  return Number.NaN;
}

/** A true/false param that may have been written as an expression. */
export function resolvedFlag(value: boolean | string, path: string, ctx: Issues): boolean {
  if (typeof value === 'boolean') return value;
  ctx.addIssue({
    code: 'custom',
    path: [path],
    message: `expected true or false, got the unresolved ${JSON.stringify(cut(value))}`,
  });
  return false;
}

/**
 * An `env` map as variables: values are strings, numbers or true/false (written as text); names
 * are shell variable names and may not replace the stage credentials or the `RAMPART_*` contract.
 */
export function resolvedEnv(
  value: Record<string, unknown> | string | undefined,
  ctx: Issues,
): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value === 'string') {
    ctx.addIssue({
      code: 'custom',
      path: ['env'],
      message: `expected a map of variables, got the unresolved ${JSON.stringify(cut(value))}`,
    });
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value)) {
    const path = ['env', name];
    if (!ENV_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `${JSON.stringify(name)} is not a variable name: use letters, digits and _, not starting with a digit`,
      });
      continue;
    }
    if (RESERVED_ENV.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `${name} is set by Rampart for every run (stage credentials, RAMPART_* variables); remove it from env`,
      });
      continue;
    }
    if (typeof raw === 'string') {
      env[name] = resolvedText(raw, path, ctx);
    } else if (typeof raw === 'number' || typeof raw === 'boolean') {
      env[name] = String(raw);
    } else {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `must be a string, a number or true/false, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`,
      });
    }
  }
  return env;
}

function cut(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
