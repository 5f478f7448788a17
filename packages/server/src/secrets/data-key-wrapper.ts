/** What wraps (encrypts) the data key of each secret version: the master key or a KMS key. */

/** A fresh data key, in clear for this one use and wrapped for storage. */
export interface WrappedDataKey {
  plaintext: Buffer;
  /** Base64 of the wrapped key. */
  wrapped: string;
  /** Which key wrapped it (`master:<id>`, a KMS key ARN). */
  keyId: string;
}

export interface DataKeyWrapper {
  /** The storage kind recorded with secrets it wraps. */
  readonly storage: 'local' | 'kms';
  /** A new 256-bit data key bound to `context` (the secret's identity). */
  generate(context: string): Promise<WrappedDataKey>;
  /** The data key `wrapped` holds; throws when it cannot be unwrapped. */
  unwrap(wrapped: string, keyId: string, context: string): Promise<Buffer>;
}
