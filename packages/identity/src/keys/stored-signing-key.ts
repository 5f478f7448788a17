/** A signing key as stored: its RSA private key as a JWK plus its lifecycle times. Version 1. */
import { z } from 'zod';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

/** An RSA private key in JWK form (RFC 7518 §6.3), the only kind Rampart signs with. */
export const rsaPrivateJwkSchema = z.strictObject({
  kty: z.literal('RSA'),
  n: base64url,
  e: base64url,
  d: base64url,
  p: base64url,
  q: base64url,
  dp: base64url,
  dq: base64url,
  qi: base64url,
});

export type RsaPrivateJwk = z.infer<typeof rsaPrivateJwkSchema>;

export const storedSigningKeySchema = z.strictObject({
  /** RFC 7638 thumbprint of the public key (SHA-256, base64url). */
  kid: z.string().min(1),
  /** ISO time the key was created (and became active). */
  createdAt: z.iso.datetime(),
  /** ISO time a rotation retired it; absent on the active key. */
  retiredAt: z.iso.datetime().optional(),
  privateJwk: rsaPrivateJwkSchema,
});

/** One stored signing key. At most one key of a store has no `retiredAt`: the active one. */
export type StoredSigningKey = z.infer<typeof storedSigningKeySchema>;

/** The public half of a key as published in the JWKS. */
export interface PublicSigningJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** The JWKS entry of a stored key: modulus and exponent only, never a private member. */
export function publicJwkOf(key: Pick<StoredSigningKey, 'kid' | 'privateJwk'>): PublicSigningJwk {
  const { n, e } = key.privateJwk;
  return { kty: 'RSA', n, e, kid: key.kid, alg: 'RS256', use: 'sig' };
}
