/** Writes issuer documents into an S3 bucket with the AWS SDK. */
// The SDK is loaded by the first put, not with this module: `rampart server` imports identity
// on every start and most starts publish nothing.
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { RampartError } from '@rampart/core';
import type { DocumentWriter, PublishedDocument } from './document-writer.js';

/** Options of {@link S3DocumentWriter}. */
export interface S3DocumentWriterOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (the sandbox), addressed path-style. @default AWS */
  endpoint?: string;
  /** @default the SDK's default credential chain */
  credentials?: S3ClientConfig['credentials'];
}

/** A {@link DocumentWriter} that puts each document as one S3 object. */
export class S3DocumentWriter implements DocumentWriter {
  private client: S3Client | undefined;
  private readonly bucket: string;

  constructor(private readonly options: S3DocumentWriterOptions) {
    this.bucket = options.bucket;
  }

  async put(document: PublishedDocument): Promise<void> {
    const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const options = this.options;
    this.client ??= new S3Client({
      region: options.region,
      ...(options.endpoint === undefined
        ? {}
        : { endpoint: options.endpoint, forcePathStyle: true }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: document.key,
          Body: document.body,
          ContentType: document.contentType,
          CacheControl: document.cacheControl,
        }),
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new RampartError(
        'ISSUER_PUBLISH_FAILED',
        `writing s3://${this.bucket}/${document.key} failed: ${name}: ${message}`,
        {
          source: 'system',
          retryable:
            name === 'SlowDown' || name === 'ServiceUnavailable' || name === 'InternalError',
          hint: 'Check the bucket name and region, and that your AWS credentials may s3:PutObject on it.',
          cause: error,
        },
      );
    }
  }

  /** Closes the SDK client's connections. */
  destroy(): void {
    this.client?.destroy();
    this.client = undefined;
  }
}
