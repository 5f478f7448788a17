// Secrets and their values: create, read, write, update, describe, delete and restore.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { openVersion, sealVersion } from './secret-encryption.js';
import {
  invalidParameter,
  invalidRequest,
  resourceExists,
  resourceNotFound,
  validation,
} from './secret-errors.js';
import {
  checkSecretName,
  findLiveSecret,
  findSecret,
  newSecretArn,
  secretTarget,
} from './secret-names.js';
import { secretsState, type SecretRecord, type SecretVersion } from './secret-state.js';
import {
  AWSCURRENT,
  moveStage,
  putVersion,
  readSecretValue,
  removeStage,
  requestToken,
  versionIdsToStages,
} from './secret-versions.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_DESCRIPTION = 2048;

/** The ARN CreateSecret authorizes is the one it creates: chosen once per request. */
const plannedArns = new WeakMap<ActionContext, string>();

function plannedArn(ctx: ActionContext): string {
  let arn = plannedArns.get(ctx);
  if (arn === undefined) {
    arn = newSecretArn(ctx.region, ctx.accountId, ctx.input.reqStr('Name'));
    plannedArns.set(ctx, arn);
  }
  return arn;
}

function checkDescription(ctx: ActionContext): void {
  if ((ctx.input.str('Description') ?? '').length > MAX_DESCRIPTION) {
    throw validation(`Description must be at most ${MAX_DESCRIPTION} characters.`);
  }
}

/** Requires `SecretId` before authorization. */
const requireSecretId = (ctx: ActionContext): void => {
  ctx.input.reqStr('SecretId');
};

/** The secret named by `SecretId`, as the action's one IAM resource. */
const secretResource = (ctx: ActionContext) => [
  secretTarget(findSecret(ctx, ctx.input.reqStr('SecretId'))),
];

function startOfDay(date: Date): string {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS).toISOString();
}

function requestTagContext(ctx: ActionContext): Record<string, string | string[]> {
  const tags = ctx.input.tags();
  const context: Record<string, string | string[]> = {};
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  if (tags.length > 0) context['aws:TagKeys'] = tags.map((tag) => tag.Key);
  return context;
}

