/** The typed progress events of an image mirror: libraries never print, callers render these. */

/** One step of an image mirror, in the order they happen. `type` is a stable code. */
export type MirrorEvent =
  /** The source reference resolved to a manifest digest. */
  | { type: 'resolved'; digest: string; mediaType: string | undefined }
  /** The destination already had that digest under the destination reference: nothing to do. */
  | { type: 'up-to-date'; digest: string }
  /** A manifest the index references is already in the destination; its blobs are not checked. */
  | { type: 'manifest-present'; digest: string }
  /** A blob is already in the destination repository (HEAD): not copied. */
  | { type: 'blob-present'; digest: string; size: number }
  /** A blob was linked from the source repository of the same registry, without copying bytes. */
  | { type: 'blob-mounted'; digest: string; size: number }
  /** Bytes of a blob being copied have gone through (at most every 8 MiB and at the end). */
  | { type: 'blob-progress'; digest: string; bytes: number; size: number }
  /** A blob was streamed from the source into the destination. */
  | { type: 'blob-copied'; digest: string; size: number }
  /** A manifest was stored in the destination under `reference` (a tag or its digest). */
  | { type: 'manifest-pushed'; digest: string; mediaType: string; reference: string }
  /** An operation failed in a way that may pass and is tried again after `delayMs`. */
  | {
      type: 'retry';
      operation: string;
      attempt: number;
      delayMs: number;
      code: string;
      message: string;
    };
