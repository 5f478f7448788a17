/** The OpenID Provider configuration document AWS reads to find the signing keys. */
import { jwksUrl, normalizeIssuerUrl } from './issuer-url.js';

/** The claims Rampart's tokens carry; AWS evaluates only `aud` and `sub`. */
export const CLAIMS_SUPPORTED = [
  'iss',
  'sub',
  'aud',
  'iat',
  'nbf',
  'exp',
  'jti',
  'deployment_id',
  'revision',
  'commit',
] as const;

/** `/.well-known/openid-configuration`: only what an ID-token-only issuer needs. */
export interface OpenIdConfiguration {
  issuer: string;
  jwks_uri: string;
  response_types_supported: ['id_token'];
  subject_types_supported: ['public'];
  id_token_signing_alg_values_supported: ['RS256'];
  claims_supported: string[];
}

/** The discovery document of `issuer`; `jwks_uri` is `<issuer>/.well-known/jwks.json`. */
export function discoveryDocument(issuer: string): OpenIdConfiguration {
  const iss = normalizeIssuerUrl(issuer);
  return {
    issuer: iss,
    jwks_uri: jwksUrl(iss),
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: [...CLAIMS_SUPPORTED],
  };
}
