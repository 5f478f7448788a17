// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction.
import { paginate } from '../../framework/pagination.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { functionTarget, invalidMarker, readMaxItems } from './action-inputs.js';
import { readCode } from './code-source.js';
import { checkExecutionRole } from './execution-role.js';
import { lambdaState, requireFunction, resolveQualifier } from './function-lookup.js';
import { qualifiedArn, readFunctionName, type FunctionReference } from './function-names.js';
import { readSettings } from './function-settings.js';
import { readTags } from './function-tags.js';
import { configurationOf } from './function-view.js';
import { afterDelay, CREATE_DELAY } from './lambda-delays.js';
import { conflict, functionNotFound, invalidParameter, validation } from './lambda-errors.js';
import { newRevisionId, type FunctionRecord, type VersionRecord } from './lambda-state.js';
import { ownValue, putOwn } from '../../state/own-record.js';
import { publishVersion } from './publish.js';

function packageTypeOf(ctx: ActionContext): 'Zip' | 'Image' {
  const given = ctx.input.str('PackageType') ?? 'Zip';
  if (given !== 'Zip' && given !== 'Image') {
    throw validation('packageType', given, 'Member must satisfy enum value set: [Zip, Image]');
  }
  return given;
}

const createFunction: ActionDefinition = {
  validate: (ctx) => {
    readFunctionName(ctx);
    packageTypeOf(ctx);
    if (!ctx.input.has('Code')) throw validation('code', undefined, 'Member must not be null');
  },
  resources: (ctx) => [functionTarget(ctx)],
  handler: async (ctx) => {
    const ref = readFunctionName(ctx);
    const packageType = packageTypeOf(ctx);
    const settings = readSettings(ctx.input, undefined, packageType);
    const tags = readTags(ctx.input);
    const state = lambdaState(ctx, ref.accountId, ref.region);
    const exists = () => {
      if (!state || ownValue(state.functions, ref.name)) {
        throw conflict(`Function already exist: ${ref.name}`);
      }
    };
    exists();
    await checkExecutionRole(ctx, settings.role, ref.accountId);
    const code = await readCode(
      ctx,
      ctx.input.obj('Code') ?? ctx.input,
      packageType,
      ref.accountId,
    );
    // Reading the code may have waited on S3: another create may have won meanwhile.
    exists();
    const now = ctx.clock.now();
    const latest: VersionRecord = {
      version: '$LATEST',
      packageType,
      settings,
      code: code.code,
      codeSha256: code.codeSha256,
      codeSize: code.codeSize,
      lastModified: now.toISOString(),
      revisionId: newRevisionId(),
      activeAt: afterDelay(ctx.runtime, CREATE_DELAY, now),
    };
    const fn: FunctionRecord = {
      name: ref.name,
      createdAt: now.toISOString(),
      latest,
      versions: [],
      nextVersion: 1,
      aliases: {},
      tags,
      invocations: [],
    };
    if (state) putOwn(state.functions, ref.name, fn);
    const shown =
      ctx.input.bool('Publish') === true ? publishVersion(fn, latest, now, undefined) : latest;
    return configurationOf(ref, fn, shown, now);
  },
};

/** GetFunction's `Code` member. */
function codeLocation(ref: FunctionReference, version: VersionRecord): Record<string, unknown> {
  if (version.code.kind === 'image') {
    return {
      RepositoryType: 'ECR',
      ImageUri: version.code.imageUri,
      ResolvedImageUri: version.code.resolvedImageUri,
    };
  }
  // Not downloadable from the sandbox: a stand-in for the presigned URL Lambda returns.
  const hash = version.code.blob.replace(/\.zip$/, '');
  return {
    RepositoryType: 'S3',
    Location: `https://awslambda-${ref.region}-tasks.s3.${ref.region}.amazonaws.com/snapshots/${ref.accountId}/${ref.name}-${hash}`,
  };
}

const getFunction: ActionDefinition = {
  validate: (ctx) => void readFunctionName(ctx, { qualifiers: true }),
  resources: (ctx) => [functionTarget(ctx, true)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx, { qualifiers: true });
    const fn = requireFunction(ctx, ref);
    const { version } = resolveQualifier(ref, fn, ref.qualifier);
    const now = ctx.clock.now();
    return {
      Configuration: configurationOf(ref, fn, version, now, { qualifier: ref.qualifier }),
      Code: codeLocation(ref, version),
      ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
    };
  },
};

const getFunctionConfiguration: ActionDefinition = {
  validate: (ctx) => void readFunctionName(ctx, { qualifiers: true }),
  resources: (ctx) => [functionTarget(ctx, true)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx, { qualifiers: true });
    const fn = requireFunction(ctx, ref);
    const { version } = resolveQualifier(ref, fn, ref.qualifier);
    return configurationOf(ref, fn, version, ctx.clock.now(), { qualifier: ref.qualifier });
  },
};

const listFunctions: ActionDefinition = {
  handler: (ctx) => {
    const all = ctx.input.str('FunctionVersion');
    if (all !== undefined && all !== 'ALL') {
      throw validation('functionVersion', all, 'Member must satisfy enum value set: [ALL]');
    }
    const state = lambdaState(ctx, ctx.accountId, ctx.region);
    const now = ctx.clock.now();
    const place = { accountId: ctx.accountId, region: ctx.region };
    const functions = Object.values(state?.functions ?? {}).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const items = functions.flatMap((fn) =>
      all === 'ALL'
        ? [fn.latest, ...fn.versions].map((version) =>
            configurationOf(place, fn, version, now, {
              qualifier: version.version,
            }),
          )
        : [configurationOf(place, fn, fn.latest, now)],
    );
    const { page, nextToken } = paginate(
      items,
      ctx.input.str('Marker'),
      readMaxItems(ctx),
      invalidMarker,
    );
    return { Functions: page, ...(nextToken !== undefined ? { NextMarker: nextToken } : {}) };
  },
};

const deleteFunction: ActionDefinition = {
  validate: (ctx) => void readFunctionName(ctx, { qualifiers: true }),
  resources: (ctx) => [functionTarget(ctx, true)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx, { qualifiers: true });
    const fn = requireFunction(ctx, ref);
    const state = lambdaState(ctx, ref.accountId, ref.region);
    if (ref.qualifier === undefined) {
      if (state) delete state.functions[ref.name];
      return undefined;
    }
    if (ref.qualifier === '$LATEST') {
      throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    }
    if (!/^[0-9]+$/.test(ref.qualifier)) {
      throw invalidParameter('Deletion of aliases is not supported.');
    }
    const index = fn.versions.findIndex((version) => version.version === ref.qualifier);
    if (index < 0) {
      throw functionNotFound(qualifiedArn(ref.region, ref.accountId, ref.name, ref.qualifier));
    }
    const users = Object.values(fn.aliases)
      .filter(
        (alias) =>
          alias.functionVersion === ref.qualifier ||
          Object.hasOwn(alias.weights, ref.qualifier ?? ''),
      )
      .map((alias) => alias.name);
    if (users.length > 0) {
      throw conflict(
        `Unable to delete version because the following aliases reference it: [${users.join(', ')}]`,
      );
    }
    fn.versions.splice(index, 1);
    return undefined;
  },
};

/** The function actions. */
export const functionActions: Record<string, ActionDefinition> = {
  CreateFunction: createFunction,
  GetFunction: getFunction,
  GetFunctionConfiguration: getFunctionConfiguration,
  ListFunctions: listFunctions,
  DeleteFunction: deleteFunction,
};
