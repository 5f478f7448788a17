/** What {@link createStageArtifactMirror} needs from the control plane, and what it reports. */
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CredentialsProvider, StageCredentials } from '@rampart/engine';
import type { RetryOptions } from '../oci/retry.js';

/** Where an SDK client talks to and as whom. */
export interface MirrorClientTarget {
  region: string;
  credentials: StageCredentials;
}

/**
 * The AWS clients mirroring uses, made by the control plane's client factory (endpoint override,
 * clock): S3 for bundles, ECR for registry logins. `AwsClientFactory` of `@rampart/aws` has this
 * shape; this package constructs no client itself.
 */
export interface MirrorClients {
  s3(target: MirrorClientTarget): S3Client;
  ecr(target: MirrorClientTarget): ECRClient;
}

/** What one artifact's mirroring did, for logs and tests. */
export type StageMirrorEvent =
  | {
      type: 'image-mirrored';
      artifact: string;
      /** The stage copy, `registry/repository@digest`. */
      imageUrl: string;
      digest: string;
      /** The stage already held the digest: only manifest HEADs were made. */
      skipped: boolean;
      blobsCopied: number;
      blobsMounted: number;
      blobsSkipped: number;
      bytesCopied: number;
    }
  | {
      type: 'bundle-mirrored';
      artifact: string;
      /** The stage copy, `s3://bucket/key`. */
      s3Url: string;
      sha256: string;
      /** `skipped` when the stage copy records the same SHA-256. */
      method: 'skipped' | 'copy' | 'stream';
      bytesCopied: number;
    }
  | {
      /** A `per_stage` copy: the engine builds it, nothing is mirrored. */
      type: 'artifact-not-mirrored';
      artifact: string;
    };

/** Options of `createStageArtifactMirror`. */
export interface StageArtifactMirrorOptions {
  /**
   * The stage role's credentials (the engine's provider, over the credential broker): the stage
   * role may read the CI/CD copies it mirrors and write only its own repositories and buckets.
   */
  credentials: CredentialsProvider;
  /** Makes the S3 and ECR clients. */
  sdk: MirrorClients;
  /** Blobs of one image copied at the same time. @default 4 */
  concurrency?: number;
  /** Backoff of failed registry requests. @default 5 attempts from 250 ms */
  retry?: RetryOptions;
  /** Told what each artifact's mirroring did (the request's `log` gets the same as text). */
  onEvent?: (event: StageMirrorEvent) => void;
}
