// sts:AssumeRoleWithWebIdentity — an OIDC token, verified against the issuer's JWKS, for a role.
import { createLocalJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import type { OidcProvider } from '../../state/iam-state.js';
import { providerUrl } from '../iam/oidc-url.js';
import { issueSession } from './issue-session.js';
import { issuerKeys } from './oidc-discovery.js';
import { findRole, parseRoleArn } from './role-by-arn.js';
import { checkSessionName, sessionDuration, sessionPolicy } from './session-options.js';
import { expiredIdentityToken, invalidIdentityToken, stsAccessDenied } from './sts-errors.js';
import { trustAllowsWebIdentity, type WebIdentityClaims } from './web-identity-trust.js';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
/** Tokens issued this far in the future are refused. */
const IAT_SKEW_S = 5 * 60;

function unverifiedIssuer(token: string): string {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    throw invalidIdentityToken(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  }
  if (typeof claims.iss !== 'string' || claims.iss === '') {
    throw invalidIdentityToken('The ID Token provided does not contain an issuer (iss) claim.');
  }
  return claims.iss;
}

async function verifyToken(
  ctx: ActionContext,
  provider: OidcProvider,
  token: string,
): Promise<JWTPayload> {
  const now = ctx.clock.now();
  for (const refresh of [false, true]) {
    const jwks = await issuerKeys(ctx.runtime, provider.issuer, refresh);
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
        currentDate: now,
        algorithms: ALGORITHMS,
      });
      return payload;
    } catch (error: unknown) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' && !refresh) continue;
      if (code === 'ERR_JWT_EXPIRED') {
        const exp = (error as { payload?: JWTPayload }).payload?.exp ?? 0;
        throw expiredIdentityToken(
          `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${exp}`,
        );
      }
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
        throw invalidIdentityToken(
          "Couldn't verify the signature of the token with the identity provider's keys.",
        );
      }
      const message = error instanceof Error ? error.message : String(error);
      throw invalidIdentityToken(`The web identity token is not valid: ${message}`);
    }
  }
  throw invalidIdentityToken(
    "Couldn't verify the signature of the token with the identity provider's keys.",
  );
}

function claimsFor(payload: JWTPayload, provider: OidcProvider): WebIdentityClaims {
  const audiences =
    payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const matched = audiences.find((aud) => provider.clientIds.includes(aud));
  if (matched === undefined) throw invalidIdentityToken('Incorrect token audience');
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw invalidIdentityToken('The ID Token provided does not contain a subject (sub) claim.');
  }
  const azp = typeof payload['azp'] === 'string' ? payload['azp'] : undefined;
  return azp === undefined
    ? { sub: payload.sub, aud: matched }
    : { sub: payload.sub, aud: azp, oaud: audiences };
}

/** `AssumeRoleWithWebIdentity`. */
export const assumeRoleWithWebIdentity: ActionDefinition = {
  auth: 'anonymous',
  validate: (ctx) => {
    checkSessionName(ctx.input.reqStr('RoleSessionName'));
    parseRoleArn(ctx.input.reqStr('RoleArn'));
    ctx.input.reqStr('WebIdentityToken');
  },
  handler: async (ctx) => {
    const roleArn = ctx.input.reqStr('RoleArn');
    const sessionName = ctx.input.reqStr('RoleSessionName');
    const token = ctx.input.reqStr('WebIdentityToken');
    const { accountId } = parseRoleArn(roleArn);
    const issuer = unverifiedIssuer(token);
    const url = providerUrl(issuer);
    const providers = Object.values(ctx.world.accounts[accountId]?.iam.oidcProviders ?? {});
    const provider = providers.find((candidate) => candidate.url === url);
    if (!provider)
      throw invalidIdentityToken(`No OpenIDConnect provider found in your account for ${issuer}`);
    const payload = await verifyToken(ctx, provider, token);
    const now = ctx.clock.now();
    if (typeof payload.iat === 'number' && payload.iat > now.getTime() / 1000 + IAT_SKEW_S) {
      throw invalidIdentityToken('The token was issued in the future (iat).');
    }
    const claims = claimsFor(payload, provider);
    const role = findRole(ctx.world, roleArn);
    const allowed =
      role !== undefined &&
      (await trustAllowsWebIdentity({
        trustPolicy: role.assumeRolePolicyDocument,
        providerArn: provider.arn,
        providerUrl: provider.url,
        roleArn,
        roleAccountId: accountId,
        claims,
        context: {
          'aws:CurrentTime': now.toISOString(),
          'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
          'aws:SecureTransport': ctx.runtime.secureTransport ? 'true' : 'false',
          'aws:SourceIp': ctx.request.remoteAddress.replace(/^::ffff:/, ''),
          'sts:RoleSessionName': sessionName,
        },
      }));
    if (!role || !allowed)
      throw stsAccessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    const durationSeconds = sessionDuration(ctx.input.int('DurationSeconds'), role, false);
    return {
      ...issueSession(ctx, {
        accountId,
        role,
        sessionName,
        durationSeconds,
        sessionPolicy: sessionPolicy(ctx, accountId),
        chained: false,
        tags: [],
      }),
      SubjectFromWebIdentityToken: claims.sub,
      Provider: provider.url,
      Audience: claims.aud,
    };
  },
};
