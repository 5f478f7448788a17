/**
 * The credential broker: a fresh OIDC token for a stage, exchanged with STS
 * `AssumeRoleWithWebIdentity` for that stage role's credentials. Credentials are cached until five
 * minutes before they expire and then replaced from a new token, never by role chaining, so a
 * bake of any length never holds a session past its cap.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import {
  RampartError,
  buildRoleName,
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
    /** Absent for build tokens. */
    stage?: string;
    /** Asks for the build subject `org:<org>/pipeline:<slug>/build`. @default false */
    build?: boolean;
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

/** Whose build credentials: one pipeline, optionally for one deployment. */
export interface BuildCredentialTarget {
  pipeline: PipelineModel;
  /** Names the STS session `rampart-<deploymentId>`. @default `rampart-exec` */
  deploymentId?: string;
}

/** Credentials with the stage (or, for builds, the CI/CD account) they belong to. */
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
  /**
   * The CI/CD account and its region (`organization.cicd_account_id`, `cicd_account_region`),
   * where the build roles live. @default none: build credentials throw
   */
  cicd?: { accountId: string; region: string };
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
  /**
   * Credentials of the pipeline's build role in the CI/CD account (`rampart-<org>-<slug>-build`),
   * from a token with the subject `org:<org>/pipeline:<slug>/build`; cached like stage ones.
   *
   * @throws RampartError `AWS_CREDENTIALS_FAILED` without `cicd` options or when STS refuses.
   */
  buildCredentialsFor(target: BuildCredentialTarget): Promise<StageCredentials>;
  /** The same build credentials as an SDK provider. */
  buildProviderFor(target: BuildCredentialTarget): AwsCredentialIdentityProvider;
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

  /** Whom a token is exchanged for: the role, where it lives, and the token that assumes it. */
  interface Principal {
    roleArn: string;
    accountId: string;
    region: string;
    token: { pipeline: string; stage?: string; build?: boolean };
    /** `pipeline "web" stage "prod"`, for messages. */
    describe: string;
    deploymentId?: string;
  }

  function stagePrincipal(target: CredentialTarget): Principal {
    const stage = findStage(target.pipeline, target.stage);
    const roleName = stageRoleName({
      org: options.org,
      slug: target.pipeline.slug,
      stage: stage.name,
    });
    return {
      roleArn: `arn:${partitionOf(stage.region)}:iam::${stage.accountId}:role/${roleName}`,
      accountId: stage.accountId,
      region: stage.region,
      token: { pipeline: target.pipeline.slug, stage: stage.name },
      describe: `pipeline "${target.pipeline.slug}" stage "${stage.name}"`,
      ...(target.deploymentId === undefined ? {} : { deploymentId: target.deploymentId }),
    };
  }

  function buildPrincipal(target: BuildCredentialTarget): Principal {
    const cicd = options.cicd;
    if (cicd === undefined) {
      throw new RampartError(
        'AWS_CREDENTIALS_FAILED',
        `no build credentials for pipeline "${target.pipeline.slug}": the broker was made without the CI/CD account`,
        {
          source: 'system',
          hint: 'Pass `cicd` (organization.cicd_account_id and cicd_account_region) to createCredentialBroker.',
        },
      );
    }
    const roleName = buildRoleName({ org: options.org, slug: target.pipeline.slug });
    return {
      roleArn: `arn:${partitionOf(cicd.region)}:iam::${cicd.accountId}:role/${roleName}`,
      accountId: cicd.accountId,
      region: cicd.region,
      token: { pipeline: target.pipeline.slug, build: true },
      describe: `pipeline "${target.pipeline.slug}" builds`,
      ...(target.deploymentId === undefined ? {} : { deploymentId: target.deploymentId }),
    };
  }

  async function exchange(who: Principal): Promise<StageCredentials> {
    const { roleArn } = who;
    const session = sessionName(who.deploymentId);
    // Retries are ours, each with a fresh token, so the SDK makes one attempt per call.
    const sts: STSClient = options.sdk.webIdentitySts({ region: who.region, maxAttempts: 1 });
    // Loaded on first use, not with the module: see AwsClientFactory.
    const { AssumeRoleWithWebIdentityCommand } = await import('@aws-sdk/client-sts');
    for (let attempt = 1; ; attempt += 1) {
      const { token } = await options.tokens.mintToken({
        org: options.org,
        ...who.token,
        ...(who.deploymentId === undefined ? {} : { deploymentId: who.deploymentId }),
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
          accountId: who.accountId,
          region: who.region,
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
          `cannot assume ${roleArn} for ${who.describe}${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${name === '' ? '' : `${name}: `}${message}`,
          {
            retryable: RETRYABLE.has(name),
            hint: `Check that the ${who.token.build === true ? 'pipeline' : 'stage'} is bootstrapped (\`rampart bootstrap --check\`) and that AWS can fetch the issuer's discovery document.`,
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

  async function cached(key: string, who: () => Principal): Promise<StageCredentials> {
    const entry = cache.get(key);
    if (fresh(entry)) return entry;
    // Concurrent callers share one exchange instead of minting a token each.
    let running = pending.get(key);
    if (running === undefined) {
      running = exchange(who()).finally(() => pending.delete(key));
      pending.set(key, running);
    }
    const result = await running;
    cache.set(key, result);
    return result;
  }

  const credentialsFor = (target: CredentialTarget): Promise<StageCredentials> =>
    cached(JSON.stringify([target.pipeline.slug, target.stage, target.deploymentId ?? '']), () =>
      stagePrincipal(target),
    );

  // A stage name is never empty, so no stage key equals a build key.
  const buildCredentialsFor = (target: BuildCredentialTarget): Promise<StageCredentials> =>
    cached(JSON.stringify([target.pipeline.slug, '', target.deploymentId ?? '']), () =>
      buildPrincipal(target),
    );

  return {
    credentialsFor,
    providerFor: (target) => async () => (await credentialsFor(target)).credentials,
    buildCredentialsFor,
    buildProviderFor: (target) => async () => (await buildCredentialsFor(target)).credentials,
  };
}
