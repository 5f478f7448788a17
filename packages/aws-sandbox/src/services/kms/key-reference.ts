// The four ways a caller names a key — key id, key ARN, alias name, alias ARN — and their
// resolution to a key, possibly in another account (ARNs only, as in AWS).
import type { ResourceTarget } from '../../auth/authorizer.js';
import type { ActionContext } from '../../framework/service.js';
import { aliasNotFound, keyNotFound, notFound } from './kms-errors.js';
import { aliasArn, keyArn, kmsState, type KmsKey } from './kms-state.js';

/** A parsed `KeyId` parameter. */
export type KeyReference =
  | { kind: 'key'; accountId: string; region: string; keyId: string; arn: string }
  | { kind: 'alias'; accountId: string; region: string; name: string; arn: string };

/** Where unqualified names (key ids, alias names) are looked up. */
export interface KeyScope {
  accountId: string;
  region: string;
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

/** Parses a `KeyId`; throws `NotFoundException` for text that is none of the four forms. */
export function parseKeyReference(value: string, scope: KeyScope): KeyReference {
  const arnMatch = KEY_ARN.exec(value);
  if (arnMatch) {
    const [, region = '', accountId = '', keyId = ''] = arnMatch;
    if (!KEY_ID.test(keyId)) throw notFound(`Invalid keyId '${value}'`);
    return { kind: 'key', accountId, region, keyId, arn: value };
  }
  const aliasMatch = ALIAS_ARN.exec(value);
  if (aliasMatch) {
    const [, region = '', accountId = '', name = ''] = aliasMatch;
    return { kind: 'alias', accountId, region, name, arn: value };
  }
  if (value.startsWith('alias/')) {
    return {
      kind: 'alias',
      ...scope,
      name: value,
      arn: aliasArn(scope.region, scope.accountId, value),
    };
  }
  if (KEY_ID.test(value)) {
    return {
      kind: 'key',
      ...scope,
      keyId: value,
      arn: keyArn(scope.region, scope.accountId, value),
    };
  }
  throw notFound(`Invalid keyId '${value}'`);
}

/** A resolved key and, when it was named by an alias, that alias's name. */
export interface ResolvedKey {
  key: KmsKey;
  alias?: string;
}

/**
 * Finds the key a `KeyId` names. Unqualified names resolve in `scope` (default: the caller's
 * account and the request's region).
 */
export function resolveKey(ctx: ActionContext, value: string, scope?: KeyScope): ResolvedKey {
  const ref = parseKeyReference(value, scope ?? { accountId: ctx.accountId, region: ctx.region });
  if (ctx.world.accounts[ref.accountId] === undefined) {
    throw ref.kind === 'key' ? keyNotFound(ref.arn) : aliasNotFound(ref.arn);
  }
  const state = kmsState(ctx.runtime, ref.accountId, ref.region);
  if (ref.kind === 'key') {
    const key = state.keys[ref.keyId];
    if (!key) throw keyNotFound(ref.arn);
    return { key };
  }
  const alias = state.aliases[ref.name];
  const key = alias ? state.keys[alias.targetKeyId] : undefined;
  if (!key) throw aliasNotFound(ref.arn);
  return { key, alias: ref.name };
}

/** The IAM resource of a key: its ARN, owner, key policy and tags (`aws:ResourceTag/*`). */
export function keyTarget(key: KmsKey): ResourceTarget {
  const context: Record<string, string> = {};
  for (const tag of key.tags) context[`aws:ResourceTag/${tag.TagKey}`] = tag.TagValue;
  return {
    arn: key.arn,
    accountId: key.accountId,
    resourcePolicy: JSON.parse(key.policy) as unknown,
    context,
  };
}
