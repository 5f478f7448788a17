// The plain-data shape of Lambda in one account and region: functions, their published versions,
// aliases (with the history of where they pointed, for metrics) and recorded invocations.
import { randomUUID } from 'node:crypto';

/** The code of a version: a zip stored on disk by its hash, or a container image. */
export type CodeRecord =
  | {
      kind: 'zip';
      /** File name of the zip under the Lambda code directory (hex SHA-256 + `.zip`). */
      blob: string;
      /** Where the zip came from, when from S3 (for GetFunction's answer; informational). */
      s3?: { bucket: string; key: string; version?: string };
    }
  | {
      kind: 'image';
      /** The URI as given. */
      imageUri: string;
      /** `<repository URI>@sha256:…`. */
      resolvedImageUri: string;
      /** `sha256:…`. */
      digest: string;
    };

/** The settings UpdateFunctionConfiguration changes. */
export interface FunctionSettings {
  role: string;
  /** Absent for image functions. */
  runtime?: string;
  /** Absent for image functions. */
  handler?: string;
  description: string;
  /** Seconds. */
  timeout: number;
  /** MB. */
  memorySize: number;
  environment: Record<string, string>;
  architectures: string[];
  ephemeralStorage: number;
}

/** `$LATEST` or one published version. */
export interface VersionRecord {
  /** `$LATEST` or `1`, `2`, … */
  version: string;
  packageType: 'Zip' | 'Image';
  settings: FunctionSettings;
  code: CodeRecord;
  /** Base64 SHA-256 of the zip, or the image digest's hex. */
  codeSha256: string;
  codeSize: number;
  /** ISO time on the sandbox clock. */
  lastModified: string;
  revisionId: string;
  /** ISO time at which the function leaves `Pending` (creation). */
  activeAt: string;
  /** The last update: `InProgress` until `completesAt`, then `Successful`. */
  lastUpdate?: { startedAt: string; completesAt: string };
}

/** Where an alias pointed from `at` on (metrics read the history). */
export interface AliasTarget {
  at: string;
  functionVersion: string;
  /** Additional version → weight (0…1). */
  weights: Record<string, number>;
}

/** An alias. */
export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  /** Additional version → weight (`RoutingConfig.AdditionalVersionWeights`). */
  weights: Record<string, number>;
  revisionId: string;
  createdAt: string;
  /** Targets over time, oldest first (bounded). */
  history: AliasTarget[];
  /** Invocations routed so far (weighted routing picks versions deterministically from it). */
  routed: number;
}

/** One recorded `Invoke` (metrics count them next to the synthetic traffic). */
export interface InvocationRecord {
  at: string;
  /** The version that ran. */
  version: string;
  /** The alias invoked, if the call named one. */
  alias?: string;
  /** Whether the call named a version or alias (the `Resource` dimension). */
  qualifier?: string;
  error: boolean;
}

/** A function with its versions and aliases. */
export interface FunctionRecord {
  name: string;
  createdAt: string;
  latest: VersionRecord;
  /** Published versions, ascending. */
  versions: VersionRecord[];
  /** The next version number (never reused, as in AWS). */
  nextVersion: number;
  aliases: Record<string, AliasRecord>;
  tags: Record<string, string>;
  /** Recent invocations, oldest first (bounded). */
  invocations: InvocationRecord[];
}

/** Lambda's state in one account and region. */
export interface LambdaState {
  functions: Record<string, FunctionRecord>;
}

/** An empty state. */
export function emptyLambdaState(): LambdaState {
  return { functions: {} };
}

/** A fresh `RevisionId` (a UUID, as Lambda's). */
export function newRevisionId(): string {
  return randomUUID();
}
