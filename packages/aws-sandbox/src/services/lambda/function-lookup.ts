// Finding functions, versions and aliases in the state an ARN or name points to.
import type { ActionContext } from '../../framework/service.js';
import { functionArn, qualifiedArn, type FunctionReference } from './function-names.js';
import { functionNotFound } from './lambda-errors.js';
import {
  emptyLambdaState,
  type AliasRecord,
  type FunctionRecord,
  type LambdaState,
  type VersionRecord,
} from './lambda-state.js';
import { ownValue } from '../../state/own-record.js';

/** The service name, which is also its state key. */
export const LAMBDA_SERVICE = 'lambda';

/** Lambda's state in an account and region (undefined for an unknown account). */
export function lambdaState(
  ctx: ActionContext,
  accountId: string,
  region: string,
): LambdaState | undefined {
  if (!Object.hasOwn(ctx.world.accounts, accountId)) return undefined;
  return ctx.state(emptyLambdaState, { accountId, region });
}

/** The function a reference names, if it exists. */
export function findFunction(
  ctx: ActionContext,
  ref: FunctionReference,
): FunctionRecord | undefined {
  // A function ARN of another region names a function this regional endpoint does not serve.
  if (ref.region !== ctx.region) return undefined;
  const state = lambdaState(ctx, ref.accountId, ref.region);
  return state ? ownValue(state.functions, ref.name) : undefined;
}

/** The function a reference names; `ResourceNotFoundException` with its unqualified ARN. */
export function requireFunction(ctx: ActionContext, ref: FunctionReference): FunctionRecord {
  const fn = findFunction(ctx, ref);
  if (!fn) throw functionNotFound(functionArn(ref.region, ref.accountId, ref.name));
  return fn;
}

/** What a qualifier resolves to. */
export interface ResolvedQualifier {
  version: VersionRecord;
  alias?: AliasRecord;
}

/** A published version by number. */
export function findVersion(fn: FunctionRecord, version: string): VersionRecord | undefined {
  if (version === '$LATEST') return fn.latest;
  return fn.versions.find((candidate) => candidate.version === version);
}

/**
 * The version a qualifier names (`$LATEST` when absent; a number; an alias, through its primary
 * version). `ResourceNotFoundException` with the qualified ARN when it names nothing.
 */
export function resolveQualifier(
  ref: FunctionReference,
  fn: FunctionRecord,
  qualifier: string | undefined,
): ResolvedQualifier {
  if (qualifier === undefined || qualifier === '$LATEST') return { version: fn.latest };
  const missing = () =>
    functionNotFound(qualifiedArn(ref.region, ref.accountId, ref.name, qualifier));
  if (/^[0-9]+$/.test(qualifier)) {
    const version = findVersion(fn, qualifier);
    if (!version) throw missing();
    return { version };
  }
  const alias = ownValue(fn.aliases, qualifier);
  if (!alias) throw missing();
  const version = findVersion(fn, alias.functionVersion);
  if (!version) throw missing();
  return { version, alias };
}
