// Secret names, ARNs with their random suffix, and SecretId resolution (name, ARN, partial ARN).
import { randomBytes } from 'node:crypto';
import type { ResourceTarget } from '../../auth/authorizer.js';
import type { ActionContext } from '../../framework/service.js';
import { invalidParameter, markedForDeletion, resourceNotFound } from './secret-errors.js';
import { secretsState, type SecretRecord } from './secret-state.js';

const NAME = /^[a-zA-Z0-9/_+=.@-]{1,512}$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_ARN = /^arn:aws:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

/** Checks a secret name as Secrets Manager does. */
export function checkSecretName(name: string): string {
  if (!NAME.test(name)) {
    throw invalidParameter(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  }
  return name;
}

/** A new secret ARN: the name plus `-` and six random characters, as AWS appends. */
export function newSecretArn(region: string, accountId: string, name: string): string {
  const bytes = randomBytes(6);
  let suffix = '';
  for (const byte of bytes) suffix += SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length];
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

/**
 * The secret a `SecretId` names: a name (the caller's account and region), a full ARN, or a
 * partial ARN without the random suffix. ARNs may name another account.
 */
export function findSecret(ctx: ActionContext, secretId: string): SecretRecord {
  const match = SECRET_ARN.exec(secretId);
  if (!match) {
    const secret = secretsState(ctx.runtime, ctx.accountId, ctx.region).secrets[secretId];
    if (!secret) throw resourceNotFound();
    return secret;
  }
  const [, region = '', accountId = '', rest = ''] = match;
  if (ctx.world.accounts[accountId] === undefined) throw resourceNotFound();
  const secrets = secretsState(ctx.runtime, accountId, region).secrets;
  const secret =
    Object.values(secrets).find((candidate) => candidate.arn === secretId) ?? secrets[rest];
  if (!secret) throw resourceNotFound();
  return secret;
}

/** The secret `SecretId` names, refused while it is scheduled for deletion. */
export function findLiveSecret(ctx: ActionContext, secretId: string): SecretRecord {
  const secret = findSecret(ctx, secretId);
  if (secret.deletionDate !== undefined) throw markedForDeletion();
  return secret;
}

/** The IAM resource of a secret: ARN, owner, resource policy and tag condition keys. */
export function secretTarget(secret: SecretRecord): ResourceTarget {
  const context: Record<string, string> = { 'secretsmanager:SecretId': secret.arn };
  for (const tag of secret.tags) {
    // `secretsmanager:ResourceTag/*` is the same value; iam-simulate knows the global form only.
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return {
    arn: secret.arn,
    accountId: secret.accountId,
    ...(secret.policy !== undefined
      ? { resourcePolicy: JSON.parse(secret.policy) as unknown }
      : {}),
    context,
  };
}
