/** Rampart as an OIDC identity provider: mints deployment tokens and describes how to verify them. */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { discoveryDocument, type OpenIdConfiguration } from './documents/discovery-document.js';
import { normalizeIssuerUrl } from './documents/issuer-url.js';
import type { JsonWebKeySet } from './documents/jwks-document.js';
import type { KeyRing } from './keys/key-ring.js';
import { tokenClaims, type TokenClaims, type TokenRequest } from './tokens/token-claims.js';

/** A signed token and what it says. */
export interface MintedToken {
  /** The compact JWT, for `AssumeRoleWithWebIdentity`'s `WebIdentityToken`. */
  token: string;
  /** The key that signed it. */
  kid: string;
  claims: TokenClaims;
  expiresAt: Date;
}

/** Options of {@link OidcIssuer}. */
export interface OidcIssuerOptions {
  /** The issuer URL (`iss`); trailing slashes are dropped. */
  issuerUrl: string;
  /** The signing keys; their clock also dates the tokens. */
  keys: KeyRing;
}

/** Mints RS256 tokens for stages and serves the documents AWS verifies them with. */
export class OidcIssuer {
  readonly issuerUrl: string;
  readonly keys: KeyRing;

  constructor(options: OidcIssuerOptions) {
    this.issuerUrl = normalizeIssuerUrl(options.issuerUrl);
    this.keys = options.keys;
  }

  /**
   * A token whose `sub` is `org:<org>/pipeline:<slug>/stage:<stage>`, `aud` `sts.amazonaws.com`,
   * living 5 minutes unless asked otherwise (at most 10), signed with the active key.
   */
  async mintToken(request: TokenRequest): Promise<MintedToken> {
    const claims = tokenClaims(request, {
      issuer: this.issuerUrl,
      now: this.keys.clock.now(),
      jti: randomUUID(),
    });
    const { kid, privateKey } = await this.keys.signer();
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .sign(privateKey);
    return { token, kid, claims, expiresAt: new Date(claims.exp * 1000) };
  }

  /** `/.well-known/openid-configuration`. */
  discoveryDocument(): OpenIdConfiguration {
    return discoveryDocument(this.issuerUrl);
  }

  /** `/.well-known/jwks.json`: the active key and retired keys still within their overlap. */
  jwks(): Promise<JsonWebKeySet> {
    return this.keys.jwks();
  }
}
