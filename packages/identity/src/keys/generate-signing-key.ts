/** Creates a fresh RS256 signing key. */
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { rsaPrivateJwkSchema, type StoredSigningKey } from './stored-signing-key.js';

/** RSA modulus size: what AWS STS and every JOSE library accept for RS256. */
export const SIGNING_KEY_BITS = 2048;

/** A new 2048-bit RSA key, active from `createdAt`, its `kid` the RFC 7638 thumbprint. */
export async function generateSigningKey(createdAt: Date): Promise<StoredSigningKey> {
  const { privateKey } = await generateKeyPair('RS256', {
    modulusLength: SIGNING_KEY_BITS,
    extractable: true,
  });
  const { kty, n, e, d, p, q, dp, dq, qi } = await exportJWK(privateKey);
  const privateJwk = rsaPrivateJwkSchema.parse({ kty, n, e, d, p, q, dp, dq, qi });
  // The thumbprint covers only the public members, so anyone can recompute it from the JWKS.
  const kid = await calculateJwkThumbprint({ kty, n, e }, 'sha256');
  return { kid, createdAt: createdAt.toISOString(), privateJwk };
}
