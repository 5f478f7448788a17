/**
 * The names a revision's artifact is stored under: the image tag `<revision>-<short sha>` and the
 * bundle key `<revision>-<short sha>.zip`. The same request always gives the same names, so a
 * build re-run after a crash finds (and keeps) what the first attempt stored.
 */
import type { BuildRequest } from '@rampart/engine';

/** Characters of the commit id in tags and keys (git's default abbreviation). */
const SHORT_SHA = 7;

/** `<revision>-<short sha>`, e.g. `12-3f2a9c1`. */
export function artifactTag(request: Pick<BuildRequest, 'revision' | 'commitSha'>): string {
  return `${request.revision}-${request.commitSha.slice(0, SHORT_SHA)}`;
}

/** The S3 key of a revision's bundle, e.g. `12-3f2a9c1.zip`. */
export function bundleKey(request: Pick<BuildRequest, 'revision' | 'commitSha'>): string {
  return `${artifactTag(request)}.zip`;
}

/** The short commit id for log lines. */
export function shortSha(sha: string): string {
  return sha.slice(0, SHORT_SHA);
}
