/** One log line per stage mirror event, as the deployment log shows it. */
import { shortDigest } from '../oci/digest.js';
import type { StageMirrorEvent } from './stage-mirror-options.js';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** `image "api": copied 3 blobs (12.0 MiB), 1 present → …@sha256:abc…`, and the like. */
export function describeStageMirrorEvent(event: StageMirrorEvent): string {
  switch (event.type) {
    case 'image-mirrored':
      return event.skipped
        ? `image "${event.artifact}": already in the stage (${shortDigest(event.digest)}), nothing copied`
        : `image "${event.artifact}": copied ${event.blobsCopied} blobs (${size(event.bytesCopied)}), mounted ${event.blobsMounted}, ${event.blobsSkipped} already there → ${event.imageUrl}`;
    case 'bundle-mirrored':
      return event.method === 'skipped'
        ? `bundle "${event.artifact}": ${event.s3Url} already holds sha256 ${event.sha256.slice(0, 12)}, nothing copied`
        : `bundle "${event.artifact}": ${event.method === 'copy' ? 'copied server-side' : 'streamed'} ${size(event.bytesCopied)} → ${event.s3Url}`;
    case 'artifact-not-mirrored':
      return `artifact "${event.artifact}": built for this stage, not mirrored`;
    default: {
      const never: never = event;
      return String(never);
    }
  }
}
