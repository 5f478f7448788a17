/** @rampart/identity: Rampart's OIDC issuer — signing keys, deployment tokens, published documents. */
export { systemClock, type Clock } from './clock.js';
export {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  MAX_TOKEN_LIFETIME_SECONDS,
  STS_AUDIENCE,
} from './tokens/token-lifetime.js';
export {
  tokenClaims,
  type TokenClaims,
  type TokenContext,
  type TokenRequest,
} from './tokens/token-claims.js';
export { discoveryUrl, issuerPath, jwksUrl, normalizeIssuerUrl } from './documents/issuer-url.js';
export {
  CLAIMS_SUPPORTED,
  discoveryDocument,
  type OpenIdConfiguration,
} from './documents/discovery-document.js';
export { jwksDocument, type JsonWebKeySet } from './documents/jwks-document.js';
export {
  publicJwkOf,
  storedSigningKeySchema,
  type PublicSigningJwk,
  type RsaPrivateJwk,
  type StoredSigningKey,
} from './keys/stored-signing-key.js';
export {
  activeKey,
  keyState,
  liveKeys,
  removalTime,
  rotateKeys,
  type SigningKeyState,
} from './keys/key-lifecycle.js';
export { generateSigningKey, SIGNING_KEY_BITS } from './keys/generate-signing-key.js';
export type { KeyChange, KeyStore } from './keys/key-store.js';
export {
  decodeMasterKey,
  MASTER_KEY_BYTES,
  MASTER_KEY_FILE_NAME,
  masterKeySource,
  type MasterKeySource,
  type MasterKeySourceOptions,
} from './keys/master-key.js';
export { masterKeyId } from './keys/key-file-envelope.js';
export { FileKeyStore, KEY_FILE_NAME, type FileKeyStoreOptions } from './keys/file-key-store.js';
export {
  KeyRing,
  type ActiveSigner,
  type KeyRingOptions,
  type RotationResult,
  type SigningKeyInfo,
} from './keys/key-ring.js';
export { OidcIssuer, type MintedToken, type OidcIssuerOptions } from './oidc-issuer.js';
export {
  DEFAULT_DATA_DIR,
  dataDirOf,
  issuerFromConfig,
  keyRingFromConfig,
  type IssuerFromConfigOptions,
  type KeyRingFromConfigOptions,
} from './issuer-from-config.js';
export {
  bucketIssuerUrl,
  checkBucketName,
  normalizePrefix,
  objectKey,
  type BucketLocation,
} from './publish/bucket-location.js';
export type { DocumentWriter, PublishedDocument } from './publish/document-writer.js';
export { S3DocumentWriter, type S3DocumentWriterOptions } from './publish/s3-document-writer.js';
export {
  issuerDocuments,
  publishIssuerDocuments,
  type PublishOptions,
  type PublishResult,
} from './publish/publish-issuer-documents.js';
