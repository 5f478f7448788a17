// Versions and staging labels: AWSCURRENT moves to the newest value and the version it left
// becomes AWSPREVIOUS; retried requests with the same ClientRequestToken change nothing.
import { randomUUID } from 'node:crypto';
import { CommonError } from '../../framework/aws-error.js';
import type { ActionContext } from '../../framework/service.js';
import { sealVersion, valueDigest, type SecretValue } from './secret-encryption.js';
import { invalidParameter, resourceExists, validation } from './secret-errors.js';
import type { SecretRecord, SecretVersion } from './secret-state.js';

/** The label of the current version. */
export const AWSCURRENT = 'AWSCURRENT';
/** The label of the version AWSCURRENT left. */
export const AWSPREVIOUS = 'AWSPREVIOUS';

/** Versions beyond this many lose their oldest unlabeled (deprecated) members. */
const MAX_VERSIONS = 100;
const MAX_VALUE = 65_536;

/** The value in a request (`SecretString` or `SecretBinary`), if any; both is an error. */
export function readSecretValue(ctx: ActionContext): SecretValue | undefined {
  const text = ctx.input.str('SecretString');
  const binary = ctx.input.str('SecretBinary');
  if (text !== undefined && binary !== undefined) {
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (text !== undefined) {
    if (text.length > MAX_VALUE) throw validation('SecretString must be at most 65536 characters.');
    return { kind: 'string', text };
  }
  if (binary !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(binary)) {
      throw new CommonError('MalformedInput', 'SecretBinary is not valid base64.');
    }
    const bytes = Buffer.from(binary, 'base64');
    if (bytes.length > MAX_VALUE) throw validation('SecretBinary must be at most 65536 bytes.');
    return { kind: 'binary', bytes };
  }
  return undefined;
}

/** `ClientRequestToken`, checked (32–64 characters), or a fresh UUID as the SDKs would send. */
export function requestToken(ctx: ActionContext): string {
  const token = ctx.input.str('ClientRequestToken');
  if (token === undefined) return randomUUID();
  if (token.length < 32 || token.length > 64) {
    throw validation(
      `1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64`,
    );
  }
  return token;
}

/** The version holding a staging label. */
export function versionWithStage(secret: SecretRecord, stage: string): SecretVersion | undefined {
  return Object.values(secret.versions).find((version) => version.stages.includes(stage));
}

/** Moves a label to a version; moving AWSCURRENT makes its former holder AWSPREVIOUS. */
export function moveStage(secret: SecretRecord, stage: string, to: SecretVersion): void {
  const from = versionWithStage(secret, stage);
  if (from === to) return;
  if (from) from.stages = from.stages.filter((label) => label !== stage);
  to.stages.push(stage);
  if (stage === AWSCURRENT && from) {
    const previous = versionWithStage(secret, AWSPREVIOUS);
    if (previous) previous.stages = previous.stages.filter((label) => label !== AWSPREVIOUS);
    from.stages.push(AWSPREVIOUS);
  }
}

/** Removes a label from a version. */
export function removeStage(version: SecretVersion, stage: string): void {
  version.stages = version.stages.filter((label) => label !== stage);
}

function pruneDeprecated(secret: SecretRecord): void {
  while (secret.versionOrder.length > MAX_VERSIONS) {
    const oldest = secret.versionOrder.find((id) => secret.versions[id]?.stages.length === 0);
    if (oldest === undefined) return;
    delete secret.versions[oldest];
    secret.versionOrder = secret.versionOrder.filter((id) => id !== oldest);
  }
}

/**
 * Stores `value` as version `versionId` with `stages`, or — when that version exists with the
 * same value — does nothing (an idempotent retry). A different value under an existing version
 * id is `ResourceExistsException`. Returns the version.
 */
export async function putVersion(
  ctx: ActionContext,
  secret: SecretRecord,
  versionId: string,
  value: SecretValue,
  stages: string[],
): Promise<SecretVersion> {
  const existing = secret.versions[versionId];
  if (existing) {
    if (existing.digest === valueDigest(versionId, value)) return existing;
    throw resourceExists(
      "You can't modify an existing version, you can only create a new version.",
    );
  }
  const version = await sealVersion(ctx, secret, versionId, value);
  secret.versions[versionId] = version;
  secret.versionOrder.push(versionId);
  for (const stage of stages) moveStage(secret, stage, version);
  secret.lastChangedDate = version.createdDate;
  pruneDeprecated(secret);
  return version;
}

/** `VersionIdsToStages`: every labeled version. */
export function versionIdsToStages(secret: SecretRecord): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of secret.versionOrder) {
    const version = secret.versions[id];
    if (version && version.stages.length > 0) out[id] = [...version.stages];
  }
  return out;
}
