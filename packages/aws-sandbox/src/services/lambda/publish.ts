// Publishing: a version is an immutable copy of `$LATEST`'s code and configuration, numbered from 1
// and never renumbered.
import { newRevisionId, type FunctionRecord, type VersionRecord } from './lambda-state.js';

/** What makes two versions the same for PublishVersion (code and configuration). */
function fingerprint(version: VersionRecord): string {
  const { description: _description, ...settings } = version.settings;
  return JSON.stringify({
    packageType: version.packageType,
    codeSha256: version.codeSha256,
    settings,
  });
}

/**
 * The newest published version when `$LATEST` has not changed since it was published (Lambda
 * then returns it instead of publishing another), else undefined.
 */
export function unchangedVersion(fn: FunctionRecord): VersionRecord | undefined {
  const last = fn.versions.at(-1);
  return last !== undefined && fingerprint(last) === fingerprint(fn.latest) ? last : undefined;
}

/** Publishes `source` (normally `$LATEST`) as the next version; returns it. */
export function publishVersion(
  fn: FunctionRecord,
  source: VersionRecord,
  now: Date,
  description: string | undefined,
): VersionRecord {
  const version: VersionRecord = {
    ...structuredClone(source),
    version: String(fn.nextVersion),
    settings: {
      ...structuredClone(source.settings),
      description: description ?? source.settings.description,
    },
    lastModified: now.toISOString(),
    revisionId: newRevisionId(),
    // A version published with its function (CreateFunction `Publish`) is pending with it.
    activeAt: new Date(Math.max(now.getTime(), Date.parse(source.activeAt))).toISOString(),
  };
  delete version.lastUpdate;
  fn.nextVersion += 1;
  fn.versions.push(version);
  return version;
}
