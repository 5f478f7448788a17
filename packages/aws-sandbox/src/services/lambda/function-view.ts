// How Lambda shows a function version (`FunctionConfiguration`), with `State` and
// `LastUpdateStatus` read off the sandbox clock: Pending until `activeAt`, InProgress until the
// last update's `completesAt`.
import { functionArn, qualifiedArn } from './function-names.js';
import type { AliasRecord, FunctionRecord, VersionRecord } from './lambda-state.js';

/** Where a function lives. */
export interface FunctionPlace {
  accountId: string;
  region: string;
}

/** Whether the function is still being created at `now`. */
export function isPending(version: VersionRecord, now: Date): boolean {
  return now.getTime() < Date.parse(version.activeAt);
}

/** Whether the last update is still in progress at `now`. */
export function isUpdating(version: VersionRecord, now: Date): boolean {
  return (
    version.lastUpdate !== undefined && now.getTime() < Date.parse(version.lastUpdate.completesAt)
  );
}

/** Lambda's `LastModified` format: `2026-03-01T10:00:00.000+0000`. */
export function lambdaTimestamp(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

/**
 * The `FunctionConfiguration` of a version. Its `FunctionArn` carries `options.qualifier` when the
 * call named one (an alias name, `$LATEST`), else the version number — except `$LATEST`, shown
 * with the unqualified ARN, as Lambda answers.
 */
export function configurationOf(
  place: FunctionPlace,
  fn: FunctionRecord,
  version: VersionRecord,
  now: Date,
  options: { qualifier?: string } = {},
): Record<string, unknown> {
  const { settings } = version;
  const qualifier =
    options.qualifier ?? (version.version === '$LATEST' ? undefined : version.version);
  const arn =
    qualifier === undefined
      ? functionArn(place.region, place.accountId, fn.name)
      : qualifiedArn(place.region, place.accountId, fn.name, qualifier);
  const pending = isPending(version, now);
  const updating = isUpdating(version, now);
  const out: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: arn,
    ...(settings.runtime !== undefined ? { Runtime: settings.runtime } : {}),
    Role: settings.role,
    ...(settings.handler !== undefined ? { Handler: settings.handler } : {}),
    CodeSize: version.codeSize,
    Description: settings.description,
    Timeout: settings.timeout,
    MemorySize: settings.memorySize,
    LastModified: lambdaTimestamp(version.lastModified),
    CodeSha256: version.codeSha256,
    Version: version.version,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: version.revisionId,
    State: pending ? 'Pending' : 'Active',
    LastUpdateStatus: updating ? 'InProgress' : 'Successful',
    PackageType: version.packageType,
    Architectures: [...settings.architectures],
    EphemeralStorage: { Size: settings.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
  if (Object.keys(settings.environment).length > 0) {
    out['Environment'] = { Variables: { ...settings.environment } };
  }
  if (pending) {
    out['StateReason'] = 'The function is being created.';
    out['StateReasonCode'] = 'Creating';
  }
  if (updating) {
    out['LastUpdateStatusReason'] = 'The function is being created.';
    out['LastUpdateStatusReasonCode'] = 'Creating';
  }
  return out;
}

/** The `AliasConfiguration` of an alias. */
export function aliasConfigurationOf(
  place: FunctionPlace,
  fn: FunctionRecord,
  alias: AliasRecord,
): Record<string, unknown> {
  return {
    AliasArn: qualifiedArn(place.region, place.accountId, fn.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(Object.keys(alias.weights).length > 0
      ? { RoutingConfig: { AdditionalVersionWeights: { ...alias.weights } } }
      : {}),
    RevisionId: alias.revisionId,
  };
}
