/** The statements of the steps a stage runs, from their params as resolved for that stage. */
import type { ResolvedStage } from '../model/resolve-stage.js';
import { canonicalStepType, stepIamStatements } from '../step-types/index.js';
import { withUniqueSids, type IamContext, type IamStatement } from '../step-types/iam-statement.js';

/**
 * Every statement the built-in steps of `resolved` ask for, in step order. Skipped steps are not
 * in `resolved.steps`, so they grant nothing; custom steps, scripts and gates ask for nothing
 * (they get what the other statements and the additional policies grant). A statement equal to an
 * earlier one (two ECS deploys both describing task definitions) is kept once; Sids are made
 * unique by numbering repeats.
 *
 * @throws RampartError `STEP_PARAMS_INVALID` when a step's resolved params no longer match its type.
 */
export function stepStatements(resolved: ResolvedStage, ctx: IamContext): IamStatement[] {
  const statements: IamStatement[] = [];
  // Serializing every statement to compare it was the costly part of a large plan: statements are
  // grouped by a cheap key instead and compared field by field within a group.
  const seen = new Map<string, IamStatement[]>();
  for (const { step, params } of resolved.steps) {
    if (step.type.kind !== 'builtin') continue;
    const type = canonicalStepType(step.rawType);
    if (type.kind !== 'known') continue;
    for (const statement of stepIamStatements(type.id, params, ctx)) {
      const key = bucketKey(statement);
      const group = seen.get(key);
      if (group === undefined) seen.set(key, [statement]);
      else if (group.some((g) => sameGrant(g, statement))) continue;
      else group.push(statement);
      statements.push(statement);
    }
  }
  return withUniqueSids(statements);
}

/** Equal for statements with equal grants (and for some that differ). */
function bucketKey(statement: IamStatement): string {
  const { Action: actions, Resource: resource } = statement;
  const first =
    typeof resource === 'string' ? `s${resource}` : `a${resource.length}:${resource[0]}`;
  return `${actions.length}:${actions[0]}\u0000${first}`;
}

/**
 * Whether two statements grant the same, i.e. their JSON without `Sid` is equal: the same fields
 * in the same order, with equal values.
 */
function sameGrant(a: IamStatement, b: IamStatement): boolean {
  const fieldsA = grantFields(a);
  const fieldsB = grantFields(b);
  if (fieldsA.length !== fieldsB.length) return false;
  return fieldsA.every((k, i) => k === fieldsB[i] && sameJson(a[k], b[k]));
}

/** The fields JSON would write, but `Sid`. */
function grantFields(s: IamStatement): (keyof IamStatement)[] {
  return (Object.keys(s) as (keyof IamStatement)[]).filter(
    (k) => k !== 'Sid' && s[k] !== undefined,
  );
}

/** `JSON.stringify(x) === JSON.stringify(y)` for JSON data, without building the strings. */
function sameJson(x: unknown, y: unknown): boolean {
  if (typeof x === 'string' || typeof y === 'string') return x === y;
  if (Array.isArray(x) || Array.isArray(y)) {
    return (
      Array.isArray(x) &&
      Array.isArray(y) &&
      x.length === y.length &&
      x.every((v: unknown, i) => sameJson(v, y[i]))
    );
  }
  if (isPlainRecord(x) && isPlainRecord(y)) {
    const keysX = Object.keys(x).filter((k) => x[k] !== undefined);
    const keysY = Object.keys(y).filter((k) => y[k] !== undefined);
    return (
      keysX.length === keysY.length && keysX.every((k, i) => k === keysY[i] && sameJson(x[k], y[k]))
    );
  }
  return JSON.stringify(x) === JSON.stringify(y);
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !('toJSON' in v);
}
