/**
 * `rampart oidc publish`: the discovery document and the JWKS as static files, for control planes
 * AWS cannot reach. The issuer URL becomes the bucket's public address.
 */
import { discoveryDocument } from '../documents/discovery-document.js';
import type { KeyRing } from '../keys/key-ring.js';
import { bucketIssuerUrl, objectKey, type BucketLocation } from './bucket-location.js';
import type { DocumentWriter, PublishedDocument } from './document-writer.js';
import { S3DocumentWriter, type S3DocumentWriterOptions } from './s3-document-writer.js';

/** Options of {@link publishIssuerDocuments}. */
export interface PublishOptions extends BucketLocation {
  keys: KeyRing;
  /** @default the SDK's default credential chain */
  credentials?: S3DocumentWriterOptions['credentials'];
  /** Where to write. @default an {@link S3DocumentWriter} for the bucket */
  writer?: DocumentWriter;
}

/** What was published. */
export interface PublishResult {
  /** The issuer URL to configure (`issuer_url`) and to bootstrap the OIDC providers with. */
  issuerUrl: string;
  /** Each object written, with the URL it is served at. */
  documents: { key: string; url: string }[];
  /** The kids in the published JWKS. */
  kids: string[];
}

/** The two documents for the issuer at `location`, as they are to be written. */
export async function issuerDocuments(
  location: BucketLocation,
  keys: KeyRing,
): Promise<{ issuerUrl: string; documents: PublishedDocument[]; kids: string[] }> {
  const issuerUrl = bucketIssuerUrl(location);
  await keys.ensureActive();
  const jwks = await keys.jwks();
  // Short caching: a rotation must reach AWS within the overlap of the retired key.
  const cacheControl = 'public, max-age=60';
  const documents: PublishedDocument[] = [
    {
      key: objectKey(location, 'openid-configuration'),
      body: `${JSON.stringify(discoveryDocument(issuerUrl), null, 2)}\n`,
      contentType: 'application/json',
      cacheControl,
    },
    {
      key: objectKey(location, 'jwks.json'),
      body: `${JSON.stringify(jwks, null, 2)}\n`,
      contentType: 'application/json',
      cacheControl,
    },
  ];
  return { issuerUrl, documents, kids: jwks.keys.map((k) => k.kid) };
}

/**
 * Writes `<prefix>/.well-known/openid-configuration` and `<prefix>/.well-known/jwks.json` (the
 * JWKS first, so the discovery document never names a key set that is not there yet). Creates the
 * first signing key when there is none. The bucket must allow public reads of these objects.
 */
export async function publishIssuerDocuments(options: PublishOptions): Promise<PublishResult> {
  const { issuerUrl, documents, kids } = await issuerDocuments(options, options.keys);
  const writer =
    options.writer ??
    new S3DocumentWriter({
      bucket: options.bucket,
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  try {
    for (const document of [...documents].reverse()) await writer.put(document);
  } finally {
    if (writer instanceof S3DocumentWriter && options.writer === undefined) writer.destroy();
  }
  const root = bucketIssuerUrl({ ...options, prefix: '' });
  return {
    issuerUrl,
    documents: documents.map((d) => ({ key: d.key, url: `${root}/${d.key}` })),
    kids,
  };
}
