// Resource policies of secrets (what lets other accounts read them) and tags.
import { validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { CommonError } from '../../framework/aws-error.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { malformedPolicy, publicPolicy, validation } from './secret-errors.js';
import { findLiveSecret, findSecret, secretTarget } from './secret-names.js';

const MAX_POLICY = 20_480;

/** Parses and checks a resource policy. */
function checkPolicy(text: string): unknown {
  if (text.length < 1 || text.length > MAX_POLICY) {
    throw validation(`ResourcePolicy must be 1 to ${MAX_POLICY} characters.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedPolicy('This resource policy contains a syntax error: it is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw malformedPolicy('This resource policy contains a syntax error: it is not a JSON object.');
  }
  const first = validateResourcePolicy(parsed)[0];
  if (first !== undefined) {
    throw malformedPolicy(
      `This resource policy contains a syntax error. ${first.path}: ${first.message}`,
    );
  }
  return parsed;
}

/** Whether a policy allows everyone (`*`) without a condition: what BlockPublicPolicy refuses. */
function isPublic(policy: unknown): boolean {
  const statements = (policy as { Statement?: unknown }).Statement;
  const list: unknown[] = Array.isArray(statements) ? statements : [statements];
  return list.some((raw) => {
    const statement = raw as { Effect?: unknown; Principal?: unknown; Condition?: unknown };
    if (statement.Effect !== 'Allow' || statement.Condition !== undefined) return false;
    const principal = statement.Principal;
    if (principal === '*') return true;
    const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  });
}

const secretResource = (ctx: ActionContext) => [
  secretTarget(findSecret(ctx, ctx.input.reqStr('SecretId'))),
];

const requireSecretId = (ctx: ActionContext): void => {
  ctx.input.reqStr('SecretId');
};

/** Missing list parameters are the protocol's validation error, as for any required member. */
function requireList(ctx: ActionContext, name: string): void {
  if (!ctx.input.has(name)) {
    throw new CommonError('MissingParameter', `The request must contain the parameter ${name}`);
  }
}

/** Resource policy and tag actions. */
export const policyActions: Record<string, ActionDefinition> = {
  PutResourcePolicy: {
    validate: (ctx) => {
      requireSecretId(ctx);
      checkPolicy(ctx.input.reqStr('ResourcePolicy'));
    },
    resources: secretResource,
    handler: (ctx) => {
      const secret = findLiveSecret(ctx, ctx.input.reqStr('SecretId'));
      const text = ctx.input.reqStr('ResourcePolicy');
      if (ctx.input.bool('BlockPublicPolicy') === true && isPublic(checkPolicy(text))) {
        throw publicPolicy();
      }
      secret.policy = text;
      return { ARN: secret.arn, Name: secret.name };
    },
  },

  GetResourcePolicy: {
    validate: requireSecretId,
    resources: secretResource,
    handler: (ctx) => {
      const secret = findSecret(ctx, ctx.input.reqStr('SecretId'));
      return {
        ARN: secret.arn,
        Name: secret.name,
        ...(secret.policy !== undefined ? { ResourcePolicy: secret.policy } : {}),
      };
    },
  },

  DeleteResourcePolicy: {
    validate: requireSecretId,
    resources: secretResource,
    handler: (ctx) => {
      const secret = findLiveSecret(ctx, ctx.input.reqStr('SecretId'));
      delete secret.policy;
      return { ARN: secret.arn, Name: secret.name };
    },
  },

  TagResource: {
    validate: (ctx) => {
      requireSecretId(ctx);
      requireList(ctx, 'Tags');
      ctx.input.tags();
    },
    resources: secretResource,
    context: (ctx) => {
      const tags = ctx.input.tags();
      const context: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((t) => t.Key) };
      for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
      return context;
    },
    handler: (ctx) => {
      const secret = findLiveSecret(ctx, ctx.input.reqStr('SecretId'));
      const byKey = new Map(secret.tags.map((tag) => [tag.Key, tag.Value]));
      for (const tag of ctx.input.tags()) byKey.set(tag.Key, tag.Value);
      secret.tags = [...byKey].map(([Key, Value]) => ({ Key, Value }));
      return {};
    },
  },

  UntagResource: {
    validate: (ctx) => {
      requireSecretId(ctx);
      requireList(ctx, 'TagKeys');
      ctx.input.strList('TagKeys');
    },
    resources: secretResource,
    context: (ctx) => ({ 'aws:TagKeys': ctx.input.strList('TagKeys') }),
    handler: (ctx) => {
      const secret = findLiveSecret(ctx, ctx.input.reqStr('SecretId'));
      const removed = new Set(ctx.input.strList('TagKeys'));
      secret.tags = secret.tags.filter((tag) => !removed.has(tag.Key));
      return {};
    },
  },
};
