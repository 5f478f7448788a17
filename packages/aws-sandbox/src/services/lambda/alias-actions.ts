// CreateAlias, GetAlias, UpdateAlias, ListAliases, DeleteAlias. Aliases remember where they
// pointed over time, so metrics for a past minute follow the version that served it.
import { paginate } from '../../framework/pagination.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { functionTarget, invalidMarker, readMaxItems } from './action-inputs.js';
import { findVersion, requireFunction } from './function-lookup.js';
import { qualifiedArn, readFunctionName, type FunctionReference } from './function-names.js';
import { aliasConfigurationOf } from './function-view.js';
import {
  aliasNotFound,
  conflict,
  functionNotFound,
  invalidParameter,
  staleRevision,
  validation,
} from './lambda-errors.js';
import { newRevisionId, type AliasRecord, type FunctionRecord } from './lambda-state.js';
import { ownValue, putOwn } from '../../state/own-record.js';

/** Alias history entries kept per alias. */
const MAX_HISTORY = 200;

function readAliasName(ctx: ActionContext): string {
  const name = ctx.input.reqStr('Name');
  if (!/^[a-zA-Z0-9_-]{1,128}$/.test(name) || /^[0-9]+$/.test(name)) {
    throw validation(
      'name',
      name,
      'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)',
    );
  }
  return name;
}

function requireVersion(ref: FunctionReference, fn: FunctionRecord, version: string): void {
  if (!/^(\$LATEST|[0-9]+)$/.test(version)) {
    throw validation(
      'functionVersion',
      version,
      'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)',
    );
  }
  if (!findVersion(fn, version)) {
    throw functionNotFound(qualifiedArn(ref.region, ref.accountId, ref.name, version));
  }
}

/** `RoutingConfig.AdditionalVersionWeights`, or undefined when the input has no `RoutingConfig`. */
function readWeights(ctx: ActionContext): Record<string, number> | undefined {
  const routing = ctx.input.obj('RoutingConfig');
  if (!routing) return undefined;
  const weights = routing.obj('AdditionalVersionWeights');
  const out: Record<string, number> = {};
  for (const version of Object.keys(weights?.raw ?? {})) {
    const raw = weights?.raw[version];
    const weight = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(weight) || weight < 0 || weight > 1) {
      throw validation(
        'routingConfig.additionalVersionWeights',
        raw,
        'Member must have value between 0.0 and 1.0',
      );
    }
    putOwn(out, version, weight);
  }
  return out;
}

