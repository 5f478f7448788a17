// Stack parameters: checks given values against the template's declarations (type, allowed values,
// pattern, lengths, ranges), applies defaults and UsePreviousValue, and yields `Ref` values.
import type { StackParameter } from '../cfn-state.js';
import { validationError } from '../cfn-errors.js';
import type { ParameterDeclaration, Template } from './template-types.js';

/** A parameter as a call gives it. */
export interface GivenParameter {
  key: string;
  value?: string;
  usePreviousValue: boolean;
}

function isList(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

/** The items of a list parameter (CloudFormation trims the spaces around commas). */
export function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',').map((item) => item.trim());
}

function check(key: string, decl: ParameterDeclaration, value: string): void {
  const fail = (message: string): never => {
    throw validationError(
      decl.ConstraintDescription !== undefined
        ? `Parameter '${key}' ${decl.ConstraintDescription}`
        : message,
    );
  };
  const items = isList(decl.Type) ? splitList(value) : [value];
  const numeric = decl.Type === 'Number' || decl.Type === 'List<Number>';
  for (const item of items) {
    if (numeric && (item.trim() === '' || !Number.isFinite(Number(item)))) {
      fail(`Parameter '${key}' must be a number.`);
    }
    if (decl.AllowedValues !== undefined && !decl.AllowedValues.includes(item)) {
      fail(`Parameter '${key}' must be one of AllowedValues`);
    }
    if (numeric && decl.MinValue !== undefined && Number(item) < decl.MinValue) {
      fail(`Parameter '${key}' must be a number not less than ${decl.MinValue}`);
    }
    if (numeric && decl.MaxValue !== undefined && Number(item) > decl.MaxValue) {
      fail(`Parameter '${key}' must be a number not greater than ${decl.MaxValue}`);
    }
  }
  if (decl.AllowedPattern !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${decl.AllowedPattern})$`, 'u');
    } catch {
      throw validationError(`Parameter '${key}' has an invalid AllowedPattern`);
    }
    for (const item of items) {
      if (!pattern.test(item)) fail(`Parameter '${key}' must match pattern ${decl.AllowedPattern}`);
    }
  }
  if (decl.MinLength !== undefined && value.length < decl.MinLength) {
    fail(`Parameter '${key}' must contain at least ${decl.MinLength} characters`);
  }
  if (decl.MaxLength !== undefined && value.length > decl.MaxLength) {
    fail(`Parameter '${key}' must contain at most ${decl.MaxLength} characters`);
  }
}

/**
 * The stack's parameters for a create or update: every declared parameter with its value.
 * `previous` holds the stack's current values (for `UsePreviousValue`).
 */
export function resolveParameters(
  template: Template,
  given: readonly GivenParameter[],
  previous: readonly StackParameter[] = [],
): StackParameter[] {
  const unknown = given.filter((param) => !Object.hasOwn(template.Parameters, param.key));
  if (unknown.length > 0) {
    throw validationError(
      `Parameters: [${unknown.map((param) => param.key).join(', ')}] do not exist in the template`,
    );
  }
  const byKey = new Map(given.map((param) => [param.key, param]));
  const missing: string[] = [];
  const out: StackParameter[] = [];
  for (const [key, decl] of Object.entries(template.Parameters)) {
    const param = byKey.get(key);
    let value: string | undefined;
    if (param?.usePreviousValue === true) {
      if (param.value !== undefined) {
        throw validationError(
          `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true and non empty value for a parameter`,
        );
      }
      value = previous.find((prior) => prior.key === key)?.value;
      if (value === undefined) {
        throw validationError(
          `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      }
    } else {
      value = param?.value ?? decl.Default;
    }
    if (value === undefined) {
      missing.push(key);
      continue;
    }
    check(key, decl, value);
    out.push({ key, value, noEcho: decl.NoEcho });
  }
  if (missing.length > 0) {
    throw validationError(`Parameters: [${missing.join(', ')}] must have values`);
  }
  return out;
}

/** What `Ref` returns for each parameter: strings, or lists for list types. */
export function parameterRefValues(
  template: Template,
  params: readonly StackParameter[],
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const param of params) {
    const decl = template.Parameters[param.key];
    if (!decl) continue;
    out[param.key] = isList(decl.Type) ? splitList(param.value) : param.value;
  }
  return out;
}
