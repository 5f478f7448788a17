// CloudFront's plain-data state per account (a global service): distributions, created through
// the control API, and their invalidations.
import { randomInt } from 'node:crypto';
import type { SandboxRuntime } from '../../framework/runtime.js';

/** The signing name and state key of CloudFront. */
export const CLOUDFRONT_SERVICE = 'cloudfront';
/** Global services keep their state under this region key. */
export const GLOBAL_STATE_REGION = 'global';
/** The emulated delay from CreateInvalidation to `Completed` (`delays` option). */
export const INVALIDATION_DELAY = 'cloudfront.invalidation';
/** Its default: invalidations take tens of seconds in AWS; 0 would hide `InProgress`. */
export const DEFAULT_INVALIDATION_DELAY_MS = 60_000;

/** One origin of a distribution. */
export interface OriginRecord {
  id: string;
  domainName: string;
  originPath: string;
}

/** One invalidation. */
export interface InvalidationRecord {
  id: string;
  callerReference: string;
  paths: string[];
  /** ISO time on the sandbox clock. */
  createTime: string;
}

/** One distribution. */
export interface DistributionRecord {
  id: string;
  domainName: string;
  comment: string;
  origins: OriginRecord[];
  callerReference: string;
  etag: string;
  /** ISO time on the sandbox clock. */
  lastModifiedTime: string;
  /** Newest first. */
  invalidations: InvalidationRecord[];
}

/** The CloudFront state of one account. */
export interface CloudFrontState {
  /** By id, in creation order. */
  distributions: Record<string, DistributionRecord>;
}

/** A fresh, empty state. */
export function initCloudFrontState(): CloudFrontState {
  return { distributions: {} };
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `<prefix>` followed by `length` random characters of `alphabet`. */
export function randomId(prefix: string, length: number, alphabet = ID_CHARS): string {
  let id = prefix;
  for (let i = 0; i < length; i += 1) id += alphabet[randomInt(alphabet.length)] ?? 'A';
  return id;
}

/** `arn:aws:cloudfront::<account>:distribution/<id>`. */
export function distributionArn(accountId: string, id: string): string {
  return `arn:aws:cloudfront::${accountId}:distribution/${id}`;
}

/** What `control.createDistribution` takes. */
export interface NewDistribution {
  accountId: string;
  /** @default `d<13 random characters>.cloudfront.net` */
  domainName?: string;
  /**
   * The origins (`id` defaults to `origin-<n>`).
   * @default one origin `origin.sandbox.invalid`
   */
  origins?: { id?: string; domainName: string; originPath?: string }[];
  /** @default '' */
  comment?: string;
}

/** What `control.createDistribution` returns. */
export interface CreatedDistribution {
  id: string;
  arn: string;
  domainName: string;
}

/**
 * Creates a distribution in an account (the sandbox has no CreateDistribution API: Rampart only
 * invalidates distributions that already exist). Throws an `Error` for an unknown account or a
 * malformed input.
 */
export function createDistribution(
  runtime: SandboxRuntime,
  input: NewDistribution,
): CreatedDistribution {
  if (
    typeof input.accountId !== 'string' ||
    runtime.state.accounts[input.accountId] === undefined
  ) {
    throw new Error(`unknown account ${String(input.accountId)}`);
  }
  const origins = (input.origins ?? [{ domainName: 'origin.sandbox.invalid' }]).map(
    (origin, index) => {
      if (typeof origin.domainName !== 'string' || origin.domainName === '') {
        throw new Error('every origin needs a domainName');
      }
      return {
        id: origin.id ?? `origin-${index + 1}`,
        domainName: origin.domainName,
        originPath: origin.originPath ?? '',
      };
    },
  );
  if (origins.length === 0) throw new Error('a distribution needs at least one origin');
  const state = runtime.serviceState(
    CLOUDFRONT_SERVICE,
    input.accountId,
    GLOBAL_STATE_REGION,
    initCloudFrontState,
  );
  const id = randomId('E', 13);
  const distribution: DistributionRecord = {
    id,
    domainName:
      input.domainName ??
      `${randomId('d', 13, 'abcdefghijklmnopqrstuvwxyz0123456789')}.cloudfront.net`,
    comment: input.comment ?? '',
    origins,
    callerReference: randomId('sandbox-', 16),
    etag: randomId('E', 13),
    lastModifiedTime: runtime.clock.now().toISOString(),
    invalidations: [],
  };
  state.distributions[id] = distribution;
  return { id, arn: distributionArn(input.accountId, id), domainName: distribution.domainName };
}
