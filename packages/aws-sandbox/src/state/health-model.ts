// The health model: which image digests and Lambda code hashes are "bad". Workloads running a bad
// version emit error metrics, so deploying it trips the alarms that watch them, and rolling back
// clears them, with nothing else to script.

/** What a health mark names. */
export type HealthSubject = 'image-digest' | 'code-sha256';

/** One version marked unhealthy. */
export interface UnhealthyMark {
  subject: HealthSubject;
  /** `sha256:<hex>` for images; Lambda's base64 `CodeSha256` for code. */
  value: string;
  /** ISO time on the sandbox clock. */
  since: string;
}

/** The health model's state (part of snapshots). */
export interface HealthState {
  unhealthy: UnhealthyMark[];
}

/** Whether an image digest is marked unhealthy. */
export function isImageUnhealthy(health: HealthState | undefined, digest: string): boolean {
  return health?.unhealthy.some((m) => m.subject === 'image-digest' && m.value === digest) ?? false;
}

/** Whether a Lambda code hash (`CodeSha256`) is marked unhealthy. */
export function isCodeUnhealthy(health: HealthState | undefined, codeSha256: string): boolean {
  return (
    health?.unhealthy.some((m) => m.subject === 'code-sha256' && m.value === codeSha256) ?? false
  );
}