/** Checks a routing configuration against the alias's primary version, as Lambda does. */
function checkRouting(
  ref: FunctionReference,
  fn: FunctionRecord,
  primary: string,
  weights: Record<string, number>,
): void {
  const versions = Object.keys(weights);
  if (versions.length === 0) return;
  if (versions.length > 1) {
    throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  }
  if (primary === '$LATEST') {
    throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  }
  for (const version of versions) {
    if (!/^[0-9]+$/.test(version)) {
      throw invalidParameter(
        `Invalid function version ${version}. Function version must be a number.`,
      );
    }
    if (version === primary) {
      throw invalidParameter(
        `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
      );
    }
    requireVersion(ref, fn, version);
  }
}

function requireAlias(ref: FunctionReference, fn: FunctionRecord, name: string): AliasRecord {
  const alias = ownValue(fn.aliases, name);
  if (!alias) throw aliasNotFound(qualifiedArn(ref.region, ref.accountId, ref.name, name));
  return alias;
}

function recordTarget(ctx: ActionContext, alias: AliasRecord): void {
  alias.history.push({
    at: ctx.clock.now().toISOString(),
    functionVersion: alias.functionVersion,
    weights: { ...alias.weights },
  });
  if (alias.history.length > MAX_HISTORY)
    alias.history.splice(0, alias.history.length - MAX_HISTORY);
}

const createAlias: ActionDefinition = {
  validate: (ctx) => {
    readFunctionName(ctx);
    readAliasName(ctx);
    ctx.input.reqStr('FunctionVersion');
  },
  resources: (ctx) => [functionTarget(ctx)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx);
    const name = readAliasName(ctx);
    const fn = requireFunction(ctx, ref);
    const functionVersion = ctx.input.reqStr('FunctionVersion');
    requireVersion(ref, fn, functionVersion);
    const weights = readWeights(ctx) ?? {};
    checkRouting(ref, fn, functionVersion, weights);
    if (ownValue(fn.aliases, name)) {
      throw conflict(
        `Alias already exists: ${qualifiedArn(ref.region, ref.accountId, ref.name, name)}`,
      );
    }
    const alias: AliasRecord = {
      name,
      functionVersion,
      description: ctx.input.str('Description') ?? '',
      weights,
      revisionId: newRevisionId(),
      createdAt: ctx.clock.now().toISOString(),
      history: [],
      routed: 0,
    };
    recordTarget(ctx, alias);
    putOwn(fn.aliases, name, alias);
    return aliasConfigurationOf(ref, fn, alias);
  },
};

const getAlias: ActionDefinition = {
  validate: (ctx) => {
    readFunctionName(ctx);
    readAliasName(ctx);
  },
  resources: (ctx) => [functionTarget(ctx)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx);
    const fn = requireFunction(ctx, ref);
    return aliasConfigurationOf(ref, fn, requireAlias(ref, fn, readAliasName(ctx)));
  },
};

const updateAlias: ActionDefinition = {
  validate: (ctx) => {
    readFunctionName(ctx);
    readAliasName(ctx);
  },
  resources: (ctx) => [functionTarget(ctx)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx);
    const fn = requireFunction(ctx, ref);
    const alias = requireAlias(ref, fn, readAliasName(ctx));
    const revision = ctx.input.str('RevisionId');
    if (revision !== undefined && revision !== alias.revisionId) throw staleRevision('alias');
    const functionVersion = ctx.input.str('FunctionVersion') ?? alias.functionVersion;
    requireVersion(ref, fn, functionVersion);
    const weights = readWeights(ctx) ?? alias.weights;
    checkRouting(ref, fn, functionVersion, weights);
    const moved =
      functionVersion !== alias.functionVersion ||
      JSON.stringify(weights) !== JSON.stringify(alias.weights);
    alias.functionVersion = functionVersion;
    alias.weights = { ...weights };
    const description = ctx.input.str('Description');
    if (description !== undefined) alias.description = description;
    alias.revisionId = newRevisionId();
    if (moved) recordTarget(ctx, alias);
    return aliasConfigurationOf(ref, fn, alias);
  },
};

const listAliases: ActionDefinition = {
  validate: (ctx) => void readFunctionName(ctx),
  resources: (ctx) => [functionTarget(ctx)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx);
    const fn = requireFunction(ctx, ref);
    const version = ctx.input.str('FunctionVersion');
    const aliases = Object.values(fn.aliases)
      .filter(
        (alias) =>
          version === undefined ||
          alias.functionVersion === version ||
          Object.hasOwn(alias.weights, version),
      )
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((alias) => aliasConfigurationOf(ref, fn, alias));
    const { page, nextToken } = paginate(
      aliases,
      ctx.input.str('Marker'),
      readMaxItems(ctx),
      invalidMarker,
    );
    return { Aliases: page, ...(nextToken !== undefined ? { NextMarker: nextToken } : {}) };
  },
};

const deleteAlias: ActionDefinition = {
  validate: (ctx) => {
    readFunctionName(ctx);
    readAliasName(ctx);
  },
  resources: (ctx) => [functionTarget(ctx)],
  handler: (ctx) => {
    const ref = readFunctionName(ctx);
    const fn = requireFunction(ctx, ref);
    // Deleting an alias that does not exist succeeds, as in Lambda.
    delete fn.aliases[readAliasName(ctx)];
    return undefined;
  },
};

/** The alias actions. */
export const aliasActions: Record<string, ActionDefinition> = {
  CreateAlias: createAlias,
  GetAlias: getAlias,
  UpdateAlias: updateAlias,
  ListAliases: listAliases,
  DeleteAlias: deleteAlias,
};
