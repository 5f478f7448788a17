/** The port through which issuer documents reach a static host. */

/** One document to publish. */
export interface PublishedDocument {
  /** The object key (path) under the host's root. */
  key: string;
  body: string;
  contentType: string;
  cacheControl: string;
}

/** Writes documents to one static host (an S3 bucket). */
export interface DocumentWriter {
  put(document: PublishedDocument): Promise<void>;
}
