// TagResource, UntagResource, ListTags on function ARNs.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { findFunction } from './function-lookup.js';
import { functionArn, type FunctionReference } from './function-names.js';
import { mergeTags, readTags } from './function-tags.js';
import { functionNotFound, validation } from './lambda-errors.js';
import type { FunctionRecord } from './lambda-state.js';

const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9_-]{1,64})$/;

/** The function a `Resource` ARN names (unqualified function ARNs only). */
function resourceRef(ctx: ActionContext): FunctionReference {
  const arn = ctx.input.reqStr('Resource');
  const match = FUNCTION_ARN.exec(arn);
  if (!match) {
    throw validation(
      'resource',
      arn,
      'Member must satisfy regular expression pattern: function ARN',
    );
  }
  return { region: match[1] ?? '', accountId: match[2] ?? '', name: match[3] ?? '' };
}

function requireTagged(ctx: ActionContext): FunctionRecord {
  const ref = resourceRef(ctx);
  const fn = findFunction(ctx, ref);
  if (!fn) throw functionNotFound(functionArn(ref.region, ref.accountId, ref.name));
  return fn;
}

const target = (ctx: ActionContext) => {
  const ref = resourceRef(ctx);
  return [{ arn: functionArn(ref.region, ref.accountId, ref.name), accountId: ref.accountId }];
};

/** The tag actions. */
export const tagActions: Record<string, ActionDefinition> = {
  TagResource: {
    validate: (ctx) => void resourceRef(ctx),
    resources: target,
    handler: (ctx) => {
      mergeTags(requireTagged(ctx).tags, readTags(ctx.input));
      return undefined;
    },
  },
  UntagResource: {
    validate: (ctx) => void resourceRef(ctx),
    resources: target,
    handler: (ctx) => {
      const fn = requireTagged(ctx);
      for (const key of ctx.input.strList('TagKeys')) {
        if (Object.hasOwn(fn.tags, key)) delete fn.tags[key];
      }
      return undefined;
    },
  },
  ListTags: {
    validate: (ctx) => void resourceRef(ctx),
    resources: target,
    handler: (ctx) => ({ Tags: { ...requireTagged(ctx).tags } }),
  },
};
