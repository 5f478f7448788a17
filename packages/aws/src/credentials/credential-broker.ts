/**
 * The credential broker: a fresh OIDC token for a stage, exchanged with STS
 * `AssumeRoleWithWebIdentity` for that stage role's credentials. Credentials are cached until five
 * minutes before they expire and then replaced from a new token, never by role chaining, so a
 * bake of any length never holds a session past its cap.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import {
  RampartError,
  partitionOf,
  stageRoleName,
  type PipelineModel,
  type StageModel,
} from '@rampart/core';
import type { AwsClientFactory } from '../sdk/aws-client-factory.js';
import { systemClock, type Clock } from './clock.js';
import { sessionName } from './session-name.js';

/** Mints deployment tokens: the issuer's `mintToken`, narrowed to what the broker uses. */
export interface TokenMinter {
  mintToken(request: {
    org: string;
    pipeline: string;
    stage: string;
    deploymentId?: string;
  }): Promise<{ token: string }>;
}

/** Whose credentials: one stage of one pipeline, optionally for one deployment. */
export interface CredentialTarget {
  pipeline: PipelineModel;
  /** A stage name, or `ephemeral-<name>` for an ephemeral environment. */
  stage: string;
  /** Names the STS session `rampart-<deploymentId>`. @default `rampart-exec` */
  deploymentId?: string;
}

/** Credentials with the stage they belong to. */
export interface StageCredentials {
  credentials: AwsCredentialIdentity & { expiration: Date };
  roleArn: string;
  accountId: string;
  region: string;
  sessionName: string;
}

export interface CredentialBrokerOptions {
  /** The organization slug (`organization.slug` from the config): the role names carry it. */
  org: string;
  tokens: TokenMinter;
  sdk: AwsClientFactory;
  /** @default the system clock */
  clock?: Clock;
  /** Waits between retries; tests pass one that returns at once. @default a timer */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per exchange when STS throttles or cannot reach the issuer. @default 5 */
  maxAttempts?: number;
  /** How long before expiry credentials are replaced. @default 300000 (five minutes) */
  refreshMarginMs?: number;
}

/** Hands out stage credentials, cached per stage and deployment. */
export interface CredentialBroker {
  credentialsFor(target: CredentialTarget): Promise<StageCredentials>;
  /** The same credentials as an SDK provider: each call returns valid, refreshed credentials. */
  providerFor(target: CredentialTarget): AwsCredentialIdentityProvider;
}

const RETRYABLE = new Set([
  'Throttling',
  'ThrottlingException',
  'IDPCommunicationError',
  'IDPCommunicationErrorException',
]);
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The stage (or ephemeral environment) named `name` of `model`. */
export function findStage(model: PipelineModel, name: string): StageModel {
  const stage = [...model.stages, ...model.ephemeral].find((s) => s.name === name);
  if (stage === undefined) {
    const names = [...model.stages, ...model.ephemeral].map((s) => s.name).join(', ');
    throw new RampartError(
      'USAGE',
      `pipeline "${model.slug}" has no stage "${name}" (stages: ${names})`,
      { source: 'user', hint: 'Pass one of the stage names listed.' },
    );
  }
  return stage;
}

/** The broker over `options.tokens` and STS. */
export function createCredentialBroker(options: CredentialBrokerOptions): CredentialBroker {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const maxAttempts = options.maxAttempts ?? 5;
  const margin = options.refreshMarginMs ?? 300_000;
  const cache = new Map<string, StageCredentials>();
  const pending = new Map<string, Promise<StageCredentials>>();

  async function exchange(target: CredentialTarget): Promise<StageCredentials> {
    const stage = findStage(target.pipeline, target.stage);
    const roleName = stageRoleName({
      org: options.org,
      slug: target.pipeline.slug,
      stage: stage.name,
    });
    const roleArn = `arn:${partitionOf(stage.region)}:iam::${stage.accountId}:role/${roleName}`;
    const session = sessionName(target.deploymentId);
    // Retries are ours, each with a fresh token, so the SDK makes one attempt per call.
    const sts: STSClient = options.sdk.webIdentitySts({ region: stage.region, maxAttempts: 1 });
    for (let attempt = 1; ; attempt += 1) {
      const { token } = await options.tokens.mintToken({
        org: options.org,
        pipeline: target.pipeline.slug,
        stage: stage.name,
        ...(target.deploymentId === undefined ? {} : { deploymentId: target.deploymentId }),
      });
      try {
        const out = await sts.send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: roleArn,
            RoleSessionName: session,
            WebIdentityToken: token,
          }),
        );
        const c = out.Credentials;
        if (
          c?.AccessKeyId === undefined ||
          c.SecretAccessKey === undefined ||
          c.SessionToken === undefined ||
          c.Expiration === undefined
        ) {
          throw new Error('STS returned no credentials');
        }
        return {
          credentials: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            expiration: c.Expiration,
          },
          roleArn,
          accountId: stage.accountId,
          region: stage.region,
          sessionName: session,
        };
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (RETRYABLE.has(name) && attempt < maxAttempts) {
          await sleep(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)));
          continue;
        }
        const message = error instanceof Error ? error.message : String(error);
        throw new RampartError(
          'AWS_CREDENTIALS_FAILED',
          `cannot assume ${roleArn} for pipeline "${target.pipeline.slug}" stage "${stage.name}"${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${name === '' ? '' : `${name}: `}${message}`,
          {
            retryable: RETRYABLE.has(name),
            hint: `Check that the stage is bootstrapped (\`rampart bootstrap --check\`) and that AWS can fetch the issuer's discovery document.`,
            cause: error,
          },
        );
      }
    }
  }

  function fresh(entry: StageCredentials | undefined): entry is StageCredentials {
    return (
      entry !== undefined && entry.credentials.expiration.getTime() - margin > clock.now().getTime()
    );
  }

  async function credentialsFor(target: CredentialTarget): Promise<StageCredentials> {
    const key = JSON.stringify([target.pipeline.slug, target.stage, target.deploymentId ?? '']);
    const cached = cache.get(key);
    if (fresh(cached)) return cached;
    // Concurrent callers share one exchange instead of minting a token each.
    let running = pending.get(key);
    if (running === undefined) {
      running = exchange(target).finally(() => pending.delete(key));
      pending.set(key, running);
    }
    const result = await running;
    cache.set(key, result);
    return result;
  }

  return {
    credentialsFor,
    providerFor: (target) => async () => (await credentialsFor(target)).credentials,
  };
}
