// UpdateFunctionCode and UpdateFunctionConfiguration: each starts an update that stays InProgress
// for `lambda.update` of emulated time; a second update meanwhile is a ResourceConflictException.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { readCode } from './code-source.js';
import { checkExecutionRole } from './execution-role.js';
import { functionTarget } from './action-inputs.js';
import { requireFunction } from './function-lookup.js';
import { functionArn, readFunctionName, type FunctionReference } from './function-names.js';
import { readSettings } from './function-settings.js';
import { configurationOf, isPending, isUpdating } from './function-view.js';
import { afterDelay, UPDATE_DELAY } from './lambda-delays.js';
import { pendingFunction, staleRevision, updateInProgress, validation } from './lambda-errors.js';
import { newRevisionId, type FunctionRecord, type VersionRecord } from './lambda-state.js';
import { publishVersion } from './publish.js';

/**
 * Throws what Lambda answers a change to a function that is still being created or updated, or
 * a change naming a stale `RevisionId`.
 */
export function checkChangeable(
  ctx: ActionContext,
  ref: FunctionReference,
  fn: FunctionRecord,
): void {
  const now = ctx.clock.now();
  if (isPending(fn.latest, now)) throw pendingFunction();
  if (isUpdating(fn.latest, now)) {
    throw updateInProgress(functionArn(ref.region, ref.accountId, ref.name));
  }
  const revision = ctx.input.str('RevisionId');
  if (revision !== undefined && revision !== fn.latest.revisionId) throw staleRevision('function');
}

/** Marks `$LATEST` as changed now, with its update in progress until `lambda.update` passes. */
function startUpdate(ctx: ActionContext, latest: VersionRecord, now: Date): void {
  latest.lastModified = now.toISOString();
  latest.revisionId = newRevisionId();
  latest.lastUpdate = {
    startedAt: now.toISOString(),
    completesAt: afterDelay(ctx.runtime, UPDATE_DELAY, now),
  };
}

const updateFunctionCode: ActionDefinition = {
  validate: (ctx) => void readFunctionName(ctx),
  resources: (ctx) => [functionTarget(ctx)],
  handler: async (ctx) => {
    const ref = readFunctionName(ctx);
    const fn = requireFunction(ctx, ref);
    checkChangeable(ctx, ref, fn);
    const code = await readCode(ctx, ctx.input, fn.latest.packageType, ref.accountId);
    const architectures = ctx.input.has('Architectures')
      ? ctx.input.strList('Architectures')
      : fn.latest.settings.architectures;
    if (architectures.length !== 1 || !['x86_64', 'arm64'].includes(architectures[0] ?? '')) {
      throw validation(
        'architectures',
        architectures.join(','),
        'Member must satisfy enum value set: [x86_64, arm64]',
      );
    }
    const now = ctx.clock.now();
    // Checked again: reading code from S3 may have let another update start.
    checkChangeable(ctx, ref, fn);
    const updated: VersionRecord = {
      ...fn.latest,
      code: code.code,
      codeSha256: code.codeSha256,
      codeSize: code.codeSize,
      settings: { ...fn.latest.settings, architectures: [...architectures] },
    };
    startUpdate(ctx, updated, now);
    if (ctx.input.bool('DryRun') === true) return configurationOf(ref, fn, updated, now);
    fn.latest = updated;
    if (ctx.input.bool('Publish') === true) {
      return configurationOf(ref, fn, publishVersion(fn, updated, now, undefined), now);
    }
    return configurationOf(ref, fn, updated, now);
  },
};

const updateFunctionConfiguration: ActionDefinition = {
  validate: (ctx) => void readFunctionName(ctx),
  resources: (ctx) => [functionTarget(ctx)],
  handler: async (ctx) => {
    const ref = readFunctionName(ctx);
    const fn = requireFunction(ctx, ref);
    checkChangeable(ctx, ref, fn);
    const settings = readSettings(ctx.input, fn.latest.settings, fn.latest.packageType);
    if (ctx.input.has('Role')) await checkExecutionRole(ctx, settings.role, ref.accountId);
    checkChangeable(ctx, ref, fn);
    const now = ctx.clock.now();
    fn.latest = { ...fn.latest, settings };
    startUpdate(ctx, fn.latest, now);
    return configurationOf(ref, fn, fn.latest, now);
  },
};

/** The update actions. */
export const updateActions: Record<string, ActionDefinition> = {
  UpdateFunctionCode: updateFunctionCode,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
};