/** The version GetSecretValue reads: by id, by label, or AWSCURRENT. */
function selectVersion(ctx: ActionContext, secret: SecretRecord): SecretVersion {
  const versionId = ctx.input.str('VersionId');
  const stage = ctx.input.str('VersionStage');
  if (versionId !== undefined) {
    const version = secret.versions[versionId];
    if (!version || (stage !== undefined && !version.stages.includes(stage))) {
      throw resourceNotFound(
        `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
      );
    }
    return version;
  }
  const label = stage ?? AWSCURRENT;
  const version = Object.values(secret.versions).find((candidate) =>
    candidate.stages.includes(label),
  );
  if (!version) {
    throw resourceNotFound(
      `Secrets Manager can't find the specified secret value for staging label: ${label}`,
    );
  }
  return version;
}

function checkStages(ctx: ActionContext): string[] | undefined {
  if (!ctx.input.has('VersionStages')) return undefined;
  const stages = ctx.input.strList('VersionStages');
  if (
    stages.length < 1 ||
    stages.length > 20 ||
    stages.some((s) => s.length < 1 || s.length > 256)
  ) {
    throw validation('VersionStages must list 1 to 20 labels of 1 to 256 characters.');
  }
  return stages;
}

/** Secret actions. */
export const secretActions: Record<string, ActionDefinition> = {
  CreateSecret: {
    validate: (ctx) => {
      checkSecretName(ctx.input.reqStr('Name'));
      checkDescription(ctx);
      readSecretValue(ctx);
      requestToken(ctx);
      ctx.input.tags();
    },
    resources: (ctx) => [plannedArn(ctx)],
    context: (ctx) => ({
      'secretsmanager:Name': ctx.input.reqStr('Name'),
      ...(ctx.input.str('Description') !== undefined
        ? { 'secretsmanager:Description': ctx.input.str('Description') ?? '' }
        : {}),
      ...(ctx.input.str('KmsKeyId') !== undefined
        ? { 'secretsmanager:KmsKeyId': ctx.input.str('KmsKeyId') ?? '' }
        : {}),
      ...requestTagContext(ctx),
    }),
    handler: async (ctx) => {
      const name = ctx.input.reqStr('Name');
      const value = readSecretValue(ctx);
      const versionId = requestToken(ctx);
      const state = secretsState(ctx.runtime, ctx.accountId, ctx.region);
      const existing = state.secrets[name];
      if (existing) {
        if (existing.deletionDate !== undefined) {
          throw invalidRequest(
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
          );
        }
        if (value !== undefined && existing.versions[versionId] !== undefined) {
          // A retried CreateSecret: the same token and value change nothing.
          const version = await putVersion(ctx, existing, versionId, value, [AWSCURRENT]);
          return { ARN: existing.arn, Name: existing.name, VersionId: version.versionId };
        }
        throw resourceExists(`The operation failed because the secret ${name} already exists.`);
      }
      const now = ctx.clock.now().toISOString();
      const kmsKeyId = ctx.input.str('KmsKeyId');
      const description = ctx.input.str('Description');
      const secret: SecretRecord = {
        name,
        arn: plannedArn(ctx),
        accountId: ctx.accountId,
        region: ctx.region,
        ...(description !== undefined ? { description } : {}),
        ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
        createdDate: now,
        lastChangedDate: now,
        tags: ctx.input.tags(),
        versions: {},
        versionOrder: [],
      };
      if (value !== undefined) {
        // Encrypt before storing anything: a KMS failure leaves no half-made secret.
        const version = await sealVersion(ctx, secret, versionId, value);
        secret.versions[versionId] = version;
        secret.versionOrder.push(versionId);
        moveStage(secret, AWSCURRENT, version);
      }
      state.secrets[name] = secret;
      return {
        ARN: secret.arn,
        Name: secret.name,
        ...(value !== undefined ? { VersionId: versionId } : {}),
      };
    },
  },

  GetSecretValue: {
    validate: requireSecretId,
    resources: secretResource,
    context: (ctx) => ({
      ...(ctx.input.str('VersionId') !== undefined
        ? { 'secretsmanager:VersionId': ctx.input.str('VersionId') ?? '' }
        : {}),
      ...(ctx.input.str('VersionStage') !== undefined
        ? { 'secretsmanager:VersionStage': ctx.input.str('VersionStage') ?? '' }
        : {}),
    }),
    handler: async (ctx) => {
      const secret = findLiveSecret(ctx, ctx.input.reqStr('SecretId'));
      const version = selectVersion(ctx, secret);
      const value = await openVersion(ctx, secret, version);
      const accessed = startOfDay(ctx.clock.now());
      secret.lastAccessedDate = accessed;
      version.lastAccessedDate = accessed;
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        ...(value.kind === 'string'
          ? { SecretString: value.text }
          : { SecretBinary: value.bytes.toString('base64') }),
        VersionStages: [...version.stages],
        CreatedDate: new Date(version.createdDate),
      };
    },
  },

  PutSecretValue: {
    validate: (ctx) => {
      requireSecretId(ctx);
      if (readSecretValue(ctx) === undefined) {
        throw invalidRequest('You must provide either SecretString or SecretBinary.');
      }
      requestToken(ctx);
      checkStages(ctx);
    },
    resources: secretResource,
    handler: async (ctx) => {
      const secret = findLiveSecret(ctx, ctx.input.reqStr('SecretId'));
      const value = readSecretValue(ctx);
      if (value === undefined)
        throw invalidRequest('You must provide either SecretString or SecretBinary.');
      const version = await putVersion(
        ctx,
        secret,
        requestToken(ctx),
        value,
        checkStages(ctx) ?? [AWSCURRENT],
      );
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        VersionStages: [...version.stages],
      };
    },
  },

  UpdateSecret: {
    validate: (ctx) => {
      requireSecretId(ctx);
      checkDescription(ctx);
      readSecretValue(ctx);
      requestToken(ctx);
    },
    resources: secretResource,
    handler: async (ctx) => {
      const secret = findLiveSecret(ctx, ctx.input.reqStr('SecretId'));
      const kmsKeyId = ctx.input.str('KmsKeyId');
      if (kmsKeyId !== undefined && kmsKeyId !== secret.kmsKeyId) {
        // AWS re-encrypts the labeled versions under the new key; deprecated ones keep theirs.
        const changed: SecretRecord = { ...secret, kmsKeyId };
        const reencrypted: SecretVersion[] = [];
        for (const id of secret.versionOrder) {
          const version = secret.versions[id];
          if (!version || version.stages.length === 0) continue;
          const value = await openVersion(ctx, secret, version);
          const sealed = await sealVersion(ctx, changed, id, value);
          reencrypted.push({
            ...sealed,
            stages: version.stages,
            createdDate: version.createdDate,
            ...(version.lastAccessedDate !== undefined
              ? { lastAccessedDate: version.lastAccessedDate }
              : {}),
          });
        }
        for (const version of reencrypted) secret.versions[version.versionId] = version;
        secret.kmsKeyId = kmsKeyId;
      }
      const description = ctx.input.str('Description');
      if (description !== undefined) secret.description = description;
      secret.lastChangedDate = ctx.clock.now().toISOString();
      const value = readSecretValue(ctx);
      if (value === undefined) return { ARN: secret.arn, Name: secret.name };
      const version = await putVersion(ctx, secret, requestToken(ctx), value, [AWSCURRENT]);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId };
    },
  },

  UpdateSecretVersionStage: {
    validate: (ctx) => {
      requireSecretId(ctx);
      ctx.input.reqStr('VersionStage');
    },
    resources: secretResource,
    handler: (ctx) => {
      const secret = findLiveSecret(ctx, ctx.input.reqStr('SecretId'));
      const stage = ctx.input.reqStr('VersionStage');
      const moveTo = ctx.input.str('MoveToVersionId');
      const removeFrom = ctx.input.str('RemoveFromVersionId');
      const holder = Object.values(secret.versions).find((v) => v.stages.includes(stage));
      if (
        holder !== undefined &&
        moveTo !== undefined &&
        holder.versionId !== moveTo &&
        removeFrom !== holder.versionId
      ) {
        throw invalidParameter(
          `The staging label ${stage} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
        );
      }
      if (removeFrom !== undefined) {
        const from = secret.versions[removeFrom];
        if (!from)
          throw resourceNotFound(
            `Secrets Manager can't find the specified secret version: ${removeFrom}`,
          );
        if (!from.stages.includes(stage)) {
          throw invalidParameter(
            `The staging label ${stage} is not attached to version ${removeFrom}.`,
          );
        }
        if (moveTo === undefined) removeStage(from, stage);
      }
      if (moveTo !== undefined) {
        const to = secret.versions[moveTo];
        if (!to)
          throw resourceNotFound(
            `Secrets Manager can't find the specified secret version: ${moveTo}`,
          );
        moveStage(secret, stage, to);
      }
      secret.lastChangedDate = ctx.clock.now().toISOString();
      return { ARN: secret.arn, Name: secret.name };
    },
  },

  DescribeSecret: {
    validate: requireSecretId,
    resources: secretResource,
    handler: (ctx) => {
      const secret = findSecret(ctx, ctx.input.reqStr('SecretId'));
      return {
        ARN: secret.arn,
        Name: secret.name,
        ...(secret.description !== undefined ? { Description: secret.description } : {}),
        ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
        RotationEnabled: false,
        LastChangedDate: new Date(secret.lastChangedDate),
        ...(secret.lastAccessedDate !== undefined
          ? { LastAccessedDate: new Date(secret.lastAccessedDate) }
          : {}),
        ...(secret.deletedDate !== undefined ? { DeletedDate: new Date(secret.deletedDate) } : {}),
        Tags: secret.tags,
        VersionIdsToStages: versionIdsToStages(secret),
        CreatedDate: new Date(secret.createdDate),
      };
    },
  },

  DeleteSecret: {
    validate: (ctx) => {
      requireSecretId(ctx);
      const days = ctx.input.int('RecoveryWindowInDays');
      const force = ctx.input.bool('ForceDeleteWithoutRecovery') === true;
      if (days !== undefined && force) {
        throw invalidParameter(
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        );
      }
      if (days !== undefined && (days < 7 || days > 30)) {
        throw invalidParameter(
          'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
        );
      }
    },
    resources: secretResource,
    handler: (ctx) => {
      const secret = findSecret(ctx, ctx.input.reqStr('SecretId'));
      const now = ctx.clock.now();
      if (ctx.input.bool('ForceDeleteWithoutRecovery') === true) {
        delete secretsState(ctx.runtime, secret.accountId, secret.region).secrets[secret.name];
        return { ARN: secret.arn, Name: secret.name, DeletionDate: now };
      }
      if (secret.deletionDate !== undefined) {
        throw invalidRequest(
          "You can't perform this operation on the secret because it was marked for deletion.",
        );
      }
      const days = ctx.input.int('RecoveryWindowInDays') ?? 30;
      const deletionDate = new Date(now.getTime() + days * DAY_MS);
      secret.deletedDate = now.toISOString();
      secret.deletionDate = deletionDate.toISOString();
      return { ARN: secret.arn, Name: secret.name, DeletionDate: deletionDate };
    },
  },

  RestoreSecret: {
    validate: requireSecretId,
    resources: secretResource,
    handler: (ctx) => {
      const secret = findSecret(ctx, ctx.input.reqStr('SecretId'));
      delete secret.deletedDate;
      delete secret.deletionDate;
      secret.lastChangedDate = ctx.clock.now().toISOString();
      return { ARN: secret.arn, Name: secret.name };
    },
  },
};
