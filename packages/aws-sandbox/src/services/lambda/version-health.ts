// Whether a version runs code the health model marks unhealthy: its CodeSha256, or for image
// functions its image digest.
import type { HealthState } from '../../state/health-model.js';
import type { VersionRecord } from './lambda-state.js';

/**
 * When the version's code became unhealthy (epoch ms on the sandbox clock), or undefined while it
 * is healthy. Metrics before that time stay clean: a mark does not rewrite history.
 */
export function unhealthySince(
  health: HealthState | undefined,
  version: Pick<VersionRecord, 'codeSha256' | 'code'>,
): number | undefined {
  const digest = version.code.kind === 'image' ? version.code.digest : undefined;
  let since: number | undefined;
  for (const mark of health?.unhealthy ?? []) {
    const matches =
      (mark.subject === 'code-sha256' && mark.value === version.codeSha256) ||
      (mark.subject === 'image-digest' && digest !== undefined && mark.value === digest);
    if (!matches) continue;
    const at = Date.parse(mark.since);
    if (since === undefined || at < since) since = at;
  }
  return since;
}

/** Whether the version is unhealthy at `time` (epoch ms). */
export function isUnhealthyAt(
  health: HealthState | undefined,
  version: Pick<VersionRecord, 'codeSha256' | 'code'>,
  time: number,
): boolean {
  const since = unhealthySince(health, version);
  return since !== undefined && since <= time;
}
