// PublishVersion and ListVersionsByFunction.
import { paginate } from '../../framework/pagination.js';
import type { ActionDefinition } from '../../framework/service.js';
import { functionTarget, invalidMarker, readMaxItems } from './action-inputs.js';
import { requireFunction } from './function-lookup.js';
import { readFunctionName } from './function-names.js';
import { configurationOf } from './function-view.js';
import { invalidParameter } from './lambda-errors.js';
import { publishVersion, unchangedVersion } from './publish.js';
import { checkChangeable } from './update-actions.js';

const publish: ActionDefinition = {
  validate: (ctx) => void readFunctionName(ctx),
  resources: (ctx) => [functionTarget(ctx)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx);
    const fn = requireFunction(ctx, ref);
    checkChangeable(ctx, ref, fn);
    const expected = ctx.input.str('CodeSha256');
    if (expected !== undefined && expected !== fn.latest.codeSha256) {
      throw invalidParameter(
        `CodeSHA256 (${expected}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    const now = ctx.clock.now();
    const version =
      unchangedVersion(fn) ?? publishVersion(fn, fn.latest, now, ctx.input.str('Description'));
    return configurationOf(ref, fn, version, now);
  },
};

const listVersions: ActionDefinition = {
  validate: (ctx) => void readFunctionName(ctx),
  resources: (ctx) => [functionTarget(ctx)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx);
    const fn = requireFunction(ctx, ref);
    const now = ctx.clock.now();
    const all = [fn.latest, ...fn.versions].map((version) =>
      configurationOf(ref, fn, version, now, { qualifier: version.version }),
    );
    const { page, nextToken } = paginate(
      all,
      ctx.input.str('Marker'),
      readMaxItems(ctx),
      invalidMarker,
    );
    return { Versions: page, ...(nextToken !== undefined ? { NextMarker: nextToken } : {}) };
  },
};

/** The version actions. */
export const versionActions: Record<string, ActionDefinition> = {
  PublishVersion: publish,
  ListVersionsByFunction: listVersions,
};
