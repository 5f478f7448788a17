/** The claims of a deployment token, built and checked without I/O. */
import { buildOidcSubject, oidcSubject, RampartError } from '@rampart/core';
import {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  MAX_TOKEN_LIFETIME_SECONDS,
  STS_AUDIENCE,
} from './token-lifetime.js';

/** What a token is for: one stage of one pipeline, optionally one deployment of it. */
export interface TokenRequest {
  /** The organization slug. */
  org: string;
  /** The pipeline slug. */
  pipeline: string;
  /**
   * The stage name; an ephemeral environment `<name>` is the stage `ephemeral-<name>`. The
   * pipeline's builds ask with `build: true` instead (`sub` `org:<org>/pipeline:<slug>/build`).
   */
  stage?: string;
  /** A token for the pipeline's build role instead of a stage role. @default false */
  build?: boolean;
  /** Informational `deployment_id` claim (AWS does not evaluate it). @default absent */
  deploymentId?: string;
  /** Informational `revision` claim. @default absent */
  revision?: number;
  /** Informational `commit` claim. @default absent */
  commit?: string;
  /** Seconds from issue to expiry, 1 to {@link MAX_TOKEN_LIFETIME_SECONDS}. @default 300 */
  lifetimeSeconds?: number;
}

/** The payload of a deployment token. Times are seconds since the epoch. */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  deployment_id?: string;
  revision?: number;
  commit?: string;
}

/** Everything besides the request that goes into a token. */
export interface TokenContext {
  /** The issuer URL (`iss`), exactly as AWS's OIDC provider names it. */
  issuer: string;
  now: Date;
  /** A unique token id. */
  jti: string;
}

/**
 * The claims for `request`. `sub` is `org:<org>/pipeline:<slug>/stage:<stage>`, the only claim a
 * stage role's trust policy can pin besides `aud` (AWS evaluates no other claim of a generic OIDC
 * provider). Throws TOKEN_LIFETIME_INVALID for a lifetime outside 1 to 600 seconds and
 * RESOURCE_NAME_INVALID for a part that could make the subject ambiguous.
 */
export function tokenClaims(request: TokenRequest, context: TokenContext): TokenClaims {
  const lifetime = request.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new RampartError(
      'TOKEN_LIFETIME_INVALID',
      `a token lifetime of ${String(lifetime)} seconds was requested; tokens live 1 to ${MAX_TOKEN_LIFETIME_SECONDS} seconds`,
      {
        source: 'system',
        hint: 'Request at most 600 seconds and mint a new token when credentials are refreshed.',
      },
    );
  }
  const sub = subjectOf(request);
  const iat = Math.floor(context.now.getTime() / 1000);
  return {
    iss: context.issuer,
    sub,
    aud: STS_AUDIENCE,
    iat,
    nbf: iat,
    exp: iat + lifetime,
    jti: context.jti,
    ...(request.deploymentId === undefined ? {} : { deployment_id: request.deploymentId }),
    ...(request.revision === undefined ? {} : { revision: request.revision }),
    ...(request.commit === undefined ? {} : { commit: request.commit }),
  };
}

/** The build subject, or the stage subject; exactly one of `build` and `stage` must be given. */
function subjectOf(request: TokenRequest): string {
  if (request.build === true && request.stage === undefined) {
    return buildOidcSubject({ org: request.org, slug: request.pipeline });
  }
  if (request.build !== true && request.stage !== undefined) {
    return oidcSubject({ org: request.org, slug: request.pipeline, stage: request.stage });
  }
  throw new RampartError(
    'INTERNAL',
    `a token for pipeline "${request.pipeline}" must name either a stage or the build, not ${request.build === true ? 'both' : 'neither'}`,
    { source: 'system', hint: 'Pass `stage`, or `build: true`, to mintToken.' },
  );
}
