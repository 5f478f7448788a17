/** Checks that a stage is ready before a revision enters it (role, repositories, buckets), as a port. */
import type { StageTarget } from '../model/pipeline-state.js';

export interface ResourceCheckRequest {
  target: StageTarget;
  deploymentId: string;
  revision: number;
  signal: AbortSignal;
}

export interface ResourceChecker {
  /** Problems found, each a sentence naming the resource and the fix; empty when the stage is ready. */
  check(request: ResourceCheckRequest): Promise<string[]>;
}

/** Finds nothing to complain about. */
export const noResourceChecks: ResourceChecker = { check: () => Promise.resolve([]) };
